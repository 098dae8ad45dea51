import express from 'express';
import type { SandboxContext } from '../context.js';
import { payInWallet } from '../pay-methods/index.js';
import { requestFields } from '../soa/envelope.js';
import { formatYuan, html, sendPage, type SafeHtml } from './html.js';

function sendPosPage(res: express.Response, message?: SafeHtml): void {
  sendPage(res, {
    title: 'POS 订单收款 / POS order payment',
    body: html`<h1>POS 订单收款 <span class="muted">(sandbox)</span></h1>${message ? html`<div class="card">${message}</div>` : ''}
<form class="card" method="post"><label>付款码 / payCode<input name="payCode" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" required autofocus></label>
<button>刷卡收款 / Take payment</button></form>
<p class="muted"><a href="/sandbox/payment-codes">付款码(收银台扫码)/ Payment codes for a cashier to scan</a></p>`,
  });
}

/**
 * The POS terminal of ORDER_VSPPAY (spec §5.2): the cashier enters the order's 6-digit payCode and the payer's card pays it
 * (order success, notified).
 */
export function posRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  router.get('/sandbox/pos', (_req, res) => sendPosPage(res));
  router.post('/sandbox/pos', (req, res) => {
    const payCode = requestFields(req).payCode ?? '';
    const order = ctx.orders.byPayCode(payCode);
    if (!order || ctx.now() >= order.expiresAt) {
      return sendPosPage(res, html`<div class="error">没有待支付的订单 / No unpaid order with payCode ${payCode}</div>`);
    }
    payInWallet(ctx, order);
    ctx.config.log(`pos ${order.bizOrderNo} → ${order.state}`);
    sendPosPage(res, html`<div class="ok">收款成功 / Paid ${formatYuan(order.amount)} · ${order.bizOrderNo}</div>`);
  });
  return router;
}
