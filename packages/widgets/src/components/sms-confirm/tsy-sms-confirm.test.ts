// <tsy-sms-confirm> in Chromium with real BALANCE payments of the real stack (BFF + sandbox): the code read from the
// sandbox's SMS inbox as the payer reads it; time moved on the servers' shared clock (a code's 3 minutes, the resend
// interval) instead of waited for.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import '../checkout/define.js';
import '../method-picker/define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { advanceServerClock, createPayment, newOrder, paymentNow, smsCodeOf } from '../../test-support/stack.js';
import type { TsyCheckout } from '../checkout/tsy-checkout.js';
import type { TsySmsConfirm } from './tsy-sms-confirm.js';

const smsPayment = async (amount?: number): Promise<PaymentView> => createPayment(await newOrder(amount === undefined ? {} : { amount }), 'BALANCE');
const mount = (payment: PaymentView, locale = 'en') =>
  fixture<TsySmsConfirm>(html`<tsy-sms-confirm locale=${locale} .apiClient=${new CheckoutApi('/api/checkout', () => locale)} .payment=${payment}></tsy-sms-confirm>`);
const part = <T extends HTMLElement = HTMLElement>(el: TsySmsConfirm, name: string) => el.shadowRoot!.querySelector<T>(`[part~=${name}]`);
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const spoken = (el: TsySmsConfirm) => text(el.shadowRoot!.querySelector('.visually-hidden[role=status]'));
const wrongFor = (code: string, n = 1) => String((Number(code) + n) % 1_000_000).padStart(6, '0');

/** Types into the code field as a keyboard, a paste or an SMS autofill does: the value changes, then `input`. */
function type(el: TsySmsConfirm, value: string): void {
  const input = part<HTMLInputElement>(el, 'code-input')!;
  input.value = value;
  input.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
}

/** Types a code and waits for the BFF's answer (the field is free again or the flow moved on). */
async function submit(el: TsySmsConfirm, code: string): Promise<void> {
  type(el, code);
  await waitUntil(() => !(el as unknown as { busy: boolean }).busy && (el.status !== 'entry' || part(el, 'notice')), 'answered', { timeout: 5000 });
  await el.updateComplete;
}

