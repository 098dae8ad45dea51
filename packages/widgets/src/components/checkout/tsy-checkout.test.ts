// <tsy-checkout> in Chromium against the real stack (test-support/stack.mjs: BFF router + YunST sandbox over HTTP).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../checkout/define.js';
import '../method-picker/define.js';
import type { CheckoutApi } from '../../api/checkout-api.js';
import { faultyBff, newOrder, posTerminal, pretendEnvironment, wallet } from '../../test-support/stack.js';
import type { TsyCheckout } from './tsy-checkout.js';
import { offerable } from './flows.js';

async function mount(order: string, extra = '', api = '/api/checkout'): Promise<TsyCheckout> {
  const el = await fixture<TsyCheckout>(html`<tsy-checkout api=${api} order=${order} locale=${extra || 'zh-CN'}></tsy-checkout>`);
  await waitUntil(() => el.state !== 'loading', 'order loaded', { timeout: 5000 });
  return el;
}

const shadow = (el: TsyCheckout) => el.shadowRoot!;
const payButton = (el: TsyCheckout) => shadow(el).querySelector<HTMLButtonElement>('[part=pay-button]')!;
const qrPay = (el: TsyCheckout) => shadow(el).querySelector('tsy-qr-pay') as (HTMLElement & { payment?: { bizOrderNo: string }; apiClient?: CheckoutApi; wallet?: string }) | null;
const resultButton = (el: TsyCheckout) => shadow(el).querySelector<HTMLButtonElement>('.actions button.primary')!;
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
/** The checkout's own client (private): what it hands down. */
const clientOf = (el: TsyCheckout) => (el as unknown as { client: CheckoutApi }).client;

/** Picks the method named exactly `name` (not "WeChat Pay (scan)" for "WeChat Pay"). */
async function chooseExact(el: TsyCheckout, name: string): Promise<void> {
  const picker = shadow(el).querySelector('tsy-method-picker')!;
  const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role=radio]')].find((r) => text(r) === name || text(r).startsWith(`${name} `) && !text(r).startsWith(`${name} (`));
  expect(radio, name).to.exist;
  radio!.click();
  await el.updateComplete;
}

/** Picks a method in the picker as the payer does: a click on its radio. */
async function choose(el: TsyCheckout, name: string): Promise<void> {
  const picker = shadow(el).querySelector('tsy-method-picker')!;
  const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role=radio]')].find((r) => r.textContent!.includes(name));
  expect(radio, name).to.exist;
  radio!.click();
  await el.updateComplete;
}

