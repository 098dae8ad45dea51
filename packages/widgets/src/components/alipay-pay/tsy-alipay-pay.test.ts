// <tsy-alipay-pay> in Chromium with real ALIPAY_SERVICE payments of the real stack (the page pretending to be inside
// Alipay through the stack's resolveEnvironment cookie) and AlipayJSBridge faked as Alipay documents it.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { createPayment, newOrder, pretendEnvironment, wallet } from '../../test-support/stack.js';
import type { TsyAlipayPay } from './tsy-alipay-pay.js';

const calls: { name: string; params: unknown }[] = [];

function installBridge(resultCode: string, memo = ''): void {
  window.AlipayJSBridge = {
    call(name, params, callback) {
      calls.push({ name, params });
      setTimeout(() => callback({ resultCode, memo }), 0);
    },
  };
}

async function alipayPayment(): Promise<PaymentView> {
  pretendEnvironment('alipay');
  return createPayment(await newOrder(), 'ALIPAY_SERVICE');
}

async function mount(payment: PaymentView, timeout = 4000): Promise<TsyAlipayPay> {
  return fixture<TsyAlipayPay>(
    html`<tsy-alipay-pay locale="en" bridge-timeout=${timeout} .environment=${payment.environment} .apiClient=${new CheckoutApi('/api/checkout', () => 'en')} .payment=${payment}></tsy-alipay-pay>`,
  );
}
const statusText = (el: TsyAlipayPay) => (el.shadowRoot!.querySelector('[part=status]')?.textContent ?? '').replace(/\s+/g, ' ').trim();
const tradeNO = (payment: PaymentView) => (payment.action as { tradeNO: string }).tradeNO;

describe('<tsy-alipay-pay>', () => {
  afterEach(() => {
    delete window.AlipayJSBridge;
    calls.length = 0;
    pretendEnvironment(undefined);
  });

  for (const code of ['9000', '8000', '6004']) {
    it(`${code}: tradePay with the BFF’s tradeNO, then confirming until the BFF reports the payment paid`, async () => {
      const payment = await alipayPayment();
      expect(payment.action?.type).to.equal('alipay-jsapi');
      installBridge(code);
      const el = await mount(payment);
      await waitUntil(() => el.status === 'confirming', 'confirming', { timeout: 5000 });
      expect(calls).to.deep.equal([{ name: 'tradePay', params: { tradeNO: tradeNO(payment) } }]);
      expect(statusText(el)).to.equal('Confirming the payment…');
      const final = oneEvent(el, 'tsy-payment-state');
      await wallet(payment.bizOrderNo, 'pay');
      expect((await final).detail.state).to.equal('success');
      await expect(el).to.be.accessible();
    });
  }

  for (const [code, status, shown] of [
    ['6001', 'cancelled', 'You cancelled; the order is still unpaid'],
    ['6002', 'network', 'Network error. Please pay again.'],
    ['4000', 'failed', 'The payment did not go through: 订单支付失败'],
    ['7777', 'failed', 'The payment did not go through: 订单支付失败'],
  ] as const) {
    it(`${code}: ${status}, the payment still pending, pay again calls tradePay again`, async () => {
      const payment = await alipayPayment();
      installBridge(code, '订单支付失败');
      const el = await mount(payment);
      await waitUntil(() => el.status === status, status, { timeout: 5000 });
      expect(statusText(el)).to.equal(shown);
      await expect(el).to.be.accessible();
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-again]')!.click();
      await waitUntil(() => calls.length === 2, 'called again');
      expect(calls[1]).to.deep.equal(calls[0]);
    });
  }

  it('a late AlipayJSBridgeReady is used; no bridge at all says “open this page in Alipay”', async () => {
    const el = await mount(await alipayPayment(), 3000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    installBridge('6001');
    document.dispatchEvent(new Event('AlipayJSBridgeReady'));
    await waitUntil(() => el.status === 'cancelled', 'late bridge used', { timeout: 5000 });
    delete window.AlipayJSBridge;
    const alone = await mount(await alipayPayment(), 300);
    await waitUntil(() => alone.status === 'missing', 'gave up', { timeout: 3000 });
    expect(statusText(alone)).to.equal('Open this page in Alipay to pay');
  });

  it('inside WeChat shows the “open in browser” guide (zh-CN wording too)', async () => {
    const payment = { ...(await alipayPayment()), environment: 'wechat' as const };
    installBridge('9000');
    const el = await mount(payment);
    el.locale = 'zh-CN';
    await el.updateComplete;
    expect(el.status).to.equal('wrong-app');
    const guide = el.shadowRoot!.querySelector('[part=guide]')!.textContent!;
    expect(guide).to.contain('请在浏览器中打开此页面').and.to.contain('在浏览器打开');
    expect(calls).to.have.length(0);
    await expect(el).to.be.accessible();
  });

  it('an action without tradeNO: tsy-flow-error invalid_action, Alipay never called', async () => {
    const payment = await alipayPayment();
    installBridge('9000');
    const el = document.createElement('tsy-alipay-pay');
    el.locale = 'en';
    el.payment = { ...payment, action: { type: 'alipay-jsapi' } as never };
    const failed = oneEvent(el, 'tsy-flow-error');
    document.body.append(el);
    try {
      const { detail } = await failed;
      expect(detail).to.deep.equal({ code: 'invalid_action', message: 'The payment data is incomplete (tradeNO). Please choose another method.' });
      expect(calls).to.have.length(0);
    } finally {
      el.remove();
    }
  });
});
