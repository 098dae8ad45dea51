// Live status over Server-Sent Events: how many payment streams one BFF instance holds and what each costs it (memory,
// CPU while nothing happens), and how fast a state change reaches every stream of its payment, on one instance and across
// two sharing a PostgreSQL. The sandbox, each BFF and the load client (src/sse-client.ts, which holds the streams and
// presses "pay") are processes of their own; the BFF and the client get an open-files limit for the connections.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { FLOOD_LIMITS } from '@tsy/testing';
import { fixed, type Section } from '../document.js';
import { cpuSecondsOf, openFilesLimitOf, openFilesOf, startConversation, type Conversation, type Started } from '../processes.js';
import type { BenchContext } from '../run.js';
import type { CountResult, FanOutResult, OpenResult, StreamTarget } from '../sse-client.js';
import { postgresForBench, startBenchStack, storeLabel, type BenchStack, type StoreSetup } from '../stack.js';
import { summarize } from '../stats.js';

const SSE_CLIENT = fileURLToPath(new URL('../sse-client.ts', import.meta.url));
const BFF_PROBE = pathToFileURL(fileURLToPath(new URL('../bff-probe.mjs', import.meta.url))).href;

const GOAL_STREAMS = 10_000;
const GOAL_BYTES_PER_STREAM = 20 * 1024;
const GOAL_FAN_OUT_P99_MS = 100;
/**
 * "No measurable CPU beyond heartbeats", as a number: the BFF's CPU with every stream open and nothing happening may be at
 * most this share of a core above its CPU with none. A heartbeat is one 13-byte write per stream every interval (10,000
 * streams at 15 s: about 670 small socket writes a second, well under 1 % of a core), and /proc counts CPU in 10 ms ticks.
 */
const IDLE_ALLOWANCE = 0.02;
/** Open files a process needs besides the streams: the store, the sandbox connections, node's own. */
const OTHER_FILES = 1024;
/** The sandbox's notification schedule (first attempt 5 s after the payment) scaled down to "at once". */
const NOTIFY_AT_ONCE = 1e-6;
/** Fan-out payments paid before the counted ones: the JIT of the notification path, the first connection to the BFF. */
const UNCOUNTED = 2;

interface Sizes {
  readonly streams: number;
  readonly payments: number;
  readonly payers: number;
  readonly idleSeconds: number;
  readonly fanPayments: number;
  readonly fanStreams: number;
}

const FULL: Sizes = { streams: 10_000, payments: 1_000, payers: 10, idleSeconds: 30, fanPayments: 50, fanStreams: 20 };
const QUICK: Sizes = { streams: 200, payments: 20, payers: 2, idleSeconds: 2, fanPayments: 4, fanStreams: 3 };

interface Memory {
  readonly seq: number;
  readonly collected: boolean;
  readonly rss: number;
  readonly heapUsed: number;
  readonly external: number;
  readonly arrayBuffers: number;
}

