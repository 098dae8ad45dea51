import type { PaymentView } from '@tsy/contract';
import { formatCstTimestamp, YunstFormatError, YunstPlatformError, type YunstExchange, type YunstResult } from '@tsy/yunst';
import type { Request } from 'express';
import { z } from 'zod';
import { CHECKOUT_METHODS, type CheckoutMethod } from '../config/config.js';
import type { ClientInfo } from '../http/client-info.js';
import { isOpen } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import { actionFor, type StoredAction } from './actions.js';
import { newBizOrderNo } from './biz-order-no.js';
import { buildApplyParam, storedRequestCopy } from './apply-param.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError, invalidBody, notFound, payerPhoneRequired } from './errors.js';
import type { Members } from './members.js';
import { isPaid, orderPaidError, resolveMerchantOrder } from './merchant-order.js';
import { checkPaymentCode, PAYMENT_CODE_MEMORY_MS, paymentCodeDigest, paymentCodeUsed, takesPaymentCode } from './payment-codes.js';
import { enabledMethod, maxExpiryMinutes, methodInfo, methodInputSchema, payMethodKeyFor, unusableReason, validateTypeFor } from './methods.js';
import { requestPayer } from './payer.js';
import type { PaymentViews } from './payment-view.js';
import { tooManyOpenPayments, type RateLimits } from './rate-limits.js';
import { smsSent } from './sms-codes.js';
import { applyTransition } from './transitions.js';

const createPaymentBody = z.looseObject({ method: z.enum(CHECKOUT_METHODS) });

const methodNotEnabled = () => new CheckoutError(422, 'method_not_enabled', { zh: '商户未开通该支付方式', en: 'This payment method is not enabled for the shop' });

/**
 * How long a repeated create (same Idempotency-Key) waits for the first one's outcome before answering 409
 * `payment_in_progress`: longer than a normal apply takes, well under a browser's patience.
 */
const REPLAY_WAIT_MS = 3000;
const REPLAY_POLL_MS = 100;
/** What a 409 `payment_in_progress` tells the client to wait before asking again. */
const RETRY_AFTER_SECONDS = 1;
/** Beyond the client's timeout, how long an apply started elsewhere may still be running (its answer being stored). */
const APPLY_SETTLE_MS = 2000;

/** Waiting for the first create's outcome: open, and the platform's answer (the action) not in yet. */
const awaitingAnswer = (payment: PaymentRecord) => isOpen(payment.state) && payment.action === null;

/**
 * `POST /orders/:merchantOrderId/payments`: a new payment attempt. The order is resolved through the merchant's hook first
 * (which authorizes the request) and checked unpaid; then an `Idempotency-Key` already used returns its attempt; otherwise
 * the payment is stored before the platform is called, and the verified answer becomes its action.
 */
export class PaymentCreation {
  /** Creates running in this process, so a repeated request waits for the first one instead of polling the store. */
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(
    private readonly ctx: CheckoutContext,
    private readonly members: Members,
    private readonly views: PaymentViews,
    private readonly limits: RateLimits,
  ) {}

