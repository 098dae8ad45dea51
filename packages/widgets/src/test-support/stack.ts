// Browser-side helpers for the real stack of test-support/stack.mjs (the BFF's checkout router and the YunST sandbox):
// merchant orders, real payments, the payer's wallet, and the fault-injecting proxy in front of the BFF. Test code only.
import type { PaymentView } from '../api/types.js';

export interface ProxyStats {
  gets: { start: number; end: number }[];
  inFlight: number;
  maxInFlight: number;
  streams: number;
  openStreams: number;
  posts: { key: string; status: number; bizOrderNo: string | null }[];
}

const json = (body: unknown, headers: Record<string, string> = {}) => ({ method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

/** A merchant order of a new payer (their phone bound unless `phone: false`); the page now carries the payer's cookie. */
export async function newOrder(body: { amount?: number; subject?: string; phone?: boolean; methods?: string[] } = {}): Promise<string> {
  return ((await (await fetch('/__stack/orders', json(body))).json()) as { orderId: string }).orderId;
}

let keys = 0;

/** A real payment of a merchant order, created through the BFF as the checkout creates one (an attempt of its own). */
export async function createPayment(orderId: string, method = 'SCAN_WEIXIN'): Promise<PaymentView> {
  const response = await fetch(`/api/checkout/orders/${encodeURIComponent(orderId)}/payments`, json({ method }, { 'idempotency-key': `test-${Date.now()}-${++keys}` }));
  if (!response.ok) throw new Error(`create payment: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as PaymentView;
}

/** A pending QR payment of a new order. */
export async function pendingPayment(amount?: number): Promise<PaymentView> {
  return createPayment(await newOrder(amount === undefined ? {} : { amount }));
}

/** The payment as the BFF has it now. */
export async function paymentNow(bizOrderNo: string): Promise<PaymentView> {
  return (await (await fetch(`/api/checkout/payments/${encodeURIComponent(bizOrderNo)}`)).json()) as PaymentView;
}

/** The payer acts in the sandbox's wallet page of a payment. */
export async function wallet(bizOrderNo: string, action: 'pay' | 'cancel' | 'fail'): Promise<void> {
  await fetch('/__stack/wallet', json({ bizOrderNo, action }));
}

/** The cashier types the payCode into the sandbox's POS terminal; resolves whether the terminal took it. */
export async function posTerminal(payCode: string): Promise<boolean> {
  return ((await (await fetch('/__stack/pos', json({ payCode }))).json()) as { paid: boolean }).paid;
}

let runs = 0;

/** The real BFF behind the fault-injecting proxy of test-support/stack.mjs, with counters of its own. */
export function faultyBff(prefix: string, faults: { sse?: number; delay?: number; cut?: number; busy?: number; action?: string; form?: 'noaction' } = {}): { api: string; stats: () => Promise<ProxyStats> } {
  const query = new URLSearchParams({ run: `${prefix}-${Date.now()}-${++runs}`, ...Object.fromEntries(Object.entries(faults).map(([k, v]) => [k, String(v)])) });
  const base = `/__fault/${encodeURIComponent(query.toString())}`;
  return { api: `${base}/api/checkout`, stats: async () => (await (await fetch(`${base}/stats`)).json()) as ProxyStats };
}

/** Where the test page pretends to run, for the BFF (the stack's resolveEnvironment reads this cookie); `undefined` clears it. */
export function pretendEnvironment(environment: 'desktop' | 'mobile' | 'wechat' | 'alipay' | undefined): void {
  document.cookie = environment ? `tsy_test_env=${environment}; path=/; samesite=lax` : 'tsy_test_env=; path=/; max-age=0';
}

/** Moves the clock of the BFF and the sandbox forward by `ms` (a real wait would take minutes); `reset` puts it back. */
export async function advanceServerClock(ms: number | 'reset'): Promise<void> {
  await fetch('/__stack/clock', json(ms === 'reset' ? { reset: true } : { advanceMs: ms }));
}

/** The code the sandbox sent for a payment, as the payer reads it (its SMS inbox). */
export async function smsCodeOf(bizOrderNo: string): Promise<string> {
  const { code } = (await (await fetch(`/__stack/sms/payment?bizOrderNo=${encodeURIComponent(bizOrderNo)}`)).json()) as { code: string | null };
  if (!code) throw new Error(`no SMS code for ${bizOrderNo}`);
  return code;
}
