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
  /** fen: what this payment asked the payer for. */
  readonly amount: number;
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
  | 'payment.amount_differs';

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

const REFUND_EVENT: Record<Exclude<Settlement, 'paid'>, PaymentEventType> = {
  double_paid: 'payment.double_paid',
  amount_mismatch: 'payment.amount_mismatch',
  amount_differs: 'payment.amount_differs',
};

/**
 * The decision for `fact`, or `undefined` when it changes nothing (a duplicate, an out-of-order fact, a fact about a final
 * payment). `message` is the event's text (a failure's message by default). Pure.
 */
export function decideTransition(payment: PaymentFacts, order: MerchantOrderFacts, fact: PaymentFact, message?: string | null): PaymentDecision | undefined {
  const next = nextState(payment.state, fact);
  if (next === undefined || next === 'created') return undefined;
  if (fact.type === 'failed') {
    const failure = failureOf(fact);
    return { state: next, failure, paysOrder: false, events: [{ type: EVENT_OF_STATE[next], message: message ?? failure.message, settlement: null }] };
  }
  if (fact.type === 'succeeded') {
    const { settlement, reason } = settlementOf(payment, order, fact.amount);
    const events: DecidedEvent[] = [{ type: 'payment.succeeded', message: message ?? null, settlement }];
    if (settlement !== 'paid') events.push({ type: REFUND_EVENT[settlement], message: reason, settlement });
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
