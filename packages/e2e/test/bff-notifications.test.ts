// The BFF's /yunst/notify and /yunst/return: nothing is believed before it verifies, replays change nothing.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { formatCstTimestamp, loadMerchantKey, signSource, type MerchantKey } from '@tsy/yunst';
import { NO_RECONCILIATION, SYSID, addOrder, api, bindPayerPhone, eventually, testKeys, useCheckoutStack } from '../src/harness.js';

const stack = useCheckoutStack({ reconciliation: NO_RECONCILIATION });
let platform: MerchantKey;
const stranger: MerchantKey = { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };


async function pendingPayment(amount = 990): Promise<{ bizOrderNo: string; orderNo: string }> {
  const order = addOrder(stack.merchant, `notify-${process.pid}`, amount);
  const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
  const payment = await stack.merchant.router.services.context.store.getPayment(created.body.bizOrderNo);
  return { bizOrderNo: created.body.bizOrderNo, orderNo: payment!.orderNo! };
}

/** A notification as the platform sends it (spec §4.2.15), signed over sysid + rps + timestamp. */
function notification(fields: { bizOrderNo: string; orderNo: string; amount: number }, key: MerchantKey = platform, tamper?: (body: Record<string, string>) => void): string {
  const rps = JSON.stringify({
    service: 'OrderService',
    method: 'pay',
    status: 'OK',
    returnValue: { orderNo: fields.orderNo, bizOrderNo: fields.bizOrderNo, amount: fields.amount, payDatetime: formatCstTimestamp(), buyerBizUserId: `notify-${process.pid}` },
  });
  const timestamp = formatCstTimestamp();
  const body: Record<string, string> = { sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, key) };
  tamper?.(body);
  return new URLSearchParams(body).toString();
}

