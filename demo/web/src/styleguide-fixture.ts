import type { MethodView, OrderView, PaymentAction, PaymentState, PaymentView } from '@tsy/widgets';

/**
 * The style guide's stand-in for the BFF: fixed answers under {@link FIXTURE_API}, so every state of `<tsy-checkout>` can be
 * shown side by side without a sandbox or a shopper. Only `fetch` and `EventSource` calls under that path are answered
 * here, in the page; everything else goes to the network as usual. The elements are the real ones, unchanged: they are
 * simply pointed at `api="/__styleguide/api"`.
 *
 * The order id names the scenario: `SG-<scenario>` (see {@link SCENARIOS}).
 */
export const FIXTURE_API = '/__styleguide/api';

/** What a desktop browser is offered: the scan methods, and the ones that only work elsewhere, with the BFF's reasons. */
export const FIXTURE_METHODS: readonly MethodView[] = [
  { method: 'SCAN_WEIXIN', usable: true, wallet: 'wechat', group: 'wechat', actions: ['qr'] },
  { method: 'WECHAT_PUBLIC', usable: false, reason: 'open_in_wechat', wallet: 'wechat', group: 'wechat', actions: ['wechat-jsapi'] },
  { method: 'SCAN_ALIPAY', usable: true, wallet: 'alipay', group: 'alipay', actions: ['qr'] },
  { method: 'ALIPAY_SERVICE', usable: false, reason: 'open_in_alipay', wallet: 'alipay', group: 'alipay', actions: ['alipay-jsapi'] },
  { method: 'SCAN_UNIONPAY', usable: true, wallet: 'unionpay', group: 'unionpay', actions: ['qr'] },
  { method: 'WECHATPAY_APP_OPEN', usable: false, reason: 'app_only', wallet: 'wechat', group: 'wechat', actions: ['app-params'] },
  { method: 'BALANCE', usable: true, group: 'balance', actions: ['sms'] },
];

/** A link as the sandbox's scan methods give it (the wallet page of the payment). */
export const FIXTURE_PAY_INFO = 'http://localhost:8686/sandbox/wallet/6f1c0e7a93b24d5c8e0f2a1b7c9d3e4f';

export const SCENARIOS = ['loading', 'select', 'phone', 'awaiting', 'success', 'double_paid', 'failed', 'expired', 'unsupported'] as const;
export type Scenario = (typeof SCENARIOS)[number];

const AMOUNT = 18600;
const PAYMENT_MINUTES = 5;

const subject = (english: boolean) => (english ? 'Longjing green tea 50g and 2 more' : '西湖龙井 50g 等3件');
const scenarioOf = (orderId: string): Scenario | undefined => SCENARIOS.find((scenario) => orderId === `SG-${scenario}`);

/** The one payment of a scenario: the same bizOrderNo on every read. */
const bizOrderNoOf = (scenario: string) => `SG${scenario.toUpperCase().slice(0, 6).padEnd(6, '0')}20261126000001`;

/**
 * Where a scenario's payment is, as the BFF would report it. `double_paid`: a second attempt the payer paid although another
 * one had paid the order meanwhile — a success the BFF reports as money to refund.
 */
const paymentState = (scenario: string): PaymentState =>
  scenario === 'failed' ? 'failed' : scenario === 'expired' ? 'expired' : scenario === 'double_paid' ? 'success' : 'pending';

function action(scenario: string, method: string): PaymentAction {
  return scenario === 'unsupported' || method === 'BALANCE' ? { type: 'sms', phone: '138****8000', resendAfter: 60 } : { type: 'qr', payInfo: FIXTURE_PAY_INFO };
}

function payment(scenario: string, english: boolean, method = 'SCAN_WEIXIN'): PaymentView {
  const now = Date.now();
  const state = paymentState(scenario);
  return {
    bizOrderNo: bizOrderNoOf(scenario),
    merchantOrderId: `SG-${scenario}`,
    state,
    method,
    amount: AMOUNT,
    expiresAt: new Date(now + PAYMENT_MINUTES * 60_000).toISOString(),
    action: action(scenario, method),
    failure: state === 'failed' ? { code: 'SANDBOX', message: english ? 'Insufficient balance in the wallet (simulated)' : '钱包余额不足(模拟)' } : null,
    settlement: state === 'success' ? (scenario === 'double_paid' ? 'double_paid' : 'paid') : null,
    environment: 'desktop',
    serverTime: new Date(now).toISOString(),
  };
}