describe('<tsy-checkout>', () => {
  it('loads the order: amount from the server, picker with the usable methods, state select', async () => {
    const el = await mount(await newOrder({ amount: 1234 }));
    expect(el.state).to.equal('select');
    expect(el.getAttribute('state')).to.equal('select');
    expect(shadow(el).querySelector('[part=amount]')!.textContent).to.contain('¥12.34');
    const picker = shadow(el).querySelector('tsy-method-picker') as unknown as { methods: readonly { method: string }[] };
    expect(picker.methods.map((m) => m.method)).to.include('SCAN_WEIXIN');
    expect(payButton(el).textContent).to.contain('¥12.34');
  });

  it('scan to pay: pick → QR → the payer pays in the wallet → success confirmed by the BFF, with events', async () => {
    const el = await mount(await newOrder({ amount: 880 }));
    const states: string[] = [];
    el.addEventListener('tsy-state-change', (event) => states.push(event.detail.state));
    payButton(el).click();
    await waitUntil(() => el.state === 'awaiting' && qrPay(el), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(el)!.payment!;
    const success = oneEvent(el, 'tsy-success');
    await wallet(bizOrderNo, 'pay');
    const { detail } = await success;
    expect(detail).to.deep.equal({ bizOrderNo, amount: 880, method: 'SCAN_WEIXIN', settlement: 'paid' });
    expect(el.state).to.equal('success');
    expect(states).to.deep.equal(['processing', 'awaiting', 'success']);
    expect(text(shadow(el).querySelector('[part=status]'))).to.equal('支付成功 已收到支付平台的确认');
    expect(shadow(el).querySelector('.result.success')).to.exist;
  });

  it('hands its one API client down: the QR view gets it (and the wallet the BFF named), the phone step too', async () => {
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    expect(qrPay(el)!.apiClient).to.equal(clientOf(el));
    expect(qrPay(el)!.wallet).to.equal('wechat');
    const unbound = await mount(await newOrder({ phone: false }), 'en');
    await waitUntil(() => customElements.get('tsy-phone-bind') && shadow(unbound).querySelector('tsy-phone-bind'), 'phone step', { timeout: 5000 });
    expect((shadow(unbound).querySelector('tsy-phone-bind') as unknown as { apiClient: CheckoutApi }).apiClient).to.equal(clientOf(unbound));
  });

  it('`state` is reflected, but a page script cannot set it', async () => {
    const el = await mount(await newOrder());
    expect(el.getAttribute('state')).to.equal('select');
    expect(() => ((el as unknown as { state: string }).state = 'success')).to.throw(TypeError);
    await el.updateComplete;
    expect(el.state).to.equal('select');
    expect(el.getAttribute('state')).to.equal('select');
    expect(payButton(el), 'still the picker, not a success').to.exist;
    expect(shadow(el).querySelector('.result')).to.equal(null);
  });

  it('a retry after a lost answer sends the same Idempotency-Key: one payment, not two', async () => {
    const proxy = faultyBff('checkout', { cut: 1 });
    const el = await mount(await newOrder(), 'en', proxy.api);
    payButton(el).click();
    // The BFF made the payment, but its answer never arrived: the payer sees a network error and pays again.
    await waitUntil(() => el.state === 'select' && shadow(el).querySelector('.notice'), 'network error shown', { timeout: 5000 });
    expect(text(shadow(el).querySelector('.notice'))).to.contain('cannot be reached');
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const { posts } = await proxy.stats();
    expect(posts).to.have.length(2);
    expect(posts[1]!.key, 'the same attempt, the same key').to.equal(posts[0]!.key);
    expect(posts[1]!.bizOrderNo, 'the BFF answered with the payment it had made').to.equal(posts[0]!.bizOrderNo);
    expect(qrPay(el)!.payment!.bizOrderNo).to.equal(posts[0]!.bizOrderNo);
  });

  it('a double click creates one payment', async () => {
    const proxy = faultyBff('checkout');
    const el = await mount(await newOrder(), 'en', proxy.api);
    payButton(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    payButton(el).dispatchEvent(new MouseEvent('click', { bubbles: true, composed: true }));
    payButton(el).dispatchEvent(new MouseEvent('dblclick', { bubbles: true, composed: true }));
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { posts } = await proxy.stats();
    expect(posts).to.have.length(1);
  });

  it('409 payment_in_progress: waits as told (Retry-After), shows progress, and asks again with the same key', async () => {
    const proxy = faultyBff('checkout', { busy: 1 });
    const el = await mount(await newOrder(), 'en', proxy.api);
    const states: string[] = [];
    el.addEventListener('tsy-state-change', (event) => states.push(event.detail.state));
    const started = Date.now();
    payButton(el).click();
    await waitUntil(async () => (await proxy.stats()).posts.length === 1, 'first try', { timeout: 3000 });
    expect(el.state).to.equal('processing');
    expect(text(payButton(el))).to.equal('Creating the payment…');
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 6000 });
    const { posts } = await proxy.stats();
    expect(posts.map((p) => p.status)).to.deep.equal([409, 201]);
    expect(posts[1]!.key).to.equal(posts[0]!.key);
    expect(Date.now() - started, 'it waited Retry-After: 1').to.be.at.least(1000);
    expect(states).to.deep.equal(['processing', 'awaiting']);
  });

  it('a new attempt (the payer chose another way) gets a new key and a new payment', async () => {
    const proxy = faultyBff('checkout');
    const el = await mount(await newOrder(), 'en', proxy.api);
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    shadow(el).querySelector<HTMLButtonElement>('.actions .link')!.click();
    await waitUntil(() => el.state === 'select');
    await choose(el, 'Alipay');
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'second QR', { timeout: 5000 });
    const { posts } = await proxy.stats();
    expect(posts).to.have.length(2);
    expect(posts[1]!.key).not.to.equal(posts[0]!.key);
    expect(posts[1]!.bizOrderNo).not.to.equal(posts[0]!.bizOrderNo);
  });

  it('a second payment of an order already paid is shown as paid with a refund coming, not as a plain success (double_paid)', async () => {
    const el = await mount(await newOrder({ amount: 990 }));
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'first QR', { timeout: 5000 });
    const first = qrPay(el)!.payment!.bizOrderNo;
    // The payer leaves that QR open on another device, and pays again here with a new attempt.
    shadow(el).querySelector<HTMLButtonElement>('.actions .link')!.click();
    await waitUntil(() => el.state === 'select');
    payButton(el).click();
    await waitUntil(() => qrPay(el) && qrPay(el)!.payment!.bizOrderNo !== first, 'second QR', { timeout: 5000 });
    const second = qrPay(el)!.payment!.bizOrderNo;
    await wallet(first, 'pay');
    const success = oneEvent(el, 'tsy-success');
    await wallet(second, 'pay');
    const { detail } = await success;
    expect(detail).to.deep.equal({ bizOrderNo: second, amount: 990, method: 'SCAN_WEIXIN', settlement: 'double_paid' });
    await el.updateComplete;
    const status = shadow(el).querySelector('[part=status]')!;
    expect(text(status)).to.equal('已支付 该订单此前已支付,本次多付款项将退回');
    expect(status.classList.contains('settled'), 'the warning-coloured success').to.equal(true);
    expect(status.getAttribute('role'), 'a status, not an alert: nothing went wrong for the payer').to.equal('status');
    expect(getComputedStyle(status.querySelector('.icon')!).color).to.equal('rgb(154, 91, 0)');
    await expect(el).to.be.accessible();
  });

  it('survives a reload mid-payment: a new element resumes the same bizOrderNo', async () => {
    const order = await newOrder();
    const first = await mount(order);
    payButton(first).click();
    await waitUntil(() => qrPay(first), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(first)!.payment!;
    first.remove();
    const second = await mount(order);
    await waitUntil(() => qrPay(second), 'QR resumed', { timeout: 5000 });
    expect(second.state).to.equal('awaiting');
    expect(qrPay(second)!.payment!.bizOrderNo).to.equal(bizOrderNo);
  });

  it('never shows a success the BFF has not confirmed: a forged tsy-payment-state makes it ask the BFF, which says pending', async () => {
    performance.setResourceTimingBufferSize(10_000);
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(el)!.payment!;
    const asked = () =>
      performance.getEntriesByType('resource').filter((entry) => entry.name.endsWith(`/api/checkout/payments/${bizOrderNo}`) && (entry as PerformanceResourceTiming).responseEnd > 0);
    expect(asked(), 'the QR view streams; nobody has asked yet').to.have.length(0);
    // Anything on the page can dispatch events; a forged "it succeeded" must not be believed.
    qrPay(el)!.dispatchEvent(new CustomEvent('tsy-payment-state', { detail: { bizOrderNo, state: 'success' }, bubbles: true, composed: true }));
    await waitUntil(() => asked().length === 1, 'the checkout asked the BFF', { timeout: 3000 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(el.state).to.equal('awaiting');
    // The same event, once the payment really succeeded, is believed — because the BFF says so.
    await wallet(bizOrderNo, 'pay');
    await waitUntil(() => el.state === 'success', 'real success', { timeout: 5000 });
  });

  it('an event dispatched on the checkout itself changes nothing either', async () => {
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(el)!.payment!;
    for (const name of ['tsy-payment-state', 'tsy-success']) el.dispatchEvent(new CustomEvent(name, { detail: { bizOrderNo, state: 'success' }, bubbles: true, composed: true }));
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(el.state).to.equal('awaiting');
  });

  it('a failed payment (found by the BFF asking the platform) shows failed with a retry', async () => {
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const failed = oneEvent(el, 'tsy-fail');
    await wallet(qrPay(el)!.payment!.bizOrderNo, 'fail');
    await failed;
    expect(el.state).to.equal('failed');
    resultButton(el).click();
    await waitUntil(() => el.state === 'select');
  });

  it('choosing another method leaves the attempt with tsy-cancel', async () => {
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(el)!.payment!;
    const cancel = oneEvent(el, 'tsy-cancel');
    shadow(el).querySelector<HTMLButtonElement>('.actions .link')!.click();
    expect((await cancel).detail.bizOrderNo).to.equal(bizOrderNo);
    expect(el.state).to.equal('select');
  });

  it('an action with no flow on this page shows unsupported_action and fires tsy-fail with that code', async () => {
    // A real payment, whose action the proxy turns into one no flow runs (as a resumed payment of another page may be).
    const el = await mount(await newOrder(), 'en', faultyBff('unsupported', { action: 'app-params' }).api);
    const failed = oneEvent(el, 'tsy-fail');
    payButton(el).click();
    const { detail } = await failed;
    expect(detail.code).to.equal('unsupported_action');
    expect(detail.message).to.equal('This version cannot complete this kind of payment (app-params). Please choose another method.');
    expect(el.state).to.equal('error');
    expect(text(shadow(el).querySelector('[part=status]'))).to.contain(detail.message);
    expect(resultButton(el).textContent).to.contain('another method');
    resultButton(el).click();
    await waitUntil(() => el.state === 'select');
  });

  it('offers no method that leads to an action without a flow (reason no_flow); BALANCE (sms) runs and is offered', async () => {
    const methods = offerable([
      { method: 'BALANCE', usable: true, group: 'balance', actions: ['sms'] },
      { method: 'WECHATPAY_APP_OPEN', usable: true, group: 'wechat', actions: ['app-params'] },
    ]);
    expect(methods.map((m) => [m.method, m.usable, m.reason])).to.deep.equal([
      ['BALANCE', true, undefined],
      ['WECHATPAY_APP_OPEN', false, 'no_flow'],
    ]);
    const el = await mount(await newOrder(), 'en');
    const picker = shadow(el).querySelector('tsy-method-picker')!;
    await picker.updateComplete;
    const radio = [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role=radio]')].find((r) => r.textContent!.includes('Account balance'))!;
    expect(radio.getAttribute('aria-disabled')).to.not.equal('true');
  });

  it('the POS order code: <tsy-pos-code> shows the payCode, the cashier types it into the terminal, success confirmed by the BFF', async () => {
    const el = await mount(await newOrder({ amount: 2500 }), 'en');
    await chooseExact(el, 'POS pay code');
    payButton(el).click();
    const flow = (await waitUntil(() => shadow(el).querySelector('tsy-pos-code'), 'POS code shown', { timeout: 5000 }), shadow(el).querySelector('tsy-pos-code')!);
    expect(flow.getAttribute('part')).to.contain('flow');
    await flow.updateComplete;
    const payCode = flow.payCode;
    expect(payCode).to.match(/^\d{6}$/);
    expect([...flow.shadowRoot!.querySelectorAll('[part=code] .group')].map((g) => g.textContent)).to.deep.equal([payCode.slice(0, 3), payCode.slice(3)]);
    const success = oneEvent(el, 'tsy-success');
    expect(await posTerminal(payCode)).to.equal(true);
    const { detail } = await success;
    expect(detail.method).to.equal('ORDER_VSPPAY');
    expect(el.state).to.equal('success');
  });

  it('inside WeChat runs WeChat Pay through <tsy-wechat-pay> to a success the BFF confirmed', async () => {
    pretendEnvironment('wechat');
    const invoked: unknown[] = [];
    let flow: { tag: string; part: string | null } | undefined;
    // WeChat's sheet, as documented: the payer pays in it (the sandbox's wallet settles the order), then `:ok`.
    window.WeixinJSBridge = {
      invoke(_name, params, callback) {
        invoked.push(params);
        // Seen from inside the bridge call: the success may replace the flow before a poll from outside would see it.
        const element = shadow(el).querySelector('[part~=flow]') as HTMLElement & { payment: { bizOrderNo: string } };
        flow = { tag: element.localName, part: element.getAttribute('part') };
        const bizOrderNo = element.payment.bizOrderNo;
        void wallet(bizOrderNo, 'pay').then(() => callback({ err_msg: 'get_brand_wcpay_request:ok' }));
      },
    };
    const el = await mount(await newOrder(), 'en');
    try {
      await chooseExact(el, 'WeChat Pay');
      const success = oneEvent(el, 'tsy-success');
      payButton(el).click();
      const { detail } = await success;
      expect(flow).to.deep.equal({ tag: 'tsy-wechat-pay', part: 'flow wechat' });
      expect(detail.method).to.equal('WECHAT_PUBLIC');
      expect(el.state).to.equal('success');
      expect(invoked).to.have.length(1);
    } finally {
      delete window.WeixinJSBridge;
      pretendEnvironment(undefined);
    }
  });

  it('a tsy-payment-state success dispatched by the page on the flow element does not make the checkout show success', async () => {
    pretendEnvironment('alipay');
    window.AlipayJSBridge = { call: (_name, _params, callback) => callback({ resultCode: '9000' }) };
    const el = await mount(await newOrder(), 'en');
    try {
      await chooseExact(el, 'Alipay');
      payButton(el).click();
      const flow = (await waitUntil(() => shadow(el).querySelector('tsy-alipay-pay'), 'Alipay flow', { timeout: 5000 }), shadow(el).querySelector('tsy-alipay-pay')!);
      await waitUntil(() => flow.status === 'confirming', 'confirming');
      const bizOrderNo = flow.payment!.bizOrderNo;
      flow.dispatchEvent(new CustomEvent('tsy-payment-state', { detail: { bizOrderNo, state: 'success' }, bubbles: true, composed: true }));
      await new Promise((resolve) => setTimeout(resolve, 800));
      expect(el.state).to.equal('awaiting');
      expect(text(flow.shadowRoot!.querySelector('[part=status]'))).to.equal('Confirming the payment…');
      // The real payment, settled in the wallet, is what ends it.
      const success = oneEvent(el, 'tsy-success');
      await wallet(bizOrderNo, 'pay');
      await success;
      expect(el.state).to.equal('success');
    } finally {
      delete window.AlipayJSBridge;
      pretendEnvironment(undefined);
    }
  });

  it('an action missing its data (an alipay-jsapi without tradeNO) is an error with tsy-fail code invalid_action, never a blank card', async () => {
    const el = await mount(await newOrder(), 'en', faultyBff('no-tradeno', { action: 'alipay-jsapi' }).api);
    const failed = oneEvent(el, 'tsy-fail');
    payButton(el).click();
    const { detail } = await failed;
    expect(detail).to.deep.equal({ code: 'invalid_action', message: 'The payment data is incomplete (tradeNO). Please choose another method.' });
    expect(el.state).to.equal('error');
    expect(text(shadow(el).querySelector('[part=status]'))).to.contain(detail.message);
    resultButton(el).click();
    await waitUntil(() => el.state === 'select');
  });

  it('an order that is already paid shows success at once', async () => {
    const order = await newOrder();
    const el = await mount(order);
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    await wallet(qrPay(el)!.payment!.bizOrderNo, 'pay');
    await waitUntil(() => el.state === 'success', 'paid', { timeout: 5000 });
    el.remove();
    const again = await mount(order);
    expect(again.state).to.equal('success');
  });

  it('a payer without a bound phone is asked to bind one before paying', async () => {
    const el = await mount(await newOrder({ phone: false }), 'en');
    await waitUntil(() => customElements.get('tsy-phone-bind'), 'phone step loaded');
    expect(shadow(el).querySelector('tsy-phone-bind')).to.exist;
    expect(payButton(el).disabled).to.equal(true);
  });

  it('an unreachable BFF is an error state with a way to retry', async () => {
    const el = await fixture<TsyCheckout>(html`<tsy-checkout api="/nowhere" order="SO-1" locale="en"></tsy-checkout>`);
    await waitUntil(() => el.state === 'error', 'error', { timeout: 5000 });
    expect(resultButton(el).textContent).to.contain('Retry');
  });

  it('renders markup in the subject as text', async () => {
    const el = await mount(await newOrder({ subject: '<img src=x onerror="window.__pwned=1">茶' }));
    expect(shadow(el).querySelector('img')).to.equal(null);
    expect(shadow(el).querySelector('.subject')!.textContent).to.contain('<img');
  });

  for (const locale of ['zh-CN', 'en']) {
    for (const theme of ['light', 'dark']) {
      it(`is accessible (${locale}, ${theme})`, async () => {
        const order = await newOrder();
        const el = await fixture<TsyCheckout>(html`<tsy-checkout api="/api/checkout" order=${order} locale=${locale} theme=${theme}></tsy-checkout>`);
        await waitUntil(() => el.state === 'select', 'select', { timeout: 5000 });
        await expect(el).to.be.accessible();
      });
    }
  }
});
