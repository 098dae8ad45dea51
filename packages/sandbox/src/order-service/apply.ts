import { PLATFORM_BIZ_USER_ID, type PayMethodKey, type YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import { addMs } from '../clock.js';
import type { RequestContext } from '../context.js';
import { newToken } from '../ids.js';
import { PAY_METHOD_BEHAVIOUR } from '../pay-methods/index.js';
import { SoaError } from '../soa/errors.js';
import type { OrderType, SandboxOrder } from '../state/orders.js';
import {
  checkCombination,
  checkCusip,
  checkDailyLimit,
  checkPayerCanOrder,
  checkPayMethodAmounts,
  confirmStepOf,
  decryptCardNo,
  isFrontMethod,
  primaryMethodOf,
  resolveExpiry,
  resolveValidateType,
} from './rules.js';

type ConsumeApplyParam = z.output<typeof YUNST_METHODS.OrderService.consumeApply.param>;
type AgentCollectApplyParam = z.output<typeof YUNST_METHODS.OrderService.agentCollectApply.param>;
type ApplyParam = ConsumeApplyParam | AgentCollectApplyParam;

/** consumeApply (spec §4.2.4): one payee, `recieverId`, which may be the platform itself. */
export function consumeApply(ctx: RequestContext, param: ConsumeApplyParam): Record<string, unknown> {
  return applyOrder(ctx, 'consume', param, [{ bizUserId: param.recieverId, amount: param.amount - param.fee }], param.fee);
}

/** agentCollectApply (spec §4.2.5): the payees of `recieverList` plus the fee make up the amount (40020 otherwise). */
export function agentCollectApply(ctx: RequestContext, param: AgentCollectApplyParam): Record<string, unknown> {
  const fee = param.fee ?? 0;
  return applyOrder(ctx, 'agentCollect', param, param.recieverList.map(({ bizUserId, amount }) => ({ bizUserId, amount })), fee, () => {
    const sum = param.recieverList.reduce((total, entry) => total + entry.amount, 0);
    if (sum + fee !== param.amount) throw SoaError.of('40020', `recieverList 合计 ${sum} + fee ${fee} ≠ amount ${param.amount}`);
  });
}

type Payees = SandboxOrder['payees'];

function applyOrder(ctx: RequestContext, orderType: OrderType, param: ApplyParam, payees: Payees, fee: number, checkPayees?: () => void): Record<string, unknown> {
  const now = ctx.now();
  const payMethod = param.payMethod as Readonly<Partial<Record<PayMethodKey, unknown>>>;
  const methods = (Object.keys(payMethod) as PayMethodKey[]).filter((key) => payMethod[key] !== undefined);

  checkCombination(methods);
  const validateType = resolveValidateType(methods, param.validateType);
  const primaryMethod = primaryMethodOf(methods);
  const { confirm, smsOnGateway } = confirmStepOf(methods, primaryMethod, validateType);
  // "Required for front transactions" (spec §4.2.4 frontUrl): the gateway returns the browser there.
  if (methods.some(isFrontMethod) && !param.frontUrl) throw SoaError.of('10001', 'frontUrl');
  // "Mandatory for WeChat native APP pay" (spec §4.2.4 goodsName).
  if (methods.includes('WECHATPAY_APP_OPEN') && !param.goodsName) throw SoaError.of('10001', 'goodsName');
  checkCusip(payMethod, methods);

  const payer = ctx.members.get(param.payerId);
  if (!payer) throw SoaError.of('30001', param.payerId);
  for (const { bizUserId } of payees) {
    if (bizUserId !== PLATFORM_BIZ_USER_ID && !ctx.members.get(bizUserId)) throw SoaError.of('30058', bizUserId);
  }
  // One namespace for payment and refund orders: a refund's bizOrderNo is an order number too.
  if (ctx.orders.has(param.bizOrderNo) || ctx.refunds.has(param.bizOrderNo)) throw SoaError.of('40017', param.bizOrderNo);
  if (fee > param.amount) throw SoaError.of('40016');
  checkPayMethodAmounts(payMethod, methods, param.amount);
  checkPayees?.();
  checkPayerCanOrder(ctx, payer, payMethod, methods);
  const maskedCardNo = decryptCardNo(ctx, payMethod, methods);
  const { expiresAt, closesAt } = resolveExpiry(param.orderExpireDatetime, methods, confirm === 'sms' || smsOnGateway, now);
  checkDailyLimit(ctx, payer.bizUserId, orderType);

  const order = ctx.orders.add({
    bizOrderNo: param.bizOrderNo,
    orderType,
    payerId: payer.bizUserId,
    amount: param.amount,
    fee,
    payees,
    payMethod,
    methods,
    primaryMethod,
    validateType,
    confirm,
    smsOnGateway,
    backUrl: param.backUrl,
    frontUrl: param.frontUrl,
    goodsName: param.goodsName,
    summary: param.summary,
    extendInfo: param.extendInfo,
    maskedCardNo,
    createdAt: now,
    expiresAt,
    closesAt,
  });
  const behaviour = PAY_METHOD_BEHAVIOUR[primaryMethod];
  let walletUrl: string | undefined;
  if (confirm === 'wallet') {
    const token = newToken();
    ctx.orders.attachWalletToken(order, token, behaviour.walletLinkValidityMs === undefined ? undefined : addMs(now, behaviour.walletLinkValidityMs));
    walletUrl = `${ctx.baseUrl}/sandbox/wallet/${token}`;
  }
  const answer = behaviour.apply({ ctx, order, walletUrl });
  ctx.config.log(`${orderType === 'consume' ? 'consumeApply' : 'agentCollectApply'} ${order.bizOrderNo} ${methods.join('+')} → ${order.state}`);
  return { orderNo: order.orderNo, bizOrderNo: order.bizOrderNo, ...answer, ...(order.extendInfo !== undefined && { extendInfo: order.extendInfo }) };
}
