import { formatCstTimestamp } from '@tsy/yunst';
import type { NewPayment, NewRefund, PaymentRecord, RefundAsked, RefundRefusal, RefundRoom } from '../store/types.js';

/**
 * The refund rules (spec §4.2.16), decided from a payment and its refunds as they are inside the store's transaction. The
 * store executes the decision and decides nothing itself, so SQLite and PostgreSQL apply the same rules.
 *
 * What a payment may give back: what was paid — the amount the platform reported with the success when it reported one
 * (money moved for that amount) — of which its `fee` only through `feeAmount` (rule 11: A, without `feeAmount` a refund is at
 * most amount − fee; B, with it, at most the amount, its `feeAmount` at most the fee). Over several refunds the same holds for
 * their sums. A refund that failed gave nothing back; one still open (its outcome not known yet) counts as if it succeeded.
 */

/*
 * Rule 5 keeps POS and 当面付 orders of the standard mode out of this interface: the terminal creates them and they reach the
 * merchant through 补登 (§4.1.22), so this kit never has them. Its POS payments are query-mode `ORDER_VSPPAY` orders it applied
 * for itself, which rule 5 says are refunded through the API in full or in part (the platform even asks for POS-side refunds
 * of them to be disabled).
 *
 * The kit is stricter than rule 11 B's wording ("amount ≤ the original amount, feeAmount ≤ its fee"): the payee gives back at
 * most what it received, amount − feeAmount ≤ paid − fee, so a refund with feeAmount never returns more than was paid.
 */

/** The parts of a payment the rules read. */
export type RefundableFacts = Pick<PaymentRecord, 'kind' | 'method' | 'state' | 'amount' | 'fee' | 'reportedAmount'>;
/** The parts of each of its refunds the rules read. */
export type RefundFacts = Pick<PaymentRecord, 'amount' | 'fee' | 'state' | 'reportedAmount'>;

export type RefundDecision = { readonly refused: false; readonly amount: number; readonly feeAmount: number } | { readonly refused: true; readonly refusal: RefundRefusal };

/** What `payment` may still give back after `refunds`. */
export function refundRoom(payment: RefundableFacts, refunds: readonly RefundFacts[]): RefundRoom {
  const paid = payment.reportedAmount ?? payment.amount;
  const fee = Math.min(payment.fee, paid);
  let net = paid - fee;
  let feeLeft = fee;
  for (const refund of refunds) {
    if (refund.state === 'failed') continue;
    // A success gave back what the platform reported, when it reported another amount than the refund asked for.
    net -= (refund.state === 'success' ? (refund.reportedAmount ?? refund.amount) : refund.amount) - refund.fee;
    feeLeft -= refund.fee;
  }
  net = Math.max(0, net);
  feeLeft = Math.max(0, feeLeft);
  return { amount: net + feeLeft, feeAmount: feeLeft };
}

/**
 * The amounts of a new refund of `payment`, or why there is none. Without an amount it gives back everything left, its fee
 * part included; a custody collection (agentCollectApply) is refunded only in full unless the merchant shares the refund
 * out (`refundListTotal`, spec §4.2.16 `refundList`).
 */
export function decideRefund(payment: RefundableFacts, refunds: readonly RefundFacts[], asked: RefundAsked): RefundDecision {
  const refuse = (refusal: RefundRefusal): RefundDecision => ({ refused: true, refusal });
  if (payment.kind === 'refund') return refuse({ reason: 'not_a_payment' });
  if (payment.state !== 'success') return refuse({ reason: 'not_paid' });
  if (asked.refundListTotal !== undefined && payment.kind !== 'agentCollect') return refuse({ reason: 'refund_list_not_allowed' });
  const room = refundRoom(payment, refunds);
  if (room.amount === 0) return refuse({ reason: 'nothing_left', room });
  const net = room.amount - room.feeAmount;
  let amount: number;
  let feeAmount: number;
  if (asked.refundListTotal !== undefined) {
    // The list shares out amount − feeAmount: the checkout has checked that an amount given agrees with it.
    feeAmount = asked.feeAmount ?? 0;
    amount = asked.refundListTotal + feeAmount;
  } else if (asked.amount === undefined) {
    feeAmount = asked.feeAmount ?? room.feeAmount;
    amount = net + feeAmount;
  } else {
    amount = asked.amount;
    feeAmount = asked.feeAmount ?? 0;
  }
  if (feeAmount > room.feeAmount || feeAmount > amount || amount - feeAmount > net || amount <= 0) return refuse({ reason: 'exceeds', room });
  if (payment.kind === 'agentCollect' && asked.refundListTotal === undefined) {
    // Collections go back whole or through a refundList (§4.2.16 refundList (3)): a part without one, or after one, is not possible.
    const untouched = refunds.every((refund) => refund.state === 'failed');
    if (!untouched || amount !== room.amount) return refuse({ reason: 'refund_list_required' });
  }
  return { refused: false, amount, feeAmount };
}

/** The new refund's row: the payment's order, method and payer (who gets the money back), the decided amounts. */
export function refundRow(payment: PaymentRecord, refund: NewRefund, decided: { amount: number; feeAmount: number }, now: Date): NewPayment {
  return {
    bizOrderNo: refund.bizOrderNo,
    merchantOrderId: payment.merchantOrderId,
    kind: 'refund',
    method: payment.method,
    payMethodKey: payment.payMethodKey,
    amount: decided.amount,
    fee: decided.feeAmount,
    payerBizUserId: payment.payerBizUserId,
    // A refund has no payer deadline: it is asked about until the platform settles it (a D1 refund the next afternoon).
    expiresAt: now.toISOString(),
    expiresAtCst: formatCstTimestamp(now),
    environment: payment.environment,
    sysid: payment.sysid,
    idempotencyKey: refund.idempotencyKey,
    oriBizOrderNo: payment.bizOrderNo,
    refundReason: refund.reason,
  };
}
