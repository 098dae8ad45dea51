// Payment creation and status reads under load: the sandbox (answering every /service/soa call 50 ms after it arrived),
// the BFF and the load client each in a process of their own; one stack per store, so a store is one more row.
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fixed, percent, type Section } from '../document.js';
import type { LoadInput, LoadResult } from '../load-client.js';
import { cpuSecondsOf, runChild } from '../processes.js';
import { postgresForBench, startBenchStack, storeLabel, type StoreSetup } from '../stack.js';
import type { BenchContext } from '../run.js';
import { percentilePlot } from '../plot.js';

const LOAD_CLIENT = fileURLToPath(new URL('../load-client.ts', import.meta.url));
export const UPSTREAM_DELAY_MS = 50;
export const CREATION_CONNECTIONS = 200;
const READ_CONNECTIONS = 50;
const PAYERS = 20;
const GOAL_P99_OVERHEAD_MS = 5;

interface Measured {
  readonly load: LoadResult;
  /** CPU of each process over the measured run, as a share of one core. */
  readonly bffCpu: number;
  readonly sandboxCpu: number;
  readonly clientCpu: number;
}

interface StoreRun {
  readonly store: StoreSetup;
  readonly creation: { readonly connections: number; readonly measured: Measured }[];
  readonly reads: Measured;
}

/**
 * Waits until the BFF and the sandbox are idle (autocannon stops at its deadline, and the requests still in flight then
 * finish afterwards): the next run's CPU figures are its own.
 */
async function settle(pids: { bff: number; sandbox: number }): Promise<void> {
  const busy = () => (cpuSecondsOf(pids.bff) ?? 0) + (cpuSecondsOf(pids.sandbox) ?? 0);
  const deadline = performance.now() + 10_000;
  let last = busy();
  while (performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = busy();
    if (now - last < 0.02) return;
    last = now;
  }
}

/** A run of the load client; the warm-up (when asked) in a run of its own, so every figure covers the measured run only. */
async function measure(input: LoadInput, pids: { bff: number; sandbox: number }): Promise<Measured> {
  if (input.warmupSeconds > 0) {
    await runChild<LoadInput, LoadResult>(LOAD_CLIENT, { ...input, tag: `${input.tag}w`, warmupSeconds: 0, seconds: input.warmupSeconds });
  }
  await settle(pids);
  const before = { bff: cpuSecondsOf(pids.bff) ?? 0, sandbox: cpuSecondsOf(pids.sandbox) ?? 0 };
  const load = await runChild<LoadInput, LoadResult>(LOAD_CLIENT, { ...input, warmupSeconds: 0 });
  const share = (pid: number, was: number) => ((cpuSecondsOf(pid) ?? Number.NaN) - was) / load.seconds;
  return { load, bffCpu: share(pids.bff, before.bff), sandboxCpu: share(pids.sandbox, before.sandbox), clientCpu: load.cpuSeconds / load.seconds };
}