/** The BFF's memory after two full collections, from the probe preloaded into it (bff-probe.mjs; SIGUSR2). */
async function memoryAfterGc(bff: Started): Promise<Memory> {
  const seen = (bff.output().match(/^bench-memory /gm) ?? []).length;
  bff.child.kill('SIGUSR2');
  const deadline = performance.now() + 30_000;
  while (performance.now() < deadline) {
    const lines = [...bff.output().matchAll(/^bench-memory (.*)$/gm)];
    if (lines.length > seen) return JSON.parse(lines[seen]![1]!) as Memory;
    await sleep(50);
  }
  throw new Error(`the BFF's memory probe did not answer within 30 s (was it started with ${BFF_PROBE}?)`);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The child processes of a run: each stopped at the end (also when the run fails), and each step raced against their
 * exits, so a process that dies fails the run at once, naming itself, instead of leaving a step waiting for its timeout.
 */
class Processes {
  readonly #children = new Set<BenchStack | Conversation>();
  /** Pids being stopped on purpose: their exit is no failure. */
  readonly #stopping = new Set<number>();
  #fail!: (error: Error) => void;
  readonly #died = new Promise<never>((_, reject) => (this.#fail = reject));

  constructor() {
    this.#died.catch(() => {});
  }

  #watch(child: ChildProcess, what: string, output: () => string): void {
    child.once('exit', (code, signal) => {
      if (!this.#stopping.has(child.pid!)) this.#fail(new Error(`sse: ${what} exited (${signal ?? code}) during the run${output() ? `; its last output:\n${output().slice(-600)}` : ''}`));
    });
  }

  stack(stack: BenchStack): BenchStack {
    this.#children.add(stack);
    this.#watch(stack.bff.child, `the BFF at ${stack.bffUrl}`, stack.bff.output);
    if (stack.sandbox) this.#watch(stack.sandbox.child, 'the sandbox', stack.sandbox.output);
    return stack;
  }

  conversation(conversation: Conversation): Conversation {
    this.#children.add(conversation);
    this.#watch(conversation.child, 'the SSE load client', () => '');
    return conversation;
  }

  /** `work`, unless it takes longer than `ms` or a process of the run dies first; the error names the step. */
  async within<T>(ms: number, step: string, work: Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    try {
      return await Promise.race([
        work,
        this.#died.catch((error: Error) => Promise.reject(new Error(`${error.message}\n(while ${step})`))),
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`sse: ${step} did not finish within ${ms / 1000} s`)), ms))),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Stops every process of the run (the load clients first: they hold connections to the BFFs). */
  async stopAll(): Promise<void> {
    const all = [...this.#children].sort((a, b) => Number('close' in a) - Number('close' in b));
    this.#children.clear();
    for (const child of all) {
      for (const process of 'close' in child ? [child.bff, child.sandbox] : [child]) if (process?.child.pid) this.#stopping.add(process.child.pid);
    }
    const failures: unknown[] = [];
    for (const child of all) {
      try {
        await ('close' in child ? child.close() : child.stop());
      } catch (error) {
        failures.push(error);
      }
    }
    if (failures.length) throw new AggregateError(failures, 'sse: stopping the child processes');
  }
}

/** The open-files limit the BFF and the client get: what `streams` connections need, within this process's hard limit. */
function openFilesFor(streams: number): number {
  const own = openFilesLimitOf('self');
  if (!own) throw new Error('sse: cannot read this process\'s open-files limit from /proc/self/limits (Linux only)');
  const wanted = streams + OTHER_FILES;
  if (own.hard < wanted) {
    throw new Error(`sse: ${streams} streams need an open-files limit of ${wanted} in the BFF and in the client, and this process's hard limit is ${own.hard} (\`ulimit -Hn\`); raise it, or run fewer streams`);
  }
  return Math.min(own.hard, Math.max(wanted, 65_536));
}

/** Checks a started process's open-files limit, from /proc/<pid>/limits: the one asked for, or the run stops here. */
function checkOpenFiles(pid: number, wanted: number, what: string): number {
  const limit = openFilesLimitOf(pid);
  if (!limit || limit.soft < wanted) throw new Error(`sse: ${what} runs with an open-files limit of ${limit?.soft ?? 'unknown'}, not ${wanted}`);
  return limit.soft;
}

/** `count` payments (SCAN_WEIXIN, pending) spread over the payers, created through the BFF at `bffUrl`. */
async function createPayments(bffUrl: string, payers: readonly string[], count: number, tag: string): Promise<StreamTarget[]> {
  const created: StreamTarget[] = [];
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const n = next++;
      const payerIndex = n % payers.length;
      const response = await fetch(`${bffUrl}/api/checkout/orders/BENCH-${tag}-${payerIndex}-${n}/payments`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-bench-payer': payers[payerIndex]! },
        body: '{"method":"SCAN_WEIXIN"}',
      });
      const text = await response.text();
      if (response.status !== 201) throw new Error(`sse: payment creation answered HTTP ${response.status}: ${text}`);
      created.push({ bizOrderNo: (JSON.parse(text) as { bizOrderNo: string }).bizOrderNo, payer: payers[payerIndex]! });
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, count) }, worker));
  return created;
}

/** `perPayment` stream targets for each payment, interleaved so the streams of one payment are not opened together. */
const targetsOf = (payments: readonly StreamTarget[], perPayment: number): StreamTarget[] => Array.from({ length: perPayment }, () => payments).flat();

