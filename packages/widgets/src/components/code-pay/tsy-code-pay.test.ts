// CODEPAY_VSP in <tsy-checkout>, in Chromium against the real stack (BFF router + YunST sandbox over HTTP): the cashier
// presses pay, the payer's code comes in (barcode gun or typed — the camera has its own test, with a fake camera), the
// payment is created with it and followed until the BFF says. This browser has no camera: the scanner says so.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../checkout/define.js';
import { faultyBff, newOrder, paymentNow } from '../../test-support/stack.js';
import type { TsyCheckout } from '../checkout/tsy-checkout.js';
import type { TsyCodePay } from './tsy-code-pay.js';

let serial = 0;
/** A new, valid payment code of a wallet: the sandbox pays it (…0000: after the payer's password; …9999: declines it). */
function freshCode(wallet: 'wechat' | 'alipay' | 'unionpay', ending = ''): string {
  const [prefix, length] = wallet === 'wechat' ? ['13', 18] : wallet === 'alipay' ? ['28', 18] : ['62', 19];
  const digits = `${Date.now()}${++serial}${Math.floor(Math.random() * 1e9)}`.replace(/0000|9999/g, '1212');
  return (prefix + digits + '3'.repeat(length)).slice(0, length - ending.length) + ending;
}

async function mount(amount: number, api = '/api/checkout'): Promise<TsyCheckout> {
  const order = await newOrder({ amount, methods: ['CODEPAY_VSP'] });
  const el = await fixture<TsyCheckout>(html`<tsy-checkout api=${api} order=${order} locale="en"></tsy-checkout>`);
  await waitUntil(() => el.state === 'select', 'order loaded', { timeout: 5000 });
  return el;
}

const step = (el: TsyCheckout) => el.shadowRoot!.querySelector('tsy-code-pay') as TsyCodePay | null;
const scanner = (el: TsyCheckout) => step(el)?.shadowRoot?.querySelector('tsy-code-scanner') ?? null;
const text = (node: Element | null | undefined) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const alertOf = (el: TsyCheckout) => text(step(el)?.shadowRoot?.querySelector('[part=error]'));

/** Pay → the scanner, ready for a code. */
async function openScanner(el: TsyCheckout): Promise<void> {
  el.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-button]')!.click();
  await waitUntil(() => scanner(el)?.shadowRoot?.querySelector('input[name=code]'), 'scanner shown', { timeout: 5000 });
  expect(el.state).to.equal('awaiting');
}

/** The cashier types the code and presses the button. */
async function typeCode(el: TsyCheckout, code: string): Promise<void> {
  const root = scanner(el)!.shadowRoot!;
  const input = root.querySelector<HTMLInputElement>('input[name=code]')!;
  input.value = code;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  root.querySelector<HTMLButtonElement>('[part=submit-button]')!.click();
}

/**
 * A USB barcode gun: the digits as keystrokes in one burst, then Enter, into whatever has focus. (Dispatched at once: a
 * test page's timers may be throttled far beyond a gun's millisecond gaps.)
 */
function gun(code: string): void {
  for (const key of [...code, 'Enter']) document.body.dispatchEvent(new KeyboardEvent('keydown', { key, bubbles: true, composed: true }));
}

