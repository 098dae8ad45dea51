// The checkout as a deployment runs it, for the benchmarks: the sandbox (`tsy-sandbox`) and the BFF (`tsy-bff`) each in a
// process of their own, configured the way an operator would (CLI flags, a JSON file, a hooks module), and the store
// either SQLite on disk or PostgreSQL.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { bffConfigSchema } from '@tsy/bff';
import { FLOOD_LIMITS, NO_RECONCILIATION, TEST_SYSID, bindPhone, testKeySet } from '@tsy/testing';
import { BFF_BIN, SANDBOX_BIN, freePort, startNode, type Started } from './processes.js';

/** Where the BFF keeps its data: one row of the tables per kind. */
export type StoreSetup = { readonly kind: 'sqlite' } | { readonly kind: 'postgres'; readonly url: string; readonly label: string };

export const storeLabel = (store: StoreSetup) => (store.kind === 'sqlite' ? 'SQLite (WAL, on disk)' : `PostgreSQL (${store.label})`);

export interface PostgresForBench {
  readonly store: StoreSetup & { kind: 'postgres' };
  close(): Promise<void>;
}

/**
 * A PostgreSQL for the runs, or why there is none: `TSY_BENCH_DATABASE_URL` when set (its own variable: a shell holding the shop's TSY_DATABASE_URL must not fill that database with bench payments), else a throwaway cluster from
 * @tsy/testing's `startPostgres`. Both need a BFF that takes `store: {kind: 'postgres', url}`.
 */
export async function postgresForBench(): Promise<PostgresForBench | string> {
  if (!('store' in bffConfigSchema.shape)) return 'PostgreSQL: not measured in this run — this BFF has no `store` setting (the Postgres store is not part of this build).';
  if (process.env.TSY_BENCH_DATABASE_URL) {
    return { store: { kind: 'postgres', url: process.env.TSY_BENCH_DATABASE_URL, label: 'TSY_BENCH_DATABASE_URL' }, close: async () => {} };
  }
  const testing = (await import('@tsy/testing')) as Record<string, unknown>;
  if (typeof testing.startPostgres !== 'function') return 'PostgreSQL: not measured in this run — no `TSY_BENCH_DATABASE_URL` and no `startPostgres` in @tsy/testing to start a throwaway cluster.';
  const cluster = (await (testing.startPostgres as () => Promise<Record<string, unknown>>)()) as { url?: string; connectionString?: string; close?: () => Promise<void>; stop?: () => Promise<void> };
  const url = cluster.url ?? cluster.connectionString;
  if (!url) throw new Error('startPostgres gave no url');
  return { store: { kind: 'postgres', url, label: 'throwaway cluster, same machine' }, close: async () => void (await (cluster.close ?? cluster.stop)?.call(cluster)) };
}

/**
 * The merchant's hooks, as the server imports them: any order `BENCH-<run>-<payer index>-<n>` exists (100 fen) and
 * belongs to payer `bench-payer-<payer index>`; the payer of a request is `x-bench-payer`, or, when it names none, the
 * order's own (a browser page). Events are acknowledged and dropped.
 */
const HOOKS = `const payerOf = (id) => {
  const match = /^BENCH-[\\w-]*?-(\\d+)-\\d+$/.exec(id ?? '');
  return match ? 'bench-payer-' + match[1] : undefined;
};
export default {
  resolveOrder(merchantOrderId) {
    const payer = payerOf(merchantOrderId);
    return payer && { amount: 100, subject: 'bench ' + merchantOrderId, payer: { bizUserId: payer } };
  },
  resolvePayer(req, about) {
    const named = req.get('x-bench-payer');
    if (named) return { bizUserId: named };
    const payer = payerOf(about.merchantOrderId);
    return payer && { bizUserId: payer };
  },
  onPaymentEvent() {},
};
`;

export const payerName = (index: number) => `bench-payer-${index}`;

