import type { RefundView } from '@tsy/contract';
import { refundListEntry, YunstParamError, YunstPlatformError } from '@tsy/yunst';
import { z } from 'zod';
import type { PaymentRecord, RefundAsked, RefundRefusal } from '../store/types.js';
import { newBizOrderNo } from './biz-order-no.js';
import { callbackUrls, type CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError, IDEMPOTENCY_KEY, invalidBody, notFound } from './errors.js';
import { applyTransition } from './transitions.js';

const fen = z.number().int().safe();

/** `checkout.refunds.refund(bizOrderNo, request)` and the admin route's body (the route takes the key from `Idempotency-Key`). */
export const refundRequestSchema = z
  .strictObject({
    /** fen, the whole refund with its feeAmount; absent: all the payment still has to give back (with `feeAmount`: the rest of its net amount plus that). */
    amount: fen.positive().optional(),
    /** fen, the part of the payment's fee given back (spec §4.2.16 rule 11 B); absent with an amount: none (rule 11 A). */
    feeAmount: fen.min(0).optional(),
    /** Why (kept with the refund and shown to the merchant; never sent to the platform). */
    reason: z.string().trim().min(1).max(200),
    /** The same key for the same payment gives the refund it made before, never a second one. */
    idempotencyKey: z.string().regex(IDEMPOTENCY_KEY.pattern, IDEMPOTENCY_KEY.rule),
    /** Custody collections (agentCollectApply): who gives back how much of amount − feeAmount (spec §5.9). */
    refundList: z.array(refundListEntry).min(1).max(100).optional(),
  })
  .refine((body) => body.feeAmount === undefined || body.amount === undefined || body.feeAmount <= body.amount, { message: 'feeAmount must not exceed amount', path: ['feeAmount'] })
  .refine((body) => !body.refundList || body.amount === undefined || listTotal(body.refundList) === body.amount - (body.feeAmount ?? 0), {
    message: 'refundList must add up to amount − feeAmount',
    path: ['refundList'],
  });
export type RefundRequest = z.input<typeof refundRequestSchema>;

const listTotal = (list: readonly { amount: number }[]) => list.reduce((sum, entry) => sum + entry.amount, 0);

/** What `refundFlagged` did, payment by payment. */
export interface FlaggedRefunds {
  /** Refunds made by this run. */
  readonly refunded: readonly RefundView[];
  /** Refunded before (by an earlier run, or still pending from one): nothing new was made. */
  readonly alreadyRefunded: readonly RefundView[];
  /** Nothing left to give back (refunded in full by hand). */
  readonly nothingLeft: readonly FlaggedPayment[];
  readonly failed: readonly (FlaggedPayment & { readonly code: string; readonly message: string })[];
}

export interface FlaggedPayment {
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly method: string;
  /** fen: what the platform says was paid. */
  readonly paid: number;
  readonly settlement: PaymentRecord['settlement'];
}

function refusalError(refusal: RefundRefusal, bizOrderNo: string): CheckoutError {
  const extra = { bizOrderNo };
  switch (refusal.reason) {
    case 'not_found':
    case 'not_a_payment':
      return notFound({ zh: '支付单', en: 'Payment' });
    case 'not_paid':
      return new CheckoutError(409, 'payment_not_paid', { zh: '该支付未成功,无可退款项', en: 'The payment has not succeeded: there is nothing to refund' }, extra);
    case 'refund_list_not_allowed':
      return new CheckoutError(422, 'refund_list_not_allowed', { zh: '消费订单退款不填 refundList', en: 'A consumption is refunded without a refundList' }, extra);
    case 'refund_list_required':
      return new CheckoutError(
        422,
        'refund_list_required',
        { zh: '托管代收订单仅支持全额退款;部分退款须提供 refundList', en: 'A collection order is refunded in full; a partial refund needs a refundList' },
        extra,
      );
    case 'nothing_left':
      return new CheckoutError(409, 'refund_nothing_left', { zh: '该支付已全额退款', en: 'The payment has been refunded in full' }, { ...extra, details: { refundable: 0 } });
    case 'exceeds':
      return new CheckoutError(
        422,
        'refund_exceeds_payment',
        { zh: `退款金额超出可退金额(最多 ${refusal.room.amount} 分,其中手续费 ${refusal.room.feeAmount} 分)`, en: `More than can be refunded (at most ${refusal.room.amount} fen, of which ${refusal.room.feeAmount} fen fee)` },
        { ...extra, details: { refundable: refusal.room.amount, refundableFee: refusal.room.feeAmount } },
      );
  }
}

