// <tsy-redirect-pay> in Chromium with real WECHATPAY_H5_OPEN payments of the real stack (the page pretending to be a
// mobile browser). Leaving is stopped with `tsy-before-redirect` (the test page must stay), which is what is asserted on.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentAction, PaymentView } from '../../api/types.js';
import { createPayment, newOrder, pretendEnvironment, wallet } from '../../test-support/stack.js';
import type { TsyRedirectPay } from './tsy-redirect-pay.js';

type Redirect = Extract<PaymentAction, { type: 'redirect' }>;

async function h5Payment(): Promise<PaymentView> {
  pretendEnvironment('mobile');
  const payment = await createPayment(await newOrder(), 'WECHATPAY_H5_OPEN');
  pretendEnvironment(undefined);
  return payment;
}

/** Mounted with every leaving stopped; resolves with the element and the details of each stopped redirect. */
async function mount(payment: PaymentView, allowed = ''): Promise<{ el: TsyRedirectPay; redirects: { url: string; method: string }[] }> {
  const redirects: { url: string; method: string }[] = [];
  const stop = (event: Event) => {
    redirects.push((event as CustomEvent<{ url: string; method: string }>).detail);
    event.preventDefault();
  };
  document.addEventListener('tsy-before-redirect', stop);
  after.push(() => document.removeEventListener('tsy-before-redirect', stop));
  const el = await fixture<TsyRedirectPay>(
    html`<tsy-redirect-pay locale="en" wallet="wechat" allowed-hosts=${allowed} .apiClient=${new CheckoutApi('/api/checkout', () => 'en')} .payment=${payment}></tsy-redirect-pay>`,
  );
  return { el, redirects };
}
const after: (() => void)[] = [];
const statusText = (el: TsyRedirectPay) => (el.shadowRoot!.querySelector('[part=status]')?.textContent ?? '').replace(/\s+/g, ' ').trim();

describe('<tsy-redirect-pay>', () => {
  afterEach(() => {
    after.splice(0).forEach((undo) => undo());
    sessionStorage.clear();
  });

  it('leaves for the mweb_url with redirect_url = the action’s returnUrl (URL-encoded), after tsy-before-redirect', async () => {
    const payment = await h5Payment();
    const action = payment.action as Redirect;
    expect(action.type).to.equal('redirect');
    expect(action.allowedHosts).to.include(new URL(action.url).host);
    const { el, redirects } = await mount(payment);
    await waitUntil(() => redirects.length === 1, 'tsy-before-redirect');
    const expected = `${action.url}${action.url.includes('?') ? '&' : '?'}redirect_url=${encodeURIComponent(action.returnUrl)}`;
    expect(new URL(redirects[0]!.url).searchParams.get('redirect_url')).to.equal(action.returnUrl);
    expect(redirects[0]!.url.replace(/%20/g, '+')).to.equal(new URL(expected).href.replace(/%20/g, '+'));
    expect(redirects[0]!.method).to.equal('GET');
    await el.updateComplete;
    expect(el.shadowRoot!.querySelector<HTMLAnchorElement>('[part=continue]')!.href).to.equal(redirects[0]!.url);
    await expect(el).to.be.accessible();
  });

  it('refuses a host the action does not allow, names it in the console, fires redirect_host_refused', async () => {
    const payment = await h5Payment();
    const errors: string[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args.join(' '));
    try {
      const bad = { ...payment, action: { ...(payment.action as Redirect), url: 'https://pay.evil.example/h5?x=1' } };
      const el = document.createElement('tsy-redirect-pay');
      el.locale = 'en';
      el.payment = bad;
      const failed = oneEvent(el, 'tsy-flow-error');
      document.body.append(el);
      after.push(() => el.remove());
      const { detail } = await failed;
      expect(detail.code).to.equal('redirect_host_refused');
      expect(detail.message).to.contain('pay.evil.example');
      expect(errors.join('\n')).to.contain('pay.evil.example');
      expect(el.status).to.equal('refused');
    } finally {
      console.error = original;
    }
  });

  it('the allowed-hosts attribute only narrows: another host there does not widen the action’s list', async () => {
    const payment = await h5Payment();
    const host = new URL((payment.action as Redirect).url).host;
    const narrowed = document.createElement('tsy-redirect-pay');
    narrowed.allowedHosts = 'wx.tenpay.com';
    narrowed.payment = payment;
    const refused = oneEvent(narrowed, 'tsy-flow-error');
    const original = console.error;
    console.error = () => {};
    try {
      document.body.append(narrowed);
      after.push(() => narrowed.remove());
      expect((await refused).detail.code).to.equal('redirect_host_refused');
      const widened = document.createElement('tsy-redirect-pay');
      widened.allowedHosts = `${host} pay.evil.example`;
      widened.payment = { ...payment, action: { ...(payment.action as Redirect), url: 'https://pay.evil.example/h5' } };
      const refusedToo = oneEvent(widened, 'tsy-flow-error');
      document.body.append(widened);
      after.push(() => widened.remove());
      expect((await refusedToo).detail.code).to.equal('redirect_host_refused');
    } finally {
      console.error = original;
    }
  });

  it('coming back (reload, return page) asks “did you finish paying?”; “I have paid” asks the BFF and reports its success', async () => {
    const payment = await h5Payment();
    sessionStorage.setItem(`tsy-redirect:${payment.bizOrderNo}`, String(Date.now()));
    const { el, redirects } = await mount(payment);
    await el.updateComplete;
    expect(el.status).to.equal('returned');
    expect(statusText(el)).to.equal('Did you finish paying?');
    expect(redirects).to.have.length(0);
    await expect(el).to.be.accessible();
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=paid-button]')!.click();
    await el.updateComplete;
    expect(statusText(el)).to.equal('Confirming the payment…');
    const final = oneEvent(el, 'tsy-payment-state');
    await wallet(payment.bizOrderNo, 'pay');
    expect((await final).detail.state).to.equal('success');
  });

  it('back from the back-forward cache (pageshow persisted) asks too; pay again leaves once more', async () => {
    const payment = await h5Payment();
    const { el, redirects } = await mount(payment);
    await waitUntil(() => redirects.length === 1);
    window.dispatchEvent(new PageTransitionEvent('pageshow', { persisted: true }));
    await el.updateComplete;
    expect(el.status).to.equal('returned');
    el.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-again]')!.click();
    expect(redirects).to.have.length(2);
    expect(redirects[1]).to.deep.equal(redirects[0]);
  });

  it('an action without a url: invalid_action', async () => {
    const payment = await h5Payment();
    const el = document.createElement('tsy-redirect-pay');
    el.payment = { ...payment, action: { type: 'redirect' } as never };
    const failed = oneEvent(el, 'tsy-flow-error');
    document.body.append(el);
    after.push(() => el.remove());
    expect((await failed).detail.code).to.equal('invalid_action');
  });
});
