import type { PaymentState } from '@tsy/widgets';
import { ApiError, checkoutApi } from './api.js';
import { h, replace } from './dom.js';
import { formatYuan } from './format.js';
import { methodLabel, SETTLEMENT_TEXT, STATE_TEXT } from './labels.js';

/**
 * `/checkout/result?merchantOrderId&bizOrderNo&state`: where the BFF sends a payer back from a front page. The query is
 * only a hint anyone could type; what the page states is the payment as the BFF verified it.
 */
export async function renderResult(root: HTMLElement): Promise<void> {
  const query = new URLSearchParams(location.search);
  const bizOrderNo = query.get('bizOrderNo');
  const claimed = query.get('state');
  const back = h('p', null, h('a', { href: '/', class: 'button' }, '返回商店 / Back to the shop'));
  if (!bizOrderNo) {
    replace(root, h('section', { class: 'result-page' }, h('h2', null, '支付结果 / Payment result'), h('p', { class: 'error' }, '缺少支付单号 / No payment given'), back));
    return;
  }
  replace(root, h('section', { class: 'result-page' }, h('h2', null, '支付结果 / Payment result'), h('p', { class: 'muted' }, '正在向服务器确认… / Checking with the server…')));
  try {
    const payment = await checkoutApi.payment(bizOrderNo);
    const state: PaymentState = payment.state;
    // A success that did not pay the order (paid twice, re-priced, another amount) is said as what it is: money to refund.
    const refund = state === 'success' && payment.settlement && payment.settlement !== 'paid' ? SETTLEMENT_TEXT[payment.settlement] : undefined;
    const [zh, en] = refund ?? STATE_TEXT[state];
    replace(
      root,
      h(
        'section',
        { class: 'result-page' },
        h('h2', null, '支付结果 / Payment result'),
        h(
          'div',
          { class: `result ${refund ? 'settled' : state}`, 'data-state': state, ...(payment.settlement ? { 'data-settlement': payment.settlement } : {}) },
          h('div', { class: 'result-title' }, `${refund ? '!' : state === 'success' ? '✓' : state === 'pending' ? '…' : '✕'} ${zh} / ${en}`),
          h('div', null, `${formatYuan(payment.amount)} · ${methodLabel(payment.method)}`),
          h('div', { class: 'muted' }, `订单 Order ${payment.merchantOrderId} · 支付单 Payment ${payment.bizOrderNo}`),
          payment.failure?.message ? h('div', null, payment.failure.message) : null,
        ),
        h('p', { class: 'muted' }, '以上状态经服务器验证。 / This state is verified by the server.'),
        claimed && claimed !== state ? h('p', { class: 'muted' }, `(链接中的状态 “${claimed}” 未被采信 / The link said “${claimed}”, which is not trusted)`) : null,
        back,
      ),
    );
  } catch (error) {
    replace(
      root,
      h('section', { class: 'result-page' }, h('h2', null, '支付结果 / Payment result'), h('p', { class: 'error' }, error instanceof ApiError ? error.message : String(error)), back),
    );
  }
}
