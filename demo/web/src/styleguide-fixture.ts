import type { ClientEnvironment, MethodView, OrderView, PaymentAction, PaymentState, PaymentView } from '@tsy/widgets';

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

/**
 * The flows' scenarios (issue 8), each a pending payment the checkout resumes on load: the JS bridges answer per scenario
 * (the style guide's own stand-ins below, after the apps' documented callbacks), a redirect and a form post are stopped
 * by the page's `tsy-before-redirect` handler, so the style guide never navigates away.
 */
export const FLOW_SCENARIOS = [
  'wechat_ok',
  'wechat_cancel',
  'wechat_fail',
  'alipay_9000',
  'alipay_8000',
  'alipay_6001',
  'alipay_6002',
  'alipay_4000',
  'wrong_app',
  'redirect_return',
  'redirect_refused',
  'form_post',
  'pos_code',
  'bad_action',
  'sms',
] as const;
export type FlowScenario = (typeof FLOW_SCENARIOS)[number];

export const SCENARIOS = ['loading', 'select', 'phone', 'awaiting', 'success', 'double_paid', 'failed', 'expired', 'unsupported', ...FLOW_SCENARIOS] as const;
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

/** The method of a flow scenario's payment. */
const FLOW_METHOD: Record<FlowScenario, string> = {
  wechat_ok: 'WECHAT_PUBLIC',
  wechat_cancel: 'WECHAT_PUBLIC',
  wechat_fail: 'WECHAT_PUBLIC',
  alipay_9000: 'ALIPAY_SERVICE',
  alipay_8000: 'ALIPAY_SERVICE',
  alipay_6001: 'ALIPAY_SERVICE',
  alipay_6002: 'ALIPAY_SERVICE',
  alipay_4000: 'ALIPAY_SERVICE',
  wrong_app: 'ALIPAY_SERVICE',
  redirect_return: 'WECHATPAY_H5_OPEN',
  redirect_refused: 'WECHATPAY_H5_OPEN',
  form_post: 'GATEWAY_VSP',
  pos_code: 'ORDER_VSPPAY',
  bad_action: 'WECHAT_PUBLIC',
  sms: 'BALANCE',
};
const isFlow = (scenario: string): scenario is FlowScenario => (FLOW_SCENARIOS as readonly string[]).includes(scenario);

/** Where the page of a scenario runs, as the BFF would say: the in-app flows inside their app (wrong_app: Alipay's, in WeChat). */
function environmentOf(scenario: string): ClientEnvironment {
  if (scenario.startsWith('wechat_') || scenario === 'wrong_app' || scenario === 'bad_action') return 'wechat';
  if (scenario.startsWith('alipay_')) return 'alipay';
  if (scenario.startsWith('redirect_')) return 'mobile';
  return 'desktop';
}

/** The scenario a stand-in bridge is asked about: its `package` / `tradeNO` names it. */
export const scenarioOfBridgeRef = (ref: string): string | undefined => /SG-([a-z0-9_]+)$/.exec(ref)?.[1];

function flowAction(scenario: FlowScenario): PaymentAction {
  const returnUrl = `${location.origin}/checkout/result?merchantOrderId=SG-${scenario}&bizOrderNo=${bizOrderNoOf(scenario)}`;
  switch (FLOW_METHOD[scenario]) {
    case 'WECHAT_PUBLIC':
      return {
        type: 'wechat-jsapi',
        // bad_action: an answer without its signature, as a broken BFF might send it; the flow must refuse it clearly.
        params: {
          appId: 'wx2421b1c4370ec43b',
          timeStamp: '1764150000',
          nonceStr: '5K8264ILTKCH16CQ2502SI8ZNMTM67VS',
          package: `prepay_id=SG-${scenario}`,
          signType: 'RSA',
          paySign: scenario === 'bad_action' ? '' : 'c2FuZGJveC1zdHlsZWd1aWRlLXNpZ25hdHVyZQ==',
        },
      };
    case 'ALIPAY_SERVICE':
      return { type: 'alipay-jsapi', tradeNO: `2026112622001400000SG-${scenario}` };
    case 'WECHATPAY_H5_OPEN':
      return {
        type: 'redirect',
        url: scenario === 'redirect_refused' ? 'https://pay.example.net/h5?prepay_id=SG' : 'https://wx.tenpay.com/cgi-bin/mmpayweb-bin/checkmweb?prepay_id=SG-redirect_return',
        returnUrl,
        allowedHosts: ['wx.tenpay.com'],
      };
    case 'ORDER_VSPPAY':
      return { type: 'pos-code', payCode: '482907' };
    case 'BALANCE':
      return smsAction();
    default:
      return { type: 'form-post', action: 'https://cloud.allinpay.com/gateway/yungateway/frontTrans.do', fields: {} };
  }
}

/** The SMS step, its resend 42 s away. */
const smsAction = (): PaymentAction => ({ type: 'sms', phone: '138****8000', resendAt: new Date(Date.now() + 42_000).toISOString() });

