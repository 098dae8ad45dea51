import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Request } from 'express';
import { createManualClock, createSandbox, type ListeningSandbox, type ManualClock, type Sandbox } from '@tsy/sandbox';
import { formatCstTimestamp, loadMerchantKey, signSource, writeKeySet, type KeySetPaths, type MerchantKey } from '@tsy/yunst';
import { createCheckout, type Checkout } from '../../src/checkout/index.js';
import type { BffConfigInput } from '../../src/config/config.js';
import type { PaymentEvent, ResolvedOrder } from '../../src/checkout/hooks.js';
import type { ClientInfo } from '../../src/http/client-info.js';

export const SYSID = '1902271423530473681';
export const DESKTOP: ClientInfo = { userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120', environment: 'desktop', consumerIp: '203.0.113.7', ip: '203.0.113.7' };
/** The services never read the request themselves; the merchant's hooks may. */
export const REQUEST = {} as Request;

let keys: KeySetPaths | undefined;
const keyDir = mkdtempSync(join(tmpdir(), 'tsy-bff-keys-'));
/** One key set per test process (RSA and a legacy PKCS#12 take ~0.5 s). */
export function testKeys(): KeySetPaths {
  keys ??= writeKeySet(keyDir);
  return keys;
}

export interface ServicesStack {
  readonly checkout: Checkout;
  readonly sandbox: Sandbox;
  readonly sandboxUrl: string;
  /** Both sides' clock: the sandbox checks the request timestamps against its own, so they move together. */
  readonly clock: ManualClock;
  readonly orders: Map<string, ResolvedOrder>;
  readonly events: PaymentEvent[];
  readonly logs: { level: string; message: string; fields?: Record<string, unknown> }[];
  /** Makes the platform unreachable (its port closed) or reachable again on the same port. */
  platformDown(): Promise<void>;
  platformUp(): Promise<void>;
  /** A payer with a phone bound through the BFF's own phone step, the code read from the sandbox's SMS outbox. */
  payer(bizUserId: string, phone: string): Promise<string>;
  /** A notification as the platform signs it (spec §4.2.15). */
  /** `signedAt`: the message's signed `timestamp` (default now on the stack's clock). */
  notification(fields: { bizOrderNo: string; orderNo: string; amount: number; payer: string; status?: 'OK' | 'error' | 'pending'; signedAt?: Date }): string;
  close(): Promise<void>;
}

/**
 * The checkout services (no HTTP router) against the real sandbox over HTTP, SQLite on disk, background loops off (tests
 * run sweeps and deliveries themselves), one manual clock for both.
 */
export async function startServices(config: Partial<BffConfigInput> = {}): Promise<ServicesStack> {
  const k = testKeys();
  const dir = mkdtempSync(join(tmpdir(), 'tsy-bff-services-'));
  const clock = createManualClock(new Date());
  const sandbox = createSandbox({ sysid: SYSID, merchantCertFile: k.merchantCer, platformKeyFile: k.platformKey, clock, notificationTimeScale: 1e-6, dailyOrderLimit: false });
  let listening: ListeningSandbox = await sandbox.listen(0, '127.0.0.1');
  const port = Number(new URL(listening.url).port);
  const orders = new Map<string, ResolvedOrder>();
  const events: PaymentEvent[] = [];
  const logs: ServicesStack['logs'] = [];
  const checkout = createCheckout(
    {
      sysid: SYSID,
      merchantKey: { pfxFile: k.merchantPfx, password: k.password },
      platformCertFile: k.platformCer,
      environment: 'sandbox',
      sandboxUrl: listening.url,
      publicBaseUrl: 'http://127.0.0.1:9',
      dataDir: join(dir, 'data'),
      timeoutMs: 2000,
      methods: { SCAN_WEIXIN: {}, QUICKPAY_TLT: {}, QUICKPAY_VSP: {}, BALANCE: { accountSetNo: '400193' } },
      reconciliation: { afterSeconds: 0, intervalSeconds: 1, onDemandSeconds: 5, unknownOrderGraceSeconds: 600 },
      // Every payer here asks from one address: more phones than the per-IP count of phone codes (10 an hour) allows.
      limits: { phoneCodes: { perIp: { count: 1000 } } },
      ...config,
    },
    {
      resolveOrder: (id) => orders.get(id),
      // The services are called without a shop session: each order's own payer asks.
      resolvePayer: (_req, about) => {
        const order = about.merchantOrderId === undefined ? undefined : orders.get(about.merchantOrderId);
        return order && { bizUserId: order.payer.bizUserId };
      },
      onPaymentEvent: (event) => {
        events.push(event);
      },
    },
    { clock, background: false, log: (level, message, fields) => logs.push({ level, message, ...(fields ? { fields } : {}) }) },
  );
  const platform: MerchantKey = loadMerchantKey(k.platformKey);
  return {
    checkout,
    sandbox,
    sandboxUrl: listening.url,
    clock,
    orders,
    events,
    logs,
    async platformDown() {
      await listening.close();
    },
    async platformUp() {
      listening = await sandbox.listen(port, '127.0.0.1');
    },
    async payer(bizUserId, phone) {
      await checkout.members.sendPhoneCode(bizUserId, phone, 2, DESKTOP.ip);
      const code = sandbox.state.sms.list(phone)[0]?.code;
      if (!code) throw new Error(`no SMS for ${phone}`);
      await checkout.members.bindPhone(bizUserId, phone, code, 2, DESKTOP.ip);
      return bizUserId;
    },
    notification({ bizOrderNo, orderNo, amount, payer, status = 'OK', signedAt }) {
      const rps = JSON.stringify({
        service: 'OrderService',
        method: 'pay',
        status,
        returnValue: { orderNo, bizOrderNo, amount, payDatetime: formatCstTimestamp(clock()), buyerBizUserId: payer },
      });
      const timestamp = formatCstTimestamp(signedAt ?? clock());
      return new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, platform) }).toString();
    },
    async close() {
      await checkout.close();
      sandbox.close();
      await listening.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The payer presses a button in the sandbox's simulated wallet, as in the QR flow. */
export async function walletAction(payInfoUrl: string, action: 'pay' | 'fail'): Promise<void> {
  const response = await fetch(payInfoUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}`, redirect: 'manual' });
  await response.arrayBuffer();
  if (response.status >= 400) throw new Error(`wallet ${action}: HTTP ${response.status}`);
}
