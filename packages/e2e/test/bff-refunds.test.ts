// Refunds (spec §4.2.16) through the BFF against the sandbox over real HTTP, SQLite on disk: the admin API behind its Bearer
// secret, full and partial refunds, an over-refund refused, a double payment given back by refund-flagged, and forged refund
// notifications refused. No reconciliation: a refund's outcome must come from the platform's answer and its notification.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatCstTimestamp, loadMerchantKey, signSource } from '@tsy/yunst';
import { NO_RECONCILIATION, SYSID, addOrder, api, bindPayerPhone, cleanup, eventually, startMerchant, tempDir, testKeys, useCheckoutStack, walletAction } from '../src/harness.js';

const SECRET = 'refund-admin-secret-of-this-test-0123456789';
const stack = useCheckoutStack({ reconciliation: NO_RECONCILIATION, admin: { secret: SECRET } });
const admin = (path: string, init: { method?: string; body?: unknown; key?: string; secret?: string | null } = {}) =>
  api(stack.merchant.url, `/api/admin${path}`, {
    ...(init.method ? { method: init.method } : {}),
    ...(init.body === undefined ? {} : { body: init.body }),
    headers: { ...(init.secret === null ? {} : { authorization: `Bearer ${init.secret ?? SECRET}` }), ...(init.key ? { 'idempotency-key': init.key } : {}) },
  });
const store = () => stack.merchant.router.services.context.store;

let seq = 0;
/** A payment of `amount` fen paid by scanning (SCAN_WEIXIN: its refund goes back to the channel, D0 by default). */
async function paidPayment(amount: number, payer = `refund-${process.pid}-${++seq}`): Promise<{ bizOrderNo: string; order: string; payer: string }> {
  if (!(await store().getMember(payer))?.phone) await bindPayerPhone(stack.merchant.url, stack.sandbox.url, payer, `1350000${String(seq).padStart(4, '0')}`);
  const order = addOrder(stack.merchant, payer, amount);
  const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'x-test-payer': payer } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  await walletAction(created.body.action.payInfo, 'pay');
  await eventually(async () => ((await store().getPayment(created.body.bizOrderNo))?.state === 'success' ? true : undefined), 5000, 'the payment succeeded');
  return { bizOrderNo: created.body.bizOrderNo, order, payer };
}

const refundState = (bizOrderNo: string, want: string) =>
  eventually(async () => ((await store().getPayment(bizOrderNo))?.state === want ? true : undefined), 8000, `refund ${bizOrderNo} ${want}`);

