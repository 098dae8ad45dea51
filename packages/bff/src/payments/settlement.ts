import type { Settlement } from '@tsy/contract';
import { failureOf, nextState, type PaymentFact, type PaymentState } from './state-machine.js';

export type { Settlement };

/**
 * What a payment's state change does, decided from the payment and its merchant order as they are inside the store's
 * transaction. The store executes a {@link PaymentDecision} atomically and decides nothing itself, so every store (SQLite,
 * a networked one) applies the same rules.
 */

/** The parts of a payment the rules read. */
export interface PaymentFacts {
  readonly bizOrderNo: string;
  readonly state: PaymentState;
  /** fen: what this payment asked the payer for (a refund: what it gives back). */
  readonly amount: number;
  /** A refund (spec §4.2.16) moves money back and settles nothing: its events are `refund.*`. Absent: a payment. */
  readonly kind?: 'consume' | 'agentCollect' | 'refund';
  /** A refund's payment. */
  readonly oriBizOrderNo?: string | null;
}

/** The parts of its merchant order the rules read. */
export interface MerchantOrderFacts {
  /** fen: what the order costs now (the merchant may re-price an unpaid order). */
  readonly amount: number;
  readonly paidBizOrderNo: string | null;
}

/** Event kinds: one per state, plus the three that say a success is money to give back. */
export type PaymentEventType =
  | 'payment.pending'
  | 'payment.succeeded'
  | 'payment.failed'
  | 'payment.expired'
  | 'payment.closed'
  /** A second success on a merchant order another payment already paid: refund it. */
  | 'payment.double_paid'
  /** A success for an amount the merchant order no longer has (it was re-priced meanwhile): refund it. */
  | 'payment.amount_mismatch'
  /** The platform reports a success for another amount than the payment's: money moved that the order did not ask for. */
  | 'payment.amount_differs'
  /** A refund (its own `bizOrderNo`, the refunded payment as `oriBizOrderNo`) was accepted, gave the money back, or failed. */
  | 'refund.pending'
  | 'refund.succeeded'
  | 'refund.failed';

export interface DecidedEvent {
  readonly type: PaymentEventType;
  readonly message: string | null;
  readonly settlement: Settlement | null;
}

export interface PaymentDecision {
  readonly state: PaymentState;
  /** Set with a failure. */
  readonly failure?: { readonly code: string; readonly message: string };
  /** Set with a success. */
  readonly settlement?: Settlement;
  /** The amount the platform reported with a success, when it reported one. */
  readonly reportedAmount?: number;
  /** This payment becomes the one that paid its merchant order. */
  readonly paysOrder: boolean;
  /** A refund's success: `amount` fen more of `oriBizOrderNo` given back. */
  readonly refunds?: { readonly oriBizOrderNo: string; readonly amount: number };
  /** In order; each becomes an event row with the transition's evidence. */
  readonly events: readonly DecidedEvent[];
}

/** The event that says a payment reached `state` (the refund events come beside a success's own). */
export const EVENT_OF_STATE: Readonly<Record<Exclude<PaymentState, 'created'>, PaymentEventType>> = {
  pending: 'payment.pending',
  success: 'payment.succeeded',
  failed: 'payment.failed',
  expired: 'payment.expired',
  closed: 'payment.closed',
};

/**
 * What a verified success does to its merchant order. Only a success for exactly the payment's amount, on an order that is
 * unpaid and still costs that amount, pays the order; anything else is money that moved and must go back.
 */
