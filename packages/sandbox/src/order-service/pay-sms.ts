import type { SandboxContext } from '../context.js';
import { isValidAt, type SmsMessage } from '../state/sms.js';
import type { SandboxOrder } from '../state/orders.js';

const payMatch = (order: SandboxOrder) => ({ purpose: 'pay' as const, bizUserId: order.payerId, bizOrderNo: order.bizOrderNo });

/** The latest payment code sent for the order. */
export function latestPaySms(ctx: SandboxContext, order: SandboxOrder): SmsMessage | undefined {
  return ctx.sms.latest(payMatch(order));
}

/**
 * Sends the order's payment code to the payer's bound phone: the same code again while it is valid, a new one once it has
 * expired or been used (spec §4.2.25).
 */
export function sendPaySms(ctx: SandboxContext, order: SandboxOrder): SmsMessage {
  const now = ctx.now();
  const phone = ctx.members.get(order.payerId)?.phone;
  if (!phone) throw new Error(`payer ${order.payerId} of an SMS order has no phone`); // the apply checked it (30021)
  const last = latestPaySms(ctx, order);
  const reuse = last && isValidAt(last, now) ? { code: last.code, expiresAt: last.expiresAt } : {};
  return ctx.sms.send({ ...payMatch(order), phone, sentAt: now, ...reuse });
}

/** The code typed matches the order's latest valid, unused code (or the method's test code while one is valid). */
export function checkPaySms(ctx: SandboxContext, order: SandboxOrder, code: string, testCode?: string): SmsMessage | undefined {
  const last = latestPaySms(ctx, order);
  if (!last || !isValidAt(last, ctx.now())) return undefined;
  return last.code === code || (testCode !== undefined && code === testCode) ? last : undefined;
}
