import { YunstSignatureError, parseFormBody, orderNotificationRps, verifyNotification, verifySource } from '@tsy/yunst';
import type { PaymentRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { Reconciler } from './reconciliation.js';
import { applyTransition } from './transitions.js';

export interface AppliedNotification {
  readonly payment: PaymentRecord;
  /** False for a replay, an out-of-order fact, or a hint that the platform did not confirm: nothing changed. */
  readonly changed: boolean;
}

const unverified = (reason: string) =>
  new CheckoutError(400, 'notification_unverified', { zh: '通知签名验证失败', en: `The notification could not be verified: ${reason}` });

/**
 * Order result notifications (`backUrl`, spec §4.2.15) and front-page returns (`frontUrl`/`jumpUrl`). A success is applied
 * only when the signature over `sysid + rps + timestamp` verifies with the platform key, the sysid is ours, the
 * `bizOrderNo` is one of ours and the `amount` is the stored payment's. Anything weaker — a failure report, a return in
 * the `signedValue` form (which covers neither sysid nor amount) — only makes the BFF ask the platform (getOrderDetail).
 */
export class Notifications {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {}

  /** `body` is the raw urlencoded body (or query) exactly as received. */
  async apply(body: string, source: 'notification' | 'return'): Promise<AppliedNotification> {
    const fields = parseFormBody(body);
    let rpsValue: Record<string, unknown>;
    try {
      rpsValue = verifyNotification(fields, this.ctx.platformKey, { sysid: this.ctx.config.sysid }).value;
    } catch (error) {
      if (source === 'return' && error instanceof YunstSignatureError && fields.signedValue !== undefined) return this.signedValueReturn(fields);
      throw unverified(error instanceof Error ? error.message : String(error));
    }

    const parsed = orderNotificationRps.safeParse(rpsValue);
    if (!parsed.success) throw new CheckoutError(400, 'notification_invalid', { zh: '通知内容格式有误', en: 'The notification is not shaped as the spec says' });
    const { returnValue, status } = parsed.data;
    const payment = await this.payment(returnValue.bizOrderNo);
    if (returnValue.amount !== payment.amount) {
      this.ctx.log('error', 'notification amount differs from the stored payment', { bizOrderNo: payment.bizOrderNo, stored: payment.amount, notified: returnValue.amount });
      throw new CheckoutError(409, 'amount_mismatch', { zh: '通知金额与支付单金额不符', en: 'The notified amount differs from the payment’s amount' }, { bizOrderNo: payment.bizOrderNo });
    }
    if (status !== 'OK') return this.askPlatform(payment);

    const after = await applyTransition(this.ctx, payment, {
      fact: { type: 'succeeded', source },
      evidence: body,
      ...(payment.orderNo ? {} : { patch: { orderNo: returnValue.orderNo } }),
    });
    return { payment: after, changed: after.state !== payment.state };
  }

  private async payment(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw new CheckoutError(404, 'not_found', { zh: '支付单不存在', en: 'Payment not found' }, { bizOrderNo });
    return payment;
  }

  /** A report that is not proof enough: the platform's own answer decides. */
  private async askPlatform(payment: PaymentRecord): Promise<AppliedNotification> {
    const after = await this.reconciler.check(payment);
    return { payment: after, changed: after.state !== payment.state };
  }

  /**
   * spec §4.2.10's jumpUrl table describes a `signedValue` payload (digest §10 item 7). Its signature covers neither the
   * sysid nor an amount — any merchant of the platform could hold one for a `bizOrderNo` like ours — so it only names the
   * payment to ask about.
   */
  private async signedValueReturn(fields: Readonly<Record<string, string>>): Promise<AppliedNotification> {
    const { signedValue, sign } = fields;
    if (!signedValue || !sign || !verifySource(signedValue, sign, this.ctx.platformKey)) throw unverified('the signature over signedValue does not verify');
    let bizOrderNo: unknown;
    try {
      bizOrderNo = (JSON.parse(signedValue) as Record<string, unknown>).bizOrderNo;
    } catch {
      throw new CheckoutError(400, 'notification_invalid', { zh: '通知内容格式有误', en: 'The page return is not JSON' });
    }
    if (typeof bizOrderNo !== 'string') throw new CheckoutError(400, 'notification_invalid', { zh: '通知缺少订单号', en: 'The page return names no bizOrderNo' });
    return this.askPlatform(await this.payment(bizOrderNo));
  }
}
