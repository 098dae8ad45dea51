import type { PaymentView, SmsResendView } from '@tsy/contract';
import { YunstPlatformError, type FrontPageForm } from '@tsy/yunst';
import { z } from 'zod';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen, publicState, type PaymentFact } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import { maskPhone, type StoredAction } from './actions.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError } from './errors.js';
import { frontForm } from './front-forms.js';
import type { PaymentViews } from './payment-view.js';
import type { RateLimits } from './rate-limits.js';
import { attemptsExhausted, codeExpired, codeExpiredError, invalidCode, resendAt, resendTooSoon, smsSent, wrongCode } from './sms-codes.js';
import { applyTransition } from './transitions.js';

/** The platform's codes are digits (6 in practice); anything else would be refused by it (20011) and cost a try. */
const confirmBody = z.strictObject({ verificationCode: z.string().regex(/^\d{4,8}$/) });

/** What the payer does after the payment exists: confirm with the SMS code, ask for another code, get the front-page form. */
export class PaymentSteps {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly views: PaymentViews,
    private readonly limits: RateLimits,
  ) {}

  /** Codes one payment may send to the platform (`limits.paymentSms.codesPerPayment`). */
  private get codesPerPayment(): number {
    return this.ctx.config.limits.paymentSms.codesPerPayment;
  }

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

  /**
   * Back-end confirm with the SMS code (spec §4.2.8). The code goes to the platform and nowhere else. Nothing the platform
   * would refuse anyway is sent: a code that is not digits, a code past its validity, a payment out of tries. Each code
   * sent takes one of the payment's tries first (atomically in the store), so concurrent confirms cannot share the last.
   */
  async confirm(bizOrderNo: string, body: unknown, client: ClientInfo): Promise<PaymentView> {
    const parsed = confirmBody.safeParse(body);
    if (!parsed.success) throw invalidCode();
    let payment = await this.openPayment(bizOrderNo, 'sms');
    if (payment.smsAttempts >= this.codesPerPayment) throw attemptsExhausted(payment, this.ctx.clock());
    if (codeExpired(payment, this.ctx.clock())) throw codeExpiredError(bizOrderNo);
    const attempt = await this.ctx.store.takeSmsAttempt(bizOrderNo, this.codesPerPayment);
    if (attempt === undefined) throw attemptsExhausted(payment, this.ctx.clock());
    let exchange;
    try {
      exchange = await this.ctx.yunst.exchange('OrderService', 'pay', {
        bizUserId: payment.payerBizUserId,
        bizOrderNo,
        verificationCode: parsed.data.verificationCode,
        consumerIp: client.consumerIp,
      });
    } catch (error) {
      if (error instanceof YunstPlatformError && error.errorCode === '20011') {
        // 20011 is both "wrong" and "expired": the BFF's own record of the send tells which. An expired code was no guess.
        if (codeExpired(payment, this.ctx.clock())) {
          await this.ctx.store.returnSmsAttempt(bizOrderNo);
          throw codeExpiredError(bizOrderNo);
        }
        // The payment stays pending: the payer may type the code again or ask for a new one.
        throw wrongCode(bizOrderNo, this.codesPerPayment - attempt);
      }
      // Refused for another reason, the code was not checked; without an answer it may have been, and the try stays taken.
      if (error instanceof YunstPlatformError) await this.ctx.store.returnSmsAttempt(bizOrderNo);
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

  /**
   * Another code (spec §4.2.25), no sooner than the kit's interval after the last: too early is a 429 with `Retry-After`
   * and `resendAt`. The next `resendAt` is claimed in the store before the platform is called, so two resends at once send
   * one code; a refusal by the platform gives the claim back (the payer did not get a code to wait for).
   */
  async resendSms(bizOrderNo: string): Promise<SmsResendView> {
    const payment = await this.openPayment(bizOrderNo, 'sms');
    // Out of tries, no code can be used: none is sent (an SMS costs, and would only mislead the payer).
    const now = this.ctx.clock();
    if (payment.smsAttempts >= this.codesPerPayment) throw attemptsExhausted(payment, now);
    const due = resendAt(this.ctx.config, payment);
    if (Date.parse(due) > now.getTime()) throw resendTooSoon(bizOrderNo, due, now);
    const sent = smsSent(this.ctx.config, now, payment);
    if (!(await this.ctx.store.swapSmsResendAt(bizOrderNo, payment.smsResendAt, sent.smsResendAt))) {
      const fresh = await this.views.record(bizOrderNo);
      throw resendTooSoon(bizOrderNo, resendAt(this.ctx.config, fresh), now);
    }
    // Each resend is an SMS: a payment has a few (limits.paymentSms.resendsPerPayment), counted once the interval is
    // claimed, so resends racing for one interval take one of them, not all.
    let giveBack;
    try {
      giveBack = await this.limits.smsResend(payment);
    } catch (error) {
      await this.ctx.store.swapSmsResendAt(bizOrderNo, sent.smsResendAt, payment.smsResendAt);
      throw error;
    }
    let answer;
    try {
      answer = await this.ctx.yunst.call('OrderService', 'resendPaySMS', { bizOrderNo });
    } catch (error) {
      if (error instanceof YunstPlatformError) {
        await this.ctx.store.swapSmsResendAt(bizOrderNo, sent.smsResendAt, payment.smsResendAt);
        await giveBack();
      }
      throw fromYunstError(error, bizOrderNo);
    }
    await this.ctx.store.patchPayment(bizOrderNo, { smsSentAt: sent.smsSentAt, smsCodeExpiresAt: sent.smsCodeExpiresAt });
    return { phone: maskPhone(answer.phone), resendAt: sent.smsResendAt, serverTime: this.ctx.clock().toISOString() };
  }

  async gatewayForm(bizOrderNo: string, client: ClientInfo): Promise<FrontPageForm> {
    const payment = await this.openPayment(bizOrderNo, 'form-post');
    return frontForm(this.ctx, payment, (payment.action as Extract<StoredAction, { type: 'form-post' }>).page, client.consumerIp);
  }
}