/** The limits of a BFF that takes `streams` streams from one client address (the load client's). */
const streamLimits = (streams: number) => ({ limits: { ...FLOOD_LIMITS, openStreamsPerClient: streams + OTHER_FILES } });

const openTimeoutMs = (streams: number) => 60_000 + streams * 10;

interface StreamsRun {
  readonly asked: number;
  readonly open: OpenResult;
  readonly before: Memory;
  readonly after: Memory;
  readonly filesBefore: number;
  readonly filesAfter: number;
  readonly idleCpu: number;
  readonly baselineCpu: number;
  readonly clientCpu: number;
  readonly idleSeconds: number;
  readonly counted: CountResult;
  readonly bffFilesLimit: number;
  readonly clientFilesLimit: number;
}

/** CPU of `pid` (and of the client) over `seconds` of nothing but waiting, as a share of one core. */
async function idleCpu(pid: number, clientPid: number, seconds: number): Promise<{ bff: number; client: number; seconds: number }> {
  const started = performance.now();
  const before = { bff: cpuSecondsOf(pid) ?? Number.NaN, client: cpuSecondsOf(clientPid) ?? Number.NaN };
  await sleep(seconds * 1000);
  const elapsed = (performance.now() - started) / 1000;
  return { bff: ((cpuSecondsOf(pid) ?? Number.NaN) - before.bff) / elapsed, client: ((cpuSecondsOf(clientPid) ?? Number.NaN) - before.client) / elapsed, seconds: elapsed };
}

/** A request to the load client, failing with the step's name when it takes too long or a process of the run dies. */
const ask = <Out>(processes: Processes, client: Conversation, step: string, request: { kind: string } & Record<string, unknown>, timeoutMs: number) =>
  processes.within(timeoutMs, step, client.ask<Out>(request, timeoutMs + 5000));

async function measureStreams(sizes: Sizes, nofile: number, tag: string, processes: Processes, dir: string): Promise<StreamsRun> {
  const stack = processes.stack(
    await startBenchStack({
      dir,
      store: { kind: 'sqlite' },
      bffNodeArgs: ['--expose-gc', '--import', BFF_PROBE],
      bffOpenFiles: nofile,
      config: streamLimits(sizes.streams),
    }),
  );
  const client = processes.conversation(await startConversation(SSE_CLIENT, 'the SSE load client', { nofile }));
  const bffPid = stack.bff.child.pid!;
  const bffFilesLimit = checkOpenFiles(bffPid, sizes.streams + OTHER_FILES, 'the BFF');
  const clientFilesLimit = checkOpenFiles(client.pid, sizes.streams + OTHER_FILES, 'the load client');
  const payers = await processes.within(60_000, "binding the payers' phones", stack.bindPayers(sizes.payers));
  const payments = await processes.within(120_000, `creating ${sizes.payments} payments`, createPayments(stack.bffUrl, payers, sizes.payments, `${tag}s`));

  // Warm-up, not counted: the stream route's code compiled, the statements prepared, the first connections' buffers.
  const warm = targetsOf(payments, 1).slice(0, Math.min(200, Math.ceil(sizes.streams / 10)));
  await ask<OpenResult>(processes, client, `opening ${warm.length} warm-up streams`, { kind: 'open', base: stack.bffUrl, targets: warm, concurrency: 50, streamTimeoutMs: 15_000 }, openTimeoutMs(warm.length));
  await ask(processes, client, 'closing the warm-up streams', { kind: 'close' }, 30_000);
  await processes.within(5000, 'the pause after the warm-up', sleep(1000));

  const baseline = await processes.within(sizes.idleSeconds * 1000 + 5000, 'the idle window without streams', idleCpu(bffPid, client.pid, sizes.idleSeconds));
  const filesBefore = openFilesOf(bffPid) ?? Number.NaN;
  const before = await processes.within(30_000, "reading the BFF's memory before", memoryAfterGc(stack.bff));
  const targets = targetsOf(payments, Math.ceil(sizes.streams / payments.length)).slice(0, sizes.streams);
  const open = await ask<OpenResult>(processes, client, `opening ${targets.length} streams`, { kind: 'open', base: stack.bffUrl, targets, concurrency: 100, streamTimeoutMs: 30_000 }, openTimeoutMs(targets.length));
  if (open.held === 0) throw new Error(`sse: not one of ${targets.length} streams got its first state: ${JSON.stringify(open.refused)}`);
  // The last streams' set-up done before the window starts.
  await processes.within(5000, 'the pause after opening the streams', sleep(2000));
  await ask<CountResult>(processes, client, 'counting heartbeats', { kind: 'count' }, 10_000);
  const idle = await processes.within(sizes.idleSeconds * 1000 + 5000, 'the idle window with the streams open', idleCpu(bffPid, client.pid, sizes.idleSeconds));
  const counted = await ask<CountResult>(processes, client, 'counting heartbeats', { kind: 'count' }, 10_000);
  const filesAfter = openFilesOf(bffPid) ?? Number.NaN;
  const after = await processes.within(30_000, "reading the BFF's memory with the streams open", memoryAfterGc(stack.bff));
  await ask(processes, client, 'closing the streams', { kind: 'close' }, 60_000);
  return {
    asked: targets.length,
    open,
    before,
    after,
    filesBefore,
    filesAfter,
    idleCpu: idle.bff,
    baselineCpu: baseline.bff,
    clientCpu: idle.client,
    idleSeconds: idle.seconds,
    counted,
    bffFilesLimit,
    clientFilesLimit,
  };
}