function action(scenario: string, method: string): PaymentAction {
  if (isFlow(scenario)) return flowAction(scenario);
  // unsupported: an app's parameters, which no web page can use.
  if (scenario === 'unsupported') return { type: 'app-params', orderNo: `SG-${scenario}` };
  return method === 'BALANCE' ? smsAction() : { type: 'qr', payInfo: FIXTURE_PAY_INFO };
}

/** The gateway form the form-post flow asks for (signed fields as the platform takes them; the page never posts it here). */
function gatewayForm(): { action: string; method: 'POST'; fields: Record<string, string> } {
  return {
    action: 'https://cloud.allinpay.com/gateway/yungateway/frontTrans.do',
    method: 'POST',
    fields: { sysid: '1902271423530473681', v: '2.0', timestamp: '2026-11-26 12:00:00', req: '{"service":"OrderService","method":"gateway"}', sign: 'c3R5bGVndWlkZQ==' },
  };
}

function payment(scenario: string, english: boolean, method = 'SCAN_WEIXIN'): PaymentView {
  if (isFlow(scenario)) method = FLOW_METHOD[scenario];
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
    refundedAmount: 0,
    environment: environmentOf(scenario),
    serverTime: new Date(now).toISOString(),
  };
}

/** The methods as the BFF lists them where the scenario runs (the in-app ones usable inside their app). */
function methodsFor(environment: ClientEnvironment): readonly MethodView[] {
  if (environment === 'desktop') return FIXTURE_METHODS;
  return FIXTURE_METHODS.map((view): MethodView => {
    const usable = view.method === 'WECHAT_PUBLIC' ? environment === 'wechat' : view.method === 'ALIPAY_SERVICE' ? environment === 'alipay' : view.usable;
    const { reason: _reason, ...rest } = view;
    return usable ? { ...rest, usable: true } : { ...rest, usable: false, reason: view.reason ?? (view.method === 'ALIPAY_SERVICE' ? 'open_in_alipay' : 'open_in_wechat') };
  });
}

function order(scenario: Scenario, english: boolean): OrderView {
  const pending = ['awaiting', 'double_paid', 'failed', 'expired', 'unsupported'].includes(scenario) || isFlow(scenario);
  const current = pending ? payment(scenario, english, scenario === 'unsupported' ? 'BALANCE' : 'SCAN_WEIXIN') : undefined;
  return {
    merchantOrderId: `SG-${scenario}`,
    amount: AMOUNT,
    currency: 'CNY',
    subject: subject(english),
    paid: scenario === 'success',
    paidBizOrderNo: scenario === 'success' ? bizOrderNoOf(scenario) : null,
    serverTime: new Date().toISOString(),
    environment: environmentOf(scenario),
    methods: methodsFor(environmentOf(scenario)),
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
  match = /^\/payments\/([^/]+)\/gateway$/.exec(path);
  if (match && method === 'POST') return json(200, gatewayForm());
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

/**
 * Stand-ins for the apps' JS bridges, for the style guide only (the demo shop uses the sandbox's emulator): each answers
 * the callback its scenario names, exactly as WeChat (`err_msg`) and Alipay (`resultCode`) document them, so the flows'
 * states after each answer are on the page. Present from the start, as inside the apps once the bridge is ready.
 */
export function installFixtureBridges(): void {
  const weixinAnswers: Record<string, { err_msg: string; err_desc?: string }> = {
    wechat_ok: { err_msg: 'get_brand_wcpay_request:ok' },
    wechat_cancel: { err_msg: 'get_brand_wcpay_request:cancel' },
    wechat_fail: { err_msg: 'get_brand_wcpay_request:fail', err_desc: '支付失败(模拟) / payment failed (simulated)' },
  };
  const alipayAnswers: Record<string, { resultCode: string; memo?: string }> = {
    alipay_9000: { resultCode: '9000' },
    alipay_8000: { resultCode: '8000' },
    alipay_6001: { resultCode: '6001' },
    alipay_6002: { resultCode: '6002' },
    alipay_4000: { resultCode: '4000', memo: '订单支付失败(模拟) / payment failed (simulated)' },
  };
  const later = (callback: () => void) => setTimeout(callback, 30);
  Object.assign(window, {
    WeixinJSBridge: {
      invoke(api: string, params: { package?: string }, callback: (res: { err_msg: string; err_desc?: string }) => void) {
        const scenario = scenarioOfBridgeRef(params?.package ?? '') ?? '';
        later(() => callback(api === 'getBrandWCPayRequest' ? (weixinAnswers[scenario] ?? { err_msg: 'get_brand_wcpay_request:fail' }) : { err_msg: 'system:function_not_exist' }));
      },
    },
    AlipayJSBridge: {
      call(api: string, params: { tradeNO?: string }, callback: (result: { resultCode: string; memo?: string }) => void) {
        const scenario = scenarioOfBridgeRef(params?.tradeNO ?? '') ?? '';
        later(() => callback(api === 'tradePay' ? (alipayAnswers[scenario] ?? { resultCode: '4000' }) : { resultCode: '4000' }));
      },
    },
  });
}