  async create(merchantOrderId: string, req: Request, body: unknown, client: ClientInfo, idempotencyKey: string | undefined): Promise<PaymentView> {
    const parsedBody = createPaymentBody.safeParse(body);
    if (!parsedBody.success) throw invalidBody(parsedBody.error);
    const { method, ...rest } = parsedBody.data;
    const settings = enabledMethod(this.ctx.config, method);
    if (!settings) throw methodNotEnabled();
    // The method's input schema keeps only its own fields: an amount or a payee sent by the browser is dropped here.
    const input = methodInputSchema(method).safeParse(rest);
    if (!input.success) throw invalidBody(input.error);
    // A scanned code that is no payment code (or of a wallet the shop does not take) never reaches the platform.
    if (takesPaymentCode(method)) checkPaymentCode(input.data.authcode ?? '', settings);

    const { resolved, order } = await resolveMerchantOrder(this.ctx, merchantOrderId, req);
    // Only the order's payer starts an attempt: the payment will answer no one else (PaymentViews#authorize).
    const payer = await requestPayer(this.ctx, req, merchantOrderId);
    if (payer !== resolved.payer.bizUserId) {
      if (payer !== undefined) this.ctx.log('warn', 'resolvePayer names another payer than resolveOrder: no payment', { merchantOrderId });
      throw notFound({ zh: '订单', en: 'Order' });
    }
    if (resolved.methods && !resolved.methods.includes(method)) throw methodNotEnabled();
    const earlier = idempotencyKey ? await this.ctx.store.findPaymentByIdempotencyKey(merchantOrderId, idempotencyKey) : undefined;
    // A paid order takes no attempt again — except the one that paid it, asked again because its answer was lost (a code
    // payment succeeds at once): that client learns what happened. Paid otherwise, a pending attempt is not offered again.
    if (isPaid(resolved, order) && !(earlier && earlier.bizOrderNo === order.paidBizOrderNo)) throw orderPaidError(order);
    if (earlier) return this.replay(earlier, method, client);

    const environment = client.environment;
    const reason = unusableReason(method, environment, { acct: resolved.payer.acct ?? {} });
    if (reason) throw new CheckoutError(422, 'method_unavailable', { zh: '当前环境无法使用该支付方式', en: 'This payment method cannot be used here' }, { details: { reason } });

    const source = environment === 'desktop' ? 2 : 1;
    const payerId = resolved.payer.bizUserId;
    // A new attempt (a replay was answered above): counted per client and per payer before anything reaches the platform.
    const notAnAttempt = await this.limits.paymentCreation(client.ip, payerId);
    const member = await this.members.ensure(payerId, source);
    const info = methodInfo(method);
    const acct = info.acctType ? resolved.payer.acct?.[info.acctType] : undefined;
    if (info.acctType && acct) await this.members.ensureAcct(payerId, info.acctType, acct);
    else if (member.userId && !member.phone) {
      // A member this kit created and never bound a phone for: the platform would answer 30021; say it usefully instead
      // (and it was no attempt: the payer binds a phone and tries again).
      await notAnAttempt();
      throw payerPhoneRequired();
    }

    const now = this.ctx.clock();
    const bizOrderNo = newBizOrderNo(now);
    const expiresAt = new Date(now.getTime() + Math.min(this.ctx.config.paymentExpiryMinutes, maxExpiryMinutes(method)) * 60_000);
    const expiresAtCst = formatCstTimestamp(expiresAt);
    const payMethodKey = payMethodKeyFor(method, settings);
    const validateType = validateTypeFor(method, settings);
    const apply = buildApplyParam(this.ctx, { bizOrderNo, merchantOrderId, payerId, resolved, method, settings, payMethodKey, validateType, expiresAtCst, source, acct, input: input.data, client });

    let payment: PaymentRecord;
    try {
      const codeDigest = takesPaymentCode(method) ? await this.reservePaymentCode(input.data.authcode!, bizOrderNo, now) : undefined;
      // Each open attempt is an order at the platform: an order takes a few at once (limits.openAttemptsPerOrder).
      const stored = await this.ctx.store.insertPaymentWithinOpenLimit({
        bizOrderNo,
        merchantOrderId,
        kind: apply.kind,
        method,
        payMethodKey,
        amount: resolved.amount,
        fee: resolved.fee ?? 0,
        payerBizUserId: payerId,
        expiresAt: expiresAt.toISOString(),
        expiresAtCst,
        environment: this.ctx.config.environment,
        sysid: this.ctx.config.sysid,
        idempotencyKey: idempotencyKey ?? null,
      }, { maxOpen: this.ctx.config.limits.openAttemptsPerOrder, now: now.toISOString() });
      if (!stored.payment) {
        // The code paid nothing: the payer may present it again once the order has room.
        if (codeDigest) await this.ctx.store.releasePaymentCode(codeDigest, bizOrderNo);
        await notAnAttempt();
        throw tooManyOpenPayments(Date.parse(stored.openUntil) - now.getTime());
      }
      payment = stored.payment;
    } catch (error) {
      // Two requests with one Idempotency-Key raced past the lookup: the loser follows the winner's attempt.
      const earlier = idempotencyKey && (await this.ctx.store.findPaymentByIdempotencyKey(merchantOrderId, idempotencyKey));
      if (earlier) return this.replay(earlier, method, client);
      throw error;
    }

    const work = this.apply(payment, apply, { method, validateType, payerPhone: member.phone }, input.data);
    this.inFlight.set(bizOrderNo, work);
    try {
      return this.views.of(await work, client);
    } finally {
      this.inFlight.delete(bizOrderNo);
    }
  }

  /**
   * A payment code pays once: the second payment with it is refused (409) for as long as it is remembered, across
   * instances sharing the store. A repeat of the same create (its Idempotency-Key) is found before this and replayed.
   */
  private async reservePaymentCode(authcode: string, bizOrderNo: string, now: Date): Promise<string> {
    const digest = await paymentCodeDigest(this.ctx, authcode);
    const reservation = await this.ctx.store.reservePaymentCode({ digest, bizOrderNo, usedAt: now.toISOString(), expiresAt: new Date(now.getTime() + PAYMENT_CODE_MEMORY_MS).toISOString() });
    if (!reservation.reserved) {
      this.ctx.log('warn', 'a payment code was presented again', { bizOrderNo, usedFor: reservation.bizOrderNo });
      throw paymentCodeUsed();
    }
    return digest;
  }