function order(scenario: Scenario, english: boolean): OrderView {
  const pending = ['awaiting', 'double_paid', 'failed', 'expired', 'unsupported'].includes(scenario);
  const current = pending ? payment(scenario, english, scenario === 'unsupported' ? 'BALANCE' : 'SCAN_WEIXIN') : undefined;
  return {
    merchantOrderId: `SG-${scenario}`,
    amount: AMOUNT,
    currency: 'CNY',
    subject: subject(english),
    paid: scenario === 'success',
    paidBizOrderNo: scenario === 'success' ? bizOrderNoOf(scenario) : null,
    serverTime: new Date().toISOString(),
    environment: 'desktop',
    methods: FIXTURE_METHODS,
    payer: { phoneBound: scenario !== 'phone', phone: scenario === 'phone' ? null : '138****8000' },
    // What the BFF lists: the attempt to resume, still pending when the page loads (its end comes over the stream).
    currentPayment: current ? { bizOrderNo: current.bizOrderNo, state: 'pending', action: current.action, expiresAt: current.expiresAt, method: current.method } : null,
  };
}

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
const notFound = () => json(404, { error: { code: 'not_found', message: 'Not found' } });

async function answer(url: URL, init: RequestInit | undefined): Promise<Response> {
  const path = url.pathname.slice(FIXTURE_API.length);
  const method = (init?.method ?? 'GET').toUpperCase();
  const english = !new Headers(init?.headers).get('accept-language')?.toLowerCase().startsWith('zh');
  const body = typeof init?.body === 'string' ? (JSON.parse(init.body) as Record<string, string>) : {};

  let match = /^\/orders\/([^/]+)$/.exec(path);
  if (match && method === 'GET') {
    const scenario = scenarioOf(decodeURIComponent(match[1]!));
    if (!scenario) return notFound();
    // "loading": an answer that never comes.
    if (scenario === 'loading') return new Promise<Response>(() => undefined);
    return json(200, order(scenario, english));
  }
  match = /^\/orders\/([^/]+)\/payments$/.exec(path);
  if (match && method === 'POST') {
    const scenario = scenarioOf(decodeURIComponent(match[1]!)) ?? 'select';
    // Pressing Pay in the style guide: a QR payment that stays pending (BALANCE: an SMS step this version does not run).
    return json(201, payment(scenario === 'select' || scenario === 'phone' ? 'awaiting' : scenario, english, body.method ?? 'SCAN_WEIXIN'));
  }
  match = /^\/payments\/([^/]+)$/.exec(path);
  if (match && method === 'GET') {
    const scenario = SCENARIOS.find((s) => bizOrderNoOf(s) === decodeURIComponent(match![1]!));
    return scenario ? json(200, payment(scenario, english)) : notFound();
  }
  if (path === '/payer/phone/code' && method === 'POST') {
    return /^1\d{10}$/.test(body.phone ?? '')
      ? json(200, { sent: true, resendAfter: 60 })
      : json(422, { error: { code: 'validation', message: english ? 'Enter an 11-digit mobile number' : '请输入 11 位手机号' } });
  }
  if (path === '/payer/phone' && method === 'POST') {
    return /^\d{6}$/.test(body.verificationCode ?? '')
      ? json(200, { phoneBound: true })
      : json(422, { error: { code: 'yunst.30024', message: english ? 'Wrong verification code' : '验证码错误' } });
  }
  return notFound();
}

/** `EventSource` for the fixture's payment streams: the state of the payment once, as the BFF sends it on connect. */
function fixtureEventSource(Real: typeof EventSource): typeof EventSource {
  class FixtureEventSource extends EventTarget {
    static readonly CONNECTING = 0;
    static readonly OPEN = 1;
    static readonly CLOSED = 2;
    readonly CONNECTING = 0;
    readonly OPEN = 1;
    readonly CLOSED = 2;
    url = '';
    readonly withCredentials = false;
    readyState = 0;
    onopen: ((event: Event) => void) | null = null;
    onmessage: ((event: MessageEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;

    constructor(url: string | URL, init?: EventSourceInit) {
      super();
      const target = new URL(String(url), location.href);
      if (target.origin !== location.origin || !target.pathname.startsWith(`${FIXTURE_API}/`)) return new Real(url, init) as unknown as FixtureEventSource;
      this.url = target.href;
      const match = /\/payments\/([^/]+)\/events$/.exec(target.pathname);
      const scenario = SCENARIOS.find((s) => bizOrderNoOf(s) === decodeURIComponent(match?.[1] ?? ''));
      setTimeout(() => {
        if (this.readyState === 2) return;
        this.readyState = 1;
        this.dispatchEvent(new Event('open'));
        if (!scenario) return;
        const state = paymentState(scenario);
        const data = JSON.stringify({ bizOrderNo: bizOrderNoOf(scenario), state, at: new Date().toISOString(), ...(state === 'success' ? { settlement: scenario === 'double_paid' ? 'double_paid' : 'paid' } : {}) });
        this.dispatchEvent(new MessageEvent('state', { data }));
      }, 50);
    }

    close(): void {
      this.readyState = 2;
    }
  }
  return FixtureEventSource as unknown as typeof EventSource;
}

/** Answers the fixture's calls from now on. */
export function installFixtureApi(): void {
  const realFetch = window.fetch.bind(window);
  window.fetch = (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input), location.href);
    if (url.origin === location.origin && url.pathname.startsWith(`${FIXTURE_API}/`)) return answer(url, init);
    return realFetch(input, init);
  };
  window.EventSource = fixtureEventSource(window.EventSource);
}
