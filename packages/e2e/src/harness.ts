import type { BffConfigInput, ResolvedOrder } from '@tsy/bff';
import type { SandboxOptions } from '@tsy/sandbox';
import {
  FAST_RECONCILIATION,
  TEST_SYSID,
  bindPhone,
  startMerchant as startTestMerchant,
  startSandbox as startTestSandbox,
  stateMessages,
  testKeySet,
  type StateMessage,
  type RunningMerchant,
  type RunningSandbox,
} from '@tsy/testing';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { after, before } from 'node:test';
import { join } from 'node:path';

// The stack itself is @tsy/testing's, shared with the widgets' test runner and the demo; this file adds what the tests
// of this package do with it.
export { NO_RECONCILIATION, latestSmsCode, walletAction, walletUrlOf, type RunningMerchant, type RunningSandbox } from '@tsy/testing';

export const SYSID = TEST_SYSID;

/** A fresh temporary directory, removed by `cleanup`. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** One key set per test process: generating RSA keys and a PKCS#12 takes ~0.5 s. */
export const testKeys = testKeySet;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** The sandbox with the process's key set; notifications at 0.002 × the platform's schedule (5 s → 10 ms, 10 min → 1.2 s). */
export function startSandbox(options: Partial<SandboxOptions> = {}): Promise<RunningSandbox> {
  return startTestSandbox(options);
}

export interface MerchantOptions {
  readonly sandboxUrl: string;
  readonly dataDir: string;
  readonly config?: Partial<BffConfigInput>;
  /** Reuse a port (restart tests); defaults to a fresh one. */
  readonly server?: Server;
}

/** Every kind of action the BFF hands out (qr, sms, password page, gateway, WeChat JS, card code), for these tests. */
const E2E_METHODS: BffConfigInput['methods'] = {
  SCAN_WEIXIN: {},
  SCAN_ALIPAY: {},
  BALANCE: { accountSetNo: '400193' },
  CODEPAY_VSP: {},
  WECHAT_PUBLIC: {},
  GATEWAY_VSP: { paytype: 'B2C' },
  ORDER_VSPPAY: {},
};

/** The merchant side in a test: orders from a map, the payer from `x-test-payer`, events recorded; `config` applied last. */
export function startMerchant(options: MerchantOptions): Promise<RunningMerchant> {
  return startTestMerchant({
    sandboxUrl: options.sandboxUrl,
    dataDir: options.dataDir,
    ...(options.server ? { server: options.server } : {}),
    config: { timeoutMs: 2000, methods: E2E_METHODS, reconciliation: FAST_RECONCILIATION, eventRetrySeconds: [0.05, 0.1], ...options.config },
  });
}

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

/** Gives a payer a bound phone through the BFF's phone-binding steps. */
export function bindPayerPhone(merchantUrl: string, sandboxUrl: string, bizUserId: string, phone: string): Promise<void> {
  return bindPhone(merchantUrl, sandboxUrl, phone, { 'x-test-payer': bizUserId });
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

/** Reads an SSE stream, collecting `event: state` messages until `until` says stop. */
export async function readStateEvents(url: string, until: (data: Record<string, unknown>) => boolean, headers: Record<string, string> = {}, timeoutMs = 5000): Promise<StateMessage[]> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  const received: StateMessage[] = [];
  try {
    for await (const message of stateMessages(response.body as unknown as AsyncIterable<Uint8Array>)) {
      received.push(message);
      if (until(message.data)) return received;
    }
  } finally {
    clearTimeout(timer);
    controller.abort();
  }
  return received;
}
