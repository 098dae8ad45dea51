import type { PaymentAction, PaymentView } from '@tsy/contract';
import type { Request } from 'express';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen, publicState } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import type { FrontPage, StoredAction } from './actions.js';
import type { CheckoutContext } from './context.js';
import { notFound } from './errors.js';
import { frontForm } from './front-forms.js';
import { requestPayer } from './payer.js';
import { resultPageUrl } from '../http/result-page.js';
import { redirectHosts } from './context.js';
import type { Reconciler } from './reconciliation.js';
import { resendAt } from './sms-codes.js';

/** What the API shows of a payment. */
export class PaymentViews {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {}

  /** The stored payment (404 when there is none): what steps, views and the event stream start from. */
  async record(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    // A refund is the merchant's business (its admin API), not a payment the payer's page acts on.
    if (!payment || payment.kind === 'refund') throw notFound({ zh: '支付单', en: 'Payment' });
    return payment;
  }

  /**
   * Whether this request may see and act on the payment: only when the merchant's `resolveOrder` lets it see the payment's
   * order, as for the order itself (another shopper's payment, or a counter sale without the staff's session), and its
   * `resolvePayer` names the payment's own payer. Otherwise, and for a payment that does not exist, the same 404: a leaked
   * `bizOrderNo` shows nobody the QR link, takes none of the payer's code tries, sends no SMS and signs no form.
   */
  async authorize(bizOrderNo: string, req: Request): Promise<void> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (
      !payment ||
      payment.kind === 'refund' ||
      (await this.ctx.hooks.resolveOrder(payment.merchantOrderId, req)) === undefined ||
      (await requestPayer(this.ctx, req, payment.merchantOrderId)) !== payment.payerBizUserId
    ) {
      throw notFound({ zh: '支付单', en: 'Payment' });
    }
  }

  /** The payment as it is now, asking the platform first when it is open and was not asked recently (or just expired). */
  async current(bizOrderNo: string, client: ClientInfo): Promise<PaymentView> {
    return this.of(await this.reconciler.refreshIfDue(await this.record(bizOrderNo)), client);
  }

  /** A front-page form is signed here, for this client, at this moment. */
  of(payment: PaymentRecord, client: ClientInfo): PaymentView {
    const stored = payment.action as StoredAction | null;
    return {
      bizOrderNo: payment.bizOrderNo,
      merchantOrderId: payment.merchantOrderId,
      state: publicState(payment.state),
      method: payment.method,
      amount: payment.amount,
      expiresAt: payment.expiresAt,
      action: this.action(payment, stored, client),
      failure: payment.state === 'failed' ? { code: payment.failureCode, message: payment.failureMessage } : null,
      settlement: payment.state === 'success' ? payment.settlement : null,
      refundedAmount: payment.refundedAmount,
      environment: client.environment,
      serverTime: this.ctx.clock().toISOString(),
    };
  }

  /** The stored action as the page needs it now: a front-page form signed, a redirect with where it may go and come back. */
  private action(payment: PaymentRecord, stored: StoredAction | null, client: ClientInfo): PaymentAction | null {
    switch (stored?.type) {
      case 'form-post':
        return this.signedForm(payment, stored.page, client);
      case 'redirect':
        return {
          type: 'redirect',
          url: stored.url,
          returnUrl: resultPageUrl(this.ctx.config, { merchantOrderId: payment.merchantOrderId, bizOrderNo: payment.bizOrderNo }),
          allowedHosts: redirectHosts(this.ctx.config),
        };
      case 'sms':
        return { type: 'sms', phone: stored.phone, resendAt: resendAt(this.ctx.config, payment) };
      default:
        return stored ?? null;
    }
  }

  /** Signing a form for a payment that can no longer be paid would hand out a usable signature for nothing. */
  private signedForm(payment: PaymentRecord, page: FrontPage, client: ClientInfo): PaymentAction | null {
    if (!isOpen(payment.state)) return null;
    const form = frontForm(this.ctx, payment, page, client.consumerIp);
    return { type: 'form-post', action: form.action, fields: { ...form.fields } };
  }
}
