import { YunstSignatureError } from '../yunst/errors.js';
import { orderNotificationRps } from '../yunst/schemas/order-service.js';
import { verifyNotification, verifySource } from '../yunst/signature.js';
import type { PaymentRecord } from '../store/types.js';
import type { FactSource, PaymentFact } from '../payments/state-machine.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError } from './errors.js';
import type { Payments } from './payments.js';

export interface AppliedNotification {
  readonly payment: PaymentRecord;
  /** False for a replay or an out-of-order fact: nothing changed. */
  readonly changed: boolean;
}

const unverified = (reason: string) =>
  new CheckoutError(400, 'notification_unverified', { zh: '通知签名验证失败', en: `The notification could not be verified: ${reason}` });

/**
 * Order result notifications (`backUrl`, spec §4.2.15) and front-page returns (`frontUrl`/`jumpUrl`). Nothing in them is
 * believed before the signature over `sysid + rps + timestamp` verifies with the platform key, the `bizOrderNo` is one of
 * ours, and the `amount` is the stored payment's.
 */
export class Notifications {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly payments: Payments,
  ) {}

  async apply(fields: Readonly<Record<string, string | undefined>>, source: Extract<FactSource, 'notification' | 'return'>, rawBody: string): Promise<AppliedNotification> {
    let rpsValue: Record<string, unknown>;
    try {
      rpsValue = verifyNotification(fields, this.ctx.platformKey, { sysid: this.ctx.config.sysid }).value;
    } catch (error) {
      if (error instanceof YunstSignatureError && source === 'return' && fields.signedValue !== undefined) {
        // spec §4.2.10's jumpUrl table describes a signedValue-style payload (digest §10 item 7): accept that form too.
        rpsValue = this.verifySignedValueReturn(fields);
      } else {
        throw unverified(error instanceof Error ? error.message : String(error));
      }
    }
    return this.applyVerified(rpsValue, source, rawBody);
  }

  private verifySignedValueReturn(fields: Readonly<Record<string, string | undefined>>): Record<string, unknown> {
    const { signedValue, sign } = fields;
    if (!signedValue || !sign || !verifySource(signedValue, sign, this.ctx.platformKey)) throw unverified('the signature over signedValue does not verify');
    const value = JSON.parse(signedValue) as Record<string, unknown>;
    // Normalise to the rps shape: status from the envelope, payStatus inside.
    const status = value.payStatus === 'success' ? 'OK' : value.payStatus === 'fail' ? 'error' : 'pending';
    return { service: 'OrderService', method: 'pay', status, returnValue: value, message: value.payFailMessage };
  }

  private async applyVerified(rpsValue: Record<string, unknown>, source: 'notification' | 'return', rawBody: string): Promise<AppliedNotification> {
    const returnValue = rpsValue.returnValue as Record<string, unknown> | undefined;
    const bizOrderNo = typeof returnValue?.bizOrderNo === 'string' ? returnValue.bizOrderNo : undefined;
    if (!bizOrderNo) throw new CheckoutError(400, 'notification_invalid', { zh: '通知缺少订单号', en: 'The notification names no bizOrderNo' });
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw new CheckoutError(404, 'not_found', { zh: '支付单不存在', en: 'Payment not found' }, { bizOrderNo });

    // The signedValue form of a password-page return carries no amount; the rps form always does (spec §4.2.15).
    const hasAmount = returnValue?.amount !== undefined;
    const parsed = hasAmount ? orderNotificationRps.safeParse(rpsValue) : undefined;
    if (parsed && !parsed.success) {
      throw new CheckoutError(400, 'notification_invalid', { zh: '通知内容格式有误', en: 'The notification is not shaped as the spec says' }, { bizOrderNo });
    }
    if (hasAmount && Number(returnValue!.amount) !== payment.amount) {
      this.ctx.log('error', 'notification amount differs from the stored payment', { bizOrderNo, stored: payment.amount, notified: returnValue!.amount });
      throw new CheckoutError(409, 'amount_mismatch', { zh: '通知金额与支付单金额不符', en: 'The notified amount differs from the payment’s amount' }, { bizOrderNo });
    }

    const status = rpsValue.status;
    const message = typeof rpsValue.message === 'string' ? rpsValue.message : 'payment failed';
    const fact: PaymentFact | undefined =
      status === 'OK'
        ? { type: 'succeeded', source }
        : status === 'error'
          ? { type: 'failed', source, message, ...(typeof rpsValue.errorCode === 'string' ? { code: rpsValue.errorCode } : {}) }
          : undefined;
    if (!fact) return { payment, changed: false };
    const before = payment.state;
    const after = await this.payments.transition(payment, {
      fact,
      evidence: rawBody,
      ...(fact.type === 'failed' ? { message, patch: { failureCode: fact.code ?? '40006', failureMessage: message } } : {}),
      ...(typeof returnValue?.orderNo === 'string' && !payment.orderNo ? { patch: { orderNo: returnValue.orderNo } } : {}),
    });
    return { payment: after, changed: after.state !== before };
  }
}
