// <tsy-checkout> in Chromium against the real stack (test-support/stack.mjs: BFF router + YunST sandbox over HTTP).
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../checkout/define.js';
import '../method-picker/define.js';
import type { TsyCheckout } from './tsy-checkout.js';

async function newOrder(body: { amount?: number; subject?: string; phone?: boolean } = {}): Promise<string> {
  const response = await fetch('/__stack/orders', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return ((await response.json()) as { orderId: string }).orderId;
}

async function wallet(bizOrderNo: string, action: 'pay' | 'cancel' | 'fail'): Promise<void> {
  await fetch('/__stack/wallet', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ bizOrderNo, action }) });
}

async function mount(order: string, extra = ''): Promise<TsyCheckout> {
  const el = await fixture<TsyCheckout>(html`<tsy-checkout api="/api/checkout" order=${order} locale=${extra || 'zh-CN'}></tsy-checkout>`);
  await waitUntil(() => el.state !== 'loading', 'order loaded', { timeout: 5000 });
  return el;
}

const shadow = (el: TsyCheckout) => el.shadowRoot!;
const payButton = (el: TsyCheckout) => shadow(el).querySelector<HTMLButtonElement>('[part=pay-button]')!;
const qrPay = (el: TsyCheckout) => shadow(el).querySelector('tsy-qr-pay') as (HTMLElement & { payment?: { bizOrderNo: string } }) | null;

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
    expect(detail).to.deep.equal({ bizOrderNo, amount: 880, method: 'SCAN_WEIXIN' });
    expect(el.state).to.equal('success');
    expect(states).to.deep.equal(['processing', 'awaiting', 'success']);
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

  it('never shows a success the BFF has not confirmed', async () => {
    const el = await mount(await newOrder());
    payButton(el).click();
    await waitUntil(() => qrPay(el), 'QR shown', { timeout: 5000 });
    const { bizOrderNo } = qrPay(el)!.payment!;
    // Anything on the page can dispatch events; a forged "it succeeded" must not be believed.
    qrPay(el)!.dispatchEvent(new CustomEvent('tsy-payment-state', { detail: { bizOrderNo, state: 'success' }, bubbles: true, composed: true }));
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
    shadow(el).querySelector<HTMLButtonElement>('[part=status] button')!.click();
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

  it('an action type this version does not handle shows a clear message, not a blank', async () => {
    const el = await mount(await newOrder(), 'en');
    const picker = shadow(el).querySelector('tsy-method-picker')!;
    picker.dispatchEvent(new CustomEvent('tsy-method-select', { detail: { method: 'BALANCE' }, bubbles: true, composed: true }));
    await el.updateComplete;
    payButton(el).click();
    await waitUntil(() => el.state === 'error', 'error state', { timeout: 5000 });
    const text = shadow(el).querySelector('[part=status]')!.textContent!;
    expect(text).to.contain('cannot complete this kind of payment (sms)');
    expect(shadow(el).querySelector('[part=status] button')!.textContent).to.contain('another method');
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
    expect(shadow(el).querySelector('[part=status] button')!.textContent).to.contain('Retry');
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
