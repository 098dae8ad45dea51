import type { PaymentAction, PaymentView } from '@tsy/contract';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen, publicState } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import type { FrontPage, StoredAction } from './actions.js';
import type { CheckoutContext } from './context.js';
import { notFound } from './errors.js';
import { frontForm } from './front-forms.js';
import { clientEnvironment } from './methods.js';
import type { Reconciler } from './reconciliation.js';

/** What the API shows of a payment. */
export class PaymentViews {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {}

  /** The stored payment (404 when there is none): what steps, views and the event stream start from. */
  async record(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw notFound({ zh: '支付单', en: 'Payment' });
    return payment;
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
      action: stored?.type === 'form-post' ? this.signedForm(payment, stored.page, client) : (stored as PaymentAction | null),
      failure: payment.state === 'failed' ? { code: payment.failureCode, message: payment.failureMessage } : null,
      settlement: payment.state === 'success' ? payment.settlement : null,
      environment: clientEnvironment(client.userAgent),
      serverTime: this.ctx.clock().toISOString(),
    };
  }

  /** Signing a form for a payment that can no longer be paid would hand out a usable signature for nothing. */
  private signedForm(payment: PaymentRecord, page: FrontPage, client: ClientInfo): PaymentAction | null {
    if (!isOpen(payment.state)) return null;
    const form = frontForm(this.ctx, payment, page, client.consumerIp);
    return { type: 'form-post', action: form.action, fields: { ...form.fields } };
  }
}
