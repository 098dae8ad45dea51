// The checkout services on their own (no router): creation, notifications, reconciliation and the payment view, against
// the real sandbox with SQLite on disk and one manual clock for both sides.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PaymentAction } from '@tsy/contract';
import { DESKTOP, REQUEST, startServices, walletAction, type ServicesStack } from '../support/services.js';

let stack: ServicesStack;
let counter = 0;

before(async () => {
  stack = await startServices();
});
after(async () => {
  await stack?.close();
});

/** A merchant order for a payer with a bound phone. */
async function order(amount = 1234, payerId?: string): Promise<{ id: string; payer: string }> {
  const id = `SO-${process.pid}-${++counter}`;
  const payer = payerId ?? (await stack.payer(`svc-${process.pid}-${counter}`, `1390000${String(1000 + counter).slice(-4)}`));
  stack.orders.set(id, { amount, subject: '龙井茶', payer: { bizUserId: payer } });
  return { id, payer };
}

async function qrPayment(merchantOrderId: string, key?: string) {
  const view = await stack.checkout.payments.create(merchantOrderId, REQUEST, { method: 'SCAN_WEIXIN' }, DESKTOP, key);
  const stored = (await stack.checkout.context.store.getPayment(view.bizOrderNo))!;
  return { view, stored, payInfo: (view.action as Extract<PaymentAction, { type: 'qr' }>).payInfo };
}

const eventTypes = async (bizOrderNo: string) => (await stack.checkout.context.store.listPaymentEvents(bizOrderNo, 0)).map((event) => event.type);

describe('payment creation', () => {
  it('stores the payment before the platform is called, and keeps the verified answer', async () => {
    const { id } = await order();
    await stack.platformDown();
    try {
      await assert.rejects(stack.checkout.payments.create(id, REQUEST, { method: 'SCAN_WEIXIN' }, DESKTOP, undefined), { code: 'yunst.unavailable' });
    } finally {
      await stack.platformUp();
    }
    const stored = await stack.checkout.context.store.findOpenPayment(id);
    assert.equal(stored?.state, 'created', 'stored, its outcome unknown');
    const { stored: answered } = await qrPayment(id);
    assert.equal(answered.state, 'pending');
    assert.ok(answered.responseRaw?.includes('signedValue'), 'the raw signed answer is kept');
  });

  it('never keeps card data at rest: cvv2 and the expiry blanked, the card number masked, in the stored request', async () => {
    const { id } = await order(2000);
    const card = '6228480402637874214';
    const view = await stack.checkout.payments.create(id, REQUEST, { method: 'QUICKPAY_TLT', bankCardNo: card, validate: '1230', cvv2: '123' }, DESKTOP, undefined);
    assert.equal(view.action?.type, 'sms');
    const stored = (await stack.checkout.context.store.getPayment(view.bizOrderNo))!;
    const request = JSON.parse(stored.requestRaw!) as { param: { payMethod: { QUICKPAY_TLT: Record<string, string> } } };
    assert.deepEqual(request.param.payMethod.QUICKPAY_TLT, { bankCardNo: '622848*********4214', validate: '', cvv2: '', amount: 2000 } as never);
    const everything = JSON.stringify(stored) + JSON.stringify(await stack.checkout.context.store.listPaymentEvents(view.bizOrderNo, 0));
    assert.doesNotMatch(everything, new RegExp(card), 'the card number appears nowhere in the store');
    assert.doesNotMatch(JSON.stringify(stack.logs), new RegExp(card));
  });

  it('an Idempotency-Key replay of a finished attempt answers it, after the order is resolved again', async () => {
    const { id } = await order();
    const first = await qrPayment(id, 'svc-key');
    const again = await stack.checkout.payments.create(id, REQUEST, { method: 'SCAN_WEIXIN' }, DESKTOP, 'svc-key');
    assert.equal(again.bizOrderNo, first.view.bizOrderNo);
    assert.deepEqual(again.action, first.view.action);
    await assert.rejects(stack.checkout.payments.create(id, REQUEST, { method: 'QUICKPAY_VSP', bankCardNo: '6228480402637874214' }, DESKTOP, 'svc-key'), { code: 'idempotency_conflict' });
  });
});

