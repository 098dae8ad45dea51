// SMS-confirmed payments: apply → code in the inbox → back-end pay (spec §4.2.8), resendPaySMS (§4.2.25), test magic.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { YUNST_UNCODED_MESSAGES, encryptField, verifyNotification } from '@tsy/yunst';
import { consumeParam, createPayer, errorCode, inbox, ok, platformKey, startReceiver, startSandbox, type TestSandbox } from './support/sandbox.js';

const balance = (amount: number) => ({ BALANCE: [{ accountSetNo: '400142', amount }] });
const card = (cardNo = '6228481234567898346') => encryptField(cardNo, platformKey);
const otherCode = (code: string) => (code === '000000' ? '000001' : '000000');

describe('SMS-confirmed orders', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let phone: string;
  before(async () => {
    t = await startSandbox({ initialBalance: 10_000 });
    receiver = await startReceiver([200]);
    phone = await createPayer(t, 'sms-payer');
    await createPayer(t, 'sms-other');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const apply = async (payMethod: Record<string, unknown>, amount: number, extra: Record<string, unknown> = {}) => {
    const param = consumeParam('sms-payer', payMethod, amount, { backUrl: receiver.url, ...extra });
    return { bizOrderNo: String(param.bizOrderNo), answer: ok(await t.call('OrderService', 'consumeApply', param)) };
  };
  const payCode = async (bizOrderNo: string) => (await inbox(t, phone)).find((m) => m.bizOrderNo === bizOrderNo)!.code;
  const pay = (bizOrderNo: string, verificationCode: string, extra: Record<string, unknown> = {}) =>
    t.call('OrderService', 'pay', { bizUserId: 'sms-payer', bizOrderNo, verificationCode, consumerIp: '203.0.113.9', ...extra });

  it('BALANCE: the code goes to the payer phone; a wrong code is 20011, loopback consumerIp 10000; the right one pays', async () => {
    const { bizOrderNo, answer } = await apply(balance(300), 300);
    assert.deepEqual(Object.keys(answer).sort(), ['bizOrderNo', 'orderNo']);
    const [message] = await inbox(t, phone);
    assert.equal(message!.purpose, 'pay');
    assert.equal(message!.bizOrderNo, bizOrderNo);
    const code = message!.code;
    assert.equal(errorCode(await pay(bizOrderNo, otherCode(code))), '20011');
    assert.equal(errorCode(await pay(bizOrderNo, code, { consumerIp: '127.0.0.1' })), '10000');
    assert.equal(errorCode(await pay(bizOrderNo, code, { consumerIp: 'localhost' })), '10000');
    assert.equal(errorCode(await pay(bizOrderNo, code, { bizUserId: 'sms-other' })), '40022');
    assert.deepEqual(ok(await pay(bizOrderNo, code)), { payStatus: 'success', bizUserId: 'sms-payer', bizOrderNo });
    assert.equal(t.sandbox.state.members.get('sms-payer')!.balance, 10_000 - 300);
    const notification = verifyNotification((await receiver.nth(1)).body, platformKey);
    assert.equal((notification.value.returnValue as { bizOrderNo: string }).bizOrderNo, bizOrderNo);
    assert.equal(errorCode(await pay(bizOrderNo, code)), '40033', 'confirmed already');
    assert.equal(errorCode(await t.call('OrderService', 'resendPaySMS', { bizOrderNo })), YUNST_UNCODED_MESSAGES.resendNotAllowed.code);
  });

  it('pay: unknown order 40000; an order without SMS confirmation 40027; insufficient balance 40014', async () => {
    assert.equal(errorCode(await pay('nope', '123456')), '40000');
    const qr = await apply({ SCAN_WEIXIN: { amount: 1, limitPay: '' } }, 1);
    assert.equal(errorCode(await pay(qr.bizOrderNo, '123456')), '40027');
    const big = await apply(balance(20_000), 20_000);
    const code = await payCode(big.bizOrderNo);
    assert.equal(errorCode(await pay(big.bizOrderNo, code)), '40014');
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: big.bizOrderNo })).orderStatus, 1);
  });

  it('resendPaySMS: not within 10 s; the same code while valid; a new code after 3 minutes; the old one then fails', async () => {
    const { bizOrderNo, answer } = await apply({ COUPON: { amount: 5 } }, 5);
    const first = await payCode(bizOrderNo);
    const resend = () => t.call('OrderService', 'resendPaySMS', { bizOrderNo });
    const tooSoon = await resend();
    assert.equal(errorCode(tooSoon), YUNST_UNCODED_MESSAGES.resendTooSoon.code);
    assert.equal((tooSoon as { message: string }).message, YUNST_UNCODED_MESSAGES.resendTooSoon.zh);
    t.clock.advance(10_000);
    assert.deepEqual(ok(await resend()), { bizOrderNo, orderNo: answer.orderNo, phone });
    assert.equal(await payCode(bizOrderNo), first, 'still valid: the same code');
    t.clock.advance(3 * 60_000);
    assert.equal(errorCode(await pay(bizOrderNo, first)), '20011', 'expired after 3 minutes');
    ok(await resend());
    const second = await payCode(bizOrderNo);
    assert.notEqual(second, first);
    assert.equal(errorCode(await pay(bizOrderNo, first)), '20011');
    assert.equal(ok(await pay(bizOrderNo, second)).payStatus, 'success');
  });

  it('without orderExpireDatetime the SMS window is 30 minutes: then resend and pay are refused', async () => {
    const { bizOrderNo } = await apply(balance(1), 1);
    t.clock.advance(30 * 60_000);
    assert.equal(errorCode(await t.call('OrderService', 'resendPaySMS', { bizOrderNo })), YUNST_UNCODED_MESSAGES.resendNotAllowed.code);
    assert.equal(errorCode(await pay(bizOrderNo, '123456')), '40003');
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 1, 'unpaid until the batch close');
    t.clock.advance(24 * 60 * 60_000);
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 6);
  });

  it('resendPaySMS refuses orders that are not SMS-confirmed', async () => {
    const qr = await apply({ SCAN_WEIXIN: { amount: 1, limitPay: '' } }, 1);
    assert.equal(errorCode(await t.call('OrderService', 'resendPaySMS', { bizOrderNo: qr.bizOrderNo })), YUNST_UNCODED_MESSAGES.resendNotAllowed.code);
    assert.equal(errorCode(await t.call('OrderService', 'resendPaySMS', { bizOrderNo: 'nope' })), '40000');
  });

  it('REALNAMEPAY accepts the test code 111111; its bankCardNo must decrypt with the platform key (20017)', async () => {
    const { bizOrderNo } = await apply({ REALNAMEPAY: { bankCardNo: card(), amount: 7 } }, 7);
    assert.deepEqual(ok(await pay(bizOrderNo, '111111')), { payStatus: 'success', bizUserId: 'sms-payer', bizOrderNo });
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).acct, '622848****8346');
    const garbled = consumeParam('sms-payer', { REALNAMEPAY: { bankCardNo: 'ABCDEF0123', amount: 7 } }, 7);
    assert.equal(errorCode(await t.call('OrderService', 'consumeApply', garbled)), '20017');
  });

  it('QUICKPAY_TLT test amounts fail the payment: payStatus fail, order 3, no notification', async () => {
    const { bizOrderNo } = await apply({ QUICKPAY_TLT: { bankCardNo: card(), amount: 1400 } }, 1400);
    const answer = ok(await pay(bizOrderNo, await payCode(bizOrderNo)));
    assert.equal(answer.payStatus, 'fail');
    assert.equal(answer.payFailMessage, '余额不足');
    const detail = ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo }));
    assert.equal(detail.orderStatus, 3);
    assert.equal(detail.errorMessage, '余额不足');
    assert.equal(t.sandbox.state.notifications.get(bizOrderNo), undefined);
    assert.equal(errorCode(await pay(bizOrderNo, '111111')), '40033');

    const fine = await apply({ QUICKPAY_TLT: { bankCardNo: card(), amount: 1600 } }, 1600);
    assert.equal(ok(await pay(fine.bizOrderNo, await payCode(fine.bizOrderNo))).payStatus, 'success');
  });

  it('QUICKPAY_VSP: with SMS the answer says validateType 1; with validateType 0 the apply pays', async () => {
    const sms = await apply({ QUICKPAY_VSP: { bankCardNo: card(), amount: 3 } }, 3);
    assert.equal(sms.answer.validateType, 1);
    assert.equal(sms.answer.payStatus, undefined);
    assert.equal(ok(await pay(sms.bizOrderNo, await payCode(sms.bizOrderNo))).payStatus, 'success');

    const direct = await apply({ QUICKPAY_VSP: { bankCardNo: card(), amount: 3 } }, 3, { validateType: 0 });
    assert.equal(direct.answer.payStatus, 'success');
    assert.equal(direct.answer.bizUserId, 'sms-payer');
    assert.equal(direct.answer.validateType, undefined);
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: direct.bizOrderNo })).orderStatus, 4);
  });

  it('BALANCE + COUPON combined: one code confirms both parts', async () => {
    const { bizOrderNo } = await apply({ BALANCE: [{ accountSetNo: '400142', amount: 60 }], COUPON: { amount: 40 } }, 100);
    const before = t.sandbox.state.members.get('sms-payer')!.balance;
    assert.equal(ok(await pay(bizOrderNo, await payCode(bizOrderNo))).payStatus, 'success');
    assert.equal(t.sandbox.state.members.get('sms-payer')!.balance, before - 60);
  });
});
