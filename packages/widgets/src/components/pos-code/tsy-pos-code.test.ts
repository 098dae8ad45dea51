// <tsy-pos-code> in Chromium with real ORDER_VSPPAY payments of the real stack: the code is typed into the sandbox's POS
// terminal (as a cashier does), and the element follows the payment to what the BFF says.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import './define.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { createPayment, newOrder, posTerminal } from '../../test-support/stack.js';
import type { TsyPosCode } from './tsy-pos-code.js';

const part = (el: TsyPosCode, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~=${name}]`);
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const liveRegion = (el: TsyPosCode) => el.shadowRoot!.querySelector('[aria-live]');
const payCodeOf = (payment: PaymentView) => (payment.action as { payCode: string }).payCode;

async function posPayment(amount = 4321): Promise<PaymentView> {
  return createPayment(await newOrder({ amount }), 'ORDER_VSPPAY');
}

async function mount(payment: PaymentView, locale = 'zh-CN'): Promise<TsyPosCode> {
  const el = await fixture<TsyPosCode>(html`<tsy-pos-code locale=${locale} .apiClient=${new CheckoutApi('/api/checkout', () => locale)} .payment=${payment}></tsy-pos-code>`);
  await el.updateComplete;
  return el;
}

describe('<tsy-pos-code>', () => {
  it('shows the platform’s payCode large, in groups of three, read digit by digit; the amount, a countdown, waiting', async () => {
    const payment = await posPayment();
    expect(payment.action?.type).to.equal('pos-code');
    const payCode = payCodeOf(payment);
    expect(payCode).to.match(/^\d{6}$/);
    const el = await mount(payment);
    const code = part(el, 'code')!;
    expect([...code.querySelectorAll('.group')].map((g) => g.textContent)).to.deep.equal([payCode.slice(0, 3), payCode.slice(3)]);
    expect(code.getAttribute('aria-label')).to.equal(`POS 付款码 ${payCode.split('').join(' ')}`);
    expect(text(part(el, 'amount'))).to.equal('¥43.21');
    expect(text(part(el, 'countdown'))).to.match(/\d+:\d\d/);
    expect(text(part(el, 'status'))).to.equal('等待 POS 机收款…');
    expect(el.status).to.equal('waiting');
    await expect(el).to.be.accessible();
  });

  it('typed into the POS terminal, the payment succeeds and the element says so once the BFF does', async () => {
    const payment = await posPayment();
    const el = await mount(payment, 'en');
    const final = oneEvent(el, 'tsy-payment-state');
    expect(await posTerminal(payCodeOf(payment))).to.equal(true);
    const { detail } = await final;
    expect(detail).to.deep.equal({ bizOrderNo: payment.bizOrderNo, state: 'success' });
    await waitUntil(() => el.status === 'success', 'success shown');
    expect(part(el, 'code')).to.equal(null);
    expect(text(liveRegion(el))).to.contain('Payment successful');
    await expect(el).to.be.accessible();
  });

  it('a code the terminal does not know pays nothing: the element keeps waiting', async () => {
    const payment = await posPayment();
    const el = await mount(payment);
    const wrong = String((Number(payCodeOf(payment)) + 1) % 1_000_000).padStart(6, '0');
    expect(await posTerminal(wrong)).to.equal(false);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(el.status).to.equal('waiting');
  });

  describe('copy', () => {
    const clipboard = navigator.clipboard;
    const originalWrite = clipboard.writeText;
    afterEach(() => {
      clipboard.writeText = originalWrite;
    });

    it('copies the code (digits only) and says "copied"', async () => {
      const written: string[] = [];
      clipboard.writeText = async (value: string) => void written.push(value);
      const payment = await posPayment();
      const el = await mount(payment, 'en');
      expect(text(part(el, 'copy-button'))).to.equal('Copy code');
      part(el, 'copy-button')!.click();
      await waitUntil(() => text(part(el, 'copy-button')) === 'Copied', 'copied feedback');
      expect(written).to.deep.equal([payCodeOf(payment)]);
    });

    it('a refused clipboard shows the code in a field, selected, to copy by hand', async () => {
      clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      const payment = await posPayment();
      const el = await mount(payment, 'en');
      part(el, 'copy-button')!.click();
      await waitUntil(() => el.shadowRoot!.querySelector('.manual input'), 'manual copy');
      const input = el.shadowRoot!.querySelector<HTMLInputElement>('.manual input')!;
      expect(input.value).to.equal(payCodeOf(payment));
      expect(el.shadowRoot!.activeElement).to.equal(input);
      expect(text(liveRegion(el))).to.contain('Copy the code below');
      await expect(el).to.be.accessible();
    });
  });

  it('past its expiry (server time) it shows "expired" and a new-code button that fires tsy-refresh', async () => {
    const serverTime = new Date().toISOString();
    const el = await fixture<TsyPosCode>(
      html`<tsy-pos-code locale="en" api="" biz-order-no="TSY-POS-EXPIRED" pay-code="123456" amount="100" expires-at=${new Date(Date.parse(serverTime) - 1000).toISOString()} server-time=${serverTime}></tsy-pos-code>`,
    );
    await waitUntil(() => el.status === 'expired', 'expired');
    await el.updateComplete;
    expect(text(el.shadowRoot!.querySelector('.result'))).to.contain('The code is no longer valid');
    const refresh = oneEvent(el, 'tsy-refresh');
    part(el, 'refresh-button')!.click();
    await refresh;
  });

  it('an action without a six-digit payCode: invalid_action, no code shown', async () => {
    const payment = await posPayment();
    const broken = { ...payment, action: { type: 'pos-code', payCode: '12a' } } as unknown as PaymentView;
    const errors: { code: string; message: string }[] = [];
    const el = await fixture<TsyPosCode>(html`<tsy-pos-code locale="en" api="" .payment=${broken} @tsy-flow-error=${(event: CustomEvent) => errors.push(event.detail)}></tsy-pos-code>`);
    await waitUntil(() => errors.length > 0, 'tsy-flow-error');
    expect(errors).to.have.length(1);
    const [detail] = errors;
    expect(detail).to.deep.equal({ code: 'invalid_action', message: 'The payment data is incomplete (payCode). Please choose another method.' });
    expect(part(el, 'code')).to.equal(null);
    expect(part(el, 'copy-button')).to.equal(null);
  });
});
