import type { BffConfig } from '../config/config.js';
import { callbackUrls } from '../checkout/context.js';

/** Where a payer's browser is sent back to after a front page: the merchant's result page, told what we know. */
export function resultPageUrl(config: BffConfig, outcome: { readonly merchantOrderId?: string | undefined; readonly bizOrderNo?: string | undefined; readonly state?: string }): string {
  const target = new URL(callbackUrls(config).resultUrl);
  if (outcome.merchantOrderId) target.searchParams.set('merchantOrderId', outcome.merchantOrderId);
  if (outcome.bizOrderNo) target.searchParams.set('bizOrderNo', outcome.bizOrderNo);
  if (outcome.state) target.searchParams.set('state', outcome.state);
  return target.toString();
}