/**
 * Refunds (spec §4.2.16), for the merchant's server — never the browser: the function, the admin route and
 * `tsy-bff refund-flagged` all come here. A refund is stored before the platform is called, with amounts the store decides
 * atomically from what the payment still has to give back (payments/refunds.ts), so concurrent refunds in any instance never
 * give back more than was paid. Its outcome comes as for payments: the platform's verified answer, its notification (method
 * `pay`, with `oriBizOrderNo`), or reconciliation with getOrderDetail; each moves it to `refund.pending`, `refund.succeeded`
 * or `refund.failed` for `onPaymentEvent`.
 */
export class Refunds {
  constructor(private readonly ctx: CheckoutContext) {}

  /** Refunds `bizOrderNo` (in full unless `amount` says less). Throws a CheckoutError (4xx) when it may not be refunded. */
  async refund(bizOrderNo: string, request: RefundRequest): Promise<RefundView> {
    return (await this.refundOnce(bizOrderNo, request)).view;
  }

  /** The refunds of a payment, oldest first (404 for no such payment). */
  async list(bizOrderNo: string): Promise<{ readonly refundedAmount: number; readonly refunds: readonly RefundView[] }> {
    const payment = await this.ctx.store.getPayment(bizOrderNo);
    if (!payment || payment.kind === 'refund') throw notFound({ zh: '支付单', en: 'Payment' });
    return { refundedAmount: payment.refundedAmount, refunds: (await this.ctx.store.listRefunds(bizOrderNo)).map(refundView) };
  }

  /**
   * Refunds every payment whose success did not pay its order (`double_paid`, `amount_mismatch`, `amount_differs`) once, in
   * full: what the platform reported paid, fee included — the payer gets back all the order never asked for. Run again, it
   * makes no second refund (the Idempotency-Key is the payment's); a flagged refund that failed is tried anew. One payment
   * after another, one platform call each: with many, prefer `tsy-bff refund-flagged` to the admin route (no HTTP timeout).
   */
  async refundFlagged(): Promise<FlaggedRefunds> {
    const result: { [K in keyof FlaggedRefunds]: FlaggedRefunds[K][number][] } = { refunded: [], alreadyRefunded: [], nothingLeft: [], failed: [] };
    for (const payment of await this.ctx.store.listFlaggedPayments()) {
      const flagged: FlaggedPayment = { bizOrderNo: payment.bizOrderNo, merchantOrderId: payment.merchantOrderId, method: payment.method, paid: payment.reportedAmount ?? payment.amount, settlement: payment.settlement };
      const failedBefore = (await this.ctx.store.listRefunds(payment.bizOrderNo)).filter((refund) => refund.state === 'failed' && refund.idempotencyKey?.startsWith('flagged:')).length;
      try {
        const { view, created } = await this.refundOnce(payment.bizOrderNo, {
          reason: `${payment.settlement}: refunded by refund-flagged`,
          idempotencyKey: `flagged:${payment.bizOrderNo}:${failedBefore}`,
        });
        (created ? result.refunded : result.alreadyRefunded).push(view);
      } catch (error) {
        if (!(error instanceof CheckoutError)) throw error;
        if (error.code === 'refund_nothing_left') result.nothingLeft.push(flagged);
        else result.failed.push({ ...flagged, code: error.code, message: error.messages.en });
      }
    }
    return result;
  }

