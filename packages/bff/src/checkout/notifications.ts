import { encodeFormBody, orderNotificationRps, parseCstTimestamp, parseFormBody, verifyNotification, verifySource, YunstSignatureError } from '@tsy/yunst';
import type { PaymentRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, issueLines } from './errors.js';
import type { Reconciler } from './reconciliation.js';
import { applyTransition } from './transitions.js';

export interface AppliedNotification {
  readonly payment: PaymentRecord;
  /** False for a replay, an out-of-order fact, or a hint that the platform did not confirm: nothing changed. */
  readonly changed: boolean;
}

/**
 * A notification or page return as the router has it. The signature covers the decoded values (`sysid + rps + timestamp`),
 * so both forms verify the same message:
 * - `raw`: the urlencoded body (or query string) exactly as received — what the router reads when nothing parsed it first,
 *   and what is kept as evidence;
 * - `fields`: already decoded by a body parser the host app mounted before the router (`express.urlencoded()`); kept as
 *   evidence re-encoded, which verifies the same.
 */
export type NotificationInput = { readonly raw: string } | { readonly fields: Readonly<Record<string, unknown>> };

/** The answer never says why: a forger learns nothing from it (the reason goes to the log). */
const unverified = () => new CheckoutError(400, 'notification_unverified', { zh: '通知签名验证失败', en: 'The notification could not be verified' });
const invalid = () => new CheckoutError(400, 'notification_invalid', { zh: '通知内容有误', en: 'The notification is not valid for this shop' });

/** The platform's clocks and ours may differ by up to 10 minutes (spec §3.1): a send time further ahead is not believed. */
const CLOCK_SKEW_MS = 10 * 60 * 1000;

function fieldsOf(input: NotificationInput): { fields: Record<string, string>; evidence: string } {
  if ('raw' in input) return { fields: parseFormBody(input.raw), evidence: input.raw };
  const fields: Record<string, string> = {};
  for (const [name, value] of Object.entries(input.fields)) if (typeof value === 'string') fields[name] = value;
  return { fields, evidence: encodeFormBody(fields) };
}

/**
 * Order result notifications (`backUrl`, spec §4.2.15) and front-page returns (`frontUrl`/`jumpUrl`). A message is used only
 * when the signature over `sysid + rps + timestamp` verifies with the platform key and it is about one of our payments as we
 * know it: our sysid, `rps.service` OrderService and `rps.method` pay, a `bizOrderNo` we stored, its payer as
 * `buyerBizUserId`, its platform `orderNo` once known, and — for a refund, whose notification is the same message
 * (§4.2.15) — the refunded payment as `oriBizOrderNo` (which a payment's must not carry). Every such message is kept as received. A success (`status` OK) is
 * applied with the amount the platform reports — a different amount than the payment's is money that moved, recorded and
 * raised as `payment.amount_differs`, never a plain success. Anything weaker — a failure report, a return in the
 * `signedValue` form (which covers neither sysid nor amount) — only makes the BFF ask the platform (getOrderDetail); when that
 * question cannot be answered now, reconciliation asks again later, because the platform will not send the message again.
 */
