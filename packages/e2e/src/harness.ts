import { createCheckoutRouter, type BffConfigInput, type CheckoutHooks, type CheckoutRouter, type PaymentEvent, type ResolvedOrder } from '@tsy/bff';
import { writeKeySet, type KeySetPaths } from '@tsy/yunst';
import { createSandbox, type Sandbox, type SandboxOptions } from '@tsy/sandbox';
import express from 'express';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import { join } from 'node:path';

export const SYSID = '1902271423530473681';

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

let sharedKeys: KeySetPaths | undefined;
/** One key set per test process: generating RSA keys and a PKCS#12 takes ~0.5 s. */
export function testKeys(): KeySetPaths {
  sharedKeys ??= writeKeySet(tempDir('tsy-keys-'));
  return sharedKeys;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

export interface RunningSandbox {
  readonly sandbox: Sandbox;
  readonly url: string;
  close(): Promise<void>;
}

export async function startSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  const keys = testKeys();
  const sandbox = createSandbox({
    sysid: SYSID,
    merchantCertFile: keys.merchantCer,
    platformKeyFile: keys.platformKey,
    // 5 s / 10 min / 1 h / 6 h become 5 ms / 1.2 s / …: retries are observable within a test.
    notificationTimeScale: 0.002,
    ...options,
  });
  const listening = await sandbox.listen(0, '127.0.0.1');
  return {
    sandbox,
    url: listening.url,
    async close() {
      sandbox.close();
      await listening.close();
    },
  };
}

/** The merchant side in a test: an Express app with the checkout router, orders from a map, events recorded. */
export interface RunningMerchant {
  readonly url: string;
  readonly router: CheckoutRouter;
  readonly orders: Map<string, ResolvedOrder>;
  readonly events: PaymentEvent[];
  /** Calls of onPaymentEvent, including the ones made to fail. */
  readonly deliveries: PaymentEvent[];
  /** Make the next n calls of onPaymentEvent throw. */
  failNextDeliveries(n: number): void;
  close(): Promise<void>;
}

export interface MerchantOptions {
  readonly sandboxUrl: string;
  readonly dataDir: string;
  readonly config?: Partial<BffConfigInput>;
  /** Reuse a port (restart tests); defaults to a fresh one. */
  readonly server?: Server;
}