describe('<tsy-checkout> with CODEPAY_VSP (<tsy-code-pay>)', () => {
  it('pay shows the scanner; a typed WeChat code pays at once; the BFF confirms the success', async () => {
    const el = await mount(1288);
    await openScanner(el);
    expect(text(scanner(el)!.shadowRoot!.querySelector('[part=amount]'))).to.contain('12.88');
    expect(scanner(el)!.getAttribute('wallets'), 'the wallets the BFF says the shop takes').to.equal('wechat alipay unionpay');
    const success = oneEvent(el, 'tsy-success');
    await typeCode(el, freshCode('wechat'));
    const { detail } = await success;
    expect(detail).to.include({ amount: 1288, method: 'CODEPAY_VSP', settlement: 'paid' });
    expect((await paymentNow(detail.bizOrderNo)).state).to.equal('success');
    expect(el.state).to.equal('success');
  });

  it('a barcode gun’s code the payer confirms with a password (…0000): "waiting for the payer", live, then success', async () => {
    const el = await mount(500);
    await openScanner(el);
    gun(freshCode('alipay', '0000'));
    await waitUntil(() => step(el)?.status === 'waiting', 'waiting for the payer', { timeout: 5000 });
    const status = step(el)!.shadowRoot!.querySelector('[part=status][role=status]');
    expect(text(status)).to.contain('Waiting for the payer');
    expect(el.state).to.equal('awaiting');
    const success = oneEvent(el, 'tsy-success');
    await success;
    expect(el.state).to.equal('success');
  });

  it('a code used before is refused with the BFF’s reason; the next code pays', async () => {
    const used = freshCode('unionpay');
    const first = await mount(100);
    await openScanner(first);
    const paid = oneEvent(first, 'tsy-success');
    await typeCode(first, used);
    await paid;

    const el = await mount(200);
    await openScanner(el);
    const failed = oneEvent(el, 'tsy-fail');
    await typeCode(el, used);
    expect((await failed).detail.code).to.equal('payment_code_used');
    await waitUntil(() => alertOf(el).includes('used'), 'the refusal shown', { timeout: 5000 });
    expect(el.state).to.equal('awaiting');
    await waitUntil(() => scanner(el)?.shadowRoot?.querySelector('input[name=code]'), 'ready for the next code');
    const success = oneEvent(el, 'tsy-success');
    await typeCode(el, freshCode('unionpay'));
    await success;
  });

  it('a declined code (…9999) shows the platform’s reason and lets the cashier scan again', async () => {
    const el = await mount(300);
    await openScanner(el);
    const failed = oneEvent(el, 'tsy-fail');
    await typeCode(el, freshCode('wechat', '9999'));
    expect((await failed).detail.code).to.equal('payment_failed');
    await waitUntil(() => alertOf(el).includes('did not go through'), 'the platform’s reason', { timeout: 5000 });
    expect(alertOf(el)).to.match(/余额不足|失效/);
    await waitUntil(() => scanner(el)?.shadowRoot?.querySelector('input[name=code]'), 'ready again');
    const success = oneEvent(el, 'tsy-success');
    gun(freshCode('wechat'));
    const { detail } = await success;
    expect(detail.amount).to.equal(300);
  });

  it('a reload while the payer confirms resumes "waiting for the payer" for the same payment', async () => {
    const el = await mount(400);
    await openScanner(el);
    const created = oneEvent(el, 'tsy-payment-created');
    await typeCode(el, freshCode('wechat', '0000'));
    await waitUntil(() => step(el)?.status === 'waiting', 'waiting', { timeout: 5000 });
    const { bizOrderNo } = (await created).detail.payment;
    const again = await fixture<TsyCheckout>(html`<tsy-checkout order=${el.order} locale="en"></tsy-checkout>`);
    await waitUntil(() => step(again)?.status === 'waiting', 'resumed waiting', { timeout: 5000 });
    expect((step(again)!.payment as { bizOrderNo: string }).bizOrderNo).to.equal(bizOrderNo);
    await oneEvent(again, 'tsy-success');
  });

  it('a create whose answer is lost is asked again with the same Idempotency-Key: one payment, one charge, success', async () => {
    const bff = faultyBff('code-lost', { cut: 1 });
    const el = await mount(700, bff.api);
    await openScanner(el);
    const success = oneEvent(el, 'tsy-success');
    await typeCode(el, freshCode('alipay'));
    const { detail } = await success;
    const { posts } = await bff.stats();
    expect(posts, JSON.stringify(posts)).to.have.length(2);
    expect(posts[1]!.status, JSON.stringify(posts)).to.equal(201);
    expect(posts[1]!.key, 'the same key').to.equal(posts[0]!.key);
    expect(posts[1]!.bizOrderNo, 'the same payment').to.equal(posts[0]!.bizOrderNo);
    expect(detail.bizOrderNo).to.equal(posts[0]!.bizOrderNo);
    expect((await paymentNow(detail.bizOrderNo)).state).to.equal('success');
  });

  it('passes axe while scanning and while waiting', async () => {
    const el = await mount(600);
    await openScanner(el);
    await expect(step(el)).to.be.accessible();
    await typeCode(el, freshCode('wechat', '0000'));
    await waitUntil(() => step(el)?.status === 'waiting', 'waiting', { timeout: 5000 });
    await expect(step(el)).to.be.accessible();
  });
});
