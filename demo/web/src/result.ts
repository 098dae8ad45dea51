import '@tsy/widgets';
import type { PaymentState, PaymentStateMessage, PaymentView, TsyCheckout } from '@tsy/widgets';
import { ApiError, checkoutApi } from './api.js';
import { saveCart } from './cart.js';
import { h, replace } from './dom.js';
import { formatYuan } from './format.js';
import { methodLabel, SETTLEMENT_TEXT, STATE_TEXT } from './labels.js';
import { applyToElement, type Preferences } from './preferences.js';

/** How often a pending payment is asked about when its event stream is down (each ask also makes the BFF check the platform). */
const POLL_MS = 3000;

/**
 * `/checkout/result?merchantOrderId&bizOrderNo`: where the payer lands after a front page (through the BFF's verified
 * `/yunst/return`) or back from a wallet's H5 page (the payment's `returnUrl`, which proves nothing). The query only names
 * the payment; everything the page states is the BFF's: the payment's state, live while it is pending ("confirming"), and
 * its order is the one the BFF says (a `merchantOrderId` in the link is not believed, nor a `state`).
 */
export async function renderResult(root: HTMLElement, preferences: Preferences): Promise<void> {
  const query = new URLSearchParams(location.search);
  const back = h('p', null, h('a', { href: '/', class: 'button', 'data-testid': 'back-to-shop' }, '返回商店 / Back to the shop'));
  const page = (...children: Parameters<typeof h>[2][]) => replace(root, h('section', { class: 'result-page' }, h('h2', null, '支付结果 / Payment result'), ...children));
  page(h('p', { class: 'muted' }, '正在向服务器确认… / Checking with the server…'));

  let bizOrderNo = query.get('bizOrderNo');
  try {
    // Only the order given: its latest payment (the BFF's), or where it was paid.
    const orderId = query.get('merchantOrderId');
    if (!bizOrderNo && orderId) {
      const order = await checkoutApi.order(orderId);
      bizOrderNo = order.paidBizOrderNo ?? order.currentPayment?.bizOrderNo ?? null;
    }
    if (!bizOrderNo) {
      page(h('p', { class: 'error', 'data-testid': 'result-missing' }, '缺少支付单号 / No payment given'), back);
      return;
    }
    const payment = await checkoutApi.payment(bizOrderNo);
    // The payment's order as this shopper may see it (resolveOrder): someone else's is "no such order" here too.
    await checkoutApi.order(payment.merchantOrderId);
    const panel = h('div', { class: 'result-slot' });
    const checkoutSlot = h('div', { class: 'result-checkout' });
    page(panel, h('p', { class: 'muted' }, '以上状态经服务器验证。 / This state is verified by the server.'), checkoutSlot, back);
    show(panel, payment);
    if (payment.state === 'pending') {
      // Back from a wallet's H5 page: the checkout resumes this payment and asks whether the payer finished paying.
      if (payment.action?.type === 'redirect') checkoutSlot.append(resumedCheckout(payment.merchantOrderId, preferences));
      follow(payment, (next) => show(panel, next));
    }
  } catch (error) {
    page(h('p', { class: 'error', role: 'alert', 'data-testid': 'result-error' }, error instanceof ApiError ? error.message : String(error)), back);
  }
}

/** The payment as the BFF states it. A success that did not pay the order (paid twice, re-priced) is said as what it is. */
function show(panel: HTMLElement, payment: PaymentView): void {
  const state: PaymentState = payment.state;
  // Paid (as the BFF says): the cart is done with, as when the checkout on the shop page reports a success.
  if (state === 'success' && payment.settlement === 'paid') saveCart(new Map());
  const refund = state === 'success' && payment.settlement && payment.settlement !== 'paid' ? SETTLEMENT_TEXT[payment.settlement] : undefined;
  const [zh, en] = refund ?? (state === 'pending' ? CONFIRMING : STATE_TEXT[state]);
  replace(
    panel,
    h(
      'div',
      {
        class: `result ${refund ? 'settled' : state}`,
        'data-testid': 'result',
        'data-state': state,
        'data-biz-order-no': payment.bizOrderNo,
        ...(payment.settlement ? { 'data-settlement': payment.settlement } : {}),
        role: 'status',
        'aria-live': 'polite',
      },
      h('div', { class: 'result-title' }, `${refund ? '!' : state === 'success' ? '✓' : state === 'pending' ? '…' : '✕'} ${zh} / ${en}`),
      h('div', null, `${formatYuan(payment.amount)} · ${methodLabel(payment.method)}`),
      h('div', { class: 'muted' }, `订单 Order ${payment.merchantOrderId} · 支付单 Payment ${payment.bizOrderNo}`),
      payment.failure?.message ? h('div', null, payment.failure.message) : null,
      state === 'pending' ? h('div', { class: 'muted' }, '支付平台确认后此处自动更新 / This updates by itself once the platform confirms') : null,
    ),
  );
}

const CONFIRMING = ['正在确认支付结果', 'Confirming the payment'] as const;

/**
 * Follows a pending payment until the BFF states an outcome: its event stream, and a slow poll beside it (a proxy that
 * buffers the stream, a dropped connection). Each message is only a cue: what is shown is the payment as fetched again.
 */
function follow(payment: PaymentView, onChange: (payment: PaymentView) => void): void {
  let done = false;
  let asking = false;
  const stream = new EventSource(`/api/checkout/payments/${encodeURIComponent(payment.bizOrderNo)}/events`);
  const timer = window.setInterval(() => void ask(), POLL_MS);
  const stop = () => {
    done = true;
    stream.close();
    window.clearInterval(timer);
  };
  async function ask(): Promise<void> {
    if (done || asking) return;
    asking = true;
    try {
      const next = await checkoutApi.payment(payment.bizOrderNo);
      if (done) return;
      if (next.state !== 'pending') stop();
      onChange(next);
    } catch {
      // the next tick asks again
    } finally {
      asking = false;
    }
  }
  stream.addEventListener('state', (event) => {
    const message = JSON.parse((event as MessageEvent<string>).data) as PaymentStateMessage;
    if (message.state !== 'pending') void ask();
  });
  window.addEventListener('pagehide', stop, { once: true });
}

function resumedCheckout(merchantOrderId: string, preferences: Preferences): TsyCheckout {
  const checkout = document.createElement('tsy-checkout') as TsyCheckout;
  checkout.setAttribute('api', '/api/checkout');
  applyToElement(checkout, preferences);
  checkout.order = merchantOrderId;
  return checkout;
}