describe('SMS confirm (services)', () => {
  it('the code goes to the platform and nowhere else: not in the answer, the store or the log — confirmed or refused', async () => {
    const { id, payer } = await order(2500);
    const view = await stack.checkout.payments.create(id, REQUEST, { method: 'BALANCE' }, DESKTOP, undefined);
    assert.equal(view.action?.type, 'sms');
    const code = stack.sandbox.state.sms.list().find((message) => message.bizOrderNo === view.bizOrderNo)!.code;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const refused = await stack.checkout.steps.confirm(view.bizOrderNo, { verificationCode: wrong }, DESKTOP).catch((error: unknown) => error);
    assert.equal((refused as { code?: string }).code, 'sms_code_wrong');
    const confirmed = await stack.checkout.steps.confirm(view.bizOrderNo, { verificationCode: code }, DESKTOP);
    assert.deepEqual([confirmed.state, confirmed.settlement], ['success', 'paid']);
    const stored = await stack.checkout.context.store.getPayment(view.bizOrderNo);
    const events = await stack.checkout.context.store.listPaymentEvents(view.bizOrderNo, 0);
    for (const [where, text] of Object.entries({ answer: JSON.stringify(confirmed), refusal: JSON.stringify(refused) + String(refused), store: JSON.stringify(stored) + JSON.stringify(events), log: JSON.stringify(stack.logs) })) {
      assert.ok(!text.includes(code) && !text.includes(wrong), `no SMS code in the ${where}`);
    }
    assert.ok(stack.logs.some((line) => line.fields?.bizOrderNo === view.bizOrderNo), 'the log did record this payment');
    void payer;
  });
});

describe('notifications (services)', () => {
  it('a failed payment that the platform later reports paid becomes success (money moved)', async () => {
    const { id, payer } = await order(700);
    const { stored, payInfo } = await qrPayment(id);
    await walletAction(payInfo, 'fail');
    const failed = await stack.checkout.reconciler.check(stored);
    assert.equal(failed.state, 'failed');
    const applied = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 700, payer }) }, 'notification');
    assert.deepEqual([applied.payment.state, applied.payment.settlement], ['success', 'paid']);
    assert.deepEqual(await eventTypes(stored.bizOrderNo), ['payment.pending', 'payment.failed', 'payment.succeeded']);
  });

  it('a success signed too long ago, or dated ahead of any clock, proves nothing alone: the platform’s answer decides', async () => {
    const { id, payer } = await order(704);
    const { stored } = await qrPayment(id);
    const now = Date.now();
    for (const signedAt of [new Date(now - 25 * 3600_000), new Date(now + 11 * 60_000)]) {
      const applied = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 704, payer, signedAt }) }, 'notification');
      assert.equal(applied.payment.state, 'pending', `signed at ${signedAt.toISOString()}: the platform says unpaid`);
    }
    const kept = await stack.checkout.context.store.listNotifications(stored.bizOrderNo);
    assert.deepEqual(kept.map((n) => n.signedAt !== null), [true, true], 'each kept with its signed time');
    // Within the window (23 hours old, or 9 minutes ahead: the clocks may differ by 10) a success is applied as it says.
    const fresh = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 704, payer, signedAt: new Date(now - 23 * 3600_000) }) }, 'notification');
    assert.equal(fresh.payment.state, 'success');
  });

  it('the same notification twice changes nothing the second time, and is kept once', async () => {
    const { id, payer } = await order(701);
    const { stored } = await qrPayment(id);
    const body = stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 701, payer });
    assert.equal((await stack.checkout.notifications.apply({ raw: body }, 'notification')).changed, true);
    assert.equal((await stack.checkout.notifications.apply({ raw: body }, 'notification')).changed, false);
    assert.equal((await stack.checkout.context.store.listNotifications(stored.bizOrderNo)).length, 1);
    assert.deepEqual(await eventTypes(stored.bizOrderNo), ['payment.pending', 'payment.succeeded']);
  });

  it('a second paid attempt on one merchant order is a double payment: shown and raised as such, the order keeps the first', async () => {
    const { id, payer } = await order(702);
    const first = await qrPayment(id);
    const second = await qrPayment(id);
    await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: first.stored.bizOrderNo, orderNo: first.stored.orderNo!, amount: 702, payer }) }, 'notification');
    const late = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: second.stored.bizOrderNo, orderNo: second.stored.orderNo!, amount: 702, payer }) }, 'return');
    assert.equal(stack.checkout.views.of(late.payment, DESKTOP).settlement, 'double_paid');
    assert.deepEqual(await eventTypes(second.stored.bizOrderNo), ['payment.pending', 'payment.succeeded', 'payment.double_paid']);
    assert.equal((await stack.checkout.context.store.getMerchantOrder(id))?.paidBizOrderNo, first.stored.bizOrderNo);
  });

  it('a success for a re-priced order is an amount mismatch, distinct from a platform amount that differs', async () => {
    const { id, payer } = await order(703);
    const { stored } = await qrPayment(id);
    stack.orders.set(id, { ...stack.orders.get(id)!, amount: 803 });
    const described = await stack.checkout.orders.describe(id, REQUEST, DESKTOP);
    assert.equal(described.currentPayment, null, 'an attempt at the old price is not offered again');
    const applied = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 703, payer }) }, 'notification');
    assert.equal(applied.payment.settlement, 'amount_mismatch');
    assert.deepEqual(await eventTypes(stored.bizOrderNo), ['payment.pending', 'payment.succeeded', 'payment.amount_mismatch']);
    assert.equal((await stack.checkout.context.store.getMerchantOrder(id))?.paidBizOrderNo, null);
  });
});

