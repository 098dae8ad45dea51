// Refunds whose outcome comes later or at once, on one manual clock for the sandbox and the BFF: a D1 refund stays pending
// until D+1 14:30 (China time) and is then learnt by reconciliation (getOrderDetail), its notification lost; a BALANCE
// payment's refund succeeds in the platform's answer with the balance given back; the spec's failing test amount (1600 fen)
// fails a balance refund in the answer and frees its room.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock, type ManualClock } from '@tsy/sandbox';
import { NO_RECONCILIATION, TEST_PAYER_HEADER, latestSmsCode, startMerchant, startSandbox, type RunningMerchant, type RunningSandbox } from '@tsy/testing';
import { addOrder, api, bindPayerPhone, cleanup, tempDir, walletAction } from '../src/harness.js';

let clock: ManualClock;
let sandbox: RunningSandbox;
let merchant: RunningMerchant;
const dir = tempDir('tsy-e2e-refunds-later-');
const store = () => merchant.router.services.context.store;

before(async () => {
  // 10:00 China time: a D1 refund made now goes to the channel tomorrow at 14:30.
  clock = createManualClock(new Date('2030-03-04T02:00:00.000Z'));
  sandbox = await startSandbox({ clock, dailyOrderLimit: false });
  merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    dataDir: dir,
    clock,
    methods: { SCAN_WEIXIN: {}, BALANCE: { accountSetNo: '400193' } },
    reconciliation: NO_RECONCILIATION,
    // Port 9 is closed: the refund's notification never arrives, so only reconciliation can learn its outcome.
    config: { refunds: { refundType: 'D1' }, publicBaseUrl: 'http://127.0.0.1:9' },
  });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
  cleanup(dir);
});

let seq = 0;
async function payer(): Promise<string> {
  const bizUserId = `later-${process.pid}-${++seq}`;
  await bindPayerPhone(merchant.url, sandbox.url, bizUserId, `1340000${String(seq).padStart(4, '0')}`);
  return bizUserId;
}

describe('refunds settled later or at once', () => {
  it('D1: pending until D+1 14:30 CST on the platform’s clock, then reconciled to success', async () => {
    const bizUserId = await payer();
    const order = addOrder(merchant, bizUserId, 880);
    const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { [TEST_PAYER_HEADER]: bizUserId } });
    await walletAction(created.body.action.payInfo, 'pay');
    const paid = await merchant.router.services.reconciler.check((await store().getPayment(created.body.bizOrderNo))!);
    assert.equal(paid.state, 'success');

    const refund = await merchant.router.services.refunds.refund(paid.bizOrderNo, { reason: 'next-day refund', idempotencyKey: 'd1' });
    assert.equal(refund.state, 'pending');
    assert.ok((await store().getPayment(refund.bizOrderNo))?.requestRaw?.includes('"refundType":"D1"'));
    clock.advance(24 * 60 * 60 * 1000); // D+1 10:00: not yet
    assert.equal((await merchant.router.services.reconciler.check((await store().getPayment(refund.bizOrderNo))!)).state, 'pending');
    clock.advance(4.5 * 60 * 60 * 1000 + 1000); // D+1 14:30:01
    const settled = await merchant.router.services.reconciler.check((await store().getPayment(refund.bizOrderNo))!);
    assert.equal(settled.state, 'success');
    const events = await store().listPaymentEvents(refund.bizOrderNo, 0);
    assert.deepEqual(events.map((event) => [event.type, event.source]), [['refund.pending', 'apply'], ['refund.succeeded', 'reconciliation']]);
    assert.equal((await store().getPayment(paid.bizOrderNo))?.refundedAmount, 880);
    // The original reads "refunded" (§6.9 status 5) at the platform now: still a success to the BFF.
    assert.equal((await merchant.router.services.reconciler.check((await store().getPayment(paid.bizOrderNo))!)).state, 'success');
  });

  it('BALANCE: the refund succeeds in the answer and the balance comes back; 1600 fen fails in the answer, freeing its room', async () => {
    const bizUserId = await payer();
    const order = addOrder(merchant, bizUserId, 2500);
    const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'BALANCE' }, headers: { [TEST_PAYER_HEADER]: bizUserId } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const member = await store().getMember(bizUserId);
    const code = await latestSmsCode(sandbox.url, member!.phone!);
    const confirmed = await api(merchant.url, `/api/checkout/payments/${created.body.bizOrderNo}/confirm`, { body: { verificationCode: code }, headers: { [TEST_PAYER_HEADER]: bizUserId } });
    assert.equal(confirmed.body.state, 'success', JSON.stringify(confirmed.body));
    const balance = () => sandbox.sandbox.state.members.get(bizUserId)!.balance;
    const balanceBefore = balance();

    const failing = await merchant.router.services.refunds.refund(created.body.bizOrderNo, { amount: 1600, reason: 'the spec’s failing amount', idempotencyKey: 'b-fail' });
    assert.equal(failing.state, 'failed');
    assert.ok(failing.failure?.message);
    const ok = await merchant.router.services.refunds.refund(created.body.bizOrderNo, { reason: 'all of it', idempotencyKey: 'b-ok' });
    assert.deepEqual([ok.state, ok.amount], ['success', 2500], 'the failed refund gave its room back');
    assert.equal(balance(), balanceBefore + 2500, 'the balance came back');
    assert.equal((await store().getPayment(created.body.bizOrderNo))?.refundedAmount, 2500);
  });
});
