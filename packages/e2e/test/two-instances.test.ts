// Two BFF instances on one PostgreSQL, as behind a load balancer: the platform's notification lands on instance A, the
// payer's page listens on instance B. B learns the success only through the database's change feed (LISTEN/NOTIFY): its
// safety sweep and its own questions to the platform are switched off here, so nothing else could tell it. The outbox is
// claimed, so the merchant's hook hears each event once across both; and B's listener survives a database restart.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startPostgres, type RunningPostgres } from '@tsy/testing';
import { NO_RECONCILIATION, addOrder, api, bindPayerPhone, cleanup, eventually, readStateEvents, startMerchant, startSandbox, tempDir, walletAction, type RunningMerchant, type RunningSandbox } from '../src/harness.js';

let cluster: RunningPostgres;
let sandbox: RunningSandbox;
let a: RunningMerchant;
let b: RunningMerchant;
const dirs = [tempDir('tsy-two-a-'), tempDir('tsy-two-b-')];

before(async () => {
  cluster = await startPostgres();
  const url = await cluster.createDatabase();
  sandbox = await startSandbox();
  // An hour between sweeps and between questions to the platform: within a test, only a wake-up reaches a stream.
  const config = { store: { kind: 'postgres' as const, url, poolSize: 4 }, liveStatus: { sweepSeconds: 3600 }, reconciliation: NO_RECONCILIATION };
  a = await startMerchant({ sandboxUrl: sandbox.url, dataDir: dirs[0]!, config });
  b = await startMerchant({ sandboxUrl: sandbox.url, dataDir: dirs[1]!, config });
});
after(async () => {
  await b?.close();
  await a?.close();
  await sandbox?.close();
  await cluster?.stop();
  for (const dir of dirs) cleanup(dir);
});

/** A QR payment created on instance A (so the platform's notification goes to A), its order known to both instances. */
async function paymentOnA(payer: string, phone: string): Promise<{ bizOrderNo: string; payInfo: string }> {
  await bindPayerPhone(a.url, sandbox.url, payer, phone);
  const orderId = addOrder(a, payer);
  b.orders.set(orderId, a.orders.get(orderId)!);
  const created = await api(a.url, `/api/checkout/orders/${orderId}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'x-test-payer': payer, origin: a.url } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  return { bizOrderNo: created.body.bizOrderNo, payInfo: created.body.action.payInfo };
}

/** Opens B's stream of the payment; resolves once it holds the first (pending) state, with what is still to come. */
async function streamOnB(bizOrderNo: string, payer: string): Promise<{ rest: ReturnType<typeof readStateEvents> }> {
  const seen: Record<string, unknown>[] = [];
  const done = readStateEvents(
    `${b.url}/api/checkout/payments/${bizOrderNo}/events`,
    (data) => {
      seen.push(data);
      return data.state === 'success';
    },
    { 'x-test-payer': payer },
    15_000,
  );
  await eventually(() => seen.length > 0 || undefined, 5000, 'the stream’s first state');
  assert.equal(seen[0]!.state, 'pending');
  // Wrapped: an async function returning the promise itself would wait for it.
  return { rest: done };
}

describe('two instances on one PostgreSQL', () => {
  it('a notification on instance A reaches an event stream on instance B; the hook hears each event once', async () => {
    const payer = `two-${process.pid}-1`;
    const { bizOrderNo, payInfo } = await paymentOnA(payer, '13600000771');
    const stream = await streamOnB(bizOrderNo, payer);
    assert.equal(await walletAction(payInfo, 'pay'), 200);
    const states = (await stream.rest).map((event) => event.data.state);
    assert.deepEqual(states, ['pending', 'success']);

    // A stored the success from the platform's notification, not B from a question of its own.
    const notification = sandbox.sandbox.state.notifications.get(bizOrderNo);
    assert.ok(notification, 'the sandbox notified');
    await notification.settled;
    const view = await api(b.url, `/api/checkout/payments/${bizOrderNo}`, { headers: { 'x-test-payer': payer } });
    assert.equal(view.body.state, 'success');

    // Both instances deliver the outbox; together they called the hook once per event of the payment.
    await eventually(() => [...a.events, ...b.events].some((event) => event.bizOrderNo === bizOrderNo && event.type === 'payment.succeeded') || undefined, 5000, 'the success delivered');
    const calls = [...a.deliveries, ...b.deliveries].filter((event) => event.bizOrderNo === bizOrderNo);
    const ids = calls.map((event) => event.id);
    assert.deepEqual(ids, [...new Set(ids)], `each event once: ${ids.join(', ')}`);
    assert.deepEqual(calls.map((event) => event.type).sort(), ['payment.pending', 'payment.succeeded'].sort());
  });

  it('after a database restart a stream on B opened before it still sees a change made after it (the listener reconnects, or its catch-up reads it)', async () => {
    const payer = `two-${process.pid}-2`;
    const { bizOrderNo, payInfo } = await paymentOnA(payer, '13600000772');
    const stream = await streamOnB(bizOrderNo, payer);
    await cluster.restart({ downMs: 500 });
    // The pools and B's listening connection reconnect on their own; the payment is then paid through A.
    await eventually(async () => (await api(a.url, `/api/checkout/payments/${bizOrderNo}`, { headers: { 'x-test-payer': payer } })).status === 200 || undefined, 10_000, 'A answering again');
    assert.equal(await walletAction(payInfo, 'pay'), 200);
    assert.deepEqual((await stream.rest).map((event) => event.data.state), ['pending', 'success']);
  });
});
