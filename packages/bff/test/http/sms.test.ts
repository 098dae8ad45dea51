// The SMS confirm step over real HTTP against the real sandbox, one manual clock for both: the resend countdown the BFF
// enforces (429 + Retry-After + resendAt), wrong and expired codes told apart, the 5-try limit kept in the store, and
// bad codes refused before the platform is asked.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock, type ManualClock } from '@tsy/sandbox';
import { parseBffConfig } from '../../src/index.js';
import { addOrder, api, bindPayerPhone, startMerchant, startSandbox, SYSID, testKeys, type Merchant, type Sandbox } from './support.js';

let clock: ManualClock;
let sandbox: Sandbox;
let merchant: Merchant;
let seq = 0;

before(async () => {
  clock = createManualClock(new Date());
  sandbox = await startSandbox({ clock });
  merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    clock,
    config: { methods: { BALANCE: { accountSetNo: '400193' }, QUICKPAY_TLT: {}, SCAN_WEIXIN: {} } },
  });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

interface SmsPayment {
  readonly bizOrderNo: string;
  readonly payer: string;
  readonly body: any;
}

/** A BALANCE payment (the sandbox sends its code to the payer's bound phone). */
async function smsPayment(options: { amount?: number; method?: string; extra?: Record<string, string> } = {}): Promise<SmsPayment> {
  const payer = `sms-${process.pid}-${++seq}`;
  await bindPayerPhone(merchant, sandbox.url, payer, `1391234${String(1000 + seq).slice(-4)}`);
  const order = addOrder(merchant, { amount: options.amount ?? 1500, payer: { bizUserId: payer } });
  const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: options.method ?? 'BALANCE', ...options.extra }, headers: { 'idempotency-key': `sms-${seq}` } });
  assert.equal(created.status, 201, created.text);
  return { bizOrderNo: created.body.bizOrderNo, payer, body: created.body };
}

/** The code the sandbox sent for a payment, newest first: what the payer reads on the phone. */
const codesOf = (bizOrderNo: string) => sandbox.state.sms.list().filter((m) => m.bizOrderNo === bizOrderNo);
const codeOf = (bizOrderNo: string) => codesOf(bizOrderNo)[0]!.code;
const wrongFor = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');
const confirm = (bizOrderNo: string, verificationCode: unknown) => api(merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode } });
const resend = (bizOrderNo: string) => api(merchant.url, `/api/checkout/payments/${bizOrderNo}/sms`, { method: 'POST' });
const platformState = (bizOrderNo: string) => sandbox.state.orders.get(bizOrderNo)!.state;
const stored = (bizOrderNo: string) => merchant.router.services.context.store.getPayment(bizOrderNo);