export async function startMerchant(options: MerchantOptions): Promise<RunningMerchant> {
  const keys = testKeys();
  const orders = new Map<string, ResolvedOrder>();
  const events: PaymentEvent[] = [];
  const deliveries: PaymentEvent[] = [];
  let failing = 0;
  const hooks: CheckoutHooks = {
    resolveOrder: (merchantOrderId) => orders.get(merchantOrderId),
    resolvePayer: (req) => {
      const bizUserId = req.get('x-test-payer');
      return bizUserId ? { bizUserId } : undefined;
    },
    onPaymentEvent: (event) => {
      deliveries.push(event);
      if (failing > 0) {
        failing--;
        throw new Error('merchant hook is down');
      }
      if (!events.some((seen) => seen.id === event.id)) events.push(event);
    },
  };
  const app = express();
  const server = options.server ?? createServer();
  const url = server.listening ? `http://127.0.0.1:${(server.address() as AddressInfo).port}` : await listen(server);
  const router = createCheckoutRouter(
    {
      sysid: SYSID,
      merchantKey: { pfxFile: keys.merchantPfx, password: keys.password },
      platformCertFile: keys.platformCer,
      environment: 'sandbox',
      sandboxUrl: options.sandboxUrl,
      publicBaseUrl: url,
      dataDir: options.dataDir,
      timeoutMs: 2000,
      methods: {
        SCAN_WEIXIN: {},
        SCAN_ALIPAY: {},
        BALANCE: { accountSetNo: '400193' },
        CODEPAY_VSP: {},
        WECHAT_PUBLIC: {},
        GATEWAY_VSP: { paytype: 'B2C' },
        ORDER_VSPPAY: {},
      },
      reconciliation: { afterSeconds: 0, intervalSeconds: 0.2, onDemandSeconds: 0, unknownOrderGraceSeconds: 0 },
      eventRetrySeconds: [0.05, 0.1],
      ...options.config,
    },
    hooks,
    { log: () => {} },
  );
  app.use(router);
  server.removeAllListeners('request');
  server.on('request', app);
  return {
    url,
    router,
    orders,
    events,
    deliveries,
    failNextDeliveries(n) {
      failing = n;
    },
    async close() {
      await router.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Reconciliation that never runs by itself: a test sees what the notifications alone do. */
export const NO_RECONCILIATION = { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 3600 } as const;

/**
 * A sandbox and a merchant (SQLite in a temporary directory) for the tests of one file: started before them, stopped and
 * removed after. Read `stack.sandbox` / `stack.merchant` inside the tests.
 */
export function useCheckoutStack(config: Partial<BffConfigInput> = {}): { readonly sandbox: RunningSandbox; readonly merchant: RunningMerchant } {
  const dir = tempDir('tsy-e2e-');
  const stack = {} as { sandbox: RunningSandbox; merchant: RunningMerchant };
  before(async () => {
    stack.sandbox = await startSandbox();
    stack.merchant = await startMerchant({ sandboxUrl: stack.sandbox.url, dataDir: dir, config });
  });
  after(async () => {
    await stack.merchant?.close();
    await stack.sandbox?.close();
    cleanup(dir);
  });
  return stack;
}

/** A JSON call to the merchant's API. */
export async function api(base: string, path: string, init: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<{ status: number; body: any }> {
  const response = await fetch(base + path, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...init.headers },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : undefined };
}

/** The newest SMS code the sandbox "sent" to a phone, read from its inbox (as a tester reads the back office). */
export async function latestSmsCode(sandboxUrl: string, phone: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${phone}`);
  const messages = (await response.json()) as { code: string }[];
  if (!messages[0]) throw new Error(`no SMS for ${phone}`);
  return messages[0].code;
}

/** Gives a payer a bound phone through the BFF's phone-binding steps. */
export async function bindPayerPhone(merchantUrl: string, sandboxUrl: string, bizUserId: string, phone: string): Promise<void> {
  const headers = { 'x-test-payer': bizUserId };
  const sent = await api(merchantUrl, '/api/checkout/payer/phone/code', { body: { phone }, headers });
  if (sent.status !== 200) throw new Error(`phone code: ${JSON.stringify(sent.body)}`);
  const verificationCode = await latestSmsCode(sandboxUrl, phone);
  const bound = await api(merchantUrl, '/api/checkout/payer/phone', { body: { phone, verificationCode }, headers });
  if (bound.status !== 200) throw new Error(`bind phone: ${JSON.stringify(bound.body)}`);
}

/** The payer presses a button in the simulated wallet app the QR points at. */
export async function walletAction(payInfoUrl: string, action: 'pay' | 'cancel' | 'fail'): Promise<number> {
  const response = await fetch(payInfoUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}`, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}

/** Polls until `check` returns a value or the deadline passes (for outcomes that arrive asynchronously). */
export async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export function cleanup(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

let orderCounter = 0;
/** A merchant order for `payer`, registered with the merchant's resolveOrder. */
export function addOrder(merchant: RunningMerchant, payer: string, amount = 1234, extra: Partial<ResolvedOrder> = {}): string {
  const id = `SO-${process.pid}-${++orderCounter}-${Date.now()}`;
  merchant.orders.set(id, { amount, subject: '龙井茶 Longjing tea', payer: { bizUserId: payer }, ...extra });
  return id;
}

/** How the stand-in network between the BFF and the platform behaves. */
export type LinkMode = 'pass' | 'down' | 'slow' | 'garbage';

/**
 * A hop between the BFF and the sandbox that can fail the ways networks and platforms fail: refuse (down), forward the
 * request but answer too late (slow), or forward it and answer nonsense (garbage). The last two leave the order created at
 * the platform with the BFF not knowing: what reconciliation is for.
 */
export interface Link {
  url: string;
  mode: LinkMode;
  slowMs: number;
  /** In `slow` mode, which requests are slow (default: all). */
  slowWhen: (body: string) => boolean;
  close(): Promise<void>;
}

export async function startLink(targetUrl: string): Promise<Link> {
  const link: Link = { url: '', mode: 'pass', slowMs: 1500, slowWhen: () => true, close: async () => {} };
  const server = createServer(async (req, res) => {
    if (link.mode === 'down') {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const upstream = await fetch(targetUrl + (req.url ?? '/'), {
      method: req.method ?? 'GET',
      headers: { 'content-type': req.headers['content-type'] ?? 'application/octet-stream' },
      ...(req.method === 'POST' ? { body: Buffer.concat(chunks) } : {}),
    });
    const body = await upstream.text();
    if (link.mode === 'slow' && link.slowWhen(Buffer.concat(chunks).toString())) await new Promise((resolve) => setTimeout(resolve, link.slowMs));
    if (res.destroyed) return;
    res.statusCode = upstream.status;
    res.setHeader('content-type', upstream.headers.get('content-type') ?? 'text/plain');
    res.end(link.mode === 'garbage' ? '<html>502 Bad Gateway</html>' : body);
  });
  link.url = await listen(server);
  link.close = async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return link;
}

/** The simulated wallet page of a payment, found as a tester would: through the sandbox's order tools. */
export async function walletUrlOf(sandboxUrl: string, bizOrderNo: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/sandbox/orders/${bizOrderNo}/wallet`, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (!location) throw new Error(`no wallet page for ${bizOrderNo} (HTTP ${response.status})`);
  return new URL(location, sandboxUrl).toString();
}

/** Reads an SSE stream, collecting `event: state` messages until `until` says stop. */
export async function readStateEvents(url: string, until: (data: Record<string, unknown>) => boolean, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<{ id: string | undefined; data: Record<string, unknown> }[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const received: { id: string | undefined; data: Record<string, unknown> }[] = [];
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const lines = block.split('\n');
        if (!lines.some((line) => line === 'event: state')) continue;
        const id = lines.find((line) => line.startsWith('id: '))?.slice(4);
        const data = JSON.parse(lines.find((line) => line.startsWith('data: '))!.slice(6)) as Record<string, unknown>;
        received.push({ id, data });
        if (until(data)) return received;
      }
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return received;
}