export interface BenchStack {
  readonly sandboxUrl: string;
  readonly bffUrl: string;
  readonly sandbox?: Started;
  readonly bff: Started;
  /** Binds a phone to payers 0…count-1 (a payer needs one before paying). */
  bindPayers(count: number): Promise<string[]>;
  close(): Promise<void>;
}

export interface BenchStackOptions {
  readonly dir: string;
  readonly store: StoreSetup;
  /** The sandbox's fixed answer delay (its own process); ignored with `sandboxUrl`. */
  readonly answerDelayMs?: number;
  /** A sandbox already running (in the bench's process) instead of a `tsy-sandbox` process. */
  readonly sandboxUrl?: string;
  /** The sandbox's notification schedule multiplied (its first attempt is 5 s after the payment); ignored with `sandboxUrl`. */
  readonly notificationTimeScale?: number;
  /** Anything else of the BFF's JSON configuration. */
  readonly config?: Record<string, unknown>;
  /** Node options of the BFF process, before its script (`--expose-gc`, `--import <probe>`). */
  readonly bffNodeArgs?: readonly string[];
  /** The BFF process's open-files limit (soft and hard), for thousands of connections. */
  readonly bffOpenFiles?: number;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const keys = testKeySet();
  mkdirSync(options.dir, { recursive: true });
  let sandbox: Started | undefined;
  let sandboxUrl = options.sandboxUrl;
  if (!sandboxUrl) {
    sandbox = await startNode(
      [SANDBOX_BIN, '--port', '0', '--keys', dirname(keys.merchantCer), '--sysid', TEST_SYSID, '--daily-order-limit', 'off', '--answer-delay-ms', String(options.answerDelayMs ?? 0),
        ...(options.notificationTimeScale === undefined ? [] : ['--notification-time-scale', String(options.notificationTimeScale)])],
      /listening on (http:\/\/[\d.:]+)/,
      {},
      'tsy-sandbox',
    );
    sandboxUrl = sandbox.match[1]!;
  }
  const hooksFile = join(options.dir, 'hooks.mjs');
  writeFileSync(hooksFile, HOOKS);
  const port = await freePort();
  const bffUrl = `http://127.0.0.1:${port}`;
  const configFile = join(options.dir, 'tsy-bff.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      sysid: TEST_SYSID,
      merchantKey: { pfxFile: keys.merchantPfx, password: keys.password },
      platformCertFile: keys.platformCer,
      environment: 'sandbox',
      sandboxUrl,
      publicBaseUrl: bffUrl,
      ...(options.store.kind === 'postgres' ? { store: { kind: 'postgres', url: options.store.url } } : { dataDir: join(options.dir, 'data') }),
      hooksModule: hooksFile,
      methods: { SCAN_WEIXIN: {} },
      // The background and on-demand checks with the platform would add calls nobody asked for to what is measured.
      reconciliation: NO_RECONCILIATION,
      limits: FLOOD_LIMITS,
      ...options.config,
    }),
  );
  let bff: Started;
  try {
    bff = await startNode([...(options.bffNodeArgs ?? []), BFF_BIN], /listening on http/, { TSY_CONFIG: configFile, TSY_BFF_PORT: String(port), TSY_BFF_HOST: '127.0.0.1' }, 'tsy-bff', {
      ...(options.bffOpenFiles === undefined ? {} : { nofile: options.bffOpenFiles }),
    });
  } catch (error) {
    await sandbox?.stop();
    throw error;
  }
  return {
    sandboxUrl,
    bffUrl,
    ...(sandbox ? { sandbox } : {}),
    bff,
    async bindPayers(count) {
      const payers = Array.from({ length: count }, (_, i) => payerName(i));
      for (const [i, payer] of payers.entries()) await bindPhone(bffUrl, sandboxUrl, `1330000${String(i).padStart(4, '0')}`, { 'x-bench-payer': payer });
      return payers;
    },
    async close() {
      await bff.stop();
      await sandbox?.stop();
    },
  };
}
