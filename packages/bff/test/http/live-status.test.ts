// Live status: the payment event streams of one instance watch payments through one change feed. Real parts: the router
// on a real port, the sandbox over HTTP, SQLite on disk. The store's reads and checks are counted by wrapping the real
// store's methods (a measurement: every call still goes to SQLite).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqliteStore, type BffConfigInput, type PaymentRecord, type Store } from '../../src/index.js';
import { applyTransition } from '../../src/checkout/transitions.js';
import type { PaymentChangeListener } from '../../src/store/types.js';
import { stateMessages } from '../../../testing/src/sse.js';
import { addOrder, api, bindPayerPhone, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
const dirs: string[] = [];
before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  await sandbox?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function eventually<T>(probe: () => T | undefined | false, what: string): Promise<T> {
  for (let i = 0; i < 1000; i++) {
    const value = probe();
    if (value) return value;
    await sleep(10);
  }
  throw new Error(`never happened: ${what}`);
}

/** The real SQLite store of a fresh data dir, its event reads and platform checks counted per payment. */
function countedStore() {
  const dataDir = mkdtempSync(join(tmpdir(), 'tsy-bff-live-'));
  dirs.push(dataDir);
  const file = join(dataDir, 'tsy-checkout.sqlite');
  const store = new SqliteStore({ file });
  const reads = new Map<string, number>();
  const checks = new Map<string, number>();
  let reading = 0;
  const listPaymentEvents = store.listPaymentEvents.bind(store);
  store.listPaymentEvents = async (bizOrderNo, afterId) => {
    reads.set(bizOrderNo, (reads.get(bizOrderNo) ?? 0) + 1);
    reading++;
    try {
      return await listPaymentEvents(bizOrderNo, afterId);
    } finally {
      reading--;
    }
  };
  // The reconciler notes `checkedAt` before each getOrderDetail it sends.
  const patchPayment = store.patchPayment.bind(store);
  store.patchPayment = (bizOrderNo, patch) => {
    if (patch.checkedAt) checks.set(bizOrderNo, (checks.get(bizOrderNo) ?? 0) + 1);
    return patchPayment(bizOrderNo, patch);
  };
  return { dataDir, file, store, reads, checks, reading: () => reading };
}

type Counted = ReturnType<typeof countedStore>;

async function shop(counted: Counted, config: Partial<BffConfigInput> = {}): Promise<Merchant> {
  return startMerchant({ sandboxUrl: sandbox.url, dataDir: counted.dataDir, store: counted.store, config: { limits: { openStreamsPerClient: 1000, phoneCodes: { perIp: { count: 1000 } } }, ...config } });
}

let phones = 0;
async function openPayment(merchant: Merchant): Promise<{ bizOrderNo: string; payer: string }> {
  const payer = `live-${process.pid}-${++phones}`;
  await bindPayerPhone(merchant, sandbox.url, payer, `136${String(process.pid % 10_000).padStart(4, '0')}${String(phones).padStart(4, '0')}`);
  const created = await api(merchant.url, `/api/checkout/orders/${addOrder(merchant, { payer: { bizUserId: payer } })}/payments`, { body: { method: 'SCAN_WEIXIN' } });
  assert.equal(created.status, 201, created.text);
  return { bizOrderNo: created.body.bizOrderNo, payer };
}

interface StateMessage {
  readonly id: number | undefined;
  readonly data: { state: string; [field: string]: unknown };
}

/** An SSE client of one payment's stream, keeping every state message it got. */
async function openStream(merchant: Merchant, payment: { bizOrderNo: string; payer: string }, lastEventId?: number) {
  const controller = new AbortController();
  const response = await fetch(`${merchant.url}/api/checkout/payments/${payment.bizOrderNo}/events`, {
    headers: { accept: 'text/event-stream', 'x-test-payer': payment.payer, ...(lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) }) },
    signal: controller.signal,
  });
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const messages: StateMessage[] = [];
  let ended = false;
  const reading = (async () => {
    try {
      for await (const { id, data } of stateMessages(response.body as unknown as AsyncIterable<Uint8Array>)) {
        messages.push({ id: id === undefined ? undefined : Number(id), data: data as StateMessage['data'] });
      }
    } catch {
      // aborted
    } finally {
      ended = true;
    }
  })();
  return {
    messages,
    states: () => messages.map((message) => message.data.state),
    until: (state: string) => eventually(() => messages.find((message) => message.data.state === state) ?? (ended && assert.fail(`stream ended before "${state}"`)), `a "${state}" message`),
    async close() {
      controller.abort();
      await reading;
    },
  };
}