describe('the sms action', () => {
  it('carries resendAt (the interval after the code was sent), kept with the payment: a reload shows the same one', async () => {
    const before = clock();
    const { bizOrderNo, body } = await smsPayment();
    assert.equal(body.action.type, 'sms');
    assert.equal(body.action.resendAfter, undefined);
    assert.match(body.action.phone, /^139\*{4}\d{4}$/);
    assert.equal(body.action.resendAt, new Date(before.getTime() + 60_000).toISOString());
    clock.advance(20_000);
    const again = await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`);
    assert.equal(again.body.action.resendAt, body.action.resendAt, 'the countdown does not restart');
    assert.equal(again.body.serverTime, clock().toISOString());
    const order = await api(merchant.url, `/api/checkout/orders/${again.body.merchantOrderId}`);
    assert.equal(order.body.currentPayment.action.resendAt, body.action.resendAt);
  });

  it('the interval is the config’s, never under the platform’s 10 s', () => {
    const k = testKeys();
    const base = { sysid: SYSID, merchantKey: { pfxFile: k.merchantPfx, password: k.password }, platformCertFile: k.platformCer, sandboxUrl: 'http://127.0.0.1:9', publicBaseUrl: 'http://127.0.0.1:9' };
    assert.equal(parseBffConfig(base).limits.paymentSms.resendSeconds, 60);
    assert.equal(parseBffConfig({ ...base, limits: { paymentSms: { resendSeconds: 10 } } }).limits.paymentSms.resendSeconds, 10);
    assert.throws(() => parseBffConfig({ ...base, limits: { paymentSms: { resendSeconds: 9 } } }), /limits\.paymentSms\.resendSeconds: must be at least 10/);
  });
});

describe('resend', () => {
  it('too early: 429 with Retry-After and resendAt, and the platform is not asked', async () => {
    const { bizOrderNo, body } = await smsPayment();
    clock.advance(17_500);
    const early = await resend(bizOrderNo);
    assert.equal(early.status, 429);
    assert.equal(early.body.error.code, 'sms_resend_too_soon');
    assert.equal(early.headers.get('retry-after'), '43');
    assert.deepEqual(early.body.error.details, { resendAt: body.action.resendAt, serverTime: clock().toISOString() });
    assert.equal(codesOf(bizOrderNo).length, 1, 'no second message');
  });

  it('on time: the same code again while it is valid, resendAt renewed; the resent code pays', async () => {
    const { bizOrderNo } = await smsPayment();
    const first = codeOf(bizOrderNo);
    clock.advance(60_000);
    const sent = await resend(bizOrderNo);
    assert.equal(sent.status, 200, sent.text);
    assert.deepEqual(Object.keys(sent.body).sort(), ['phone', 'resendAt', 'serverTime']);
    assert.equal(sent.body.resendAt, new Date(clock().getTime() + 60_000).toISOString());
    assert.match(sent.body.phone, /^139\*{4}\d{4}$/);
    assert.equal(codesOf(bizOrderNo).length, 2);
    assert.equal(codeOf(bizOrderNo), first, 'spec §4.2.25: the code is still valid, so it is sent again');
    assert.equal((await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`)).body.action.resendAt, sent.body.resendAt, 'stored: a reload follows the new countdown');
    const again = await resend(bizOrderNo);
    assert.equal(again.status, 429);
    assert.equal(again.headers.get('retry-after'), '60');
    const paid = await confirm(bizOrderNo, codeOf(bizOrderNo));
    assert.equal(paid.status, 200, paid.text);
    assert.equal(paid.body.state, 'success');
  });

  it('two resends at once send one code', async () => {
    const { bizOrderNo } = await smsPayment();
    clock.advance(61_000);
    const answers = await Promise.all([resend(bizOrderNo), resend(bizOrderNo)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [200, 429]);
    assert.equal(codesOf(bizOrderNo).length, 2);
  });
});

