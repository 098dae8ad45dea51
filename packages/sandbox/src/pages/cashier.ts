import { PAY_METHOD_INFO, payMethodAmount, type PayMethodKey } from '@tsy/yunst';
import express, { type Response } from 'express';
import type { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { orderResultRps, signedReturnFields } from '../notifications/order-result.js';
import { isFrontMethod } from '../order-service/rules.js';
import { checkPaySms } from '../order-service/pay-sms.js';
import { checkPayable } from '../order-service/settle.js';
import { payConfirmed } from '../pay-methods/index.js';
import { openEnvelope, requestFields } from '../soa/envelope.js';
import { SoaError } from '../soa/errors.js';
import { parseParam } from '../soa/params.js';
import type { CashierSession } from '../state/cashier-sessions.js';
import { PASSWORD_ATTEMPTS, SANDBOX_PAYMENT_PASSWORD } from '../state/members.js';
import type { SandboxOrder } from '../state/orders.js';
import { formatYuan, hiddenFields, html, sendErrorPage, sendPage, type SafeHtml } from './html.js';

/*
 * The cashier behind both front confirm pages (gateway §4.2.9, password §4.2.10): the signed entry is verified once, then
 * the payer works on a page whose form posts to /sandbox/cashier/:session; on completion the browser goes back to the
 * merchant with a signed `rps`.
 */

/** VSP gateway banks (spec §6.13; the VSP online list is authoritative). */
const B2C_BANKS: readonly [string, string][] = [
  ['1021', '工商银行(借记卡)'], ['1022', '工商银行(信用卡)'], ['103', '农业银行'], ['104', '中国银行'], ['105', '建设银行'],
  ['301', '交通银行'], ['100', '邮储银行'], ['308', '招商银行'], ['305', '民生银行'], ['310', '浦发银行'], ['306', '广发银行'],
  ['302', '中信银行'], ['303', '光大银行'], ['309', '兴业银行'], ['304', '华夏银行'], ['307', '平安银行'], ['4012900', '上海银行'],
];
const B2B_BANKS: readonly [string, string][] = [
  ['102', '工商银行'], ['103', '农业银行'], ['104', '中国银行'], ['105', '建设银行'], ['100', '邮储银行'], ['301', '交通银行'],
  ['302', '中信银行'], ['303', '光大银行'], ['309', '兴业银行'], ['310', '浦发银行'], ['305', '民生银行'], ['307', '平安银行'],
  ['308', '招商银行'], ['4012900', '上海银行'],
];

function banksFor(paytype: string): readonly [string, string][] {
  if (paytype === 'B2B') return B2B_BANKS;
  if (paytype === 'B2C') return B2C_BANKS;
  return [...B2C_BANKS, ...B2B_BANKS.filter(([code]) => !B2C_BANKS.some(([c]) => c === code))];
}

const maskPhone = (phone: string): string => `${phone.slice(0, 3)}****${phone.slice(-4)}`;

/**
 * Opens a signed front-page request: the envelope exactly as /service/soa checks it, `OrderService.pay` only, the page's
 * param schema, and an order of this payer that this page confirms and that can still be paid.
 */
export function openFrontConfirm<S extends z.ZodType<{ bizUserId: string; bizOrderNo: string }>>(
  ctx: SandboxContext,
  fields: Record<string, string>,
  schema: S,
  page: CashierSession['page'],
): { param: z.output<S>; order: SandboxOrder } {
  const request = openEnvelope(fields, ctx.config);
  if (request.service !== 'OrderService') throw SoaError.of('10002', request.service);
  if (request.method !== 'pay') throw SoaError.of('10003', request.method);
  const param = parseParam(schema, request.param);
  const order = ctx.orders.get(param.bizOrderNo);
  if (!order) throw SoaError.of('40000', param.bizOrderNo);
  if (order.payerId !== param.bizUserId) throw SoaError.of('40022');
  if (order.confirm !== page) throw SoaError.of('40027', page === 'gateway' ? '该订单不是网关支付' : '该订单不是支付密码确认');
  checkPayable(ctx, order);
  return { param, order };
}

/** What a front page's checks decide about the visit. */
export interface Admission {
  readonly order: SandboxOrder;
  readonly returnUrl: string | undefined;
  readonly codeOnPage: boolean;
}

/**
 * Mounts a front page at `path` for GET and POST: `admit` checks the signed request; an admitted visit gets a cashier
 * session and page, a refusal an HTML error page with the code (HTTP 400).
 */
export function frontPageRouter(ctx: SandboxContext, page: CashierSession['page'], path: string, admit: (fields: Record<string, string>) => Admission): express.Router {
  const router = express.Router();
  const enter = (req: express.Request, res: Response) => {
    try {
      const { order, returnUrl, codeOnPage } = admit(requestFields(req));
      const returnMethod = req.method === 'GET' ? 'GET' : 'POST';
      const session = ctx.sessions.open({ page, bizOrderNo: order.bizOrderNo, returnUrl, returnMethod, codeOnPage });
      ctx.config.log(`${page} page ${order.bizOrderNo}`);
      sendCashierPage(ctx, res, session, order);
    } catch (error) {
      if (!(error instanceof SoaError)) throw error;
      ctx.config.log(`${page} page → ${error.errorCode}`);
      sendErrorPage(res, error);
    }
  };
  router.get(path, enter);
  router.post(path, enter);
  return router;
}

/** What the front method asks of the payer: a bank, the wallet, or the installment plan. */
function frontMethodSection(order: SandboxOrder): SafeHtml {
  const key = order.methods.find(isFrontMethod);
  if (key === 'GATEWAY_VSP') {
    const { gateid, paytype } = order.payMethod.GATEWAY_VSP as { gateid?: string; paytype: string };
    const banks = banksFor(paytype);
    return html`<label>网银 / Online banking (${paytype})<select name="gateid" required>${banks.map(
      ([code, name]) => html`<option value="${code}"${gateid === code ? html` selected` : ''}>${name} (${code})</option>`,
    )}</select></label>`;
  }
  if (key === 'ALLINPAY_WALLET_H5') return html`<p>通联钱包 / Allinpay wallet</p>`;
  if (key === 'InstallmentPayment_H5') {
    const { nper } = order.payMethod.InstallmentPayment_H5 as { nper: number };
    return html`<p>小通分期 / Installments: ${nper} 期 · ${order.maskedCardNo ?? ''}</p>`;
  }
  return html``;
}

function sendCashierPage(ctx: SandboxContext, res: Response, session: CashierSession, order: SandboxOrder, error?: string): void {
  const phone = ctx.members.get(order.payerId)?.phone;
  const parts = order.methods.map((key: PayMethodKey) => html`<dt>${PAY_METHOD_INFO[key].nameZh}</dt><dd>${formatYuan(payMethodAmount(key, order.payMethod[key]))}</dd>`);
  const title = session.page === 'gateway' ? '收银台 / Cashier' : '支付密码确认 / Confirm with payment password';
  sendPage(res, {
    title,
    body: html`<h1>${title} <span class="muted">(sandbox)</span></h1>
<div class="card"><div class="muted">付款给 / Pay to ${ctx.config.merchantName}</div><div class="amount">${formatYuan(order.amount)}</div>
<dl><dt>订单 Order</dt><dd>${order.bizOrderNo}</dd>${parts}</dl></div>
${error ? html`<div class="error">${error}</div>` : ''}
<form class="card" method="post" action="/sandbox/cashier/${session.id}">${frontMethodSection(order)}
${session.page === 'password' ? html`<label>支付密码 / Payment password <span class="muted">(sandbox: ${SANDBOX_PAYMENT_PASSWORD})</span>
<input type="password" name="password" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="off" required></label>` : ''}
${session.codeOnPage ? html`<label>短信验证码 / SMS code <span class="muted">已发送至 ${phone ? maskPhone(phone) : ''} · <a href="/sandbox/sms" target="_blank">inbox</a></span>
<input name="verificationCode" inputmode="numeric" pattern="[0-9]{6}" maxlength="6" autocomplete="one-time-code" required></label>` : ''}
<button name="action" value="pay">确认支付 / Pay</button><button class="secondary" name="action" value="cancel" formnovalidate>取消 / Cancel</button></form>`,
  });
}

/**
 * Sends the browser back to the merchant with `sysid, rps, timestamp, v, sign` (spec §4.2.9, §4.2.10): a 302 with a query
 * when the page was entered by GET, an auto-submitted POST form otherwise.
 */
function returnToMerchant(ctx: SandboxContext, res: Response, session: CashierSession, order: SandboxOrder, error?: { errorCode: string; message: string }): void {
  const fields = signedReturnFields(orderResultRps(order, error), ctx.config);
  const resultText = error ? `${error.errorCode} ${error.message}` : '支付成功 / Paid';
  if (!session.returnUrl) {
    return sendPage(res, { title: resultText, body: html`<div class="card ${error ? 'error' : 'ok'}">${resultText}</div>` });
  }
  const target = new URL(session.returnUrl);
  if (session.returnMethod === 'GET') {
    for (const [name, value] of Object.entries(fields)) target.searchParams.set(name, value);
    return res.redirect(302, target.href);
  }
  sendPage(res, {
    title: resultText,
    formTargets: [target.origin],
    script: 'document.forms[0].submit();',
    body: html`<div class="card ${error ? 'error' : 'ok'}">${resultText}</div>
<form method="post" action="${target.href}">${hiddenFields(fields)}<button>返回商户 / Back to the merchant</button></form>`,
  });
}

function completeCashier(ctx: SandboxContext, res: Response, session: CashierSession, order: SandboxOrder, fields: Record<string, string>): void {
  if (session.page === 'password') {
    const payer = ctx.members.get(order.payerId)!;
    if (payer.passwordFailures >= PASSWORD_ATTEMPTS) return returnToMerchant(ctx, res, session, order, SoaError.of('30033'));
    if (fields.password !== SANDBOX_PAYMENT_PASSWORD) {
      payer.passwordFailures += 1;
      const left = PASSWORD_ATTEMPTS - payer.passwordFailures;
      ctx.config.log(`password page ${order.bizOrderNo}: wrong password (${left} left)`);
      if (left <= 0) return returnToMerchant(ctx, res, session, order, SoaError.of('30033'));
      return sendCashierPage(ctx, res, session, order, `支付密码错误,还可尝试 ${left} 次 / Wrong password, ${left} attempt(s) left`);
    }
    payer.passwordFailures = 0;
  }
  const code = session.codeOnPage ? checkPaySms(ctx, order, fields.verificationCode ?? '') : undefined;
  if (session.codeOnPage && !code) return sendCashierPage(ctx, res, session, order, SoaError.of('20011').message);
  const gateway = order.payMethod.GATEWAY_VSP as { paytype: string } | undefined;
  if (gateway && !banksFor(gateway.paytype).some(([bank]) => bank === fields.gateid)) return sendCashierPage(ctx, res, session, order, '请选择银行 / Choose a bank');

  let outcome;
  try {
    outcome = payConfirmed(ctx, order);
  } catch (error) {
    if (error instanceof SoaError) return sendCashierPage(ctx, res, session, order, `${error.errorCode} ${error.message}`);
    throw error;
  }
  if (code) code.usedAt = ctx.now();
  ctx.sessions.close(session.id);
  ctx.config.log(`${session.page} page ${order.bizOrderNo} → ${outcome.payStatus}`);
  returnToMerchant(ctx, res, session, order, outcome.payStatus === 'fail' ? { errorCode: '40006', message: outcome.message } : undefined);
}

export function cashierRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  router.post('/sandbox/cashier/:session', (req, res) => {
    const session = ctx.sessions.get(String(req.params.session));
    const order = session && ctx.orders.get(session.bizOrderNo);
    if (!session || !order) return sendErrorPage(res, SoaError.of('40000', '会话不存在或已结束 / no such cashier session'), 404);
    const fields = requestFields(req);
    try {
      checkPayable(ctx, order);
    } catch (error) {
      if (error instanceof SoaError) return sendErrorPage(res, error);
      throw error;
    }
    if (fields.action === 'cancel') {
      ctx.sessions.close(session.id);
      return sendPage(res, {
        title: '已取消 / Cancelled',
        body: html`<div class="card"><p>已取消支付,订单仍未支付 / You cancelled; the order is still unpaid.</p>
${session.returnUrl ? html`<a class="button" href="${session.returnUrl}">返回商户 / Back to the merchant</a>` : ''}</div>`,
      });
    }
    completeCashier(ctx, res, session, order, fields);
  });
  return router;
}