async function runOnStore(store: StoreSetup, ctx: BenchContext): Promise<StoreRun> {
  const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-load-'));
  const stack = await startBenchStack({ dir, store, answerDelayMs: UPSTREAM_DELAY_MS });
  try {
    const payers = await stack.bindPayers(ctx.quick ? 4 : PAYERS);
    const pids = { bff: stack.bff.child.pid!, sandbox: stack.sandbox!.child.pid! };
    const base = { base: stack.bffUrl, payers, tag: `${store.kind}${Date.now()}` };
    const creation: StoreRun['creation'] = [];
    for (const connections of [CREATION_CONNECTIONS, 1]) {
      // Warm-up: JIT, the store's caches, keep-alive connections to the sandbox.
      // Smoke mode runs 3 s at 200 connections: on a shared 2-core machine the first of 200 creates in flight at once can
      // take more than a second to answer (all move through the BFF together), and a run must see some answered.
      const seconds = ctx.quick ? (connections === 1 ? 1 : 3) : connections === 1 ? 8 : 15;
      const measured = await measure({ ...base, tag: `${base.tag}c${connections}`, kind: 'create', connections, warmupSeconds: ctx.quick ? 0.3 : 3, seconds }, pids);
      creation.push({ connections, measured });
    }
    const payments = creation[0]!.measured.load.created;
    if (payments.length === 0) throw new Error(`${store.kind}: no payment was created: ${JSON.stringify(creation.map((c) => c.measured.load.statuses))} ${JSON.stringify(creation[0]!.measured.load.statuses)}`);
    const reads = await measure({ ...base, kind: 'read', payments, connections: READ_CONNECTIONS, warmupSeconds: ctx.quick ? 0.2 : 2, seconds: ctx.quick ? 1 : 10 }, pids);
    return { store, creation, reads };
  } finally {
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const ms = (n: number) => fixed(n, 1);
const others = (statuses: Record<string, number>, ok: string) => Object.entries(statuses).filter(([status]) => status !== ok).reduce((sum, [, count]) => sum + count, 0);

export async function run(ctx: BenchContext): Promise<Section[]> {
  const stores: StoreSetup[] = [{ kind: 'sqlite' }];
  const postgres = await postgresForBench();
  if (typeof postgres === 'string') ctx.omit(postgres);
  else stores.push(postgres.store);
  const runs: StoreRun[] = [];
  try {
    for (const store of stores) runs.push(await runOnStore(store, ctx));
  } finally {
    if (typeof postgres !== 'string') await postgres.close();
  }

  const loaded = runs.map((r) => ({ store: r.store, m: r.creation.find((c) => c.connections === CREATION_CONNECTIONS)!.measured }));
  const unloaded = runs.map((r) => ({ store: r.store, m: r.creation.find((c) => c.connections === 1)!.measured }));
  const notes = [
    `Each request: the BFF resolves the order (hooks module), checks the payer's membership, stores the attempt, signs \`consumeApply\` (RSA-2048), sends it to the sandbox over HTTP, verifies the signed answer and stores it with its event. The sandbox verifies the request, signs its answer and sends it ${UPSTREAM_DELAY_MS} ms after the request arrived (\`tsy-sandbox --answer-delay-ms ${UPSTREAM_DELAY_MS}\`): **overhead = latency − ${UPSTREAM_DELAY_MS} ms** is the BFF's own time (plus the loopback hops). Processes: sandbox (\`tsy-sandbox\`), BFF (\`tsy-bff\`, one Node process) and the load client (autocannon, every response's latency kept) each on their own; CPU is each process's user + system time from \`/proc/<pid>/stat\` (the client's from \`process.cpuUsage()\`) over the measured run, as a share of one core. A 1-connection row shows the same path without queueing. Reconciliation is off (it would add platform calls nobody asked for); rate limits are raised.`,
  ];
  for (const { store, m } of loaded) {
    const overhead = m.load.latencyMs.p99 - UPSTREAM_DELAY_MS;
    const busy = m.bffCpu + m.sandboxCpu + m.clientCpu;
    if (overhead <= GOAL_P99_OVERHEAD_MS) notes.push(`**Goal met (${storeLabel(store)}):** p99 overhead ${ms(overhead)} ms ≤ ${GOAL_P99_OVERHEAD_MS} ms at ${CREATION_CONNECTIONS} concurrent requests.`);
    else {
      const single = unloaded.find((u) => u.store === store)!.m;
      const cpu = `the three processes together use ${percent(busy)} of one core on a machine of ${ctx.cores} (BFF ${percent(m.bffCpu)}, sandbox ${percent(m.sandboxCpu)}, client ${percent(m.clientCpu)})`;
      notes.push(
        `**Goal missed (${storeLabel(store)}):** p99 overhead at ${CREATION_CONNECTIONS} concurrent requests is ${ms(overhead)} ms, not ≤ ${GOAL_P99_OVERHEAD_MS} ms. ` +
          (m.bffCpu >= 0.9
            ? `The BFF is saturated: one Node process, one JavaScript thread, at ${percent(m.bffCpu)} of a core (${cpu}); it cannot take payments faster than this, so the ${CREATION_CONNECTIONS} requests queue in it. `
            : busy >= 0.85 * ctx.cores
              ? `The machine is out of CPU: ${cpu}. `
              : `The CPU is not used up (${cpu}), so part of the wait is not the machine's cores. `) +
          `Per payment, the BFF spends ${ms((m.bffCpu * 1000) / (m.load.requests / m.load.seconds))} ms of CPU and the sandbox ${ms((m.sandboxCpu * 1000) / (m.load.requests / m.load.seconds))} ms (an RSA-2048 signature is about a quarter of a millisecond: see Signing and verification, so the signing is a small part of it). ` +
          `At ${fixed(m.load.requests / m.load.seconds, 0)} payments/s, ${CREATION_CONNECTIONS} requests in flight wait about ${CREATION_CONNECTIONS} / ${fixed(m.load.requests / m.load.seconds, 0)} s ≈ ${fixed((CREATION_CONNECTIONS / (m.load.requests / m.load.seconds)) * 1000, 0)} ms in all (Little's law), which is what the percentiles show. ` +
          `Without queueing (1 connection) the BFF's own time is p50 ${ms(single.load.latencyMs.p50 - UPSTREAM_DELAY_MS)} ms, p99 ${ms(single.load.latencyMs.p99 - UPSTREAM_DELAY_MS)} ms over the ${UPSTREAM_DELAY_MS} ms. ` +
          `Meeting the goal with ${CREATION_CONNECTIONS} in flight takes a throughput of about ${CREATION_CONNECTIONS} / (${UPSTREAM_DELAY_MS} + ${GOAL_P99_OVERHEAD_MS}) ms ≈ ${fixed(CREATION_CONNECTIONS / ((UPSTREAM_DELAY_MS + GOAL_P99_OVERHEAD_MS) / 1000), 0)} payments/s: several BFF processes (instances on one PostgreSQL, each its own thread and core), the sandbox and the client off this machine, and less CPU per payment in the BFF.`,
      );
    }
  }
  const creation: Section = {
    id: 'payment-creation',
    title: 'Payment creation',
    command: 'npm run bench',
    summary: `\`POST /api/checkout/orders/:id/payments\` (SCAN_WEIXIN, a new order each), ${CREATION_CONNECTIONS} concurrent connections, the sandbox answering after a fixed ${UPSTREAM_DELAY_MS} ms. Goal: p99 overhead ≤ ${GOAL_P99_OVERHEAD_MS} ms over the upstream delay.`,
    tables: [
      {
        headers: ['store', 'connections', 'payments', 'payments/s', 'p50 ms', 'p99 ms', 'p50 overhead ms', 'p99 overhead ms', 'not 201', 'CPU BFF', 'CPU sandbox', 'CPU client'],
        rows: runs.flatMap((r) =>
          r.creation.map(({ connections, measured: m }) => [
            storeLabel(r.store),
            String(connections),
            String(m.load.requests),
            fixed(m.load.requests / m.load.seconds, 0),
            ms(m.load.latencyMs.p50),
            ms(m.load.latencyMs.p99),
            ms(m.load.latencyMs.p50 - UPSTREAM_DELAY_MS),
            ms(m.load.latencyMs.p99 - UPSTREAM_DELAY_MS),
            String(others(m.load.statuses, '201') + m.load.errors),
            percent(m.bffCpu),
            percent(m.sandboxCpu),
            percent(m.clientCpu),
          ]),
        ),
      },
    ],
    notes,
    ...(loaded[0]?.m.load.latencies?.length
      ? {
          plot: {
            file: 'benchmarks/payment-creation-latency.svg',
            alt: `Payment creation latency percentiles at ${CREATION_CONNECTIONS} connections`,
            svg: percentilePlot({
              title: `Payment creation at ${CREATION_CONNECTIONS} connections: latency by percentile`,
              series: loaded.map(({ store, m }) => ({ label: storeLabel(store), values: m.load.latencies! })),
              marker: { value: UPSTREAM_DELAY_MS, label: `upstream ${UPSTREAM_DELAY_MS} ms` },
              unit: 'ms',
            }),
          },
        }
      : {}),
  };
  const reads: Section = {
    id: 'status-reads',
    title: 'Status reads',
    command: 'npm run bench',
    summary: `\`GET /api/checkout/payments/:id\` of the payments just created (pending), ${READ_CONNECTIONS} concurrent connections, same processes as above. No platform call: the on-demand check is off here (with the default \`reconciliation.onDemandSeconds\` a polled pending payment is asked about at most every 5 s).`,
    tables: [
      {
        headers: ['store', 'connections', 'reads', 'reads/s', 'p50 ms', 'p99 ms', 'not 200', 'CPU BFF', 'CPU client'],
        rows: runs.map((r) => [
          storeLabel(r.store),
          String(READ_CONNECTIONS),
          String(r.reads.load.requests),
          fixed(r.reads.load.requests / r.reads.load.seconds, 0),
          ms(r.reads.load.latencyMs.p50),
          ms(r.reads.load.latencyMs.p99),
          String(others(r.reads.load.statuses, '200') + r.reads.load.errors),
          percent(r.reads.bffCpu),
          percent(r.reads.clientCpu),
        ]),
      },
    ],
    notes: [`The client and the BFF share the ${ctx.cores} cores: reads/s is bounded by both (CPU columns).`],
  };
  return [creation, reads];
}