export function settlementOf(
  payment: Pick<PaymentFacts, 'bizOrderNo' | 'amount'>,
  order: MerchantOrderFacts,
  reportedAmount: number | undefined,
): { readonly settlement: Settlement; readonly reason: string | null } {
  if (reportedAmount !== undefined && reportedAmount !== payment.amount) {
    return {
      settlement: 'amount_differs',
      reason: `the platform reports ${reportedAmount} fen paid, the payment asked for ${payment.amount} fen; check and refund`,
    };
  }
  if (order.paidBizOrderNo !== null && order.paidBizOrderNo !== payment.bizOrderNo) {
    return { settlement: 'double_paid', reason: `merchant order already paid by ${order.paidBizOrderNo}; refund this payment` };
  }
  if (order.amount !== payment.amount) {
    return { settlement: 'amount_mismatch', reason: `paid ${payment.amount} fen but the merchant order now costs ${order.amount} fen; refund this payment` };
  }
  return { settlement: 'paid', reason: null };
}

/** The event that says a success is money to give back, by its settlement. */
const FLAGGED_EVENT: Record<Exclude<Settlement, 'paid'>, PaymentEventType> = {
  double_paid: 'payment.double_paid',
  amount_mismatch: 'payment.amount_mismatch',
  amount_differs: 'payment.amount_differs',
};

/**
 * The decision for `fact`, or `undefined` when it changes nothing (a duplicate, an out-of-order fact, a fact about a final
 * payment). `message` is the event's text (a failure's message by default). Pure.
 */
export function decideTransition(payment: PaymentFacts, order: MerchantOrderFacts, fact: PaymentFact, message?: string | null): PaymentDecision | undefined {
  if (payment.kind === 'refund') return decideRefundTransition(payment, fact, message);
  const next = nextState(payment.state, fact);
  if (next === undefined || next === 'created') return undefined;
  if (fact.type === 'failed') {
    const failure = failureOf(fact);
    return { state: next, failure, paysOrder: false, events: [{ type: EVENT_OF_STATE[next], message: message ?? failure.message, settlement: null }] };
  }
  if (fact.type === 'succeeded') {
    const { settlement, reason } = settlementOf(payment, order, fact.amount);
    const events: DecidedEvent[] = [{ type: 'payment.succeeded', message: message ?? null, settlement }];
    if (settlement !== 'paid') events.push({ type: FLAGGED_EVENT[settlement], message: reason, settlement });
    return {
      state: next,
      settlement,
      ...(fact.amount === undefined ? {} : { reportedAmount: fact.amount }),
      paysOrder: settlement === 'paid',
      events,
    };
  }
  return { state: next, paysOrder: false, events: [{ type: EVENT_OF_STATE[next], message: message ?? null, settlement: null }] };
}

const REFUND_EVENT_OF_STATE: Partial<Record<PaymentState, PaymentEventType>> = { pending: 'refund.pending', success: 'refund.succeeded', failed: 'refund.failed' };

/**
 * A refund goes pending → success or failed; a verified success wins over a failure as for payments (the money went back).
 * It has no payer deadline and the platform does not close it, so neither expiry nor closing applies.
 */
function decideRefundTransition(refund: PaymentFacts, fact: PaymentFact, message?: string | null): PaymentDecision | undefined {
  if (fact.type === 'expired' || fact.type === 'closed') return undefined;
  const next = nextState(refund.state, fact);
  const type = next && REFUND_EVENT_OF_STATE[next];
  if (!next || !type) return undefined;
  if (fact.type === 'failed') {
    const failure = failureOf(fact);
    return { state: next, failure, paysOrder: false, events: [{ type, message: message ?? failure.message, settlement: null }] };
  }
  if (fact.type === 'succeeded') {
    const amount = fact.amount ?? refund.amount;
    const reason = amount === refund.amount ? null : `the platform reports ${amount} fen refunded, the refund asked for ${refund.amount} fen`;
    return {
      state: next,
      ...(fact.amount === undefined ? {} : { reportedAmount: fact.amount }),
      paysOrder: false,
      refunds: { oriBizOrderNo: refund.oriBizOrderNo!, amount },
      events: [{ type, message: message ?? reason, settlement: null }],
    };
  }
  return { state: next, paysOrder: false, events: [{ type, message: message ?? null, settlement: null }] };
}
