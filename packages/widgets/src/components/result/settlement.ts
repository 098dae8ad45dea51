import type { Settlement } from '../../api/types.js';
import type { LocalizeController } from '../../controllers/localize-controller.js';

/**
 * Where a payment ended, as the payer sees it. `settled` is a success that is not a plain one: the money arrived, but
 * the order was paid already, or re-priced, or the platform reports another amount — some of it goes back to the payer.
 */
export type ResultKind = 'success' | 'settled' | 'failed' | 'expired' | 'error';

/**
 * A success in the payer's words: a plain one only when the payment paid the order (`paid`, or no settlement from an
 * older BFF); anything else says what happens to the money. No lit here: the checkout imports it at once, so even a result
 * shown before the result view's chunk arrives never calls a refund a plain success.
 */
export function successResult(localize: LocalizeController, settlement: Settlement | null | undefined): [kind: ResultKind, title: string, detail: string] {
  if (!settlement || settlement === 'paid') return ['success', localize.term('paid'), localize.term('paid_detail')];
  const key = `settlement.${settlement}`;
  return ['settled', localize.term('settled'), localize.term(localize.has(key) ? key : 'settlement.check')];
}