  /** Calls the platform for a stored payment and applies its verified answer. */
  private async apply(
    stored: PaymentRecord,
    apply: ReturnType<typeof buildApplyParam>,
    actionContext: Parameters<typeof actionFor>[1],
    input: Record<string, string | undefined>,
  ): Promise<PaymentRecord> {
    let payment = stored;
    const { bizOrderNo } = payment;
    let exchange: YunstExchange<YunstResult<'OrderService', 'consumeApply'>>;
    // Taken before the call: an SMS code the apply makes the platform send is never thought valid longer than it is.
    const sentAt = this.ctx.clock();
    try {
      exchange =
        apply.kind === 'agentCollect'
          ? await this.ctx.yunst.exchange('OrderService', 'agentCollectApply', apply.param as never)
          : await this.ctx.yunst.exchange('OrderService', 'consumeApply', apply.param as never);
    } catch (error) {
      if (error instanceof YunstPlatformError) {
        await applyTransition(this.ctx, payment, { fact: { type: 'failed', source: 'apply', code: error.errorCode, message: error.platformMessage } });
        if (error.errorCode === '30021') throw payerPhoneRequired({ yunstCode: '30021', bizOrderNo });
        throw fromYunstError(error, bizOrderNo);
      }
      // No verified answer: the order may or may not exist at the platform. It stays `created`; reconciliation finds out.
      this.ctx.log('warn', 'apply without a verified answer', { bizOrderNo, error: error instanceof Error ? error.message : String(error) });
      throw fromYunstError(error, bizOrderNo);
    }

    // What the platform answered is kept before anything else can go wrong with it.
    const answer = exchange.result;
    await this.ctx.store.patchPayment(bizOrderNo, { orderNo: answer.orderNo, responseRaw: exchange.responseBody, requestRaw: storedRequestCopy(exchange.request.req, input) });
    let action: StoredAction;
    try {
      action = actionFor(answer, actionContext);
    } catch (error) {
      this.ctx.log('error', 'the apply answer lacks what its method returns', { bizOrderNo, error: error instanceof Error ? error.message : String(error) });
      throw fromYunstError(error instanceof YunstFormatError ? error : new YunstFormatError(String(error)), bizOrderNo);
    }
    const sms = action.type === 'sms' ? smsSent(this.ctx.config, sentAt) : {};
    payment = await applyTransition(this.ctx, payment, { fact: { type: 'accepted', source: 'apply' }, patch: { action, ...sms }, evidence: exchange.responseBody });
    if (answer.payStatus === 'success') {
      payment = await applyTransition(this.ctx, payment, { fact: { type: 'succeeded', source: 'apply' }, evidence: exchange.responseBody });
    } else if (answer.payStatus === 'fail') {
      payment = await applyTransition(this.ctx, payment, { fact: { type: 'failed', source: 'apply', message: answer.payFailMessage ?? '' }, evidence: exchange.responseBody });
    }
    return payment;
  }

  /**
   * The apply of this payment may still be on its way: it runs in this process, or it started less than the client's timeout
   * ago (in another instance). After that it has ended, with its answer stored or without one.
   */
  private applyMayBeRunning(payment: PaymentRecord): boolean {
    if (this.inFlight.has(payment.bizOrderNo)) return true;
    return this.ctx.clock().getTime() - new Date(payment.createdAt).getTime() < this.ctx.config.timeoutMs + APPLY_SETTLE_MS;
  }

  /**
   * A repeated create with an Idempotency-Key already used: the same attempt, once it has the platform's answer. While the
   * first request still waits for the platform, this one waits too (in this process on the first one's promise, across
   * instances by re-reading the store), and answers 409 `payment_in_progress` with `Retry-After` if the answer takes longer
   * — never a payment without its action. An attempt whose apply ended without a verified answer will never have an action:
   * 409 `payment_outcome_unknown` says so, and the client starts a new attempt (reconciliation learns what became of it).
   */
  private async replay(earlier: PaymentRecord, method: CheckoutMethod, client: ClientInfo): Promise<PaymentView> {
    if (earlier.method !== method) {
      throw new CheckoutError(422, 'idempotency_conflict', { zh: '该幂等键已用于其他支付方式', en: 'This Idempotency-Key was used for another payment method' }, { bizOrderNo: earlier.bizOrderNo });
    }
    let payment = earlier;
    const deadline = Date.now() + REPLAY_WAIT_MS;
    while (awaitingAnswer(payment) && this.applyMayBeRunning(payment) && Date.now() < deadline) {
      const local = this.inFlight.get(payment.bizOrderNo);
      const wait = local ? Math.max(0, deadline - Date.now()) : REPLAY_POLL_MS;
      await Promise.race([local?.catch(() => undefined), new Promise((resolve) => setTimeout(resolve, wait))].filter(Boolean));
      payment = (await this.ctx.store.getPayment(payment.bizOrderNo)) ?? payment;
    }
    if (awaitingAnswer(payment)) {
      if (!this.applyMayBeRunning(payment)) {
        throw new CheckoutError(
          409,
          'payment_outcome_unknown',
          { zh: '上次支付请求未得到支付平台的应答,请重新发起支付', en: 'The platform never answered this attempt; start a new payment' },
          { bizOrderNo: payment.bizOrderNo },
        );
      }
      throw new CheckoutError(
        409,
        'payment_in_progress',
        { zh: '该支付正在创建中,请稍后重试', en: 'This payment is still being created; retry shortly' },
        { bizOrderNo: payment.bizOrderNo, retryAfterSeconds: RETRY_AFTER_SECONDS },
      );
    }
    return this.views.of(payment, client);
  }
}
