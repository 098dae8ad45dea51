// Crash safety: the standalone `tsy-bff` (the built bin, its own process) is killed with SIGKILL at random moments while
// payments are in flight, and restarted on the same SQLite file, many rounds. The clients behave as the widget does (an
// Idempotency-Key retried after a lost answer, SSE resumed with Last-Event-ID), payers pay in the sandbox whether the BFF
// is up or not. Once reconciliation has settled everything, the BFF's store is checked against the sandbox's own orders
// and the merchant's delivery log. Each counter also runs once on a known-bad control, which must count.
//
// The run is seeded: `CRASH_SEED=<n>` replays a run's kill schedule and each order's choices (the seed is printed); the
// moments the kills meet still depend on the machine's speed.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { SYSID, bindPayerPhone, cleanup, eventually, startSandbox, tempDir, testKeys, walletAction, walletUrlOf, type RunningSandbox } from '../src/harness.js';
import { mulberry32 } from '@tsy/sandbox';
import { deliveryCounts, settlementCounts, type Delivery, type PaymentOutcome } from '../src/invariants.js';
import { tally } from '../src/tally.js';
import { FLOOD_LIMITS, stateMessages } from '@tsy/testing';

const bin = fileURLToPath(new URL('../../bff/bin/tsy-bff.js', import.meta.url));
const dir = tempDir('tsy-crash-');
const SEED = Number(process.env.CRASH_SEED ?? Math.floor(Math.random() * 2 ** 31));
const ROUNDS = 15;
const INTENTS_PER_ROUND = 6;
const PAYERS = 4;
console.log(`crash safety: seed ${SEED} (replay with CRASH_SEED=${SEED})`);

// The kill schedule draws from one stream and each order from its own, so a seed replays both whatever the timing.
const between = (random: () => number, min: number, max: number) => Math.floor(min + random() * (max - min));
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// The merchant's hooks as a module the server imports: orders by rule (`SO-<n>` costs 100 + n fen and belongs to payer
// n mod 4), the payer from a header, and every delivery appended to a file synchronously, so it survives the kill. The
// controls run the same module in a known-bad mode (CRASH_HOOK_MODE).
const HOOKS = `import { appendFileSync, existsSync } from 'node:fs';
const log = process.env.CRASH_DELIVERY_LOG;
const mode = process.env.CRASH_HOOK_MODE ?? 'sync';
const seen = new Set();
const line = (event) => JSON.stringify({ id: event.id, bizOrderNo: event.bizOrderNo, type: event.type, state: event.state, pid: process.pid }) + '\\n';
export default {
  resolveOrder(merchantOrderId) {
    const match = /^SO-(\\d+)$/.exec(merchantOrderId);
    if (!match) return undefined;
    const n = Number(match[1]);
    return { amount: 100 + n, subject: 'crash ' + n, payer: { bizUserId: 'crash-payer-' + (n % ${PAYERS}) } };
  },
  resolvePayer(req) {
    const bizUserId = req.get('x-test-payer');
    return bizUserId ? { bizUserId } : undefined;
  },
  onPaymentEvent(event) {
    if (mode === 'deferred') {
      // Known-bad: acknowledges at once and writes later — a payment's first event only once the test releases it (a
      // file next to the log), so the test decides whether the process dies before or after the write.
      if (event.type !== 'payment.pending') return void setTimeout(() => appendFileSync(log, line(event)), 0);
      const wait = setInterval(() => {
        if (!existsSync(log + '.release')) return;
        clearInterval(wait);
        appendFileSync(log, line(event));
      }, 20);
      return;
    }
    appendFileSync(log, line(event));
    if (mode === 'record-then-fail' && !seen.has(event.id)) {
      // Known-bad: records, then fails, so the BFF delivers the event again without any crash.
      seen.add(event.id);
      throw new Error('recorded, then failed');
    }
  },
};
`;
const hooksFile = join(dir, 'hooks.mjs');
writeFileSync(hooksFile, HOOKS);