interface FanOutRun {
  readonly label: string;
  readonly payments: number;
  readonly perPayment: number;
  readonly result: FanOutResult;
}

/**
 * K payments with S streams each, on `streamsOn`; each paid in the sandbox's wallet page, whose notification goes to the
 * instance the payment was created on (its `publicBaseUrl` is the notify URL).
 */
async function fanOut(label: string, sizes: Sizes, nofile: number, stacks: { created: BenchStack; streamsOn: BenchStack }, tag: string, processes: Processes): Promise<FanOutRun> {
  const client = processes.conversation(await startConversation(SSE_CLIENT, 'the SSE load client', { nofile }));
  const payers = await processes.within(60_000, "binding the payers' phones", stacks.created.bindPayers(sizes.payers));
  const count = sizes.fanPayments + UNCOUNTED;
  const payments = await processes.within(120_000, `creating ${count} payments`, createPayments(stacks.created.bffUrl, payers, count, `${tag}f`));
  const targets = targetsOf(payments, sizes.fanStreams);
  const open = await ask<OpenResult>(processes, client, `opening ${targets.length} streams (${label})`, { kind: 'open', base: stacks.streamsOn.bffUrl, targets, concurrency: 50, streamTimeoutMs: 30_000 }, openTimeoutMs(targets.length));
  if (open.held !== targets.length) throw new Error(`sse fan-out (${label}): ${open.held} of ${targets.length} streams got their first state: ${JSON.stringify(open.refused)}`);
  const perPaymentTimeoutMs = 15_000;
  const result = await ask<FanOutResult>(
    processes,
    client,
    `paying ${count} payments (${label})`,
    { kind: 'fan-out', sandboxUrl: stacks.created.sandboxUrl, payments: payments.map((p) => p.bizOrderNo), timeoutMs: perPaymentTimeoutMs },
    30_000 + count * (perPaymentTimeoutMs + 1000),
  );
  return {
    label,
    payments: sizes.fanPayments,
    perPayment: sizes.fanStreams,
    result: { deliveries: result.deliveries.slice(UNCOUNTED), walletAnswers: result.walletAnswers.slice(UNCOUNTED) },
  };
}

const kb = (bytes: number) => fixed(bytes / 1024, 1);
const mb = (bytes: number) => fixed(bytes / 2 ** 20, 1);
const pct = (share: number) => `${fixed(share * 100, 1)} %`;
const count = (n: number) => n.toLocaleString('en-US');

