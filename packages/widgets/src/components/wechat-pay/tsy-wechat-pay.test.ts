// <tsy-wechat-pay> in Chromium with real WECHAT_PUBLIC payments of the real stack (BFF + sandbox, the page pretending to
// be inside WeChat through the stack's resolveEnvironment cookie) and WeixinJSBridge faked as WeChat documents it.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentView, WechatJsapiParams } from '../../api/types.js';
import { createPayment, newOrder, pretendEnvironment, wallet } from '../../test-support/stack.js';
import type { TsyWechatPay } from './tsy-wechat-pay.js';

type Answer = { err_msg: string; err_desc?: string };
const calls: { name: string; params: WechatJsapiParams }[] = [];

/** WeChat's bridge: `invoke` records its call and answers `answer` (after `before`, e.g. the payer paying in the sheet). */
function installBridge(answer: Answer, before: (params: WechatJsapiParams) => Promise<void> = async () => {}): void {
  window.WeixinJSBridge = {
    invoke(name, params, callback) {
      calls.push({ name, params });
      void before(params).then(() => callback(answer));
    },
  };
}

async function wechatPayment(): Promise<PaymentView> {
  pretendEnvironment('wechat');
  return createPayment(await newOrder(), 'WECHAT_PUBLIC');
}

async function mount(payment: PaymentView, timeout = 4000): Promise<TsyWechatPay> {
  return fixture<TsyWechatPay>(
    html`<tsy-wechat-pay locale="en" bridge-timeout=${timeout} .environment=${payment.environment} .apiClient=${new CheckoutApi('/api/checkout', () => 'en')} .payment=${payment}></tsy-wechat-pay>`,
  );
}
const statusText = (el: TsyWechatPay) => (el.shadowRoot!.querySelector('[part=status]')?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<tsy-wechat-pay>', () => {
  afterEach(() => {
    delete window.WeixinJSBridge;
    calls.length = 0;
    pretendEnvironment(undefined);
  });

  it('passes the BFF’s six params unchanged; :ok shows confirming until the BFF reports the payment paid', async () => {
    const payment = await wechatPayment();
    expect(payment.action?.type).to.equal('wechat-jsapi');
    installBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    const el = await mount(payment);
    await waitUntil(() => el.status === 'confirming', 'confirming', { timeout: 5000 });
    expect(calls).to.have.length(1);
    expect(calls[0]!.name).to.equal('getBrandWCPayRequest');
    expect(calls[0]!.params).to.deep.equal((payment.action as { params: WechatJsapiParams }).params);
    expect(statusText(el)).to.equal('Confirming the payment…');
    // The sheet said ok, but nothing is final until the BFF says so.
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(el.status).to.equal('confirming');
    const final = oneEvent(el, 'tsy-payment-state');
    await wallet(payment.bizOrderNo, 'pay');
    expect((await final).detail).to.deep.equal({ bizOrderNo: payment.bizOrderNo, state: 'success' });
    await expect(el).to.be.accessible();
  });

  it(':cancel keeps the payment pending and offers pay again, which invokes again with the same params', async () => {
    const payment = await wechatPayment();
    installBridge({ err_msg: 'get_brand_wcpay_request:cancel' });
    const el = await mount(payment);
    await waitUntil(() => el.status === 'cancelled', 'cancelled', { timeout: 5000 });
    expect(statusText(el)).to.equal('You cancelled; the order is still unpaid');
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-again]')!.click();
    await waitUntil(() => calls.length === 2, 'invoked again');
    expect(calls[1]!.params).to.deep.equal(calls[0]!.params);
  });

  it(':fail shows WeChat’s reason to the payer and the payment-directory hint in the console only', async () => {
    const payment = await wechatPayment();
    installBridge({ err_msg: 'get_brand_wcpay_request:fail', err_desc: '当前页面的URL未注册' });
    const warnings: string[] = [];
    const warn = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.join(' '));
    try {
      const el = await mount(payment);
      await waitUntil(() => el.status === 'failed', 'failed', { timeout: 5000 });
      expect(statusText(el)).to.equal('The payment did not go through: 当前页面的URL未注册');
      expect(statusText(el)).not.to.contain('directory');
      expect(warnings.join('\n')).to.contain('payment directory');
      expect(el.shadowRoot!.querySelector('[part=pay-again]')).to.exist;
      await expect(el).to.be.accessible();
    } finally {
      console.warn = warn;
    }
  });

  it('a bridge that comes late (WeixinJSBridgeReady) is used; none at all says “open this page in WeChat”', async () => {
    const payment = await wechatPayment();
    const el = await mount(payment, 3000);
    expect(el.status).to.equal('opening');
    await new Promise((resolve) => setTimeout(resolve, 300));
    installBridge({ err_msg: 'get_brand_wcpay_request:cancel' });
    document.dispatchEvent(new Event('WeixinJSBridgeReady'));
    await waitUntil(() => el.status === 'cancelled', 'late bridge used', { timeout: 5000 });

    delete window.WeixinJSBridge;
    const alone = await mount(await wechatPayment(), 300);
    await waitUntil(() => alone.status === 'missing', 'gave up waiting', { timeout: 3000 });
    expect(statusText(alone)).to.equal('Open this page in WeChat to pay');
    await expect(alone).to.be.accessible();
  });

  it('inside Alipay shows the “open in browser” guide instead of waiting for a bridge', async () => {
    const payment = { ...(await wechatPayment()), environment: 'alipay' as const };
    installBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    const el = await mount(payment);
    await el.updateComplete;
    expect(el.status).to.equal('wrong-app');
    const guide = el.shadowRoot!.querySelector('[part=guide]')!.textContent!;
    expect(guide).to.contain('在浏览器打开').and.to.contain('iPhone').and.to.contain('Android');
    expect(calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('params without paySign: tsy-flow-error invalid_action, WeChat never invoked', async () => {
    const payment = await wechatPayment();
    const { paySign: _, ...params } = (payment.action as { params: WechatJsapiParams }).params;
    installBridge({ err_msg: 'get_brand_wcpay_request:ok' });
    const el = document.createElement('tsy-wechat-pay');
    el.locale = 'en';
    el.payment = { ...payment, action: { type: 'wechat-jsapi', params: params as WechatJsapiParams } };
    const failed = oneEvent(el, 'tsy-flow-error');
    document.body.append(el);
    try {
      const { detail } = await failed;
      expect(detail.code).to.equal('invalid_action');
      expect(detail.message).to.contain('params.paySign');
      expect(el.status).to.equal('invalid');
      expect(calls).to.have.length(0);
    } finally {
      el.remove();
    }
  });
});
