import type { MethodView, OrderView } from '@tsy/contract';
import type { Request } from 'express';
import { CHECKOUT_METHODS, type CheckoutMethod, type MethodSettings } from '../config/config.js';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen } from '../payments/state-machine.js';
import type { BffConfig } from '../config/config.js';
import { maskPhone } from './actions.js';
import type { CheckoutContext } from './context.js';
import type { ResolvedOrder } from './hooks.js';
import { isPaid, resolveMerchantOrder } from './merchant-order.js';
import { clientEnvironment, methodGroup, methodInfo, unusableReason, type ClientEnvironment } from './methods.js';
import type { PaymentViews } from './payment-view.js';
import type { Reconciler } from './reconciliation.js';

/** The merchant's settings of a method, when the method is enabled. */
export function enabledMethod(config: BffConfig, method: CheckoutMethod): MethodSettings | undefined {
  const settings = config.methods[method];
  return settings?.enabled ? settings : undefined;
}

/** Every enabled method, with whether it can be used here and why not: the one place the page learns this from. */
export function methodViews(config: BffConfig, environment: ClientEnvironment, resolved: ResolvedOrder): MethodView[] {
  const views: MethodView[] = [];
  for (const method of CHECKOUT_METHODS) {
    if (!enabledMethod(config, method)) continue;
    const reason = unusableReason(method, environment, { acct: resolved.payer.acct ?? {} });
    const wallet = methodInfo(method).wallet;
    views.push({ method, usable: reason === undefined, ...(reason ? { reason } : {}), ...(wallet ? { wallet } : {}), group: methodGroup(method) });
  }
  return views;
}

/** `GET /orders/:merchantOrderId`: what the checkout shows first. */
export class OrderDescriptions {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly views: PaymentViews,
    private readonly reconciler: Reconciler,
  ) {}

  async describe(merchantOrderId: string, req: Request, client: ClientInfo): Promise<OrderView> {
    const { resolved, order } = await resolveMerchantOrder(this.ctx, merchantOrderId, req);
    const environment = clientEnvironment(client.userAgent);
    const member = await this.ctx.store.getMember(resolved.payer.bizUserId);
    const paid = isPaid(resolved, order);
    let open = paid ? undefined : await this.ctx.store.findOpenPayment(merchantOrderId, this.ctx.clock().toISOString());
    if (open) open = await this.reconciler.refreshIfDue(open);
    // Only an attempt the payer can still finish is offered again: open, with its action, before its expiry.
    const resumable = open && isOpen(open.state) && open.action && new Date(open.expiresAt) > this.ctx.clock() ? this.views.of(open, client) : null;
    return {
      merchantOrderId,
      amount: order.amount,
      currency: 'CNY',
      subject: order.subject,
      paid,
      paidBizOrderNo: order.paidBizOrderNo,
      serverTime: this.ctx.clock().toISOString(),
      environment,
      methods: methodViews(this.ctx.config, environment, resolved),
      payer: { phoneBound: member ? (member.phone ? true : member.userId ? false : null) : false, phone: maskPhone(member?.phone) },
      currentPayment: resumable
        ? { bizOrderNo: resumable.bizOrderNo, state: resumable.state, action: resumable.action, expiresAt: resumable.expiresAt, method: resumable.method }
        : null,
    };
  }
}