describe('<tsy-sms-confirm>', () => {
  afterEach(async () => {
    await advanceServerClock('reset');
  });

  it('says where the code went, asks for it (one-time-code, numeric), the amount on the button, resend counting down; accessible', async () => {
    const payment = await smsPayment(2345);
    expect(payment.action?.type).to.equal('sms');
    const el = await mount(payment);
    await waitUntil(() => spoken(el) !== '', 'announced');
    const action = payment.action as Extract<PaymentView['action'], { type: 'sms' }>;
    expect(text(part(el, 'sent-to'))).to.equal(`Code sent to ${action.phone}`);
    expect(action.phone).to.match(/^138\*{4}\d{4}$/);
    const input = part<HTMLInputElement>(el, 'code-input')!;
    expect([input.autocomplete, input.inputMode, input.getAttribute('aria-label')]).to.deep.equal(['one-time-code', 'numeric', 'SMS code']);
    expect(text(part(el, 'confirm-button'))).to.equal('Pay ¥23.45');
    const resend = part<HTMLButtonElement>(el, 'resend-button')!;
    expect(resend.disabled).to.equal(true);
    expect(text(resend)).to.match(/^Resend \((59|60)s\)$/);
    expect(spoken(el)).to.match(/^Code sent to 138\*{4}\d{4} You can ask for a new code in (59|60) seconds$/);
    await expect(el).to.be.accessible();
  });

  it('zh-CN: 验证码已发送至 138****…, 重新发送 (60s)', async () => {
    const el = await mount(await smsPayment(), 'zh-CN');
    await waitUntil(() => spoken(el) !== '');
    expect(text(part(el, 'sent-to'))).to.match(/^验证码已发送至 138\*{4}\d{4}$/);
    expect(text(part(el, 'resend-button'))).to.match(/^重新发送 \((59|60)s\)$/);
    expect(text(part(el, 'confirm-button'))).to.equal('确认支付 ¥12.34');
  });

  it('a pasted "验证码 123456" keeps the digits and submits on the 6th: the right code pays (tsy-payment-state, the BFF says success)', async () => {
    const payment = await smsPayment();
    const el = await mount(payment);
    await el.updateComplete;
    const code = await smsCodeOf(payment.bizOrderNo);
    type(el, '验证码 ');
    expect(part<HTMLInputElement>(el, 'code-input')!.value).to.equal('');
    const reported = oneEvent(el, 'tsy-payment-state');
    type(el, `验证码 ${code},5分钟内有效`);
    const { detail } = await reported;
    expect(detail).to.deep.equal({ bizOrderNo: payment.bizOrderNo, state: 'success' });
    expect((await paymentNow(payment.bizOrderNo)).state).to.equal('success');
  });

  it('a wrong code: how many tries are left (alert), the field cleared and focused, the payment still pending', async () => {
    const payment = await smsPayment();
    const el = await mount(payment);
    const code = await smsCodeOf(payment.bizOrderNo);
    await submit(el, wrongFor(code));
    const notice = part(el, 'notice')!;
    expect(notice.getAttribute('role')).to.equal('alert');
    expect(text(notice)).to.equal('Wrong code. Tries left: 4');
    expect(part<HTMLInputElement>(el, 'code-input')!.value).to.equal('');
    expect(el.shadowRoot!.activeElement).to.equal(part(el, 'code-input'));
    expect((await paymentNow(payment.bizOrderNo)).state).to.equal('pending');
    await expect(el).to.be.accessible();
  });

  it('too short a code by the button: asked for the code, nothing sent (all five tries still there)', async () => {
    const payment = await smsPayment();
    const el = await mount(payment);
    type(el, '12');
    part<HTMLButtonElement>(el, 'confirm-button')!.click();
    await el.updateComplete;
    expect(text(part(el, 'notice'))).to.equal('Enter the code from the SMS');
    await submit(el, wrongFor(await smsCodeOf(payment.bizOrderNo)));
    expect(text(part(el, 'notice'))).to.equal('Wrong code. Tries left: 4');
  });

  it('after 5 wrong codes: refused, and a new payment is offered (tsy-refresh)', async () => {
    const payment = await smsPayment();
    const el = await mount(payment);
    const code = await smsCodeOf(payment.bizOrderNo);
    for (let i = 1; i <= 4; i++) await submit(el, wrongFor(code, i));
    expect(text(part(el, 'notice'))).to.equal('Wrong code. Tries left: 1');
    await submit(el, wrongFor(code, 5));
    expect(el.status).to.equal('exhausted');
    expect(text(part(el, 'notice'))).to.contain('Too many wrong codes');
    expect(part(el, 'code-input')).to.equal(null);
    await expect(el).to.be.accessible();
    // Even the right code is refused now, by the BFF (429) — the page cannot talk it into a sixth try.
    const refused = await fetch(`/api/checkout/payments/${payment.bizOrderNo}/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ verificationCode: code }) });
    expect(refused.status).to.equal(429);
    const refresh = oneEvent(el, 'tsy-refresh');
    part<HTMLButtonElement>(el, 'new-payment')!.click();
    await refresh;
  });

  it('resend refused as too early (another tab resent): the countdown follows the BFF’s resendAt / Retry-After', async () => {
    const payment = await smsPayment();
    await advanceServerClock(61_000);
    // This page's view: the interval has passed, so "resend" is offered…
    const view = await paymentNow(payment.bizOrderNo);
    const el = await mount(view);
    await el.updateComplete;
    const resend = part<HTMLButtonElement>(el, 'resend-button')!;
    expect([resend.disabled, text(resend)]).to.deep.equal([false, 'Resend code']);
    // …but another tab asked for a code meanwhile.
    const other = await fetch(`/api/checkout/payments/${payment.bizOrderNo}/sms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(other.status).to.equal(200);
    resend.click();
    await waitUntil(() => part<HTMLButtonElement>(el, 'resend-button')!.disabled, 'counting again');
    expect(text(part(el, 'resend-button'))).to.match(/^Resend \((59|60)s\)$/);
    expect(spoken(el)).to.match(/You can ask for a new code in (59|60) seconds/);
    expect(part(el, 'notice')).to.equal(null);
  });

  it('an expired code asks for a new one; the resent code pays', async () => {
    const payment = await smsPayment();
    const old = await smsCodeOf(payment.bizOrderNo);
    await advanceServerClock(3 * 60_000);
    const el = await mount(await paymentNow(payment.bizOrderNo));
    await submit(el, old);
    expect(text(part(el, 'notice'))).to.equal('The code has expired. Press “Resend code” for a new one.');
    const resend = part<HTMLButtonElement>(el, 'resend-button')!;
    expect(el.shadowRoot!.activeElement).to.equal(resend);
    resend.click();
    await waitUntil(() => /^A new code was sent to 138/.test(spoken(el)), 'resent');
    const fresh = await smsCodeOf(payment.bizOrderNo);
    expect(fresh).to.not.equal(old);
    const reported = oneEvent(el, 'tsy-payment-state');
    type(el, fresh);
    expect((await reported).detail.state).to.equal('success');
  });

  it('the countdown is spoken at its start, at 10 s and when a new code can be asked for — not every second', async function () {
    this.timeout(25_000);
    const payment = await smsPayment();
    await advanceServerClock(48_000);
    const el = await mount(await paymentNow(payment.bizOrderNo));
    const heard: string[] = [];
    const labels = new Set<string>();
    await waitUntil(
      () => {
        const now = spoken(el);
        if (now && heard.at(-1) !== now) heard.push(now);
        labels.add(text(part(el, 'resend-button')));
        return !part<HTMLButtonElement>(el, 'resend-button')!.disabled;
      },
      'resend available',
      { timeout: 20_000, interval: 100 },
    );
    await waitUntil(() => spoken(el) === 'You can now ask for a new code');
    heard.push(spoken(el));
    expect([...new Set(heard)]).to.deep.equal([`Code sent to ${(payment.action as { phone: string }).phone} You can ask for a new code in 12 seconds`, 'You can ask for a new code in 10 seconds', 'You can now ask for a new code']);
    expect(labels.size).to.be.greaterThan(10, 'the button itself counts every second');
  });

  it('inside <tsy-checkout>: BALANCE runs the SMS step, and success is shown once the BFF confirms', async () => {
    const order = await newOrder();
    const checkout = await fixture<TsyCheckout>(html`<tsy-checkout api="/api/checkout" order=${order} locale="en"></tsy-checkout>`);
    await waitUntil(() => checkout.state === 'select', 'loaded', { timeout: 5000 });
    const picker = checkout.shadowRoot!.querySelector('tsy-method-picker')!;
    await picker.updateComplete;
    [...picker.shadowRoot!.querySelectorAll<HTMLElement>('[role=radio]')].find((r) => r.textContent!.includes('Account balance'))!.click();
    await checkout.updateComplete;
    checkout.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-button]')!.click();
    await waitUntil(() => checkout.shadowRoot!.querySelector('tsy-sms-confirm'), 'the SMS step', { timeout: 5000 });
    const flow = checkout.shadowRoot!.querySelector('tsy-sms-confirm')!;
    expect(flow.getAttribute('part')).to.equal('flow sms-confirm');
    await flow.updateComplete;
    const success = oneEvent(checkout, 'tsy-success');
    type(flow, await smsCodeOf(flow.payment!.bizOrderNo));
    const { detail } = await success;
    expect([detail.method, detail.settlement, checkout.state]).to.deep.equal(['BALANCE', 'paid', 'success']);
  });
});
