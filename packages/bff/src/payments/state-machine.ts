/**
 * The payment state machine (shared/design/flows.md). Every change of a payment's state is decided here and nowhere else;
 * the store applies the decision and writes the event row in the same transaction.
 *
 * ```
 * created ──apply ok──▶ pending ──verified success──▶ success   (final)
 *    │                     │ ├─verified failure────▶ failed    (a later verified success still wins)
 *    │                     │ ├─expiresAt passed─────▶ expired  (a late verified success still wins: money moved)
 *    │                     │ └─platform closed (§6.9)▶ closed
 *    └──apply error───────▶ failed
 * ```
 */

export const PAYMENT_STATES = ['created', 'pending', 'success', 'failed', 'expired', 'closed'] as const;
export type PaymentState = (typeof PAYMENT_STATES)[number];

/** What the API and the widgets see: `created` is internal and shows as `pending`. */
export type PublicPaymentState = Exclude<PaymentState, 'created'>;
export function publicState(state: PaymentState): PublicPaymentState {
  return state === 'created' ? 'pending' : state;
}

/** Where a fact came from. Only verified sources can make a payment succeed or fail. */
export type FactSource =
  | 'apply' // the verified answer of the call that made the order: consumeApply, agentCollectApply, refund
  | 'pay' // the verified answer of the back-end confirm (§4.2.8)
  | 'notification' // a verified backUrl notification
  | 'return' // a verified frontUrl/jumpUrl page return
  | 'reconciliation' // a verified getOrderDetail answer
  | 'clock'; // our own clock passing expiresAt

/**
 * The facts production emits, each only from the sources that can establish it. A failure report in a notification or a
 * page return is never a fact (it only makes the BFF ask getOrderDetail), and only getOrderDetail knows an order closed.
 */
export type PaymentFact =
  /** The platform accepted the order and now waits for the payer. */
  | { readonly type: 'accepted'; readonly source: 'apply' | 'reconciliation' }
  /**
   * The platform says the payment succeeded. `amount` is the amount the platform reports (fen), when its message carries one:
   * money moved for that amount, whatever the payment asked for.
   */
  | { readonly type: 'succeeded'; readonly source: 'apply' | 'pay' | 'notification' | 'return' | 'reconciliation'; readonly amount?: number }
  /** The platform says the payment (or its application) failed. */
  | { readonly type: 'failed'; readonly source: 'apply' | 'pay' | 'reconciliation'; readonly code?: string; readonly message: string }
  /** The payment's expiresAt passed without a success: the platform said it is still unpaid, or could not be asked. */
  | { readonly type: 'expired'; readonly source: 'clock' | 'reconciliation' }
  /** The platform closed the order (§6.9 status 6). */
  | { readonly type: 'closed'; readonly source: 'reconciliation' };

/**
 * The next state for `fact`, or `undefined` when the fact changes nothing (a duplicate, an out-of-order notification, a
 * fact about a final payment). Pure: the same inputs always give the same answer.
 */
export function nextState(current: PaymentState, fact: PaymentFact): PaymentState | undefined {
  switch (fact.type) {
    case 'accepted':
      return current === 'created' ? 'pending' : undefined;
    case 'succeeded':
      // Money moved: a verified success beats every other state (flows.md). A failure can be learnt from a signal that is
      // not final (an unverifiable apply error, a 40000 while the apply was still on its way), and dropping a later verified
      // success would leave the payer's money unaccounted for.
      return current === 'success' ? undefined : 'success';
    case 'failed':
      return current === 'created' || current === 'pending' ? 'failed' : undefined;
    case 'expired':
      return current === 'created' || current === 'pending' ? 'expired' : undefined;
    case 'closed':
      return current === 'created' || current === 'pending' || current === 'expired' ? 'closed' : undefined;
  }
}

/** The platform's code for "payment failed" (spec §7 40006), for failures that come without a code of their own. */
export const PAYMENT_FAILED_CODE = '40006';

/** What a failure fact records on the payment. */
export function failureOf(fact: Extract<PaymentFact, { type: 'failed' }>): { code: string; message: string } {
  return { code: fact.code ?? PAYMENT_FAILED_CODE, message: fact.message || '支付失败' };
}

/** Is the payer still expected to act on this payment? */
export function isOpen(state: PaymentState): boolean {
  return state === 'created' || state === 'pending';
}
