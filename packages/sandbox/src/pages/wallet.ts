import { PAY_METHOD_INFO, type PayMethodInfo } from '@tsy/yunst';
import express, { type Request, type Response } from 'express';
import type { SandboxContext } from '../context.js';
import { checkPayable } from '../order-service/settle.js';
import { chooseInWallet } from '../order-service/wallet-choice.js';
import { requestFields } from '../soa/envelope.js';
import { SoaError } from '../soa/errors.js';
import type { SandboxOrder } from '../state/orders.js';
import type { RefundState } from '../state/refunds.js';
import { formatYuan, html, sendErrorPage, sendPage, type SafeHtml } from './html.js';

type Wallet = PayMethodInfo['wallet'];

const BRANDS: Record<NonNullable<Wallet> | 'bank', { name: string; css: string }> = {
  wechat: { name: '微信支付 WeChat Pay', css: 'wechat' },
  alipay: { name: '支付宝 Alipay', css: 'alipay' },
  unionpay: { name: '云闪付 UnionPay', css: 'unionpay' },
  qq: { name: 'QQ钱包 QQ Wallet', css: 'qq' },
  bank: { name: '手机银行 Mobile banking', css: 'bank' },
};

const STATE_TEXT: Record<SandboxOrder['state'], SafeHtml> = {
  unpaid: html`<div class="muted">待支付 / Awaiting payment</div>`,
  success: html`<div class="ok">支付成功 / Paid</div>`,
  failed: html`<div class="error">支付失败 / Payment failed</div>`,
  closed: html`<div class="error">订单已关闭 / Order closed</div>`,
  inProgress: html`<div class="muted">支付处理中 / Processing</div>`,
};

/** The state of the order as the payer's app would put it, and whether the pay buttons apply. */
function payability(ctx: SandboxContext, order: SandboxOrder): { payable: boolean; notice?: SafeHtml } {
  if (order.walletLinkExpiresAt && ctx.now() >= order.walletLinkExpiresAt) {
    // WeChat's own words for an mweb_url past its 5 minutes.
    const notice = isMwebOrder(order)
      ? html`<div class="error">支付请求已失效,请重新发起支付 / This payment request has expired; start the payment again</div>`
      : html`<div class="error">支付链接已失效 / This payment link has expired</div>`;
    return { payable: false, notice };
  }
  try {
    checkPayable(ctx, order);
    return { payable: true };
  } catch (error) {
    if (!(error instanceof SoaError)) throw error;
    const expired = error.errorCode === '40003' && order.state === 'unpaid';
    return { payable: false, notice: expired ? html`<div class="error">订单已过期,无法支付 / Order expired (40003)</div>` : STATE_TEXT[order.state] };
  }
}

const isMwebOrder = (order: SandboxOrder): boolean => order.primaryMethod === 'WECHATPAY_H5_OPEN';

const REFUND_TEXT: Record<RefundState, string> = { pending: '退款中 / Refund pending', success: '已退款 / Refunded', failed: '退款失败 / Refund failed' };

/** The order's refunds, as the payer's app lists them under the payment. */
function refundLines(ctx: SandboxContext, order: SandboxOrder): SafeHtml | '' {
  const refunds = ctx.refunds.of(order.bizOrderNo);
  if (refunds.length === 0) return '';
  return html`<div class="card" data-testid="wallet-refunds"><div class="muted">退款 / Refunds</div><dl>${refunds.map(
    (refund) => html`<dt>${formatYuan(refund.amount)}</dt><dd>${REFUND_TEXT[refund.state]} · ${refund.bizOrderNo}</dd>`,
  )}</dl></div>`;
}

/**
 * Where WeChat sends the payer after an H5 payment: the `redirect_url` the merchant appends to `mweb_url` — http(s) only,
 * so a `javascript:` or other scheme is never navigated to. The first occurrence counts, like every sandbox field.
 */
function redirectUrlOf(req: Request, order: SandboxOrder): URL | undefined {
  if (!isMwebOrder(order)) return undefined;
  const value = new URL(req.originalUrl, 'http://sandbox.invalid').searchParams.get('redirect_url');
  if (!value || !URL.canParse(value)) return undefined;
  const url = new URL(value);
  return url.protocol === 'http:' || url.protocol === 'https:' ? url : undefined;
}