export class Notifications {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
  ) {}

  async apply(input: NotificationInput, source: 'notification' | 'return'): Promise<AppliedNotification> {
    const { fields, evidence } = fieldsOf(input);
    let rpsValue: Record<string, unknown>;
    let signedAt: Date | undefined;
    try {
      const verified = verifyNotification(fields, this.ctx.platformKey, { sysid: this.ctx.config.sysid });
      rpsValue = verified.value;
      signedAt = parseCstTimestamp(verified.timestamp);
    } catch (error) {
      if (source === 'return' && error instanceof YunstSignatureError && fields.signedValue !== undefined) return this.signedValueReturn(fields, evidence);
      this.ctx.log('warn', `${source} not verified`, { reason: error instanceof Error ? error.message : String(error) });
      throw unverified();
    }

    const parsed = orderNotificationRps.safeParse(rpsValue);
    if (!parsed.success) {
      this.ctx.log('warn', `${source} not shaped as spec §4.2.15 says`, { issues: issueLines(parsed.error) });
      throw invalid();
    }
    const { returnValue, status, method } = parsed.data;
    const payment = await this.payment(returnValue.bizOrderNo);
    const mismatch =
      method !== 'pay'
        ? `rps.method is ${method}, not pay`
        : returnValue.buyerBizUserId !== payment.payerBizUserId
          ? 'buyerBizUserId is not the payment’s payer'
          : payment.orderNo !== null && returnValue.orderNo !== payment.orderNo
            ? 'orderNo is not the payment’s platform order'
            : (returnValue.oriBizOrderNo ?? null) !== (payment.kind === 'refund' ? payment.oriBizOrderNo : null)
              ? 'oriBizOrderNo is not the refund’s payment (or names one for a payment that is no refund)'
              : undefined;
    if (mismatch) {
      this.ctx.log('error', `${source} does not match the payment`, { bizOrderNo: payment.bizOrderNo, mismatch });
      throw invalid();
    }

    const stale = this.staleness(signedAt);
    await this.ctx.store.recordNotification({ bizOrderNo: payment.bizOrderNo, source, body: evidence, status, signedAt: signedAt?.toISOString() ?? null, resolved: status === 'OK' && !stale });
    if (status !== 'OK') return this.askPlatform(payment);
    if (stale) {
      // Genuine but old (or dated ahead of any clock): it may be a captured message played again, so it proves nothing by
      // itself. The platform's answer decides now; if none can be had, reconciliation asks again, as for a failure report.
      this.ctx.log('warn', `${source} signed too long ago to be trusted alone; asking the platform`, { bizOrderNo: payment.bizOrderNo, stale });
      return this.askPlatform(payment);
    }

    if (returnValue.amount !== payment.amount) {
      this.ctx.log('error', payment.kind === 'refund' ? 'the platform reports a refund of another amount' : 'the platform reports a success for another amount', { bizOrderNo: payment.bizOrderNo, stored: payment.amount, notified: returnValue.amount });
    }
    const after = await applyTransition(this.ctx, payment, {
      fact: { type: 'succeeded', source, amount: returnValue.amount },
      evidence,
      ...(payment.orderNo ? {} : { patch: { orderNo: returnValue.orderNo } }),
    });
    return { payment: after, changed: after.state !== payment.state };
  }

  /**
   * Why a verified success is not believed by itself: signed longer ago than `notificationMaxAgeSeconds` (the platform's
   * last retry comes about 7 hours after the first, spec §3.7), dated ahead of our clock by more than the allowed skew, or
   * without a readable time.
   */
  private staleness(signedAt: Date | undefined): 'old' | 'ahead' | 'undated' | undefined {
    if (!signedAt) return 'undated';
    const age = this.ctx.clock().getTime() - signedAt.getTime();
    if (age > this.ctx.config.notificationMaxAgeSeconds * 1000) return 'old';
    if (-age > CLOCK_SKEW_MS) return 'ahead';
    return undefined;
  }

  private async payment(bizOrderNo: string): Promise<PaymentRecord> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment) throw new CheckoutError(404, 'not_found', { zh: '支付单不存在', en: 'Payment not found' }, { bizOrderNo });
    return payment;
  }

  /** A report that is not proof enough: the platform's own answer decides (now if it can be had, else at the next sweep). */
  private async askPlatform(payment: PaymentRecord): Promise<AppliedNotification> {
    const after = await this.reconciler.check(payment);
    return { payment: after, changed: after.state !== payment.state };
  }

  /**
   * spec §4.2.10's jumpUrl table describes a `signedValue` payload (digest §10 item 7). Its signature covers neither the
   * sysid nor an amount — any merchant of the platform could hold one for a `bizOrderNo` like ours — so it only names the
   * payment to ask about.
   */
  private async signedValueReturn(fields: Readonly<Record<string, string>>, evidence: string): Promise<AppliedNotification> {
    const { signedValue, sign } = fields;
    if (!signedValue || !sign || !verifySource(signedValue, sign, this.ctx.platformKey)) {
      this.ctx.log('warn', 'return not verified', { reason: 'the signature over signedValue does not verify' });
      throw unverified();
    }
    let bizOrderNo: unknown;
    try {
      bizOrderNo = (JSON.parse(signedValue) as Record<string, unknown>).bizOrderNo;
    } catch {
      throw invalid();
    }
    if (typeof bizOrderNo !== 'string') throw invalid();
    const payment = await this.payment(bizOrderNo);
    await this.ctx.store.recordNotification({ bizOrderNo, source: 'return', body: evidence, status: 'signedValue', signedAt: null, resolved: false });
    return this.askPlatform(payment);
  }
}