function streamsSection(run: StreamsRun, ctx: BenchContext): Section {
  const held = run.open.held;
  const rssPerStream = (run.after.rss - run.before.rss) / held;
  const heapPerStream = (run.after.heapUsed - run.before.heapUsed) / held;
  const beyond = run.idleCpu - run.baselineCpu;
  const heartbeatSeconds = run.counted.heartbeats > 0 ? (held * run.idleSeconds) / run.counted.heartbeats : Number.NaN;
  const heartbeatText = Number.isFinite(heartbeatSeconds) ? `${fixed(heartbeatSeconds, 1)} s` : `none in the ${fixed(run.idleSeconds, 0)} s window`;
  const refused = Object.entries(run.open.refused).map(([why, n]) => `${count(n)} × ${why}`).join(', ');
  const verdict = (met: boolean) => (met ? 'met' : '**missed**');
  const streamsMet = held >= GOAL_STREAMS;
  const memoryMet = rssPerStream <= GOAL_BYTES_PER_STREAM;
  const idleMet = beyond <= IDLE_ALLOWANCE;
  const notes: string[] = [];
  notes.push(
    streamsMet
      ? `**Goal met:** ${count(held)} streams held on one instance (≥ ${count(GOAL_STREAMS)}).`
      : `**Goal missed:** ${count(held)} streams held of ${count(run.asked)} asked, not ≥ ${count(GOAL_STREAMS)}${run.asked < GOAL_STREAMS ? ` (this run asked for only ${count(run.asked)})` : ''}${refused ? `; the others: ${refused}` : ''}.`,
  );
  notes.push(
    memoryMet
      ? `**Goal met:** ${kb(rssPerStream)} KB of resident memory per stream (≤ ${kb(GOAL_BYTES_PER_STREAM)} KB); ${kb(heapPerStream)} KB of it on the JavaScript heap.`
      : `**Goal missed:** ${kb(rssPerStream)} KB of resident memory per stream, not ≤ ${kb(GOAL_BYTES_PER_STREAM)} KB; ${kb(heapPerStream)} KB of it on the JavaScript heap (the rest: socket buffers, native HTTP parser state, the allocator).`,
  );
  notes.push(
    idleMet
      ? `**Goal met:** with ${count(held)} streams open and nothing happening the BFF used ${pct(run.idleCpu)} of a core, ${pct(beyond)} above its ${pct(run.baselineCpu)} with none (allowance for the heartbeats: ${pct(IDLE_ALLOWANCE)}).`
      : `**Goal missed:** idle streams cost CPU beyond their heartbeats: with ${count(held)} streams open and nothing happening the BFF used ${pct(run.idleCpu)} of a core, ${pct(beyond)} above its ${pct(run.baselineCpu)} with none — ${fixed((beyond * 1e6) / held, 1)} µs of CPU per stream and second, where heartbeats alone (one write per stream every ${heartbeatText}) would stay within ${pct(IDLE_ALLOWANCE)}. Something runs per stream while nothing changes: a stream that reads the event table on a timer costs this, one that waits to be told of a change does not.`,
  );
  notes.push(
    `How: the BFF (\`tsy-bff\`, SQLite) runs with \`--expose-gc\` and a probe preloaded (packages/bench/src/bff-probe.mjs) that, on SIGUSR2, collects garbage twice and prints \`process.memoryUsage()\`; memory per stream = (after − before) / streams held, both after collection, "before" after a warm-up round of streams opened and closed. The load client (packages/bench/src/sse-client.ts, its own process) opens the streams 100 at a time, each on a connection of its own, and counts a stream as held when its first \`event: state\` arrived; spread over the payments round-robin (\`limits.openStreamsPerClient\` raised, the client being one address). Idle CPU: user + system time of the BFF process from \`/proc/<pid>/stat\` over ${fixed(run.idleSeconds, 1)} s with all streams open and no payment changing, next to the same window before any stream was open; the client received ${count(run.counted.heartbeats)} heartbeats in it (one per stream every ${heartbeatText} on average) and lost ${count(run.counted.lost)} streams. Open-files limits (\`prlimit --nofile\`, read back from \`/proc/<pid>/limits\`): BFF ${count(run.bffFilesLimit)}, client ${count(run.clientFilesLimit)}; the BFF held ${count(run.filesBefore)} file descriptors before and ${count(run.filesAfter)} with the streams open.`,
  );
  if (!run.after.collected) notes.push('The BFF could not collect garbage on request (no `gc`): the memory figures include garbage.');
  notes.push(`The machine has ${ctx.cores} cores, shared by the BFF, the client and the bench; the client used ${pct(run.clientCpu)} of a core in the idle window.`);
  return {
    id: 'sse-streams',
    title: 'SSE streams per instance',
    command: 'npm run bench',
    summary: `${count(run.asked)} event streams (\`GET /api/checkout/payments/:bizOrderNo/events\`) held open on one BFF instance, over the pending payments round-robin; the BFF's memory and CPU with them. Goals: ≥ ${count(GOAL_STREAMS)} streams on one instance at ≤ ${kb(GOAL_BYTES_PER_STREAM)} KB each; idle streams cost no measurable CPU beyond heartbeats.`,
    tables: [
      {
        headers: ['measure', 'figure', 'goal', 'verdict'],
        right: [false, true, false, false],
        rows: [
          ['streams held (first `event: state` received)', `${count(held)} of ${count(run.asked)}`, `≥ ${count(GOAL_STREAMS)}`, verdict(streamsMet)],
          ['time to open them', `${fixed(run.open.seconds, 1)} s (${count(Math.round(held / run.open.seconds))}/s)`, '', ''],
          ['BFF resident memory, before → with streams (after GC)', `${mb(run.before.rss)} → ${mb(run.after.rss)} MB`, '', ''],
          ['resident memory per stream', `${kb(rssPerStream)} KB`, `≤ ${kb(GOAL_BYTES_PER_STREAM)} KB`, verdict(memoryMet)],
          ['JS heap per stream', `${kb(heapPerStream)} KB`, '', ''],
          [`BFF CPU, ${fixed(run.idleSeconds, 0)} s idle with the streams open`, pct(run.idleCpu), `≤ ${pct(run.baselineCpu + IDLE_ALLOWANCE)} (no streams + heartbeats)`, verdict(idleMet)],
          [`BFF CPU, ${fixed(run.idleSeconds, 0)} s idle with no stream`, pct(run.baselineCpu), '', ''],
          ['heartbeat interval (from heartbeats received)', heartbeatText, '', ''],
        ],
      },
    ],
    notes,
  };
}