  /** As `refund`, saying whether this call made the refund (`created`) or found the one its key made before. */
  async refundOnce(bizOrderNo: string, request: RefundRequest): Promise<{ view: RefundView; created: boolean }> {
    const parsed = refundRequestSchema.safeParse(request);
    if (!parsed.success) throw invalidBody(parsed.error);
    const { amount, feeAmount, reason, idempotencyKey, refundList } = parsed.data;
    const asked: RefundAsked = {
      ...(amount === undefined ? {} : { amount }),
      ...(feeAmount === undefined ? {} : { feeAmount }),
      ...(refundList ? { refundListTotal: listTotal(refundList) } : {}),
    };
    const stored = await this.ctx.store.insertRefund({ bizOrderNo: newBizOrderNo(this.ctx.clock()), oriBizOrderNo: bizOrderNo, idempotencyKey, reason, asked });
    if (stored.outcome === 'refused') throw refusalError(stored.refusal, bizOrderNo);
    if (stored.outcome === 'existing') {
      const earlier = stored.refund;
      if ((amount !== undefined && amount !== earlier.amount) || (feeAmount !== undefined && feeAmount !== earlier.fee)) {
        throw new CheckoutError(422, 'idempotency_conflict', { zh: '该幂等键已用于另一笔退款', en: 'This Idempotency-Key was used for another refund' }, { bizOrderNo: earlier.bizOrderNo });
      }
      return { view: refundView(earlier), created: false };
    }
    return { view: refundView(await this.ask(stored.refund, refundList)), created: true };
  }

  /** Calls the platform for a stored refund and applies its verified answer. */
  private async ask(refund: PaymentRecord, refundList: RefundRequest['refundList']): Promise<PaymentRecord> {
    const { bizOrderNo } = refund;
    let exchange;
    try {
      exchange = await this.ctx.yunst.exchange('OrderService', 'refund', {
        bizOrderNo,
        oriBizOrderNo: refund.oriBizOrderNo!,
        bizUserId: refund.payerBizUserId,
        refundType: this.ctx.config.refunds.refundType,
        ...(refundList ? { refundList: refundList.map((entry) => ({ ...entry })) } : {}),
        backUrl: callbackUrls(this.ctx.config).backUrl,
        amount: refund.amount,
        ...(refund.fee > 0 ? { feeAmount: refund.fee } : {}),
      });
    } catch (error) {
      // Refused by the platform, or by our own check before anything was sent: nothing was refunded, so its room is free.
      if (error instanceof YunstPlatformError || error instanceof YunstParamError) {
        const fact = error instanceof YunstPlatformError ? { code: error.errorCode, message: error.platformMessage } : { code: 'param', message: error.message };
        await applyTransition(this.ctx, refund, { fact: { type: 'failed', source: 'apply', ...fact } });
        throw fromYunstError(error, bizOrderNo);
      }
      // No verified answer: the platform may or may not have the refund. It stays open (and counts against what is left to
      // refund) until reconciliation learns its fate.
      this.ctx.log('warn', 'refund without a verified answer', { bizOrderNo, error: error instanceof Error ? error.message : String(error) });
      throw fromYunstError(error, bizOrderNo);
    }
    const answer = exchange.result;
    await this.ctx.store.patchPayment(bizOrderNo, { orderNo: answer.orderNo, responseRaw: exchange.responseBody, requestRaw: exchange.request.req });
    let after = await applyTransition(this.ctx, refund, { fact: { type: 'accepted', source: 'apply' }, evidence: exchange.responseBody });
    if (answer.payStatus === 'success') {
      after = await applyTransition(this.ctx, after, { fact: { type: 'succeeded', source: 'apply', amount: answer.amount }, evidence: exchange.responseBody });
    } else if (answer.payStatus === 'fail') {
      after = await applyTransition(this.ctx, after, { fact: { type: 'failed', source: 'apply', message: answer.payFailMessage ?? '' }, evidence: exchange.responseBody });
    }
    return after;
  }
}

export function refundView(refund: PaymentRecord): RefundView {
  return {
    bizOrderNo: refund.bizOrderNo,
    oriBizOrderNo: refund.oriBizOrderNo!,
    merchantOrderId: refund.merchantOrderId,
    state: refund.state === 'success' ? 'success' : refund.state === 'failed' ? 'failed' : 'pending',
    amount: refund.amount,
    feeAmount: refund.fee,
    reason: refund.refundReason ?? '',
    failure: refund.state === 'failed' ? { code: refund.failureCode, message: refund.failureMessage } : null,
    createdAt: refund.createdAt,
    updatedAt: refund.updatedAt,
  };
}