describe('refunds', () => {
  it('the admin API is only for the merchant’s secret; off when none is configured', async () => {
    const paid = await paidPayment(300);
    assert.equal((await admin(`/payments/${paid.bizOrderNo}/refunds`, { secret: null })).status, 401);
    const wrong = await admin(`/payments/${paid.bizOrderNo}/refunds`, { secret: `${SECRET}x` });
    assert.equal(wrong.status, 401);
    assert.equal(wrong.body.error.code, 'admin_unauthorized');
    assert.equal((await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'x' }, key: 'k', secret: 'short' })).status, 401);
    assert.equal((await store().listRefunds(paid.bizOrderNo)).length, 0, 'nothing refunded without the secret');
    const dir = tempDir('tsy-e2e-noadmin-');
    const plain = await startMerchant({ sandboxUrl: stack.sandbox.url, dataDir: dir });
    try {
      // Not the router's path at all: the host app's own 404 (here Express's), as for any path it does not serve.
      const off = await fetch(`${plain.url}/api/admin/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', headers: { authorization: `Bearer ${SECRET}`, 'idempotency-key': 'k', 'content-type': 'application/json' }, body: '{"reason":"x"}' });
      assert.equal(off.status, 404);
      await off.arrayBuffer();
      assert.equal((await store().listRefunds(paid.bizOrderNo)).length, 0);
    } finally {
      await plain.close();
      cleanup(dir);
    }
  });

  it('a full refund: stored, pending at the platform, then its verified notification; refund.* events; the view shows it', async () => {
    const paid = await paidPayment(1234);
    const made = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'customer returned the tea' }, key: 'full-1' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    assert.deepEqual([made.body.oriBizOrderNo, made.body.amount, made.body.feeAmount, made.body.reason], [paid.bizOrderNo, 1234, 0, 'customer returned the tea']);
    const row = await store().getPayment(made.body.bizOrderNo);
    assert.ok(row?.requestRaw?.includes('"method":"refund"'), 'the signed request is kept as evidence');
    await refundState(made.body.bizOrderNo, 'success');
    const events = stack.merchant.events.filter((event) => event.bizOrderNo === made.body.bizOrderNo);
    await eventually(() => (stack.merchant.events.some((event) => event.bizOrderNo === made.body.bizOrderNo && event.type === 'refund.succeeded') ? true : undefined));
    const delivered = stack.merchant.events.filter((event) => event.bizOrderNo === made.body.bizOrderNo);
    assert.ok(delivered.every((event) => event.oriBizOrderNo === paid.bizOrderNo && event.merchantOrderId === paid.order), JSON.stringify(events));
    assert.equal(delivered.at(-1)?.type, 'refund.succeeded');
    const view = await api(stack.merchant.url, `/api/checkout/payments/${paid.bizOrderNo}`, { headers: { 'x-test-payer': paid.payer } });
    assert.equal(view.body.refundedAmount, 1234);
    assert.equal(view.body.state, 'success', 'a refunded payment still succeeded');
    // The same key: the same refund, no second one. Another key: nothing is left.
    const again = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'customer returned the tea' }, key: 'full-1' });
    assert.equal(again.status, 200);
    assert.equal(again.body.bizOrderNo, made.body.bizOrderNo);
    const more = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'again' }, key: 'full-2' });
    assert.deepEqual([more.status, more.body.error.code], [409, 'refund_nothing_left']);
    // The payer's page never sees the refund as a payment.
    assert.equal((await api(stack.merchant.url, `/api/checkout/payments/${made.body.bizOrderNo}`, { headers: { 'x-test-payer': paid.payer } })).status, 404);
  });

  it('partial refunds add up to at most what was paid; more is refused with what is left, in zh and en', async () => {
    const paid = await paidPayment(1000);
    const first = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { amount: 400, reason: 'one cup broken' }, key: 'p-1' });
    const second = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { amount: 500, reason: 'late delivery' }, key: 'p-2' });
    assert.deepEqual([first.status, second.status], [201, 201]);
    const over = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { amount: 101, reason: 'too much' }, key: 'p-3' });
    assert.equal(over.status, 422);
    assert.equal(over.body.error.code, 'refund_exceeds_payment');
    assert.deepEqual(over.body.error.details, { refundable: 100, refundableFee: 0 });
    const zh = await api(stack.merchant.url, `/api/admin/payments/${paid.bizOrderNo}/refunds`, { body: { amount: 101, reason: 'too much' }, headers: { authorization: `Bearer ${SECRET}`, 'idempotency-key': 'p-4', 'accept-language': 'zh-CN' } });
    assert.match(zh.body.error.message, /退款金额超出可退金额/);
    await refundState(first.body.bizOrderNo, 'success');
    await refundState(second.body.bizOrderNo, 'success');
    const listed = await admin(`/payments/${paid.bizOrderNo}/refunds`);
    assert.equal(listed.body.refundedAmount, 900);
    assert.deepEqual(listed.body.refunds.map((refund: { amount: number; state: string }) => [refund.amount, refund.state]), [[400, 'success'], [500, 'success']]);
    // Bad input: a clear 400 naming the field, never a 5xx.
    const bad = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { amount: -5, reason: '' }, key: 'p-5' });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.error.details.map((detail: { path: string }) => detail.path).sort(), ['amount', 'reason']);
    assert.equal((await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'no key' } })).status, 400);
    assert.equal((await admin('/payments/NOPE/refunds', { method: 'POST', body: { reason: 'x' }, key: 'n' })).status, 404);
  });

  it('concurrent refunds of one payment: never more than was paid', async () => {
    const paid = await paidPayment(900);
    const answers = await Promise.all(Array.from({ length: 6 }, (_, n) => admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { amount: 200, reason: 'race' }, key: `race-${n}` })));
    assert.deepEqual(answers.map((answer) => answer.status).sort(), [201, 201, 201, 201, 422, 422]);
    assert.equal((await store().listRefunds(paid.bizOrderNo)).reduce((sum, refund) => sum + refund.amount, 0), 800);
  });

  it('a double payment is flagged, then refunded once by refund-flagged; run again, nothing new', async () => {
    const payer = `double-${process.pid}`;
    await bindPayerPhone(stack.merchant.url, stack.sandbox.url, payer, '13500009999');
    const order = addOrder(stack.merchant, payer, 700);
    const first = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'x-test-payer': payer } });
    const second = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_ALIPAY' }, headers: { 'x-test-payer': payer } });
    await walletAction(first.body.action.payInfo, 'pay');
    await walletAction(second.body.action.payInfo, 'pay');
    await eventually(async () => ((await store().getPayment(second.body.bizOrderNo))?.settlement === 'double_paid' ? true : undefined), 5000, 'the double payment flagged');
    const run = await admin('/refund-flagged', { method: 'POST' });
    assert.equal(run.status, 200, JSON.stringify(run.body));
    const mine = run.body.refunded.filter((refund: { oriBizOrderNo: string }) => refund.oriBizOrderNo === second.body.bizOrderNo);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].amount, 700);
    assert.ok(!run.body.refunded.some((refund: { oriBizOrderNo: string }) => refund.oriBizOrderNo === first.body.bizOrderNo), 'the payment that paid the order is kept');
    const rerun = await admin('/refund-flagged', { method: 'POST' });
    assert.ok(!rerun.body.refunded.some((refund: { oriBizOrderNo: string }) => refund.oriBizOrderNo === second.body.bizOrderNo));
    await refundState(mine[0].bizOrderNo, 'success');
    assert.equal((await store().getPayment(second.body.bizOrderNo))?.refundedAmount, 700);
    assert.equal((await store().listRefunds(second.body.bizOrderNo)).length, 1);
  });

  it('forged refund notifications are refused and change nothing; a genuine one naming another payment too', async () => {
    const paid = await paidPayment(600);
    const other = await paidPayment(600);
    const made = await admin(`/payments/${paid.bizOrderNo}/refunds`, { method: 'POST', body: { reason: 'forgery target' }, key: 'forged' });
    const refund = (await store().getPayment(made.body.bizOrderNo))!;
    await refundState(refund.bizOrderNo, 'success');
    // A refund of `other` that the merchant never made: its bizOrderNo is the real refund's, so the BFF has a row for it.
    const platform = loadMerchantKey(testKeys().platformKey);
    const notify = async (returnValue: Record<string, unknown>, key = platform) => {
      const rps = JSON.stringify({ service: 'OrderService', method: 'pay', status: 'OK', returnValue });
      const timestamp = formatCstTimestamp(new Date());
      const body = new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, key) }).toString();
      const response = await fetch(`${stack.merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      return { status: response.status, text: await response.text() };
    };
    const pendingRefund = await admin(`/payments/${other.bizOrderNo}/refunds`, { method: 'POST', body: { amount: 100, reason: 'pending one' }, key: 'forged-2' });
    const target = (await store().getPayment(pendingRefund.body.bizOrderNo))!;
    const before = (await store().listPaymentEvents(target.bizOrderNo, 0)).length;
    const base = { orderNo: target.orderNo ?? 'X', bizOrderNo: target.bizOrderNo, oriBizOrderNo: other.bizOrderNo, oriOrderNo: 'Y', amount: 100, buyerBizUserId: other.payer, refundWhereabouts: 2 };
    const { privateKey } = await import('node:crypto').then((crypto) => crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }));
    assert.deepEqual(await notify(base, { privateKey }), { status: 400, text: 'notification_unverified' }, 'signed by someone else');
    assert.deepEqual(await notify({ ...base, oriBizOrderNo: paid.bizOrderNo }), { status: 400, text: 'notification_invalid' }, 'a genuine signature, another payment');
    const { oriBizOrderNo: _dropped, ...withoutOri } = base;
    assert.deepEqual(await notify(withoutOri), { status: 400, text: 'notification_invalid' }, 'a refund notification must name its payment');
    const paidRow = (await store().getPayment(paid.bizOrderNo))!;
    const asPayment = { ...base, bizOrderNo: paid.bizOrderNo, orderNo: paidRow.orderNo, buyerBizUserId: paid.payer, amount: 600 };
    assert.deepEqual(await notify(asPayment), { status: 400, text: 'notification_invalid' }, 'a payment’s notification carries no oriBizOrderNo');
    const after = (await store().getPayment(target.bizOrderNo))!;
    assert.equal((await store().listPaymentEvents(target.bizOrderNo, 0)).length, before);
    assert.equal((await store().getPayment(paid.bizOrderNo))?.refundedAmount, 600, 'the refunded payment unchanged');
    assert.equal(after.state, target.state, 'the pending refund is as it was');
  });
});
