// SMS-confirmed payments (BALANCE, spec §4.2.8) through the BFF against the sandbox.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_RECONCILIATION, addOrder, api, bindPayerPhone, latestSmsCode, useCheckoutStack } from '../src/harness.js';

const stack = useCheckoutStack({ reconciliation: NO_RECONCILIATION });
let seq = 0;

async function smsPayment(): Promise<{ phone: string; bizOrderNo: string; body: any }> {
  const payer = `sms-${process.pid}-${++seq}`;
  const phone = `1370000${String(seq).padStart(4, '0')}`;
  await bindPayerPhone(stack.merchant.url, stack.sandbox.url, payer, phone);
  const order = addOrder(stack.merchant, payer, 2500);
  const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'BALANCE' } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { phone, bizOrderNo: created.body.bizOrderNo, body: created.body };
}

describe('SMS-confirmed payment', () => {
  it('create → code from the sandbox inbox → confirm → success', async () => {
    const { phone, bizOrderNo, body } = await smsPayment();
    assert.equal(body.action.type, 'sms');
    assert.equal(body.action.phone, `${phone.slice(0, 3)}****${phone.slice(-4)}`);
    assert.ok(Math.abs(Date.parse(body.action.resendAt) - Date.parse(body.serverTime) - 60_000) < 2000, `resendAt ${body.action.resendAt}: the kit's 60 s`);
    const code = await latestSmsCode(stack.sandbox.url, phone);
    const confirmed = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode: code } });
    assert.equal(confirmed.status, 200, JSON.stringify(confirmed.body));
    assert.equal(confirmed.body.state, 'success');
    assert.ok(!JSON.stringify(confirmed.body).includes(code), 'the successful confirm does not echo the code');
    const events = await stack.merchant.router.services.context.store.listPaymentEvents(bizOrderNo, 0);
    assert.equal(events.at(-1)!.source, 'pay');
  });

  it('a wrong code is an error with the spec’s code and the payment stays pending; the right code still works', async () => {
    const { phone, bizOrderNo } = await smsPayment();
    const code = await latestSmsCode(stack.sandbox.url, phone);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode: wrong } });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.code, 'sms_code_wrong');
    assert.equal(refused.body.error.yunstCode, '20011');
    assert.deepEqual(refused.body.error.details, { attemptsLeft: 4 });
    assert.ok(!JSON.stringify(refused.body).includes(wrong), 'the refusal does not echo the code');
    assert.equal((await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}`)).body.state, 'pending');
    const ok = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode: code } });
    assert.equal(ok.body.state, 'success');
  });

  it('a resend before the kit’s interval is refused clearly (429 with resendAt; Retry-After: the BFF’s tests); the code is never echoed by the API', async () => {
    const { bizOrderNo, phone, body } = await smsPayment();
    const tooSoon = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}/sms`, { method: 'POST' });
    assert.equal(tooSoon.status, 429);
    assert.equal(tooSoon.body.error.code, 'sms_resend_too_soon');
    assert.equal(tooSoon.body.error.details.resendAt, body.action.resendAt);
    assert.match(tooSoon.body.error.message, /later/i);
    const code = await latestSmsCode(stack.sandbox.url, phone);
    assert.ok(!JSON.stringify(tooSoon.body).includes(code));
  });

  it('confirm on a payment that does not take an SMS code, or with a malformed code, is refused', async () => {
    const { bizOrderNo } = await smsPayment();
    const malformed = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode: 'abc' } });
    assert.equal(malformed.status, 400);
    const payer = `sms-scan-${process.pid}`;
    await bindPayerPhone(stack.merchant.url, stack.sandbox.url, payer, '13700009999');
    const scan = await api(stack.merchant.url, `/api/checkout/orders/${addOrder(stack.merchant, payer)}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    const wrongStep = await api(stack.merchant.url, `/api/checkout/payments/${scan.body.bizOrderNo}/confirm`, { body: { verificationCode: '123456' } });
    assert.equal(wrongStep.status, 409);
    assert.equal(wrongStep.body.error.code, 'wrong_step');
  });
});
