// Checkout instances sharing one PostgreSQL database (the configured `store`, opened by createCheckout): payments go to
// PostgreSQL, the URL's password stays out of the log, reconciliation of a payment claimed by another instance waits for
// it, and two instances delivering the outbox hand each event to the hook once, in order per payment.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { PaymentAction } from '@tsy/contract';
import { startPostgres, type RunningPostgres } from '../../../testing/src/postgres.js';
import { createCheckout } from '../../src/checkout/index.js';
import type { PaymentEvent } from '../../src/checkout/hooks.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { DESKTOP, REQUEST, startServices, walletAction, type ServicesStack } from '../support/services.js';

let cluster: RunningPostgres;
let url: string;
let stack: ServicesStack;
before(async () => {
  cluster = await startPostgres();
  // Trust auth takes any password: one in the URL shows it is never logged.
  url = (await cluster.createDatabase()).replace('postgres@', 'postgres:hunter2-secret@');
  stack = await startServices({ store: { kind: 'postgres', url, poolSize: 4 } });
});
after(async () => {
  await stack?.close();
  await cluster?.stop();
});

async function qrPayment(amount: number) {
  const id = `SO-PG-${amount}`;
  const payer = await stack.payer(`pg-${amount}`, `1370000${amount}`);
  stack.orders.set(id, { amount, subject: '龙井茶', payer: { bizUserId: payer } });
  const view = await stack.checkout.payments.create(id, REQUEST, { method: 'SCAN_WEIXIN' }, DESKTOP, undefined);
  return { bizOrderNo: view.bizOrderNo, payInfo: (view.action as Extract<PaymentAction, { type: 'qr' }>).payInfo };
}

describe('checkout instances on one PostgreSQL database', () => {
  it('createCheckout opens the configured PostgreSQL store and logs which, without the password', async () => {
    const { bizOrderNo } = await qrPayment(1001);
    const direct = await PostgresStore.open({ url });
    try {
      assert.equal((await direct.getPayment(bizOrderNo))?.state, 'pending', 'the payment is in PostgreSQL');
    } finally {
      await direct.close();
    }
    const said = stack.logs.find((line) => line.message === 'store: PostgreSQL');
    assert.ok(said, JSON.stringify(stack.logs));
    assert.match(String(said.fields?.url), /^postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:\d+\/tsy_test_\d+$/);
    assert.doesNotMatch(JSON.stringify(stack.logs), /hunter2/);
  });

  it('a payment another instance is reconciling is not asked about again until that claim ends', async () => {
    const { bizOrderNo, payInfo } = await qrPayment(1002);
    await walletAction(payInfo, 'pay');
    const store = stack.checkout.context.store;
    const now = stack.clock();
    assert.equal(await store.claimReconciliation(bizOrderNo, { owner: 'another instance', now: now.toISOString(), until: new Date(now.getTime() + 60_000).toISOString() }), true);
    const waited = await stack.checkout.reconciler.check((await store.getPayment(bizOrderNo))!);
    assert.deepEqual([waited.state, waited.checkedAt], ['pending', null], 'not asked: the other instance is asking');
    await store.releaseReconciliation(bizOrderNo, 'another instance');
    const checked = await stack.checkout.reconciler.check(waited);
    assert.equal(checked.state, 'success');
    assert.equal(await store.claimReconciliation(bizOrderNo, { owner: 'x', now: now.toISOString(), until: now.toISOString() }), true, 'released after its check');
  });

  it('two instances delivering the outbox: each event to the hook once, in order per payment', async () => {
    // Both hooks write to one list, in the order the calls happen: the first instance's hook is the stack's.
    const deliveries: PaymentEvent[] = stack.events;
    const second = createCheckout(
      stack.checkout.config,
      { resolveOrder: () => undefined, resolvePayer: () => undefined, onPaymentEvent: (event) => void deliveries.push(event) },
      { clock: stack.clock, background: false, log: () => undefined },
    );
    try {
      // The earlier tests' events first, so what follows is only this test's.
      await stack.checkout.delivery.deliverDue();
      deliveries.length = 0;
      const store = stack.checkout.context.store;
      const payments = await Promise.all([1003, 1004, 1005, 1006].map(qrPayment));
      for (const { payInfo } of payments.slice(0, 2)) await walletAction(payInfo, 'pay');
      await Promise.all(payments.map(async ({ bizOrderNo }) => stack.checkout.reconciler.check((await store.getPayment(bizOrderNo))!)));
      const expected = (await Promise.all(payments.map(({ bizOrderNo }) => store.listPaymentEvents(bizOrderNo, 0)))).flat().filter((event) => event.deliveredAt === null);
      assert.ok(expected.length >= 6, `events to deliver: ${expected.length}`);
      // Both deliver at once until nothing is left.
      for (;;) {
        const [a, b] = await Promise.all([stack.checkout.delivery.deliverDue(), second.delivery.deliverDue()]);
        if (a + b === 0) break;
      }
      const ids = deliveries.map((event) => event.id);
      assert.deepEqual([...ids].sort((x, y) => x - y), expected.map((event) => event.id).sort((x, y) => x - y), 'every event once');
      for (const { bizOrderNo } of payments) {
        const own = deliveries.filter((event) => event.bizOrderNo === bizOrderNo).map((event) => event.id);
        assert.deepEqual(own, [...own].sort((x, y) => x - y), `${bizOrderNo}: in order`);
      }
      const marked = (await Promise.all(payments.map(({ bizOrderNo }) => store.listPaymentEvents(bizOrderNo, 0)))).flat();
      assert.ok(marked.every((event) => event.deliveredAt !== null && event.deliveryAttempts === 1), 'each marked delivered after one attempt');
    } finally {
      await second.close();
    }
  });
});
