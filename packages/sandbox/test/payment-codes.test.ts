// The payer's payment codes (付款码) the sandbox shows for a cashier to scan: valid for each wallet, fresh on every visit,
// drawn as a QR and a Code 128 of the same digits, under the pages' strict policy.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { walletOfAuthcode } from '../src/pay-methods/code-pay.js';
import { testPaymentCode } from '../src/pages/test-payment-codes.js';
import { startSandbox, type TestSandbox } from './support/sandbox.js';

let t: TestSandbox;
before(async () => (t = await startSandbox()));
after(async () => t.close());

describe('/sandbox/payment-codes', () => {
  it('makes codes of the wallet asked for, with the ending of the outcome asked for', () => {
    for (const wallet of ['wechat', 'alipay', 'unionpay'] as const) {
      for (let i = 0; i < 50; i++) {
        const success = testPaymentCode(wallet);
        assert.equal(walletOfAuthcode(success), wallet, success);
        assert.doesNotMatch(success, /(0000|9999)$/);
        assert.match(testPaymentCode(wallet, 'pending'), /0000$/);
        assert.match(testPaymentCode(wallet, 'fail'), /9999$/);
        assert.equal(walletOfAuthcode(testPaymentCode(wallet, 'pending')), wallet);
      }
    }
  });

  it('lists a paying and a password-first code per wallet, new ones each time (JSON)', async () => {
    const read = async (query = '') => (await (await fetch(`${t.url}/sandbox/payment-codes?format=json${query}`)).json()) as { wallet: string; outcome: string; code: string }[];
    const first = await read();
    assert.deepEqual(
      first.map((c) => `${c.wallet}/${c.outcome}`),
      ['wechat/success', 'wechat/pending', 'alipay/success', 'alipay/pending', 'unionpay/success', 'unionpay/pending'],
    );
    for (const c of first) assert.equal(walletOfAuthcode(c.code), c.wallet);
    const second = await read();
    assert.ok(first.every((c, i) => c.code !== second[i]!.code), 'every visit has new codes');
    assert.deepEqual((await read('&wallet=alipay&outcome=fail')).map((c) => `${c.wallet}/${c.outcome}`), ['alipay/fail']);
  });

  it('draws each code as an inline SVG QR and Code 128 with its digits, under a policy without scripts', async () => {
    const response = await fetch(`${t.url}/sandbox/payment-codes?wallet=unionpay`);
    assert.equal(response.status, 200);
    const csp = response.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.doesNotMatch(csp, /script-src/);
    const page = await response.text();
    assert.equal(page.match(/<svg role="img" aria-label="QR" class="qr"/g)?.length, 2);
    assert.equal(page.match(/<svg role="img" aria-label="Code 128" class="code128"/g)?.length, 2);
    const digits = [...page.matchAll(/<p class="digits">([\d ]+)<\/p>/g)].map((m) => m[1]!.replace(/ /g, ''));
    assert.equal(digits.length, 2);
    for (const code of digits) assert.equal(walletOfAuthcode(code), 'unionpay');
    assert.ok(!page.includes('<script'), 'no script on the page');
  });

  it('is linked from the POS page and the home page', async () => {
    for (const path of ['/sandbox/pos', '/']) assert.match(await (await fetch(t.url + path)).text(), /href="\/sandbox\/payment-codes"/);
  });
});
