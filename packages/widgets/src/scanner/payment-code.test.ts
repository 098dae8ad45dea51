import { expect } from '@open-wc/testing';
import { checkPaymentCode, maskPaymentCode, normalizePaymentCode, parseWallets, paymentCodeWallet } from './payment-code.js';

describe('paymentCodeWallet', () => {
  it('WeChat: 18 digits starting 10–15', () => {
    for (const prefix of ['10', '11', '12', '13', '14', '15']) expect(paymentCodeWallet(`${prefix}3456789012345678`)).to.equal('wechat');
    expect(paymentCodeWallet('163456789012345678'), 'prefix 16').to.equal(null);
    expect(paymentCodeWallet('093456789012345678'), 'prefix 09').to.equal(null);
    expect(paymentCodeWallet('13456789012345678'), '17 digits').to.equal(null);
    expect(paymentCodeWallet('1345678901234567890'), '19 digits').to.equal(null);
  });

  it('Alipay: 16–24 digits starting 25–30', () => {
    for (const prefix of ['25', '26', '27', '28', '29', '30']) expect(paymentCodeWallet(`${prefix}${'1'.repeat(16)}`)).to.equal('alipay');
    expect(paymentCodeWallet(`28${'7'.repeat(14)}`), '16 digits').to.equal('alipay');
    expect(paymentCodeWallet(`28${'7'.repeat(22)}`), '24 digits').to.equal('alipay');
    expect(paymentCodeWallet(`28${'7'.repeat(13)}`), '15 digits').to.equal(null);
    expect(paymentCodeWallet(`28${'7'.repeat(23)}`), '25 digits').to.equal(null);
    expect(paymentCodeWallet(`24${'7'.repeat(16)}`), 'prefix 24').to.equal(null);
    expect(paymentCodeWallet(`31${'7'.repeat(16)}`), 'prefix 31').to.equal(null);
  });

  it('UnionPay: 19 digits starting 62', () => {
    expect(paymentCodeWallet('6223456789012345678')).to.equal('unionpay');
    expect(paymentCodeWallet('622345678901234567'), '18 digits').to.equal(null);
    expect(paymentCodeWallet('62234567890123456789'), '20 digits').to.equal(null);
    expect(paymentCodeWallet('6323456789012345678'), 'prefix 63').to.equal(null);
  });

  it('only digits: no spaces, letters or signs inside', () => {
    expect(paymentCodeWallet('13456789012345678a')).to.equal(null);
    expect(paymentCodeWallet(' 134567890123456789')).to.equal(null);
    expect(paymentCodeWallet('')).to.equal(null);
  });
});

describe('normalizePaymentCode', () => {
  it('drops the spaces and dashes people type, and makes full-width digits ASCII', () => {
    expect(normalizePaymentCode(' 1345 6789-0123 4567 89 ')).to.equal('134567890123456789');
    expect(normalizePaymentCode('1345\u00a06789\u30000123–4567—89')).to.equal('134567890123456789');
    expect(normalizePaymentCode('１３４５６７８９０１２３４５６７８９')).to.equal('134567890123456789');
  });

  it('leaves anything else, so the check can refuse it', () => {
    expect(normalizePaymentCode('1345x6789')).to.equal('1345x6789');
    expect(normalizePaymentCode('１３.５')).to.equal('13.5');
  });
});

describe('checkPaymentCode', () => {
  it('accepts a code of an accepted wallet, normalised', () => {
    expect(checkPaymentCode('1345 6789 0123 4567 89')).to.deep.equal({ ok: true, code: '134567890123456789', wallet: 'wechat' });
    expect(checkPaymentCode('6223456789012345678', ['unionpay'])).to.deep.equal({ ok: true, code: '6223456789012345678', wallet: 'unionpay' });
  });

  it('says why it refuses: empty, not digits, no wallet’s format, a wallet not accepted', () => {
    expect(checkPaymentCode(' ')).to.include({ ok: false, problem: 'empty' });
    expect(checkPaymentCode('13456789O12345678')).to.include({ ok: false, problem: 'not_digits' });
    expect(checkPaymentCode('123456')).to.include({ ok: false, problem: 'unknown' });
    expect(checkPaymentCode('284567890123456789', ['wechat', 'unionpay'])).to.include({ ok: false, problem: 'wallet', wallet: 'alipay' });
  });
});

describe('parseWallets', () => {
  it('all wallets for no list; the known names of a list; none for a list of unknown names', () => {
    expect(parseWallets('')).to.deep.equal(['wechat', 'alipay', 'unionpay']);
    expect(parseWallets(undefined)).to.deep.equal(['wechat', 'alipay', 'unionpay']);
    expect(parseWallets(' Alipay,wechat ')).to.deep.equal(['wechat', 'alipay']);
    expect(parseWallets('qq')).to.deep.equal([]);
  });
});

describe('maskPaymentCode', () => {
  it('hides all but the last 4 digits, in groups of 4 from the end', () => {
    expect(maskPaymentCode('134567890123456789')).to.equal('•• •••• •••• •••• 6789');
    expect(maskPaymentCode('6223456789012345678')).to.equal('••• •••• •••• •••• 5678');
    expect(maskPaymentCode('2845678901234567')).to.equal('•••• •••• •••• 4567');
  });
});
