// store.watchPaymentChanges on PostgreSQL: what one instance commits reaches another instance's watcher (LISTEN/NOTIFY), a
// fact that changes nothing announces nothing, and after the database restarts the watcher says resumed() and hears again.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type RunningPostgres } from '../../../testing/src/postgres.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import type { PaymentChangeListener } from '../../src/store/types.js';
import { newPayment } from './support.js';

/** A listener whose calls can be awaited: `calls(n)` resolves with the first n calls once there are n. */
function recorder() {
  const seen: string[] = [];
  const waiters: { count: number; resolve: (calls: string[]) => void }[] = [];
  const record = (call: string) => {
    seen.push(call);
    for (const waiter of waiters.filter((w) => seen.length >= w.count)) {
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(seen.slice(0, waiter.count));
    }
  };
  const listener: PaymentChangeListener = { changed: (bizOrderNo, lastEventId) => record(`changed ${bizOrderNo} ${lastEventId}`), resumed: () => record('resumed') };
  const calls = (count: number) => new Promise<string[]>((resolve) => (seen.length >= count ? resolve(seen.slice(0, count)) : waiters.push({ count, resolve })));
  return { listener, seen, calls };
}

describe('PostgreSQL watchPaymentChanges', () => {
  let cluster: RunningPostgres;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
  });

  it('hears another instance’s committed events, and hears again after a database restart (resumed first)', async () => {
    const url = await cluster.createDatabase();
    const writer = await PostgresStore.open({ url, poolSize: 2 });
    const watcher = await PostgresStore.open({ url, poolSize: 2 });
    const heard = recorder();
    const stop = await watcher.watchPaymentChanges(heard.listener);
    try {
      await writer.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
      await writer.insertPayment(newPayment({ bizOrderNo: 'P1' }));
      await writer.insertPayment(newPayment({ bizOrderNo: 'P2' }));
      // With the newest event's id: a watcher that already has it needs no read.
      const p1 = (await writer.transition('P1', { fact: { type: 'accepted', source: 'apply' } })).events.at(-1)!.id;
      assert.deepEqual(await heard.calls(1), [`changed P1 ${p1}`]);
      // A fact that changes nothing writes no event and sends nothing: the next call is P2's change.
      await writer.transition('P1', { fact: { type: 'accepted', source: 'apply' } });
      const p2 = (await writer.transition('P2', { fact: { type: 'accepted', source: 'apply' } })).events.at(-1)!.id;
      assert.deepEqual(await heard.calls(2), [`changed P1 ${p1}`, `changed P2 ${p2}`]);

      await cluster.restart({ downMs: 300 });
      assert.deepEqual(await heard.calls(3), [`changed P1 ${p1}`, `changed P2 ${p2}`, 'resumed']);
      const paid = (await writer.transition('P2', { fact: { type: 'succeeded', source: 'notification' } })).events.at(-1)!.id;
      assert.deepEqual(await heard.calls(4), [`changed P1 ${p1}`, `changed P2 ${p2}`, 'resumed', `changed P2 ${paid}`]);
    } finally {
      await stop();
      await Promise.all([writer.close(), watcher.close()]);
    }
  });

  it('a stopped watch hears nothing more', async () => {
    const url = await cluster.createDatabase();
    const store = await PostgresStore.open({ url, poolSize: 2 });
    const stopped = recorder();
    const live = recorder();
    const stop = await store.watchPaymentChanges(stopped.listener);
    const stopLive = await store.watchPaymentChanges(live.listener);
    await stop();
    await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
    await store.insertPayment(newPayment({ bizOrderNo: 'P1' }));
    const id = (await store.transition('P1', { fact: { type: 'accepted', source: 'apply' } })).events.at(-1)!.id;
    // The live watch hearing it means the notification went out; the stopped one had its chance.
    assert.deepEqual(await live.calls(1), [`changed P1 ${id}`]);
    assert.deepEqual(stopped.seen, []);
    await stopLive();
    await store.close();
  });
});