async function postNotify(body: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`${stack.merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  return { status: response.status, text: await response.text() };
}

const stateOf = async (bizOrderNo: string) => (await stack.merchant.router.services.context.store.getPayment(bizOrderNo))!.state;

describe('notifications', () => {
  // Inside the suite: it runs after the stack's own set-up.
  before(async () => {
    platform = loadMerchantKey(testKeys().platformKey);
    await bindPayerPhone(stack.merchant.url, stack.sandbox.url, `notify-${process.pid}`, '13600000001');
  });

  it('forged notifications are refused with 4xx and change nothing', async () => {
    const payment = await pendingPayment();
    const forgeries = {
      'signed with another key': notification({ ...payment, amount: 990 }, stranger),
      'rps changed after signing': notification({ ...payment, amount: 990 }, platform, (body) => (body.rps = body.rps!.replace('"status":"OK"', '"status":"OK" '))),
      'no sign': notification({ ...payment, amount: 990 }, platform, (body) => delete body.sign),
      'another sysid': notification({ ...payment, amount: 990 }, platform, (body) => (body.sysid = '1')),
      '+ left encoded as a literal': notification({ ...payment, amount: 990 }).replace('timestamp=', 'timestamp=x'),
    };
    for (const [what, body] of Object.entries(forgeries)) {
      const answer = await postNotify(body);
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: HTTP ${answer.status}`);
      assert.equal(await stateOf(payment.bizOrderNo), 'pending', what);
    }
    assert.equal((await stack.merchant.router.services.context.store.listPaymentEvents(payment.bizOrderNo, 0)).length, 1, 'only the pending event');
  });

  it('a verified notification is applied once: the replay answers 200 and changes nothing', async () => {
    const payment = await pendingPayment();
    const body = notification({ ...payment, amount: 990 });
    const first = await postNotify(body);
    assert.equal(first.status, 200);
    assert.equal(await stateOf(payment.bizOrderNo), 'success');
    for (let i = 0; i < 3; i++) assert.equal((await postNotify(body)).status, 200);
    const events = await stack.merchant.router.services.context.store.listPaymentEvents(payment.bizOrderNo, 0);
    assert.deepEqual(events.map((event) => event.state), ['pending', 'success']);
    assert.equal(events[1]!.evidence, body, 'the raw signed body is stored with the event');
    const delivered = await eventually(() => {
      const mine = stack.merchant.deliveries.filter((event) => event.bizOrderNo === payment.bizOrderNo && event.type === 'payment.succeeded');
      return mine.length > 0 ? mine : undefined;
    });
    assert.equal(delivered.length, 1);
  });

  it('a notification whose amount differs from the stored payment is refused', async () => {
    const payment = await pendingPayment(990);
    const answer = await postNotify(notification({ ...payment, amount: 1 }));
    assert.equal(answer.status, 409);
    assert.equal(await stateOf(payment.bizOrderNo), 'pending');
  });

  it('a notification for a payment that is not ours is not acknowledged', async () => {
    const answer = await postNotify(notification({ bizOrderNo: 'TSY-NOT-OURS', orderNo: '1', amount: 990 }));
    assert.equal(answer.status, 404);
  });

  it('onPaymentEvent is retried until it succeeds, and each event id reaches the merchant once', async () => {
    stack.merchant.failNextDeliveries(2);
    const payment = await pendingPayment();
    await postNotify(notification({ ...payment, amount: 990 }));
    const mine = await eventually(() => {
      const events = stack.merchant.events.filter((event) => event.bizOrderNo === payment.bizOrderNo);
      return events.length === 2 ? events : undefined;
    });
    assert.deepEqual(mine.map((event) => event.type), ['payment.pending', 'payment.succeeded'], 'in order per payment');
    const attempts = stack.merchant.deliveries.filter((event) => event.bizOrderNo === payment.bizOrderNo);
    assert.ok(attempts.length >= 3, 'the failed deliveries were retried');
    assert.equal(new Set(mine.map((event) => event.id)).size, 2);
  });

  it('a verified page return applies and redirects to the result page with the verified state', async () => {
    const payment = await pendingPayment();
    const body = notification({ ...payment, amount: 990 });
    const response = await fetch(`${stack.merchant.url}/yunst/return?${body}`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    const location = new URL(response.headers.get('location')!);
    assert.equal(location.pathname, '/checkout/result');
    assert.equal(location.searchParams.get('bizOrderNo'), payment.bizOrderNo);
    assert.equal(location.searchParams.get('state'), 'success');
  });

  it('a forged page return sends the person to the result page with state unknown, and changes nothing', async () => {
    const payment = await pendingPayment();
    const forged = await fetch(`${stack.merchant.url}/yunst/return?${notification({ ...payment, amount: 990 }, stranger)}`, { redirect: 'manual' });
    assert.equal(forged.status, 303);
    assert.equal(new URL(forged.headers.get('location')!).searchParams.get('state'), 'unknown');
    assert.equal(await stateOf(payment.bizOrderNo), 'pending');
  });

  it('a signedValue-form return (it covers neither sysid nor amount) only makes the BFF ask the platform', async () => {
    const payment = await pendingPayment();
    // Genuinely signed by the platform key — as another merchant of the same platform could hold one for this bizOrderNo.
    const signedValue = JSON.stringify({ payStatus: 'success', bizUserId: 'x', bizOrderNo: payment.bizOrderNo });
    const body = new URLSearchParams({ sysid: '999', signedValue, sign: signSource(signedValue, platform), status: 'OK' }).toString();
    const response = await fetch(`${stack.merchant.url}/yunst/return?${body}`, { redirect: 'manual' });
    assert.equal(response.status, 303);
    assert.equal(new URL(response.headers.get('location')!).searchParams.get('state'), 'pending', 'the platform says unpaid');
    assert.equal(await stateOf(payment.bizOrderNo), 'pending');
  });

  it('a notification without an amount, or reporting a failure, is not taken as a fact', async () => {
    const payment = await pendingPayment();
    const noAmount = notification({ ...payment, amount: 990 }, platform, (body) => {
      const rps = JSON.parse(body.rps!);
      delete rps.returnValue.amount;
      body.rps = JSON.stringify(rps);
      body.sign = signSource(SYSID + body.rps + body.timestamp, platform);
    });
    assert.equal((await postNotify(noAmount)).status, 400);
    const failure = notification({ ...payment, amount: 990 }, platform, (body) => {
      body.rps = body.rps!.replace('"status":"OK"', '"status":"error","errorCode":"40006","message":"支付失败"');
      body.sign = signSource(SYSID + body.rps + body.timestamp, platform);
    });
    assert.equal((await postNotify(failure)).status, 200);
    assert.equal(await stateOf(payment.bizOrderNo), 'pending', 'getOrderDetail says the order is still unpaid');
  });
});