let sandbox: RunningSandbox;
const running = new Set<ChildProcess>();
let fiveHundreds = 0;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Bff {
  readonly url: string;
  readonly child: ChildProcess;
  readonly exited: Promise<unknown>;
  output(): string;
}

interface BffSetup {
  readonly name: string;
  readonly port: number;
  /** Where the platform sends notifications (default: this server). */
  readonly publicBaseUrl?: string;
  readonly reconciliation: Record<string, number>;
  readonly hookMode?: 'sync' | 'deferred' | 'record-then-fail';
}

const dataDirOf = (setup: BffSetup) => join(dir, setup.name, 'data');
const deliveryLogOf = (setup: BffSetup) => join(dir, setup.name, 'deliveries.jsonl');

/** Starts the built `tsy-bff` on the setup's port and data folder, configured from a JSON file as a deployment would be. */
async function startBff(setup: BffSetup): Promise<Bff> {
  const keys = testKeys();
  const configFile = join(dir, `${setup.name}.config.json`);
  writeFileSync(
    configFile,
    JSON.stringify({
      sysid: SYSID,
      merchantKey: { pfxFile: keys.merchantPfx, password: keys.password },
      platformCertFile: keys.platformCer,
      environment: 'sandbox',
      sandboxUrl: sandbox.url,
      publicBaseUrl: setup.publicBaseUrl ?? `http://127.0.0.1:${setup.port}`,
      dataDir: dataDirOf(setup),
      hooksModule: hooksFile,
      methods: { SCAN_WEIXIN: {} },
      timeoutMs: 2000,
      reconciliation: setup.reconciliation,
      limits: FLOOD_LIMITS,
      eventRetrySeconds: [0.05, 0.1, 0.2],
    }),
  );
  const child = spawn(process.execPath, [bin], {
    env: {
      PATH: process.env.PATH ?? '',
      TSY_CONFIG: configFile,
      TSY_BFF_PORT: String(setup.port),
      TSY_BFF_HOST: '127.0.0.1',
      CRASH_DELIVERY_LOG: deliveryLogOf(setup),
      CRASH_HOOK_MODE: setup.hookMode ?? 'sync',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise((resolve) => child.once('exit', resolve)).finally(() => running.delete(child));
  let gone = false;
  void exited.then(() => (gone = true));
  await eventually(() => {
    if (gone) throw new Error(`tsy-bff exited before listening:\n${output}`);
    return /listening on http/.test(output) || undefined;
  }, 15_000, 'tsy-bff to listen');
  return { url: `http://127.0.0.1:${setup.port}`, child, exited, output: () => output };
}

async function kill(bff: Bff): Promise<void> {
  bff.child.kill('SIGKILL');
  await bff.exited;
}

/** A graceful stop (SIGTERM), as a deployment stops it; a server that does not exit within 5 s is a failure. */
async function stop(bff: Bff): Promise<void> {
  bff.child.kill('SIGTERM');
  const timer = setTimeout(() => bff.child.kill('SIGKILL'), 5000);
  const signal = await bff.exited;
  clearTimeout(timer);
  assert.notEqual(signal, 'SIGKILL', 'tsy-bff did not exit on SIGTERM');
}

/** A JSON call; throws when the server is not there (refused, reset by the kill). Counts 5xx. */
async function call(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  if (response.status >= 500) fiveHundreds++;
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

const payerOf = (n: number) => `crash-payer-${n % PAYERS}`;

interface StateMessage {
  readonly id: number | undefined;
  readonly state: string;
  /** The first message of a connection made without Last-Event-ID: the current state, not an event. */
  readonly snapshot: boolean;
}

/**
 * An SSE client on one payment that stays on across kills: after a dropped stream it reconnects, sending the last event id
 * it saw (`resume`), or — the known-bad control — starting afresh at "now".
 */
class SseClient {
  readonly messages: StateMessage[] = [];
  private stopped = false;
  private controller: AbortController | undefined;
  readonly done: Promise<void>;
  connections = 0;

  constructor(
    private readonly base: () => string,
    readonly bizOrderNo: string,
    private readonly payer: string,
    private readonly resume: boolean,
    private readonly beforeReconnect: () => Promise<void> = async () => {},
  ) {
    this.done = this.run();
  }

  get lastId(): number {
    return this.messages.reduce((max, message) => Math.max(max, message.id ?? 0), 0);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.controller?.abort();
    return this.done;
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      if (this.connections > 0) await this.beforeReconnect();
      if (this.stopped) return;
      const resumeFrom = this.resume && this.lastId > 0 ? this.lastId : undefined;
      this.controller = new AbortController();
      try {
        const response = await fetch(`${this.base()}/api/checkout/payments/${this.bizOrderNo}/events`, {
          headers: { accept: 'text/event-stream', 'x-test-payer': this.payer, ...(resumeFrom ? { 'last-event-id': String(resumeFrom) } : {}) },
          signal: this.controller.signal,
        });
        if (response.status >= 500) fiveHundreds++;
        if (response.status !== 200) throw new Error(`SSE HTTP ${response.status}`);
        this.connections++;
        let first = resumeFrom === undefined;
        for await (const { id, data } of stateMessages(response.body as unknown as AsyncIterable<Uint8Array>)) {
          this.messages.push({ id: id === undefined ? undefined : Number(id), state: data.state as string, snapshot: first });
          first = false;
        }
      } catch {
        // The server died (or is not back yet): reconnect.
      }
      if (!this.stopped) await sleep(50);
    }
  }
}

/** The outbox events the event stream shows (one per state change; the refund events that follow a success are not). */
const EVENT_OF_STATE: Record<string, string> = { pending: 'payment.pending', success: 'payment.succeeded', failed: 'payment.failed', expired: 'payment.expired', closed: 'payment.closed' };

interface StoreEvent {
  readonly id: number;
  readonly type: string;
  readonly bizOrderNo: string;
  readonly state: string;
  readonly delivered: boolean;
}

/** The BFF's database, read-only from outside (WAL: the server may still be writing). */
function readStore(setup: BffSetup): { payments: { bizOrderNo: string; state: string }[]; events: StoreEvent[] } {
  const file = join(dataDirOf(setup), 'tsy-checkout.sqlite');
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const payments = db.prepare('SELECT biz_order_no AS bizOrderNo, state FROM payments ORDER BY rowid').all() as { bizOrderNo: string; state: string }[];
    const events = (db.prepare('SELECT id, type, biz_order_no AS bizOrderNo, state, delivered_at FROM payment_events ORDER BY id').all() as { id: number; type: string; bizOrderNo: string; state: string; delivered_at: string | null }[]).map(
      ({ delivered_at, ...event }) => ({ ...event, delivered: delivered_at !== null }),
    );
    return { payments, events };
  } finally {
    db.close();
  }
}

function readDeliveries(setup: BffSetup): Delivery[] {
  const file = deliveryLogOf(setup);
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Delivery);
}

const settledAtSandbox = (bizOrderNo: string) => sandbox.sandbox.state.orders.get(bizOrderNo)?.state === 'success';
const falseSuccesses = (payments: readonly PaymentOutcome[]) => settlementCounts(payments, settledAtSandbox).falseSuccesses;
const lostPayments = (payments: readonly PaymentOutcome[], bizOrderNos: Iterable<string>) => {
  const asked = new Set(bizOrderNos);
  return settlementCounts(payments.filter((payment) => asked.has(payment.bizOrderNo)), settledAtSandbox, asked).lost;
};
/** A repeat is allowed only when the process that delivered it first died before it could mark it delivered. */
const deliveries = (events: readonly StoreEvent[], log: readonly Delivery[], killedPids: ReadonlySet<number>) =>
  deliveryCounts(events, log, (first, repeat) => first.pid !== repeat.pid && killedPids.has(first.pid!));

/**
 * Events of its payment that an SSE client missed: every event the stream shows after the state the client first
 * connected to, received as an event (a later fresh connection's current state is a state, not the events before it).
 * Also counts ids received twice or backwards.
 */
function sseCounts(client: SseClient, events: readonly StoreEvent[]): { missed: number; repeated: number; checked: number } {
  const start = client.messages.find((message) => message.snapshot)?.id ?? 0;
  const expected = events.filter((event) => event.bizOrderNo === client.bizOrderNo && event.id > start && EVENT_OF_STATE[event.state] === event.type).map((event) => event.id);
  const received = client.messages.filter((message) => !message.snapshot && message.id !== undefined).map((message) => message.id!);
  let repeated = 0;
  for (let i = 1; i < received.length; i++) if (received[i]! <= received[i - 1]!) repeated++;
  const got = new Set(received);
  return { missed: expected.filter((id) => !got.has(id)).length, repeated, checked: expected.length };
}

/** Every order still open at the sandbox is failed by its payer: nothing is left that reconciliation could still learn. */
async function failOpenSandboxOrders(): Promise<void> {
  for (const order of sandbox.sandbox.state.orders.all()) {
    if (order.state !== 'unpaid' && order.state !== 'inProgress') continue;
    assert.equal(await walletAction(await walletUrlOf(sandbox.url, order.bizOrderNo), 'fail'), 200);
  }
}

/** Until the BFF has no open payment and its outbox is empty. */
async function settled(setup: BffSetup, what: string): Promise<void> {
  await eventually(
    () => {
      const { payments, events } = readStore(setup);
      return (payments.every((payment) => payment.state !== 'created' && payment.state !== 'pending') && events.every((event) => event.delivered)) || undefined;
    },
    30_000,
    what,
  );
}

const FAST = { afterSeconds: 0, intervalSeconds: 0.2, onDemandSeconds: 0, unknownOrderGraceSeconds: 3 };
const OFF = { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 3600, unknownOrderGraceSeconds: 3600 };

before(async () => {
  sandbox = await startSandbox({ dailyOrderLimit: false });
});
after(async () => {
  for (const child of running) child.kill('SIGKILL');
  await sandbox?.close();
  cleanup(dir);
});

describe('crash safety: tsy-bff killed with SIGKILL while payments are in flight', () => {
  it('keeps every payment, event and stream through random kills, restarted on the same database', async () => {
    const setup: BffSetup = { name: 'main', port: await freePort(), reconciliation: FAST };
    let bff = await startBff(setup);
    const base = () => bff.url;
    for (let p = 0; p < PAYERS; p++) await bindPayerPhone(bff.url, sandbox.url, payerOf(p), `1370000${String(p).padStart(4, '0')}`);

    const killedPids = new Set<number>();
    const created = new Map<string, string>();
    const streams: SseClient[] = [];
    const unexpected: string[] = [];
    let kills = 0;
    let next = 0;
    let retriedSameKey = 0;
    let newAttempts = 0;

    /** One order paid as the widget does it: the same Idempotency-Key until an answer comes, a new attempt only when told so. */
    const intent = async (n: number): Promise<void> => {
      const payer = payerOf(n);
      const random = mulberry32(SEED + 1 + n);
      let attempt = 0;
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline) {
        let answer;
        try {
          answer = await call(base(), `/api/checkout/orders/SO-${n}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'idempotency-key': `crash-${SEED}-${n}-${attempt}`, 'x-test-payer': payer } });
        } catch {
          retriedSameKey++;
          await sleep(100);
          continue;
        }
        if (answer.status === 409 && answer.body.error.code === 'payment_in_progress') {
          retriedSameKey++;
          await sleep(200);
          continue;
        }
        if (answer.status === 409 && answer.body.error.code === 'payment_outcome_unknown') {
          newAttempts++;
          attempt++;
          continue;
        }
        if (answer.status !== 201) {
          unexpected.push(`SO-${n}: HTTP ${answer.status} ${JSON.stringify(answer.body)}`);
          return;
        }
        created.set(answer.body.bizOrderNo, payer);
        if (answer.body.state !== 'pending') {
          if (answer.body.state === 'success') return;
          attempt++;
          continue;
        }
        const roll = random();
        if (streams.length < 12 && roll < 0.35) streams.push(new SseClient(base, answer.body.bizOrderNo, payer, true));
        await sleep(between(random, 0, 400));
        // The payer in the wallet app: it does not care whether the shop's server is up.
        if (roll < 0.6) await walletAction(answer.body.action.payInfo, 'pay');
        else if (roll < 0.75) await walletAction(answer.body.action.payInfo, 'fail');
        return;
      }
      unexpected.push(`SO-${n}: no answer within 60 s`);
    };

    const schedule = mulberry32(SEED);
    const intents: Promise<void>[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      if (round > 1) bff = await startBff(setup);
      for (let i = 0; i < INTENTS_PER_ROUND; i++) intents.push(intent(next++));
      await sleep(between(schedule, 30, 700));
      killedPids.add(bff.child.pid!);
      await kill(bff);
      kills++;
      // Down for a moment: notifications and status reads meet a closed port.
      await sleep(between(schedule, 0, 300));
    }

    bff = await startBff(setup);
    await Promise.all(intents);
    assert.deepEqual(unexpected, []);
    await failOpenSandboxOrders();
    await settled(setup, 'every payment settled and every event delivered');
    // The status API agrees, for every payment a client knows.
    for (const [bizOrderNo, payer] of created) {
      const status = await call(bff.url, `/api/checkout/payments/${bizOrderNo}`, { headers: { 'x-test-payer': payer } });
      assert.equal(status.status, 200, `status of ${bizOrderNo}`);
      assert.notEqual(status.body.state, 'pending', `status of ${bizOrderNo}`);
    }
    const { events: finalEvents } = readStore(setup);
    const lastVisible = (bizOrderNo: string) => finalEvents.filter((e) => e.bizOrderNo === bizOrderNo && EVENT_OF_STATE[e.state] === e.type).at(-1)?.id ?? 0;
    await eventually(() => streams.every((client) => client.lastId >= lastVisible(client.bizOrderNo)) || undefined, 10_000, 'the SSE clients to catch up').catch(() => {});
    await Promise.all(streams.map((client) => client.stop()));
    await stop(bff);

    const { payments, events } = readStore(setup);
    const atSandbox = sandbox.sandbox.state.orders.all().map((order) => order.bizOrderNo);
    const falseOnes = falseSuccesses(payments);
    const lost = lostPayments(payments, atSandbox);
    const delivery = deliveries(events, readDeliveries(setup), killedPids);
    const sse = streams.map((client) => sseCounts(client, events));
    const sseMissed = sse.reduce((sum, counts) => sum + counts.missed, 0);
    const sseRepeated = sse.reduce((sum, counts) => sum + counts.repeated, 0);
    const settledAtSandbox = atSandbox.filter((bizOrderNo) => sandbox.sandbox.state.orders.get(bizOrderNo)?.state === 'success').length;
    console.log(
      `crash safety (seed ${SEED}): ${ROUNDS} rounds, ${kills} kills, ${payments.length} payments (${settledAtSandbox} settled at the sandbox, ${atSandbox.length} orders there), ` +
        `${events.length} events, ${delivery.duplicates} duplicate deliveries, ${streams.length} SSE clients (${sse.reduce((s, c) => s + c.checked, 0)} events checked, ` +
        `${streams.reduce((s, c) => s + c.connections, 0)} connections)`,
    );
    tally('crash safety', {
      rounds: [ROUNDS, 'info'],
      kills: [kills, 'info'],
      payments: [payments.length, 'info'],
      'creates retried with the same key': [retriedSameKey, 'info'],
      'attempts abandoned (outcome unknown)': [newAttempts, 'info'],
      'false successes': [falseOnes.length, 'zero'],
      'lost payments': [lost.length, 'zero'],
      'events never delivered': [delivery.neverDelivered, 'zero'],
      'out-of-order deliveries': [delivery.outOfOrder, 'zero'],
      'duplicate deliveries': [delivery.duplicates, 'info'],
      'duplicates without a crash': [delivery.duplicatesWithoutCrash, 'zero'],
      'SSE events missed': [sseMissed, 'zero'],
      'SSE events repeated': [sseRepeated, 'zero'],
      '5xx': [fiveHundreds, 'zero'],
    });
    assert.ok(payments.length >= ROUNDS * INTENTS_PER_ROUND, 'every order got a payment');
    assert.ok(settledAtSandbox > 0, 'some payments were paid');
    assert.ok(sse.some((counts) => counts.checked > 0), 'the SSE clients saw events');
    assert.deepEqual(falseOnes, [], 'false successes');
    assert.deepEqual(lost, [], 'lost payments');
    assert.equal(delivery.neverDelivered, 0, 'events never delivered');
    assert.equal(delivery.outOfOrder, 0, 'out-of-order deliveries');
    assert.equal(delivery.duplicatesWithoutCrash, 0, 'duplicates without a crash between delivery and its mark');
    assert.equal(sseMissed, 0, 'SSE events missed');
    assert.equal(sseRepeated, 0, 'SSE events repeated');
    assert.equal(fiveHundreds, 0, '5xx');
  });

  it('known-bad controls: each counter counts', async () => {
    const controls: Record<string, readonly [number, 'nonzero']> = {};
    let n = 100_000;
    const create = async (base: string, order: number) => {
      const answer = await call(base, `/api/checkout/orders/SO-${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'x-test-payer': payerOf(order) } });
      assert.equal(answer.status, 201, JSON.stringify(answer.body));
      return { ...(answer.body as { bizOrderNo: string; action: { payInfo: string } }), payer: payerOf(order) };
    };

    // Reconciliation off and notifications dropped (the platform's backUrl reaches nobody): payments paid around a kill stay
    // pending in the BFF.
    {
      const setup: BffSetup = { name: 'no-reconciliation', port: await freePort(), publicBaseUrl: `http://127.0.0.1:${await freePort()}`, reconciliation: OFF };
      let bff = await startBff(setup);
      const paid = [await create(bff.url, n++), await create(bff.url, n++)];
      await walletAction(paid[0]!.action.payInfo, 'pay');
      await kill(bff);
      await walletAction(paid[1]!.action.payInfo, 'pay');
      // Nobody asks either (a status read would make the BFF ask the platform, which heals it).
      bff = await startBff(setup);
      await sleep(500);
      await stop(bff);
      controls['lost payments (reconciliation off, notifications dropped)'] = [lostPayments(readStore(setup).payments, paid.map((p) => p.bizOrderNo)).length, 'nonzero'];
    }

    // A merchant hook that acknowledges before it writes (the first event of a payment slowest), and SSE clients, one of
    // which comes back without Last-Event-ID.
    {
      const setup: BffSetup = { name: 'deferred-hook', port: await freePort(), reconciliation: FAST, hookMode: 'deferred' };
      let bff = await startBff(setup);
      const base = () => bff.url;
      // Paid at once: its success is written before its pending.
      const early = await create(bff.url, n++);
      await walletAction(early.action.payInfo, 'pay');
      await eventually(() => readDeliveries(setup).some((d) => d.bizOrderNo === early.bizOrderNo) || undefined, 10_000, 'the early payment’s success written');
      writeFileSync(`${deliveryLogOf(setup)}.release`, '');
      await eventually(() => readDeliveries(setup).filter((d) => d.bizOrderNo === early.bizOrderNo).length === 2 || undefined, 10_000, 'both events of the early payment written');
      rmSync(`${deliveryLogOf(setup)}.release`);
      // Paid while the server is down; watched by a resuming client and by one that starts afresh at "now".
      const watched = await create(bff.url, n++);
      let successKnown = false;
      const resuming = new SseClient(base, watched.bizOrderNo, watched.payer, true);
      const fresh = new SseClient(base, watched.bizOrderNo, watched.payer, false, async () => void (await eventually(() => successKnown || undefined, 10_000, 'the success before the fresh client reconnects')));
      await eventually(() => (resuming.messages.length > 0 && fresh.messages.length > 0) || undefined, 5000, 'both SSE clients connected');
      // Delivered and acknowledged (marked in the outbox), not yet written: lost with the process.
      const unwritten = await create(bff.url, n++);
      await eventually(() => readStore(setup).events.some((event) => event.bizOrderNo === unwritten.bizOrderNo && event.delivered) || undefined, 10_000, 'the event acknowledged');
      await kill(bff);
      await walletAction(watched.action.payInfo, 'pay');
      bff = await startBff(setup);
      await eventually(async () => (await call(bff.url, `/api/checkout/payments/${watched.bizOrderNo}`, { headers: { 'x-test-payer': watched.payer } })).body.state === 'success' || undefined, 10_000, 'the watched payment to succeed');
      successKnown = true;
      await eventually(() => (fresh.connections >= 2 && resuming.lastId > 0 && fresh.messages.at(-1)?.state === 'success' && resuming.messages.at(-1)?.state === 'success') || undefined, 10_000, 'both clients to see the success');
      await Promise.all([resuming.stop(), fresh.stop()]);
      await failOpenSandboxOrders();
      await settled(setup, 'the deferred-hook run settled');
      await sleep(500);
      await stop(bff);
      const { events } = readStore(setup);
      const delivery = deliveries(events, readDeliveries(setup), new Set());
      controls['events never delivered (hook acknowledges before writing)'] = [delivery.neverDelivered, 'nonzero'];
      controls['out-of-order deliveries (hook acknowledges before writing)'] = [delivery.outOfOrder, 'nonzero'];
      controls['SSE events missed (client reconnects without Last-Event-ID)'] = [sseCounts(fresh, events).missed, 'nonzero'];
      // The same moments, resumed with Last-Event-ID: nothing missed.
      assert.deepEqual(sseCounts(resuming, events), { missed: 0, repeated: 0, checked: sseCounts(resuming, events).checked });
      assert.ok(sseCounts(resuming, events).checked > 0);
    }

    // A hook that records and then fails: the BFF delivers again, with no crash in between.
    {
      const setup: BffSetup = { name: 'record-then-fail', port: await freePort(), reconciliation: FAST, hookMode: 'record-then-fail' };
      const bff = await startBff(setup);
      await create(bff.url, n++);
      await eventually(() => readDeliveries(setup).length >= 2 || undefined, 5000, 'the event delivered twice');
      await stop(bff);
      controls['duplicates without a crash (hook records, then fails)'] = [deliveries(readStore(setup).events, readDeliveries(setup), new Set()).duplicatesWithoutCrash, 'nonzero'];
    }

    // A store whose failed payments were taken for successes (what a BFF that read a timeout as a success would hold).
    {
      const setup: BffSetup = { name: 'doctored', port: 0, reconciliation: FAST };
      const source = join(dataDirOf({ name: 'deferred-hook', port: 0, reconciliation: FAST }), 'tsy-checkout.sqlite');
      const target = join(dataDirOf(setup), 'tsy-checkout.sqlite');
      mkdirSync(dataDirOf(setup), { recursive: true });
      const original = new Database(source, { readonly: true });
      original.prepare('VACUUM INTO ?').run(target);
      original.close();
      const db = new Database(target);
      db.prepare("UPDATE payments SET state = 'success' WHERE state <> 'success'").run();
      db.close();
      controls['false successes (failed payments stored as successes)'] = [falseSuccesses(readStore(setup).payments).length, 'nonzero'];
    }

    console.log('crash safety controls:', controls);
    tally('crash safety controls', controls);
    for (const [measure, [count]] of Object.entries(controls)) assert.ok(count > 0, `${measure}: the control must count`);
  });
});