const fail = (merchant: Merchant, payment: PaymentRecord, message: string) =>
  applyTransition(merchant.router.services.context, payment, { fact: { type: 'failed', source: 'reconciliation', message } });

describe('the change feed', () => {
  it('wakes every stream of a payment with one read of the event table per change', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 } });
    try {
      const payment = await openPayment(merchant);
      const streams = await Promise.all(Array.from({ length: 25 }, () => openStream(merchant, payment)));
      for (const stream of streams) await stream.until('pending');
      await eventually(() => merchant.router.services.liveStatus.stats().streams === 25 && counted.reading() === 0, 'all streams watching, no read under way');
      assert.deepEqual(
        (({ streams, payments, openPayments }) => ({ streams, payments, openPayments }))(merchant.router.services.liveStatus.stats()),
        { streams: 25, payments: 1, openPayments: 1 },
      );

      counted.reads.set(payment.bizOrderNo, 0);
      await fail(merchant, (await counted.store.getPayment(payment.bizOrderNo))!, 'Declined by the bank');
      for (const stream of streams) await stream.until('failed');
      await eventually(() => counted.reading() === 0, 'the read is over');
      assert.equal(counted.reads.get(payment.bizOrderNo), 1, 'one read for the 25 streams');
      for (const stream of streams) {
        assert.deepEqual(stream.states(), ['pending', 'failed']);
        assert.equal(stream.messages[1]!.data.message, 'Declined by the bank');
        assert.ok(stream.messages[1]!.id! > stream.messages[0]!.id!);
      }
      assert.equal(merchant.router.services.liveStatus.stats().openPayments, 0, 'a failed payment is no longer asked about');
      for (const stream of streams) await stream.close();
    } finally {
      await merchant.close();
    }
  });

  it('a change committed while a stream sets up is in the state it sends first, never marked as seen while missed', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 } });
    const other = new SqliteStore({ file: counted.file });
    try {
      const payment = await openPayment(merchant);
      // Another process commits the failure after the stream read the payment and before it reads the history: no
      // wake-up reaches this instance, and the sweep is off, so only the set-up itself can get it right.
      const listPaymentEvents = counted.store.listPaymentEvents;
      let raced = false;
      counted.store.listPaymentEvents = async (bizOrderNo, afterId) => {
        if (!raced && bizOrderNo === payment.bizOrderNo && afterId === 0) {
          raced = true;
          await other.transition(bizOrderNo, { fact: { type: 'failed', source: 'reconciliation', message: 'Declined meanwhile' } });
        }
        return listPaymentEvents(bizOrderNo, afterId);
      };
      const stream = await openStream(merchant, payment);
      await stream.until('failed');
      assert.ok(raced, 'the failure was committed during the set-up');
      assert.equal(stream.states()[0], 'failed', `first message: ${JSON.stringify(stream.messages[0])}`);
      await stream.close();
    } finally {
      await other.close();
      await merchant.close();
    }
  });

  it('drops a payment’s subscription when its last stream closes', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 } });
    try {
      const [a, b] = [await openPayment(merchant), await openPayment(merchant)];
      const ofA = await Promise.all([openStream(merchant, a), openStream(merchant, a), openStream(merchant, a)]);
      const ofB = await openStream(merchant, b);
      for (const stream of [...ofA, ofB]) await stream.until('pending');
      const stats = () => merchant.router.services.liveStatus.stats();
      await eventually(() => stats().streams === 4, 'four streams');
      assert.equal(stats().payments, 2);

      await ofA[0]!.close();
      await eventually(() => stats().streams === 3, 'a closed stream leaves');
      assert.equal(stats().payments, 2, 'the payment is still watched by the others');
      await Promise.all(ofA.slice(1).map((stream) => stream.close()));
      await eventually(() => stats().streams === 1, 'the other two leave');
      assert.equal(stats().payments, 1, 'the payment nobody watches is dropped');

      // A change of a payment nobody watches reads nothing.
      counted.reads.set(a.bizOrderNo, 0);
      await fail(merchant, (await counted.store.getPayment(a.bizOrderNo))!, 'nobody watches');
      assert.equal(counted.reads.get(a.bizOrderNo), 0);

      await ofB.close();
      await eventually(() => stats().streams === 0, 'the last stream leaves');
      assert.equal(stats().payments, 0);
    } finally {
      await merchant.close();
    }
  });

  it('resumes after Last-Event-ID; streams of one payment at different places each get what they lack', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 } });
    try {
      await openPayment(merchant); // event ids are shared by all payments: there is one before this payment's first
      const payment = await openPayment(merchant);
      const [pending, ...none] = await counted.store.listPaymentEvents(payment.bizOrderNo, 0);
      assert.deepEqual([pending!.state, none], ['pending', []]);
      const before = pending!.id - 1;
      assert.ok(before > 0);

      const fresh = await openStream(merchant, payment);
      await fresh.until('pending');
      assert.equal(fresh.messages[0]!.id, pending!.id, 'the current state, tagged with the newest event');
      // Resumed from before the pending event: it gets that one, the fresh stream (same payment) does not get it again.
      const behind = await openStream(merchant, payment, before);
      const caughtUp = await behind.until('pending');
      assert.equal(caughtUp.id, pending!.id);

      await fail(merchant, (await counted.store.getPayment(payment.bizOrderNo))!, 'Declined');
      await fresh.until('failed');
      await behind.until('failed');
      assert.deepEqual(fresh.states(), ['pending', 'failed']);
      assert.deepEqual(behind.states(), ['pending', 'failed']);
      const failedId = fresh.messages[1]!.id!;
      await fresh.close();

      const resumed = await openStream(merchant, payment, pending!.id);
      await resumed.until('failed');
      assert.deepEqual(resumed.messages, [fresh.messages[1]], 'only what came after the last event seen');
      const upToDate = await openStream(merchant, payment, failedId);
      await eventually(() => merchant.router.services.liveStatus.stats().streams === 3 && counted.reading() === 0, 'watching, read done');
      assert.deepEqual(upToDate.messages, [], 'nothing to repeat');
      for (const stream of [behind, resumed, upToDate]) await stream.close();
    } finally {
      await merchant.close();
    }
  });

  it('the sweep brings a change another process wrote (no wake-up here) to the streams', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 0.2 } });
    const elsewhere = new SqliteStore({ file: counted.file });
    try {
      const payment = await openPayment(merchant);
      const stream = await openStream(merchant, payment);
      await stream.until('pending');
      // Another instance on the same file: its commit wakes nothing in this process.
      await elsewhere.transition(payment.bizOrderNo, { fact: { type: 'failed', source: 'reconciliation', message: 'Failed elsewhere' } });
      const failed = await stream.until('failed');
      assert.equal(failed.data.message, 'Failed elsewhere');
      await stream.close();
    } finally {
      await elsewhere.close();
      await merchant.close();
    }
  });

  it('follows the store’s change watch: changed() reads that payment, resumed() reads every watched one', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    // The documented contract of watchPaymentChanges on the real store; the test plays the other process's announcements.
    let listener: PaymentChangeListener | undefined;
    let stopped = false;
    (counted.store as Store).watchPaymentChanges = async (given) => {
      listener = given;
      return async () => {
        stopped = true;
      };
    };
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 } });
    const elsewhere = new SqliteStore({ file: counted.file });
    try {
      const [a, b] = [await openPayment(merchant), await openPayment(merchant)];
      const [ofA, ofB] = [await openStream(merchant, a), await openStream(merchant, b)];
      await ofA.until('pending');
      await ofB.until('pending');
      await eventually(() => merchant.router.services.liveStatus.stats().streams === 2 && counted.reading() === 0 && listener, 'watching, the watch live');
      counted.reads.clear();

      await elsewhere.transition(a.bizOrderNo, { fact: { type: 'failed', source: 'reconciliation', message: 'A failed elsewhere' } });
      listener!.changed(a.bizOrderNo);
      listener!.changed('TSY-NOBODY-WATCHES');
      assert.equal((await ofA.until('failed')).data.message, 'A failed elsewhere');
      await eventually(() => counted.reading() === 0, 'the read is over');
      assert.deepEqual(Object.fromEntries(counted.reads), { [a.bizOrderNo]: 1 }, 'only the changed payment is read');
      // The same change announced again with its event id (this instance's own commit, echoed by the watch): every
      // stream of the payment has it, so nothing is read.
      const failedId = ofA.messages.find((message) => message.data.state === 'failed')!.id!;
      // (A read would be counted at once: the feed calls the store within changed().)
      listener!.changed(a.bizOrderNo, failedId);
      assert.deepEqual(Object.fromEntries(counted.reads), { [a.bizOrderNo]: 1 }, 'an announcement the streams already have reads nothing');

      // Announcements lost while the watch was down: resumed() catches up on every watched payment.
      await elsewhere.transition(b.bizOrderNo, { fact: { type: 'failed', source: 'reconciliation', message: 'B failed unannounced' } });
      counted.reads.clear();
      listener!.resumed();
      assert.equal((await ofB.until('failed')).data.message, 'B failed unannounced');
      await eventually(() => counted.reading() === 0, 'the reads are over');
      assert.deepEqual(Object.fromEntries(counted.reads), { [a.bizOrderNo]: 1, [b.bizOrderNo]: 1 });
      assert.deepEqual(ofA.states(), ['pending', 'failed'], 'nothing sent twice');
      for (const stream of [ofA, ofB]) await stream.close();
    } finally {
      await elsewhere.close();
      await merchant.close();
    }
    assert.ok(stopped, 'closing the checkout stops the watch');
  });

  it('asks the platform about a watched open payment once per round, however many streams watch it', { timeout: 60_000 }, async () => {
    const counted = countedStore();
    // onDemandSeconds 0: the reconciler lets every round ask (the rounds run every 2 s at the least).
    const merchant = await shop(counted, { liveStatus: { sweepSeconds: 3600 }, reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 0 } });
    try {
      const payment = await openPayment(merchant);
      const streams = await Promise.all(Array.from({ length: 6 }, () => openStream(merchant, payment)));
      for (const stream of streams) await stream.until('pending');
      const stats = () => merchant.router.services.liveStatus.stats();
      await eventually(() => stats().streams === 6, 'six streams');
      const checksNow = () => counted.checks.get(payment.bizOrderNo) ?? 0;
      const [rounds0, checks0] = [stats().rounds, checksNow()];
      await eventually(() => stats().rounds >= rounds0 + 2, 'two rounds');
      const [rounds, checks] = [stats().rounds - rounds0, checksNow() - checks0];
      // A round under way at either end may or may not have asked yet: one more or one less, never one per stream.
      assert.ok(checks >= rounds - 1 && checks <= rounds + 1, `${checks} checks in ${rounds} rounds`);
      for (const stream of streams) await stream.close();
      await eventually(() => stats().payments === 0, 'nothing watched');
    } finally {
      await merchant.close();
    }
  });
});