function fanOutSection(runs: readonly FanOutRun[], omittedTwo: string | undefined, sizes: Sizes): Section {
  const rows = runs.map((run) => {
    const all = summarize(run.result.deliveries.flat());
    const wallet = summarize(run.result.walletAnswers);
    // Where in the fan-out the time goes: until the first stream of a payment has it, and from there to its last stream.
    const first = summarize(run.result.deliveries.map((ms) => Math.min(...ms)));
    const spread = summarize(run.result.deliveries.map((ms) => Math.max(...ms) - Math.min(...ms)));
    return { run, all, wallet, first, spread };
  });
  const split = (first: ReturnType<typeof summarize>, spread: ReturnType<typeof summarize>) =>
    ` The first stream of a payment had it after p50 ${fixed(first.p50)} ms (p99 ${fixed(first.p99)} ms); its last stream ${fixed(spread.p50)} ms after its first (p99 ${fixed(spread.p99)} ms).`;
  const notes = rows.map(({ run, all, first, spread }) =>
    all.p99 <= GOAL_FAN_OUT_P99_MS
      ? `**Goal met (${run.label}):** p99 ${fixed(all.p99)} ms ≤ ${GOAL_FAN_OUT_P99_MS} ms over ${count(all.count)} deliveries.` + split(first, spread)
      : `**Goal missed (${run.label}):** p99 ${fixed(all.p99)} ms, not ≤ ${GOAL_FAN_OUT_P99_MS} ms (p50 ${fixed(all.p50)} ms, max ${fixed(all.max)} ms).` +
        split(first, spread) +
        (rows[0] && rows[0].run !== run ? ` On one instance the same change reaches its streams in p99 ${fixed(rows[0].all.p99)} ms, so the rest is how instance B learns of instance A's write (a spread evenly up to a second is what a stream reading the event table once a second gives).` : ''),
  );
  if (omittedTwo) notes.push('Across two instances: not measured in this run (see below).');
  notes.push(
    `How: ${sizes.fanPayments} pending payments (SCAN_WEIXIN) with ${sizes.fanStreams} streams each, held by the load client (its own process); it presses "pay" in the sandbox's wallet page for one payment after the other, each once all of the previous payment's streams had \`state: success\`, and stamps the press and every stream's \`event: state\` with \`state: success\` on its own monotonic clock (\`performance.now()\`). Between them: the sandbox (\`tsy-sandbox\`, its own process, notifying at once: \`--notification-time-scale ${NOTIFY_AT_ONCE}\`) marks the order paid and POSTs its signed notification to the instance the payment was created on, which verifies it, stores the success and its event; the streams then send it. ${UNCOUNTED} payments paid first are not counted (JIT, first connections). Two instances: two \`tsy-bff\` processes on one PostgreSQL, the payments created on A (so the platform's notify URL is A's), every stream on B.`,
  );
  return {
    id: 'sse-fan-out',
    title: 'SSE fan-out',
    command: 'npm run bench',
    summary: `A payment's state change reaches every stream of that payment: ${sizes.fanPayments} payments × ${sizes.fanStreams} streams, from the payer's "pay" in the sandbox's wallet to each stream's \`state: success\`. Goal: p99 ≤ ${GOAL_FAN_OUT_P99_MS} ms.`,
    tables: [
      {
        headers: ['setup', 'payments', 'streams each', 'deliveries', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms', 'wallet "pay" answered, p50 ms'],
        rows: rows.map(({ run, all, wallet }) => [run.label, count(run.payments), count(run.perPayment), count(all.count), fixed(all.p50), fixed(all.p90), fixed(all.p99), fixed(all.max), fixed(wallet.p50)]),
      },
    ],
    notes,
  };
}

export async function run(ctx: BenchContext): Promise<Section[]> {
  const sizes = ctx.quick ? QUICK : FULL;
  const nofile = openFilesFor(Math.max(sizes.streams, sizes.fanPayments * sizes.fanStreams));
  const tag = Date.now().toString(36);
  const processes = new Processes();
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-sse-'));
    dirs.push(dir);
    return dir;
  };
  const fanStreams = (sizes.fanPayments + UNCOUNTED) * sizes.fanStreams;
  const fanRuns: FanOutRun[] = [];
  let streams: StreamsRun;
  let omittedTwo: string | undefined;
  try {
    console.error(`bench: sse: ${sizes.streams} streams over ${sizes.payments} payments…`);
    streams = await measureStreams(sizes, nofile, tag, processes, tempDir());
    await processes.stopAll();

    console.error('bench: sse: fan-out, one instance…');
    const one = processes.stack(await startBenchStack({ dir: tempDir(), store: { kind: 'sqlite' }, notificationTimeScale: NOTIFY_AT_ONCE, bffOpenFiles: nofile, config: streamLimits(fanStreams) }));
    fanRuns.push(await fanOut(`one instance, ${storeLabel({ kind: 'sqlite' })}`, sizes, nofile, { created: one, streamsOn: one }, `${tag}a`, processes));
    await processes.stopAll();

    const postgres = await postgresForBench();
    if (typeof postgres === 'string') {
      omittedTwo = postgres.replace(/^PostgreSQL: not measured in this run — /, '');
      ctx.omit(`SSE fan-out across two instances (streams on instance B, the notification to instance A, one PostgreSQL): not measured in this run — ${omittedTwo}`);
    } else {
      try {
        const store: StoreSetup = postgres.store;
        console.error(`bench: sse: fan-out, two instances on ${storeLabel(store)}…`);
        const a = processes.stack(await startBenchStack({ dir: tempDir(), store, notificationTimeScale: NOTIFY_AT_ONCE, bffOpenFiles: nofile, config: streamLimits(fanStreams) }));
        const b = processes.stack(await startBenchStack({ dir: tempDir(), store, sandboxUrl: a.sandboxUrl, bffOpenFiles: nofile, config: streamLimits(fanStreams) }));
        fanRuns.push(await fanOut(`two instances, ${storeLabel(store)}: streams on B, notification to A`, sizes, nofile, { created: a, streamsOn: b }, `${tag}b`, processes));
      } finally {
        // The BFFs first: they hold connections to the cluster.
        await processes.stopAll().finally(() => postgres.close());
      }
    }
  } finally {
    // Said, not thrown: an error of the run itself must not be hidden by one of stopping its processes.
    await processes.stopAll().catch((error: unknown) => console.error(error));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  }
  return [streamsSection(streams, ctx), fanOutSection(fanRuns, omittedTwo, sizes)];
}
