import type { PaymentAction, PaymentView } from '@tsy/contract';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen, publicState } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import type { StoredAction } from './actions.js';
import type { CheckoutContext } from './context.js';
import { notFound } from './errors.js';
import { frontForm } from './front-forms.js';
import type { Reconciler } from './reconciliation.js';

/** What the API shows of a payment. */
export class PaymentViews {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {}

  async get(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw notFound({ zh: '支付单', en: 'Payment' });
    return payment;
  }

  /** The payment as it is now, asking the platform first when it is open and was not asked recently (or just expired). */
  async current(bizOrderNo: string, client: ClientInfo): Promise<PaymentView> {
    return this.of(await this.reconciler.refreshIfDue(await this.get(bizOrderNo)), client);
  }

  /** A front-page form is signed here, for this client, at this moment. */
  of(payment: PaymentRecord, client: ClientInfo): PaymentView {
    const stored = payment.action as StoredAction | null;
    let action: PaymentAction | null = stored as PaymentAction | null;
    // Signing a form for a payment that can no longer be paid would hand out a usable signature for nothing.
    if (stored?.type === 'form-post') {
      if (!isOpen(payment.state)) action = null;
      else {
      const form = frontForm(this.ctx, payment, stored.page, client.consumerIp);
      action = { type: 'form-post', action: form.action, fields: { ...form.fields } };
      }
    }
    return {
      bizOrderNo: payment.bizOrderNo,
      merchantOrderId: payment.merchantOrderId,
      state: publicState(payment.state),
      method: payment.method,
      amount: payment.amount,
      expiresAt: payment.expiresAt,
      action,
      failure: payment.state === 'failed' ? { code: payment.failureCode, message: payment.failureMessage } : null,
      settlement: payment.state === 'success' ? payment.settlement : null,
      serverTime: this.ctx.clock().toISOString(),
    };
  }
}