describe('reconciliation and expiry', () => {
  it('getOrderDetail for another amount than the payment’s: a success recorded as amount_differs with its evidence', async () => {
    const { id } = await order(704);
    const { stored, payInfo } = await qrPayment(id);
    await walletAction(payInfo, 'pay');
    // The platform's record of this order says another amount (as a platform-side adjustment would).
    const platformOrder = stack.sandbox.state.orders.get(stored.bizOrderNo)!;
    (platformOrder as { amount: number }).amount = 705;
    const checked = await stack.checkout.reconciler.check(stored);
    assert.deepEqual([checked.state, checked.settlement, checked.reportedAmount], ['success', 'amount_differs', 705]);
    const differs = (await stack.checkout.context.store.listPaymentEvents(stored.bizOrderNo, 0)).find((event) => event.type === 'payment.amount_differs');
    assert.ok(differs?.evidence?.includes('signedValue'), 'the verified getOrderDetail answer is the evidence');
  });

  it('the platform closed an unpaid order past its expiry: closed', async () => {
    const { id } = await order(706);
    const { stored } = await qrPayment(id);
    stack.clock.set(new Date(new Date(stored.expiresAt).getTime() + 1000));
    try {
      const checked = await stack.checkout.reconciler.check(stored);
      assert.equal(checked.state, 'closed');
    } finally {
      stack.clock.set(new Date());
    }
  });

  it('expiry by clock: past expiresAt and the platform cannot be asked — expired, not resumed, and a late success still wins', async () => {
    const { id, payer } = await order(707);
    const { stored } = await qrPayment(id);
    const past = new Date(new Date(stored.expiresAt).getTime() + 1000);
    stack.clock.set(past);
    await stack.platformDown();
    try {
      const described = await stack.checkout.orders.describe(id, REQUEST, DESKTOP);
      assert.equal(described.currentPayment, null, 'an attempt past its expiry is not offered again');
      // The view asks the platform once more right after the expiry; no answer: expired by our clock.
      const view = await stack.checkout.views.current(stored.bizOrderNo, DESKTOP);
      assert.equal(view.state, 'expired');
      const events = await stack.checkout.context.store.listPaymentEvents(stored.bizOrderNo, 0);
      assert.deepEqual(events.map((event) => [event.type, event.source]), [['payment.pending', 'apply'], ['payment.expired', 'clock']]);
    } finally {
      await stack.platformUp();
    }
    const late = await stack.checkout.notifications.apply({ raw: stack.notification({ bizOrderNo: stored.bizOrderNo, orderNo: stored.orderNo!, amount: 707, payer }) }, 'notification');
    assert.deepEqual([late.payment.state, late.payment.settlement], ['success', 'paid']);
    stack.clock.set(new Date());
  });

  it('the sweep, with nobody watching, learns an unpaid payment past its expiry was closed', async () => {
    const { id } = await order(708);
    const { stored } = await qrPayment(id);
    stack.clock.set(new Date(new Date(stored.expiresAt).getTime() + 1000));
    try {
      await stack.checkout.reconciler.sweep();
      assert.equal((await stack.checkout.context.store.getPayment(stored.bizOrderNo))!.state, 'closed');
      assert.equal((await stack.checkout.orders.describe(id, REQUEST, DESKTOP)).currentPayment, null);
    } finally {
      stack.clock.set(new Date());
    }
  });
});
