// The real router in a real Express app on a real port, against a real sandbox; log lines captured for assertions.
// (packages/e2e has the full harness; @tsy/e2e depends on @tsy/bff, so the BFF's own tests carry this small one.)
import { createSandbox, type Clock } from '@tsy/sandbox';
import express, { type Express } from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCheckoutRouter, type BffConfigInput, type CheckoutHooks, type CheckoutRouter, type ResolvedOrder, type Store } from '../../src/index.js';

// One key set and sysid for all of the BFF's own tests (the services' support makes them).
export { SYSID, testKeys } from '../support/services.js';
import { SYSID, testKeys } from '../support/services.js';

export interface LogLine {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

export interface Sandbox {
  readonly url: string;
  /** Its in-memory state, to see what reached the platform. */
  readonly state: ReturnType<typeof createSandbox>['state'];
  close(): Promise<void>;
}

/**
 * The sandbox on 127.0.0.1; with `publicHost` it names itself by that host in its pages and links (as the demo's sandbox
 * says `localhost`, or a LAN address, while the BFF calls it on 127.0.0.1).
 */
export async function startSandbox(options: { publicHost?: string; clock?: Clock; codePayPendingMs?: number } = {}): Promise<Sandbox> {
  const paths = testKeys();
  const port = options.publicHost ? await freePort() : 0;
  const publicBaseUrl = options.publicHost ? `http://${options.publicHost}:${port}` : undefined;
  const sandbox = createSandbox({
    sysid: SYSID,
    merchantCertFile: paths.merchantCer,
    platformKeyFile: paths.platformKey,
    notificationTimeScale: 0.002,
    ...(publicBaseUrl ? { publicBaseUrl } : {}),
    ...(options.clock ? { clock: options.clock, dailyOrderLimit: false } : {}),
    ...(options.codePayPendingMs === undefined ? {} : { codePayPendingMs: options.codePayPendingMs }),
  });
  const listening = await sandbox.listen(port, '127.0.0.1');
  return {
    url: publicBaseUrl ?? listening.url,
    state: sandbox.state,
    async close() {
      sandbox.close();
      await listening.close();
    },
  };
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

export interface Merchant {
  readonly url: string;
  readonly dataDir: string;
  readonly app: Express;
  readonly router: CheckoutRouter;
  readonly orders: Map<string, unknown>;
  readonly logs: LogLine[];
  close(): Promise<void>;
}

export interface MerchantOptions {
  /** The sandbox's public URL (its pages). */
  readonly sandboxUrl: string;
  /** Where the BFF calls the platform, when not at `sandboxUrl` (the sandbox's public name is another for this machine). */
  readonly soaUrl?: string;
  readonly config?: Partial<BffConfigInput>;
  /** Runs on the app before the router is mounted (e.g. `app.set('trust proxy', …)`). */
  readonly configureApp?: (app: Express) => void;
  /** Share another merchant's database (two instances of one shop); by default a fresh one, removed on close. */
  readonly dataDir?: string;
  /** Hooks beside the test ones (resolveEnvironment, …); each replaces the test hook of its name. */
  readonly hooks?: Partial<CheckoutHooks>;
  /** The BFF's clock (give the sandbox the same one: it checks request timestamps against its own). */
  readonly clock?: Clock;
  /** The store, when the test opens it itself (to measure its calls); by default SQLite in `dataDir`. */
  readonly store?: Store;
}

/**
 * Every payer of a test comes from 127.0.0.1: a file binds more phones than the per-IP count of phone codes (10 an hour
 * by default) lets one address ask for. The other limits stay the defaults (test/http/rate-limits.test.ts sets its own).
 */
export const ONE_ADDRESS_FOR_ALL_PAYERS = { phoneCodes: { perIp: { count: 1000 } } } as const;

export async function startMerchant(options: MerchantOptions): Promise<Merchant> {
  const paths = testKeys();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'tsy-bff-http-'));
  const orders = new Map<string, unknown>();
  const logs: LogLine[] = [];
  const hooks: CheckoutHooks = {
    resolveOrder: (merchantOrderId) => orders.get(merchantOrderId) as ResolvedOrder | undefined,
    resolvePayer: (req, about) => {
      const bizUserId = req.get('x-test-payer');
      if (bizUserId) return { bizUserId };
      // A request naming nobody is the order's own payer: this merchant, like its resolveOrder, trusts every request.
      const order = about.merchantOrderId === undefined ? undefined : (orders.get(about.merchantOrderId) as ResolvedOrder | undefined);
      return order && { bizUserId: order.payer.bizUserId };
    },
    onPaymentEvent: () => {},
    ...options.hooks,
  };
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const app = express();
  options.configureApp?.(app);
  const router = createCheckoutRouter(
    {
      sysid: SYSID,
      merchantKey: { pfxFile: paths.merchantPfx, password: paths.password },
      platformCertFile: paths.platformCer,
      environment: 'sandbox',
      sandboxUrl: options.sandboxUrl,
      ...(options.soaUrl ? { endpoints: { soaUrl: options.soaUrl } } : {}),
      publicBaseUrl: url,
      dataDir,
      timeoutMs: 2000,
      methods: { SCAN_WEIXIN: {}, SCAN_ALIPAY: {} },
      reconciliation: { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 3600 },
      limits: ONE_ADDRESS_FOR_ALL_PAYERS,
      ...options.config,
    },
    hooks,
    { log: (level, message, fields) => logs.push({ level, message, fields }), ...(options.clock ? { clock: options.clock } : {}), ...(options.store ? { store: options.store } : {}) },
  );
  app.use(router);
  server.on('request', app);
  return {
    url,
    dataDir,
    app,
    router,
    orders,
    logs,
    async close() {
      await router.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      if (!options.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** Everything a log line says, as one string: what a log file would hold. */
export const logText = (logs: readonly LogLine[]): string => logs.map((line) => JSON.stringify(line)).join('\n');

/** A stack trace in text — the `    at fn (file:line:col)` frames V8 writes — raw or inside a JSON string (`\\n`). */
export const STACK_FRAME = /(?:\n|\\n)\s+at [^\n]+?:\d+:\d+/;

let counter = 0;
export function addOrder(merchant: Merchant, order: Partial<ResolvedOrder> & Record<string, unknown> = {}): string {
  const id = `SO-HTTP-${process.pid}-${++counter}`;
  merchant.orders.set(id, { amount: 1234, subject: '龙井茶 Longjing tea', payer: { bizUserId: `http-payer-${process.pid}` }, ...order });
  return id;
}

/** A JSON call to the merchant's API (English unless told otherwise). */
export async function api(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; headers: Headers; text: string; body: any }> {
  const response = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...init.headers },
    ...(init.body === undefined ? {} : { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) }),
  });
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  return { status: response.status, headers: response.headers, text, body };
}

/** Gives a payer a bound phone through the BFF's own phone-binding routes, reading the code from the sandbox's inbox. */
export async function bindPayerPhone(merchant: Merchant, sandboxUrl: string, bizUserId: string, phone: string): Promise<void> {
  const headers = { 'x-test-payer': bizUserId };
  const sent = await api(merchant.url, '/api/checkout/payer/phone/code', { body: { phone }, headers });
  if (sent.status !== 200) throw new Error(`phone code: ${sent.text}`);
  const inbox = (await (await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${phone}`)).json()) as { code: string }[];
  const bound = await api(merchant.url, '/api/checkout/payer/phone', { body: { phone, verificationCode: inbox[0]!.code }, headers });
  if (bound.status !== 200) throw new Error(`bind phone: ${bound.text}`);
}
