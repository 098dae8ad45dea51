// The BFF's checkout API against the sandbox over real HTTP, with SQLite on disk: scan-to-pay end to end.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadPlatformKey, verifyNotification } from '@tsy/yunst';
import { NO_RECONCILIATION, addOrder, api, bindPayerPhone, eventually, readStateEvents, testKeys, useCheckoutStack, walletAction } from '../src/harness.js';

// No reconciliation here: success must be learnt from the notification itself.
const stack = useCheckoutStack({ reconciliation: NO_RECONCILIATION });
let phoneSeq = 0;
async function payerWithPhone(name: string): Promise<string> {
  const payer = `${name}-${process.pid}`;
  await bindPayerPhone(stack.merchant.url, stack.sandbox.url, payer, `1390000${String(++phoneSeq).padStart(4, '0')}`);
  return payer;
}
const storeEvents = (bizOrderNo: string) => stack.merchant.router.services.context.store.listPaymentEvents(bizOrderNo, 0);

describe('scan-to-pay', () => {
  it('describes the order: amount from the stack.merchant, methods usable here, payer phone state', async () => {
    const order = addOrder(stack.merchant, `fresh-${process.pid}`, 4321);
    const { status, body } = await api(stack.merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(status, 200);
    assert.equal(body.amount, 4321);
    assert.equal(body.paid, false);
    assert.equal(body.payer.phoneBound, false);
    assert.ok(!Number.isNaN(Date.parse(body.serverTime)));
    const wechat = body.methods.find((m: { method: string }) => m.method === 'WECHAT_PUBLIC');
    assert.deepEqual([wechat.usable, wechat.reason], [false, 'open_in_wechat']);
    assert.equal(body.methods.find((m: { method: string }) => m.method === 'SCAN_WEIXIN').usable, true);
    const inWechat = await api(stack.merchant.url, `/api/checkout/orders/${order}`, { headers: { 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50' } });
    assert.equal(inWechat.body.environment, 'wechat');
    assert.equal(inWechat.body.methods.find((m: { method: string }) => m.method === 'WECHAT_PUBLIC').reason, 'payer_account_missing');
  });

  it('a payer without a bound phone is asked to bind one, in the request’s language', async () => {
    const order = addOrder(stack.merchant, `nophone-${process.pid}`);
    const en = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(en.status, 409);
    assert.equal(en.body.error.code, 'payer_phone_required');
    assert.match(en.body.error.message, /phone/);
    const zh = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    assert.equal(zh.body.error.message, '请先绑定手机号');
  });

  it('create → QR → the wallet pays → verified notification → success, streamed over SSE and delivered once', async () => {
    const payer = await payerWithPhone('scan');
    const order = addOrder(stack.merchant, payer, 1234);
    const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(created.status, 201);
    assert.equal(created.body.state, 'pending');
    assert.equal(created.body.action.type, 'qr');
    assert.match(created.body.action.payInfo, /\/sandbox\/wallet\//);
    const { bizOrderNo } = created.body;

    const stream = readStateEvents(`${stack.merchant.url}/api/checkout/payments/${bizOrderNo}/events`, (data) => data.state === 'success');
    // Give the stream a moment to connect so it sees the change live, not only from history.
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(await walletAction(created.body.action.payInfo, 'pay'), 200);
    const received = await stream;
    assert.deepEqual(received.map((event) => event.data.state), ['pending', 'success']);
    assert.ok(received.every((event) => event.id !== undefined));

    const events = await storeEvents(bizOrderNo);
    const success = events.find((event) => event.state === 'success')!;
    assert.equal(success.source, 'notification');
    // The raw signed notification is kept with the event: it still verifies, and it is about this payment.
    const kept = verifyNotification(success.evidence ?? '', loadPlatformKey(testKeys().platformCer));
    assert.equal((kept.value.returnValue as { bizOrderNo: string }).bizOrderNo, bizOrderNo);

    const view = await api(stack.merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(view.body.paid, true);
    assert.equal(view.body.paidBizOrderNo, bizOrderNo);

    const delivered = await eventually(() => {
      const mine = stack.merchant.events.filter((event) => event.bizOrderNo === bizOrderNo);
      return mine.length === 2 ? mine : undefined;
    });
    assert.deepEqual(delivered.map((event) => event.type), ['payment.pending', 'payment.succeeded']);
    assert.equal(delivered[1]!.amount, 1234);

    const again = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'order_paid');
  });

  it('SSE resumes after Last-Event-ID without repeating what the client saw', async () => {
    const payer = await payerWithPhone('resume');
    const order = addOrder(stack.merchant, payer);
    const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_ALIPAY' } });
    const url = `${stack.merchant.url}/api/checkout/payments/${created.body.bizOrderNo}/events`;
    const first = await readStateEvents(url, () => true);
    assert.equal(first[0]!.data.state, 'pending');
    await walletAction(created.body.action.payInfo, 'pay');
    const resumed = await readStateEvents(url, (data) => data.state === 'success', { 'last-event-id': first[0]!.id! });
    assert.deepEqual(resumed.map((event) => event.data.state), ['success']);
  });

  it('an amount (or payee) sent by the browser is ignored: the merchant’s amount is what the platform gets', async () => {
    const payer = await payerWithPhone('amount');
    const order = addOrder(stack.merchant, payer, 8800);
    const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN', amount: 1, recieverId: 'attacker', payMethod: { SCAN_WEIXIN: { amount: 1 } } } });
    assert.equal(created.status, 201);
    assert.equal(created.body.amount, 8800);
    const atPlatform = stack.sandbox.sandbox.state.orders.get(created.body.bizOrderNo)!;
    assert.equal(atPlatform.amount, 8800);
    assert.equal((atPlatform.payMethod.SCAN_WEIXIN as { amount: number }).amount, 8800);
  });

  it('an Idempotency-Key makes a retried create return the same attempt', async () => {
    const payer = await payerWithPhone('idem');
    const order = addOrder(stack.merchant, payer);
    const headers = { 'idempotency-key': `retry-${Date.now()}` };
    const [a, b] = await Promise.all([
      api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers }),
      api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers }),
    ]);
    assert.equal(a.body.bizOrderNo, b.body.bizOrderNo);
    const c = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers });
    assert.equal(c.body.bizOrderNo, a.body.bizOrderNo);
  });

  it('an Idempotency-Key reused for another method is a conflict, not the earlier attempt', async () => {
    const payer = await payerWithPhone('idem-conflict');
    const order = addOrder(stack.merchant, payer);
    const headers = { 'idempotency-key': `conflict-${Date.now()}` };
    await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers });
    const other = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_ALIPAY' }, headers });
    assert.equal(other.status, 422);
    assert.equal(other.body.error.code, 'idempotency_conflict');
  });

  it('a payment made at an old price does not pay a re-priced order: flagged for refund, not offered again', async () => {
    const payer = await payerWithPhone('repriced');
    const order = addOrder(stack.merchant, payer, 100);
    const cheap = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    stack.merchant.orders.set(order, { ...stack.merchant.orders.get(order)!, amount: 500_000 });
    const view = await api(stack.merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(view.body.amount, 500_000);
    assert.equal(view.body.currentPayment, null, 'the ¥1 QR is not offered for a ¥5,000 order');
    await walletAction(cheap.body.action.payInfo, 'pay');
    const flagged = await eventually(() => stack.merchant.events.find((event) => event.bizOrderNo === cheap.body.bizOrderNo && event.type === 'payment.amount_mismatch'));
    assert.match(flagged.message ?? '', /refund/);
    assert.equal((await api(stack.merchant.url, `/api/checkout/orders/${order}`)).body.paid, false);
  });

  it('a reloaded page finds the pending attempt; a new attempt supersedes it, yet a late success of the old one counts and a second one is flagged', async () => {
    const payer = await payerWithPhone('double');
    const order = addOrder(stack.merchant, payer, 500);
    const first = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    const reloaded = await api(stack.merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(reloaded.body.currentPayment.bizOrderNo, first.body.bizOrderNo);
    assert.equal(reloaded.body.currentPayment.action.type, 'qr');

    const second = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_ALIPAY' } });
    assert.equal((await api(stack.merchant.url, `/api/checkout/orders/${order}`)).body.currentPayment.bizOrderNo, second.body.bizOrderNo);

    await walletAction(first.body.action.payInfo, 'pay');
    await eventually(async () => ((await api(stack.merchant.url, `/api/checkout/payments/${first.body.bizOrderNo}`)).body.state === 'success' ? true : undefined));
    await walletAction(second.body.action.payInfo, 'pay');
    await eventually(async () => ((await api(stack.merchant.url, `/api/checkout/payments/${second.body.bizOrderNo}`)).body.state === 'success' ? true : undefined));

    const orderView = await api(stack.merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(orderView.body.paidBizOrderNo, first.body.bizOrderNo);
    const flagged = await eventually(() => stack.merchant.events.find((event) => event.bizOrderNo === second.body.bizOrderNo && event.type === 'payment.double_paid'));
    assert.match(flagged.message ?? '', /refund/);
  });

  it('a payer backing out leaves the payment pending; a channel failure is found by asking the platform', async () => {
    const payer = await payerWithPhone('fail');
    const order = addOrder(stack.merchant, payer);
    const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    await walletAction(created.body.action.payInfo, 'cancel');
    assert.equal((await api(stack.merchant.url, `/api/checkout/payments/${created.body.bizOrderNo}`)).body.state, 'pending');
    await walletAction(created.body.action.payInfo, 'fail');
    // Consumption failures are not notified (spec §3.7): only getOrderDetail reveals them.
    const checked = await stack.merchant.router.services.reconciler.check((await stack.merchant.router.services.context.store.getPayment(created.body.bizOrderNo))!);
    assert.equal(checked.state, 'failed');
    const view = await api(stack.merchant.url, `/api/checkout/payments/${created.body.bizOrderNo}`);
    assert.equal(view.body.state, 'failed');
    assert.ok(view.body.failure.message);
  });

  it('unknown orders and payments are 404 with a stable code; a malformed body is 400', async () => {
    assert.equal((await api(stack.merchant.url, '/api/checkout/orders/NOPE')).body.error.code, 'not_found');
    assert.equal((await api(stack.merchant.url, '/api/checkout/payments/NOPE')).status, 404);
    const bad = await fetch(`${stack.merchant.url}/api/checkout/orders/NOPE/payments`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"method":' });
    assert.equal(bad.status, 400);
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'bad_request');
    const order = addOrder(stack.merchant, `x-${process.pid}`);
    const unknownMethod = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'BITCOIN' } });
    assert.equal(unknownMethod.status, 400);
    assert.equal(unknownMethod.body.error.code, 'validation');
  });
});
