import type { PaymentView } from '@tsy/contract';
import type { FrontPageForm } from '@tsy/yunst';
import { z } from 'zod';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen, publicState, type PaymentFact } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import { maskPhone, SMS_RESEND_AFTER_SECONDS, type StoredAction } from './actions.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError, validationError } from './errors.js';
import { frontForm } from './front-forms.js';
import type { PaymentViews } from './payment-view.js';
import { applyTransition } from './transitions.js';

const confirmBody = z.strictObject({ verificationCode: z.string().regex(/^\d{4,8}$/) });

/** What the payer does after the payment exists: confirm with the SMS code, ask for another code, get the front-page form. */
export class PaymentSteps {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly views: PaymentViews,
  ) {}

  /** A payment that is still open, before its expiry, and whose action is this step. */
  private async openPayment(bizOrderNo: string, actionType: StoredAction['type']): Promise<PaymentRecord> {
    const payment = await this.views.record(bizOrderNo);
    if (!isOpen(payment.state)) {
      throw new CheckoutError(409, 'payment_not_pending', { zh: '该支付已结束', en: 'This payment is no longer pending' }, { bizOrderNo, details: { state: publicState(payment.state) } });
    }
    if (new Date(payment.expiresAt) <= this.ctx.clock()) {
      throw new CheckoutError(409, 'payment_expired', { zh: '支付已过期,请重新发起', en: 'The payment has expired; start a new one' }, { bizOrderNo });
    }
    if ((payment.action as StoredAction | null)?.type !== actionType) {
      throw new CheckoutError(409, 'wrong_step', { zh: '该支付不需要此步骤', en: 'This payment does not take this step' }, { bizOrderNo });
    }
    return payment;
  }

  /** Back-end confirm with the SMS code (spec §4.2.8). The code goes to the platform and nowhere else. */
  async confirm(bizOrderNo: string, body: unknown, client: ClientInfo): Promise<PaymentView> {
    const parsed = confirmBody.safeParse(body);
    if (!parsed.success) throw validationError([{ path: 'verificationCode', message: 'must be the digits of the SMS code' }]);
    let payment = await this.openPayment(bizOrderNo, 'sms');
    let exchange;
    try {
      exchange = await this.ctx.yunst.exchange('OrderService', 'pay', {
        bizUserId: payment.payerBizUserId,
        bizOrderNo,
        verificationCode: parsed.data.verificationCode,
        consumerIp: client.consumerIp,
      });
    } catch (error) {
      // A wrong code (20011) leaves the payment pending: the payer may type it again or ask for a new one.
      throw fromYunstError(error, bizOrderNo);
    }
    const answer = exchange.result;
    const facts: Record<string, PaymentFact | undefined> = {
      success: { type: 'succeeded', source: 'pay' },
      fail: { type: 'failed', source: 'pay', message: answer.payFailMessage ?? '' },
      pending: undefined,
    };
    const fact = facts[answer.payStatus];
    if (fact) payment = await applyTransition(this.ctx, payment, { fact, evidence: exchange.responseBody });
    return this.views.of(payment, client);
  }

  async resendSms(bizOrderNo: string): Promise<{ phone: string | null; resendAfter: number }> {
    await this.openPayment(bizOrderNo, 'sms');
    try {
      const answer = await this.ctx.yunst.call('OrderService', 'resendPaySMS', { bizOrderNo });
      return { phone: maskPhone(answer.phone), resendAfter: SMS_RESEND_AFTER_SECONDS };
    } catch (error) {
      throw fromYunstError(error, bizOrderNo);
    }
  }

  async gatewayForm(bizOrderNo: string, client: ClientInfo): Promise<FrontPageForm> {
    const payment = await this.openPayment(bizOrderNo, 'form-post');
    return frontForm(this.ctx, payment, (payment.action as Extract<StoredAction, { type: 'form-post' }>).page, client.consumerIp);
  }
}
