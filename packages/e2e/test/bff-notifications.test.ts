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
function notification(
  fields: { bizOrderNo: string; orderNo: string; amount: number; method?: string; buyerBizUserId?: string; extendInfo?: string },
  key: MerchantKey = platform,
  tamper?: (body: Record<string, string>) => void,
): string {
  const rps = JSON.stringify({
    service: 'OrderService',
    method: fields.method ?? 'pay',
    status: 'OK',
    returnValue: {
      orderNo: fields.orderNo,
      bizOrderNo: fields.bizOrderNo,
      amount: fields.amount,
      payDatetime: formatCstTimestamp(),
      buyerBizUserId: fields.buyerBizUserId ?? `notify-${process.pid}`,
      ...(fields.extendInfo === undefined ? {} : { extendInfo: fields.extendInfo }),
    },
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
      // The signature covers "a+b"; a body whose plus arrives unencoded decodes to "a b", which the platform never signed.
      'a literal plus sent as +': (() => {
        const body = notification({ ...payment, amount: 990, extendInfo: 'a+b' });
        assert.ok(body.includes('a%2Bb'), 'a plus in a value is sent %2B-encoded');
        return body.replace('a%2Bb', 'a+b');
      })(),
      'rps.method is not pay': notification({ ...payment, amount: 990, method: 'refund' }),
      'rps.service is not OrderService': notification({ ...payment, amount: 990 }, platform, (body) => {
        body.rps = body.rps!.replace('"service":"OrderService"', '"service":"MemberService"');
        body.sign = signSource(SYSID + body.rps + body.timestamp, platform);
      }),
      'another payer than the payment’s': notification({ ...payment, amount: 990, buyerBizUserId: 'someone-else' }),
      'another platform orderNo than the payment’s': notification({ ...payment, orderNo: `${payment.orderNo}9`, amount: 990 }),
    };
    for (const [what, body] of Object.entries(forgeries)) {
      const answer = await postNotify(body);
      assert.ok(answer.status >= 400 && answer.status < 500, `${what}: HTTP ${answer.status}`);
      assert.equal(await stateOf(payment.bizOrderNo), 'pending', what);
      assert.doesNotMatch(answer.text, new RegExp(SYSID), `${what}: the answer does not echo our sysid`);
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

  it('form encoding: a + is a space and %2B a plus, decoded before the signature is checked', async () => {
    const payment = await pendingPayment();
    const body = notification({ ...payment, amount: 990, extendInfo: 'a+b c' });
    // payDatetime ("2026-… 14:00:00") and extendInfo's space travel as +, its plus as %2B: both must verify as signed.
    assert.match(body, /a%2Bb\+c/);
    assert.match(decodeURIComponent(body.split('timestamp=')[1]!.split('&')[0]!), /\d\+\d/, 'the timestamp’s space is sent as +');
    const answer = await postNotify(body);
    assert.equal(answer.status, 200, answer.text);
    assert.equal(await stateOf(payment.bizOrderNo), 'success');
  });

  it('a verified success for another amount than the payment’s is money that moved: kept with its evidence, raised, not a plain success', async () => {
    const payment = await pendingPayment(990);
    const body = notification({ ...payment, amount: 1 });
    const answer = await postNotify(body);
    assert.equal(answer.status, 200, 'stored, so the platform need not send it again');
    const stored = (await stack.merchant.router.services.context.store.getPayment(payment.bizOrderNo))!;
    assert.deepEqual([stored.state, stored.settlement, stored.reportedAmount], ['success', 'amount_differs', 1]);
    const events = await stack.merchant.router.services.context.store.listPaymentEvents(payment.bizOrderNo, 0);
    const differs = events.find((event) => event.type === 'payment.amount_differs');
    assert.ok(differs, 'a payment.amount_differs event');
    assert.equal(differs.evidence, body, 'with the signed notification as evidence');
    assert.equal(events.some((event) => event.type === 'payment.amount_mismatch'), false, 'not the re-priced-order event');
    const view = await api(stack.merchant.url, `/api/checkout/payments/${payment.bizOrderNo}`);
    assert.deepEqual([view.body.state, view.body.settlement], ['success', 'amount_differs']);
    const order = await stack.merchant.router.services.context.store.getMerchantOrder(stored.merchantOrderId);
    assert.equal(order?.paidBizOrderNo, null, 'the merchant order is not paid by it');
    const delivered = await eventually(() => stack.merchant.events.find((event) => event.bizOrderNo === payment.bizOrderNo && event.type === 'payment.amount_differs'));
    assert.deepEqual([delivered.settlement, delivered.reportedAmount, delivered.amount], ['amount_differs', 1, 990]);
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
