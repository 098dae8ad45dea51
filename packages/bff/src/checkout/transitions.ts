import type { PaymentRecord, Transition } from '../store/types.js';
import type { CheckoutContext } from './context.js';

/**
 * Applies a fact to a payment through the store (which asks the state machine), and wakes whoever waits for event rows in
 * this process. The one way the checkout services change a payment's state.
 */
export async function applyTransition(ctx: CheckoutContext, payment: PaymentRecord, transition: Transition): Promise<PaymentRecord> {
  const result = await ctx.store.transition(payment.bizOrderNo, transition);
  if (result.changed) {
    ctx.log('info', 'payment state changed', { bizOrderNo: payment.bizOrderNo, from: payment.state, to: result.payment.state, source: transition.fact.source });
    // `transition` resolves once the rows are committed, so whoever is woken reads them.
    ctx.eventsWritten([...new Set([payment.bizOrderNo, ...result.events.map((event) => event.bizOrderNo)])]);
  }
  return result.payment;
}
