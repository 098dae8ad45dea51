import { PAY_METHOD_INFO, payMethodAmount, type PayMethodKey, type YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import { addMs, nextCstDayAt } from '../clock.js';
import type { RequestContext } from '../context.js';
import { SoaError } from '../soa/errors.js';
import type { SandboxOrder } from '../state/orders.js';
import type { RefundParts, RefundState, SandboxRefund } from '../state/refunds.js';

type RefundParam = z.output<typeof YUNST_METHODS.OrderService.refund.param>;
type PayeeShares = SandboxRefund['payeeShares'];

/*
 * refund (spec §4.2.16, L2957–3069), with the notes ("注") numbered as in the spec. What the sandbox does not model: the
 * payee's available balance (note 3 — payees are never credited, so there is nothing to check), deposits and platform
 * transfers (note 1 — the sandbox has neither), payouts (the refundList `accountSetNo` of paid-out payees), query mode.
 */

/** Note 6 "仅支持退款至余额的支付方式: POS 支付-实名付、山东代收": of the sandbox's methods, real-name pay. */
const REFUND_TO_BALANCE: ReadonlySet<PayMethodKey> = new Set(['REALNAMEPAY', 'REALNAMEPAY_BATCH']);


/**
 * The spec's refund test amounts (§5.2 QUICKPAY_TLT, L4082): "退款金额为 16 元为原交易不存在,退款失败; 退款金额为 17 元为退款
 * 金额超过原金额,退款失败; 其余情况为成功". The sandbox applies them to every refund, so each path can be made to fail.
 */
export const REFUND_TEST_FAILURES: Readonly<Record<number, string>> = {
  1600: '原交易不存在,退款失败',
  1700: '退款金额超过原金额,退款失败',
};

/** D1 "D+1 14:30 向渠道发起退款" (the refundType row). */
const D1_TIME_CST = '14:30';

const PAY_STATUS: Record<RefundState, 'pending' | 'success' | 'fail'> = { pending: 'pending', success: 'success', failed: 'fail' };

const sum = (values: Iterable<number>): number => [...values].reduce((total, value) => total + value, 0);

/**
 * Creates the refund order and answers `payStatus`: to the balance (BALANCE, COUPON, real-name pay) it is settled at once —
 * success, or fail with the reason (a failed refund to the balance is not notified, §3.7); along the original channel it is
 * pending until D0 + `refundD0Ms` or D+1 14:30 CST, then succeeds or fails and is notified either way.
 */
export function refund(ctx: RequestContext, param: RefundParam): Record<string, unknown> {
  const now = ctx.now();
  if (ctx.orders.has(param.bizOrderNo) || ctx.refunds.has(param.bizOrderNo)) throw SoaError.of('40017', param.bizOrderNo);
  const original = originalOf(ctx, param.oriBizOrderNo);
  checkRefundable(original, param.bizUserId);
  const earlier = ctx.refunds.of(original.bizOrderNo).filter((refund) => refund.state !== 'failed');
  const feeAmount = param.feeAmount ?? 0;
  const couponAmount = param.couponAmount ?? 0;
  checkTotals(original, earlier, param.amount, feeAmount);
  const payeeShares = payeeSharesOf(ctx, original, earlier, param.amount - feeAmount, param.refundList);
  const parts = partsOf(original, earlier, param.amount, couponAmount);

  const whereabouts = parts.channel > 0 ? 2 : 1;
  // "不支持退款的渠道及内部账户,实时退款至余额": refundType only times refunds that go back along a channel.
  const refundType = param.refundType ?? 'D1';
  const settleAt = whereabouts === 1 ? undefined : refundType === 'D0' ? addMs(now, ctx.config.refundD0Ms) : nextCstDayAt(now, D1_TIME_CST);
  const refund = ctx.refunds.add({
    bizOrderNo: param.bizOrderNo,
    oriBizOrderNo: original.bizOrderNo,
    oriOrderNo: original.orderNo,
    bizUserId: param.bizUserId,
    amount: param.amount,
    feeAmount,
    couponAmount,
    sent: { feeAmount: param.feeAmount !== undefined, couponAmount: param.couponAmount !== undefined },
    refundType,
    whereabouts,
    parts,
    payeeShares,
    backUrl: param.backUrl,
    extendInfo: param.extendInfo,
    createdAt: now,
    settleAt,
    failure: REFUND_TEST_FAILURES[param.amount],
  });
  if (!settleAt) {
    if (refund.failure === undefined) ctx.refunds.succeed(refund);
    else ctx.refunds.fail(refund, refund.failure);
  } else {
    // Real deployments settle on time; with a manual clock the refund settles when the clock is moved past settleAt.
    ctx.timers.after(settleAt.getTime() - now.getTime(), () => ctx.refunds.refresh(refund));
  }
  ctx.config.log(`refund ${refund.bizOrderNo} of ${original.bizOrderNo} ${refund.amount} → ${refund.state} (refundWhereabouts ${whereabouts}${settleAt ? `, ${refundType}` : ''})`);
  return {
    payStatus: PAY_STATUS[refund.state],
    ...(refund.state === 'failed' && { payFailMessage: refund.errorMessage }),
    orderNo: refund.orderNo,
    bizOrderNo: refund.bizOrderNo,
    amount: refund.amount,
    ...(refund.sent.couponAmount && { couponAmount: refund.couponAmount }),
    ...(refund.sent.feeAmount && { feeAmount: refund.feeAmount }),
    ...(refund.extendInfo !== undefined && { extendInfo: refund.extendInfo }),
  };
}

/** The order to refund: 40000 订单不存在 if there is none; a refund order itself cannot be refunded (40039). */
function originalOf(ctx: RequestContext, oriBizOrderNo: string): SandboxOrder {
  const original = ctx.orders.get(oriBizOrderNo);
  if (original) return original;
  if (ctx.refunds.has(oriBizOrderNo)) throw SoaError.of('40039', `${oriBizOrderNo} 是退款订单`);
  throw SoaError.of('40000', oriBizOrderNo);
}

/**
 * `bizUserId` "必须是原订单中的付款方" (else 40022 订单和用户不匹配) — every sandbox order is paid by a member, so the
 * platform placeholder never matches: there are no platform-initiated orders to refuse under note 2. The original must be
 * paid (40041 原订单未完成支付,无法发起退款). Note 5 keeps POS and 当面付 orders of the standard mode — created by the terminal
 * and reported back by 补登 (§4.1.22) — out of this interface; "查询模式的充值、消费订单支持全额退款和部分退款", and the only POS
 * orders the sandbox has are query-mode ORDER_VSPPAY ones made by consumeApply, which are refunded here (the digest's
 * ORDER_VSPPAY row even asks for POS-side refunds to be disabled).
 */
function checkRefundable(original: SandboxOrder, bizUserId: string): void {
  if (bizUserId !== original.payerId) throw SoaError.of('40022', `bizUserId ${bizUserId} 不是原订单付款方`);
  if (original.state !== 'success') throw SoaError.of('40041', original.bizOrderNo);
}

/**
 * Note 11, counted over every earlier refund of the original that has not failed (note 3: "退款金额不得超过原订单金额"
 * holds for the sum). A — no `feeAmount` (or 0): `amount` ≤ the original's amount − fee still unrefunded. B — `feeAmount`:
 * `amount` ≤ the amount still unrefunded, `feeAmount` ≤ the fee still unrefunded. The spec names no code for an
 * over-refund: 40020 订单金额错误 is the closest (40040 代收订单金额不足 reads as a payout's).
 */
function checkTotals(original: SandboxOrder, earlier: readonly SandboxRefund[], amount: number, feeAmount: number): void {
  const amountLeft = original.amount - sum(earlier.map((refund) => refund.amount));
  const feeLeft = original.fee - sum(earlier.map((refund) => refund.feeAmount));
  if (feeAmount === 0) {
    if (amount > amountLeft - feeLeft) {
      throw SoaError.of('40020', `退款 amount ${amount} 超过可退金额 ${Math.max(0, amountLeft - feeLeft)} (原订单 amount − fee, 不退手续费时; 注 11 A)`);
    }
    return;
  }
  if (amount > amountLeft) throw SoaError.of('40020', `退款 amount ${amount} 超过原订单可退金额 ${amountLeft} (注 11 B)`);
  if (feeAmount > feeLeft) throw SoaError.of('40020', `feeAmount ${feeAmount} 超过原订单可退手续费 ${feeLeft} (注 11 B)`);
}

/**
 * Whose money the principal (`amount − feeAmount`) is. Consumption: its one payee, and refundList "原订单为消费接口,不填"
 * (10000). Custody collection (agentCollectApply, the standard version): "全额退款 refundList 无需上送, 部分退款
 * refundList 必须上送" — a refund of less than every payee's remainder without refundList is 10001 参数不能为空; listed
 * members must be payees of the original (40022; 30001 if no member at all), each within its remainder (40020). Nothing is
 * ever paid out in the sandbox, so every share comes from the intermediate account: an `accountSetNo` (which names a
 * paid-out payee's account set, §5.9) is 10000.
 */
function payeeSharesOf(
  ctx: RequestContext,
  original: SandboxOrder,
  earlier: readonly SandboxRefund[],
  principal: number,
  refundList: RefundParam['refundList'],
): PayeeShares {
  if (original.orderType === 'consume') {
    if (refundList) throw SoaError.of('10000', 'refundList (原订单为消费订单时不填)');
    return [{ bizUserId: original.payees[0]!.bizUserId, amount: principal }];
  }
  const remaining = new Map<string, number>();
  for (const { bizUserId, amount } of original.payees) remaining.set(bizUserId, (remaining.get(bizUserId) ?? 0) + amount);
  for (const refund of earlier) {
    for (const { bizUserId, amount } of refund.payeeShares) remaining.set(bizUserId, remaining.get(bizUserId)! - amount);
  }
  if (!refundList) {
    const left = sum(remaining.values());
    if (principal !== left) throw SoaError.of('10001', `refundList (托管代收订单部分退款时必填: 本次 ${principal}, 收款人未退 ${left})`);
    return [...remaining].filter(([, amount]) => amount > 0).map(([bizUserId, amount]) => ({ bizUserId, amount }));
  }
  const shares = new Map<string, number>();
  refundList.forEach((entry, i) => {
    if (entry.accountSetNo !== undefined) throw SoaError.of('10000', `refundList[${i}].accountSetNo (沙箱没有代付: 未代付金额从中间账户退款, 不送账户集)`);
    if (!remaining.has(entry.bizUserId)) {
      throw ctx.members.get(entry.bizUserId) ? SoaError.of('40022', `refundList[${i}].bizUserId ${entry.bizUserId} 不是原订单收款人`) : SoaError.of('30001', entry.bizUserId);
    }
    shares.set(entry.bizUserId, (shares.get(entry.bizUserId) ?? 0) + entry.amount);
  });
  for (const [bizUserId, amount] of shares) {
    const left = remaining.get(bizUserId)!;
    if (amount > left) throw SoaError.of('40020', `refundList ${bizUserId} 退款 ${amount} 超过该收款人可退金额 ${left}`);
  }
  return [...shares].map(([bizUserId, amount]) => ({ bizUserId, amount }));
}

/** What the original's methods carried, by where a refund of them goes. */
function originalParts(original: SandboxOrder): RefundParts {
  let channel = 0;
  let balance = 0;
  let coupon = 0;
  for (const key of original.methods) {
    const amount = payMethodAmount(key, original.payMethod[key]);
    if (key === 'COUPON') coupon += amount;
    else if (PAY_METHOD_INFO[key].kind === 'balance' || REFUND_TO_BALANCE.has(key)) balance += amount;
    else channel += amount;
  }
  return { channel, balance, coupon };
}

/**
 * Where this refund's money goes. `couponAmount` returns to the platform's marketing account (note 7), within the coupon
 * part not yet refunded (40020); the rest goes to the payer — "先做渠道退款, 再做余额退款" (note 10): along the channel as
 * far as the channel part allows, then to the balance. More than the original's methods have left (e.g. a coupon part
 * not sent as couponAmount) is 40020.
 */
function partsOf(original: SandboxOrder, earlier: readonly SandboxRefund[], amount: number, couponAmount: number): RefundParts {
  const paid = originalParts(original);
  const left = {
    channel: paid.channel - sum(earlier.map((refund) => refund.parts.channel)),
    balance: paid.balance - sum(earlier.map((refund) => refund.parts.balance)),
    coupon: paid.coupon - sum(earlier.map((refund) => refund.parts.coupon)),
  };
  if (couponAmount > left.coupon) throw SoaError.of('40020', `couponAmount ${couponAmount} 超过原订单可退代金券金额 ${left.coupon}`);
  const toPayer = amount - couponAmount;
  const channel = Math.min(toPayer, left.channel);
  const balance = toPayer - channel;
  if (balance > left.balance) {
    throw SoaError.of('40020', `退款 ${toPayer} 超过原支付方式可退金额 (渠道 ${left.channel}, 余额 ${left.balance}; 代金券 ${left.coupon} 经 couponAmount 退回)`);
  }
  return { channel, balance, coupon: couponAmount };
}
