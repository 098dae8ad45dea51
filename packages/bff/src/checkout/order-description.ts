import type { MethodView, OrderView } from '@tsy/contract';
import type { Request } from 'express';
import { CHECKOUT_METHODS } from '../config/config.js';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen } from '../payments/state-machine.js';
import type { BffConfig } from '../config/config.js';
import type { MerchantOrderRecord, PaymentRecord } from '../store/types.js';
import { maskPhone, possibleActions } from './actions.js';
import type { CheckoutContext } from './context.js';
import type { ResolvedOrder } from './hooks.js';
import { isPaid, resolveMerchantOrder } from './merchant-order.js';
import { requestPayer } from './payer.js';
import { enabledMethod, methodGroup, methodInfo, unusableReason, validateTypeFor, type ClientEnvironment } from './methods.js';
import { PAYMENT_CODE_WALLETS, takesPaymentCode } from './payment-codes.js';
import type { PaymentViews } from './payment-view.js';
import type { Reconciler } from './reconciliation.js';

/** Every enabled method, with whether it can be used here and why not: the one place the page learns this from. */
export function methodViews(config: BffConfig, environment: ClientEnvironment, resolved: ResolvedOrder): MethodView[] {
  const views: MethodView[] = [];
  for (const method of CHECKOUT_METHODS) {
    const settings = enabledMethod(config, method);
    if (!settings || (resolved.methods && !resolved.methods.includes(method))) continue;
    const reason = unusableReason(method, environment, { acct: resolved.payer.acct ?? {} });
    const wallet = methodInfo(method).wallet;
    views.push({
      method,
      usable: reason === undefined,
      ...(reason ? { reason } : {}),
      ...(wallet ? { wallet } : {}),
      group: methodGroup(method),
      actions: possibleActions(method, validateTypeFor(method, settings)),
      ...(takesPaymentCode(method) ? { paymentCodeWallets: settings.wallets ?? [...PAYMENT_CODE_WALLETS] } : {}),
    });
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

  /**
   * An attempt is offered again only when paying it would pay the order: still open, with its action, before its expiry,
   * and for the amount the order costs now (a re-priced order needs a new attempt).
   */
  private resumable(payment: PaymentRecord, order: MerchantOrderRecord): boolean {
    return isOpen(payment.state) && payment.action !== null && new Date(payment.expiresAt) > this.ctx.clock() && payment.amount === order.amount;
  }

  async describe(merchantOrderId: string, req: Request, client: ClientInfo): Promise<OrderView> {
    const { resolved, order } = await resolveMerchantOrder(this.ctx, merchantOrderId, req);
    const environment = client.environment;
    const member = await this.ctx.store.getMember(resolved.payer.bizUserId);
    const paid = isPaid(resolved, order);
    let open = paid ? undefined : await this.ctx.store.findOpenPayment(merchantOrderId);
    if (open) open = await this.reconciler.refreshIfDue(open);
    // The attempt shows its action (a QR link, a signed form) to its own payer only, as the payment's routes do.
    const resumable = open && this.resumable(open, order) && (await requestPayer(this.ctx, req, merchantOrderId)) === open.payerBizUserId ? this.views.of(open, client) : null;
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