describe('confirm', () => {
  it('a wrong code keeps the payment and says how many tries are left; the right one then pays', async () => {
    const { bizOrderNo } = await smsPayment();
    const code = codeOf(bizOrderNo);
    const wrong = await confirm(bizOrderNo, wrongFor(code));
    assert.equal(wrong.status, 422);
    assert.equal(wrong.body.error.code, 'sms_code_wrong');
    assert.equal(wrong.body.error.yunstCode, '20011');
    assert.deepEqual(wrong.body.error.details, { attemptsLeft: 4 });
    assert.match(wrong.body.error.message, /4 tries left/);
    const zh = await api(merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode: wrongFor(code, 2) }, headers: { 'accept-language': 'zh-CN' } });
    assert.match(zh.body.error.message, /还可尝试 3 次/);
    assert.equal((await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`)).body.state, 'pending');
    const paid = await confirm(bizOrderNo, code);
    assert.deepEqual([paid.status, paid.body.state, paid.body.settlement], [200, 'success', 'paid']);
    assert.equal(platformState(bizOrderNo), 'success');
    const late = await confirm(bizOrderNo, code);
    assert.deepEqual([late.status, late.body.error.code], [409, 'payment_not_pending']);
  });

  it('after 5 wrong codes the BFF refuses (429 sms_attempts_exhausted) without asking the platform — even the right code', async () => {
    const { bizOrderNo } = await smsPayment();
    const code = codeOf(bizOrderNo);
    const left: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const wrong = await confirm(bizOrderNo, wrongFor(code, i));
      assert.equal(wrong.body.error.code, 'sms_code_wrong');
      left.push(wrong.body.error.details.attemptsLeft);
    }
    assert.deepEqual(left, [4, 3, 2, 1, 0]);
    const refused = await confirm(bizOrderNo, code);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error.code, 'sms_attempts_exhausted');
    assert.equal(platformState(bizOrderNo), 'unpaid', 'the right code never reached the platform');
    assert.equal(codesOf(bizOrderNo)[0]!.usedAt, undefined);
    clock.advance(61_000);
    const sent = codesOf(bizOrderNo).length;
    const again = await resend(bizOrderNo);
    assert.equal(again.status, 429, 'no new code for a payment out of tries');
    assert.equal(again.body.error.code, 'sms_attempts_exhausted');
    assert.equal(codesOf(bizOrderNo).length, sent, 'no SMS was sent');
    assert.equal((await confirm(bizOrderNo, codeOf(bizOrderNo))).body.error.code, 'sms_attempts_exhausted', 'the payment is done for');
    assert.equal((await stored(bizOrderNo))!.smsAttempts, 5);
  });

  it('two confirms at once cannot both have the last try', async () => {
    const { bizOrderNo } = await smsPayment();
    const code = codeOf(bizOrderNo);
    for (let i = 1; i <= 4; i++) await confirm(bizOrderNo, wrongFor(code, i));
    const answers = await Promise.all([confirm(bizOrderNo, wrongFor(code, 7)), confirm(bizOrderNo, wrongFor(code, 8)), confirm(bizOrderNo, code)]);
    const codes = answers.map((a) => a.body.error?.code ?? a.body.state);
    assert.equal(codes.filter((c) => c === 'sms_attempts_exhausted').length, 2, JSON.stringify(codes));
    assert.equal((await stored(bizOrderNo))!.smsAttempts, 5);
  });

  it('an expired code asks for a new one (nothing sent); the new code pays', async () => {
    const { bizOrderNo } = await smsPayment();
    const old = codeOf(bizOrderNo);
    clock.advance(3 * 60_000);
    const expired = await confirm(bizOrderNo, old);
    assert.equal(expired.status, 422);
    assert.equal(expired.body.error.code, 'sms_code_expired');
    assert.match(expired.body.error.message, /new one/);
    assert.equal(platformState(bizOrderNo), 'unpaid');
    assert.equal((await stored(bizOrderNo))!.smsAttempts, 0, 'an expired code was no guess');
    const sent = await resend(bizOrderNo);
    assert.equal(sent.status, 200);
    const fresh = codeOf(bizOrderNo);
    assert.notEqual(fresh, old, 'past its validity the platform sends a new code');
    assert.equal((await stored(bizOrderNo))!.smsCodeExpiresAt, new Date(clock().getTime() + 3 * 60_000).toISOString());
    const paid = await confirm(bizOrderNo, fresh);
    assert.equal(paid.body.state, 'success');
  });

  it('a resend within the validity keeps the code’s expiry (the same code): it expires 3 minutes after the first send', async () => {
    const { bizOrderNo } = await smsPayment();
    const code = codeOf(bizOrderNo);
    clock.advance(90_000);
    assert.equal((await resend(bizOrderNo)).status, 200);
    clock.advance(90_000);
    const expired = await confirm(bizOrderNo, code);
    assert.equal(expired.body.error.code, 'sms_code_expired');
  });

  it('the platform’s fail: the payment fails with its reason', async () => {
    // QUICKPAY_TLT test amount 10 yuan: 发卡行不支持此交易 (spec §5.2).
    const { bizOrderNo } = await smsPayment({ amount: 1000, method: 'QUICKPAY_TLT', extra: { bankCardNo: '6228480402637874214' } });
    const failed = await confirm(bizOrderNo, codeOf(bizOrderNo));
    assert.equal(failed.status, 200, failed.text);
    assert.deepEqual([failed.body.state, failed.body.failure.message], ['failed', '发卡行不支持此交易']);
  });

  it('an empty, non-numeric or malformed code: 400 sms_code_invalid in zh and en, nothing sent, no try taken', async () => {
    const { bizOrderNo } = await smsPayment();
    for (const bad of ['', 'abcdef', '12a456', ' 123456', 123456, null, '1234567890']) {
      const answer = await confirm(bizOrderNo, bad);
      assert.equal(answer.status, 400, `${JSON.stringify(bad)}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'sms_code_invalid');
      assert.equal(answer.body.error.message, 'Enter the digits of the SMS code');
    }
    const zh = await api(merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: {}, headers: { 'accept-language': 'zh-CN' } });
    assert.deepEqual([zh.status, zh.body.error.code, zh.body.error.message], [400, 'sms_code_invalid', '请输入短信验证码(数字)']);
    assert.equal((await stored(bizOrderNo))!.smsAttempts, 0);
    assert.equal(platformState(bizOrderNo), 'unpaid');
  });

  it('a payment that is not an SMS one, or not pending: a clear 409', async () => {
    const payer = `sms-qr-${process.pid}`;
    await bindPayerPhone(merchant, sandbox.url, payer, '13912349999');
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    const qr = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    const answer = await confirm(qr.body.bizOrderNo, '123456');
    assert.deepEqual([answer.status, answer.body.error.code], [409, 'wrong_step']);
    assert.deepEqual([(await resend(qr.body.bizOrderNo)).status], [409]);
  });
});
