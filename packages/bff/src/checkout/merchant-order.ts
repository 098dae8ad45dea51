import type { Request } from 'express';
import { z } from 'zod';
import { CHECKOUT_METHODS } from '../config/config.js';
import type { MerchantOrderRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, notFound, issueLines } from './errors.js';
import type { ResolvedOrder } from './hooks.js';

const resolvedOrderSchema = z.object({
  amount: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
  fee: z.number().int().nonnegative().optional(),
  subject: z.string().min(1).max(200),
  goodsDesc: z.string().max(256).optional(),
  payer: z.object({ bizUserId: z.string().min(1).max(64), acct: z.record(z.string(), z.string()).optional() }),
  recieverId: z.string().min(1).optional(),
  splitRule: z.array(z.record(z.string(), z.unknown())).optional(),
  recieverList: z.array(z.object({ bizUserId: z.string().min(1), amount: z.number().int().nonnegative() })).min(1).optional(),
  tradeCode: z.string().optional(),
  methods: z.array(z.enum(CHECKOUT_METHODS)).min(1).optional(),
  paid: z.boolean().optional(),
});

const invalidOrder = (en: string, zh: string) => new CheckoutError(500, 'merchant_order_invalid', { zh, en });

/**
 * Asks the merchant what the order is (`resolveOrder`, which also decides whether this request may see it) and keeps the
 * answer. Every request about an order goes through here first: nothing about an order is answered to a request the
 * merchant's hook did not accept. A broken hook answer is refused here rather than becoming a broken payment.
 */
export async function resolveMerchantOrder(ctx: CheckoutContext, merchantOrderId: string, req: Request): Promise<{ resolved: ResolvedOrder; order: MerchantOrderRecord }> {
  const raw = await ctx.hooks.resolveOrder(merchantOrderId, req);
  if (raw === undefined) throw notFound({ zh: '订单', en: 'Order' });
  const checked = resolvedOrderSchema.safeParse(raw);
  if (!checked.success) {
    ctx.log('error', 'resolveOrder returned an invalid order', { merchantOrderId, issues: issueLines(checked.error) });
    throw invalidOrder('The merchant’s order is invalid', '商户订单信息有误');
  }
  const resolved = checked.data as ResolvedOrder;
  if (resolved.recieverList) {
    const sum = resolved.recieverList.reduce((total, entry) => total + entry.amount, 0) + (resolved.fee ?? 0);
    if (sum !== resolved.amount) {
      ctx.log('error', 'resolveOrder: the payees’ amounts do not add up', { merchantOrderId, amount: resolved.amount, sum });
      throw invalidOrder('The payees’ amounts do not add up to the order amount', '收款人金额之和与订单金额不符');
    }
  }
  const order = await ctx.store.upsertMerchantOrder({
    merchantOrderId,
    amount: resolved.amount,
    currency: 'CNY',
    subject: resolved.subject,
    payerBizUserId: resolved.payer.bizUserId,
  });
  return { resolved, order };
}

/** Paid by one of our payments, or — the merchant says — outside this kit. */
export function isPaid(resolved: ResolvedOrder, order: MerchantOrderRecord): boolean {
  return Boolean(order.paidBizOrderNo) || resolved.paid === true;
}

export function orderPaidError(order: MerchantOrderRecord): CheckoutError {
  return new CheckoutError(409, 'order_paid', { zh: '订单已支付', en: 'The order is already paid' }, order.paidBizOrderNo ? { bizOrderNo: order.paidBizOrderNo } : {});
}
