import type { Request } from 'express';
import type { CheckoutContext } from './context.js';

/**
 * The payer the merchant's `resolvePayer` names for this request (about this order, when there is one), or undefined.
 * Every payment is its payer's alone: the routes of a payment, and a new attempt of an order, answer only that payer.
 */
export async function requestPayer(ctx: CheckoutContext, req: Request, merchantOrderId?: string): Promise<string | undefined> {
  const payer = await ctx.hooks.resolvePayer(req, merchantOrderId === undefined ? {} : { merchantOrderId });
  return typeof payer?.bizUserId === 'string' && payer.bizUserId !== '' ? payer.bizUserId : undefined;
}

/** A required hook missing is a wiring mistake: say so when the checkout is made, not on a payer's first request. */
export function checkRequiredHooks(hooks: { resolveOrder?: unknown; resolvePayer?: unknown }): void {
  const missing = (['resolveOrder', 'resolvePayer'] as const).filter((name) => typeof hooks[name] !== 'function');
  if (missing.length > 0) {
    throw new Error(
      `CheckoutHooks: ${missing.join(' and ')} required — resolveOrder says what an order is and who may see it, resolvePayer who the payer of a request is (from the shop's session); a payment answers only the payer resolvePayer names`,
    );
  }
}