function sendWalletPage(ctx: SandboxContext, res: Response, order: SandboxOrder, message?: SafeHtml, redirectUrl?: URL): void {
  const brand = BRANDS[PAY_METHOD_INFO[order.primaryMethod].wallet ?? 'bank'];
  const { payable, notice } = payability(ctx, order);
  sendPage(res, {
    title: `${brand.name} · ${formatYuan(order.amount)}`,
    // The form's answer redirects there, and browsers hold a form's redirects to form-action too.
    ...(payable && redirectUrl && { formTargets: [redirectUrl.origin] }),
    body: html`<div class="card"><div class="brand ${brand.css}">${brand.name} <span class="muted">(sandbox)</span></div>
<div class="muted">付款给 / Pay to</div><div>${ctx.config.merchantName}</div>
<div class="amount">${formatYuan(order.amount)}</div>
<dl><dt>商品 Goods</dt><dd>${order.goodsName ?? order.summary ?? '—'}</dd><dt>订单 Order</dt><dd>${order.bizOrderNo}</dd>
<dt>方式 Method</dt><dd>${PAY_METHOD_INFO[order.primaryMethod].nameZh}</dd></dl></div>
${message ? html`<div class="card">${message}</div>` : ''}
${refundLines(ctx, order)}
<div class="card">${
      payable
        ? html`<form method="post"><button name="action" value="pay">确认支付 / Pay</button>
<button class="secondary" name="action" value="cancel">取消 / Cancel</button>
<button class="danger" name="action" value="fail">模拟失败 / Simulate failure</button></form>`
        : notice
    }</div>`,
  });
}

/**
 * The simulated payer's app (WeChat / Alipay / UnionPay / QQ / bank app) at /sandbox/wallet/:token — the target of QR
 * `payInfo` links and of the JS / app methods. Pay settles the order (notified); cancel leaves it unpaid; simulated
 * failure fails it (not notified, spec §3.7).
 */
export function walletRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  const orderOf = (req: Request, res: Response): SandboxOrder | undefined => {
    const order = ctx.orders.byWalletToken(String(req.params.token));
    if (!order) sendErrorPage(res, SoaError.of('40000'), 404);
    return order;
  };

  router.get('/sandbox/wallet/:token', (req, res) => {
    const order = orderOf(req, res);
    if (order) sendWalletPage(ctx, res, order, undefined, redirectUrlOf(req, order));
  });

  router.post('/sandbox/wallet/:token', (req, res) => {
    const order = orderOf(req, res);
    if (!order) return;
    const action = requestFields(req).action;
    if (!payability(ctx, order).payable) return sendWalletPage(ctx, res, order);
    if (action !== 'pay' && action !== 'cancel' && action !== 'fail') return sendErrorPage(res, SoaError.of('10000', 'action'));
    const outcome = action === 'cancel' ? undefined : chooseInWallet(ctx, order, action);
    if (outcome) ctx.config.log(`wallet ${order.bizOrderNo} → ${outcome.payStatus}`);
    // WeChat H5 returns the payer to redirect_url whatever happened; the merchant's page must ask its server for the state.
    const redirectUrl = redirectUrlOf(req, order);
    if (redirectUrl) return res.redirect(303, redirectUrl.href);
    if (!outcome) return sendWalletPage(ctx, res, order, html`<div class="muted">已取消支付,订单仍未支付 / You cancelled; the order is still unpaid</div>`);
    sendWalletPage(ctx, res, order, action === 'pay' && outcome.payStatus === 'fail' ? html`<div class="error">${outcome.message}</div>` : undefined);
  });

  /** Sandbox-only: lets a test or the demo play the WeChat/Alipay app completing a JS, mini-program or app payment. */
  router.get('/sandbox/orders/:bizOrderNo/wallet', (req, res) => {
    const order = ctx.orders.get(String(req.params.bizOrderNo));
    if (!order?.walletToken) return sendErrorPage(res, SoaError.of('40000', '没有钱包支付页的订单 / no wallet page for this order'), 404);
    res.redirect(302, `/sandbox/wallet/${order.walletToken}`);
  });
  return router;
}
