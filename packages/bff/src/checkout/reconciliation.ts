import { randomUUID } from 'node:crypto';
import { YunstPlatformError, ORDER_STATUS } from '@tsy/yunst';
import { isOpen, type PaymentFact } from '../payments/state-machine.js';
import type { PaymentRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { applyTransition } from './transitions.js';

/**
 * Time for the writes after the platform's answer, on top of the call's own timeout: short, as an instance that dies
 * mid-check holds the payment until its claim ends.
 */
const CLAIM_MARGIN_MS = 5_000;

/** The platform batch-closes unpaid orders older than 24 hours (spec §6.9): until then an expired one may still be paid. */
const PLATFORM_CLOSE_MS = 24 * 60 * 60 * 1000;

/**
 * Consumption failures are never notified (spec §3.7) and an apply can time out with its outcome unknown, so open payments
 * are asked about with getOrderDetail: on a schedule, and — rate-limited — when a client asks about one.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  /** Payments being checked right now in this process, so concurrent askers share one call. */
  private readonly inFlight = new Map<string, Promise<PaymentRecord>>();
  /** This process, as the owner of its reconciliation claims: instances sharing the store ask about a payment one at a time. */
  private readonly owner = `reconciliation:${randomUUID()}`;

  constructor(private readonly ctx: CheckoutContext) {}

  start(): void {
    const every = this.ctx.config.reconciliation.intervalSeconds * 1000;
    const tick = () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.ctx.log('error', 'reconciliation sweep failed', { error: String(error) }))
        .finally(() => {
          this.running = undefined;
          if (this.timer) this.timer = setTimeout(tick, every).unref();
        });
    };
    this.timer = setTimeout(tick, every).unref();
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
    await Promise.allSettled(this.inFlight.values());
  }

  /** One pass over the open payments that are due. */
  async sweep(): Promise<number> {
    const { afterSeconds, intervalSeconds } = this.ctx.config.reconciliation;
    const now = this.ctx.clock().getTime();
    const due = await this.ctx.store.listPaymentsToReconcile({
      createdBefore: new Date(now - afterSeconds * 1000).toISOString(),
      checkedBefore: new Date(now - intervalSeconds * 1000).toISOString(),
      expiredAfter: new Date(now - PLATFORM_CLOSE_MS).toISOString(),
      limit: 50,
    });
    for (const payment of due) await this.check(payment);
    return due.length;
  }

  /**
   * Asks the platform when a client asks about an open payment, at most every `onDemandSeconds` — and always once right after
   * its expiry passed, so the payer learns "expired" (or a late success) from the platform, not from a countdown.
   */
  async refreshIfDue(payment: PaymentRecord): Promise<PaymentRecord> {
    if (!isOpen(payment.state)) return payment;
    const now = this.ctx.clock().getTime();
    const last = payment.checkedAt ? new Date(payment.checkedAt).getTime() : 0;
    const expiry = new Date(payment.expiresAt).getTime();
    if (now >= expiry && last < expiry) return this.check(payment);
    if (now - last < this.ctx.config.reconciliation.onDemandSeconds * 1000) return payment;
    return this.check(payment);
  }

  /** Asks the platform about one payment and applies what it verifiably says. */
  check(payment: PaymentRecord): Promise<PaymentRecord> {
    const running = this.inFlight.get(payment.bizOrderNo);
    if (running) return running;
    const work = this.checkNow(payment).finally(() => this.inFlight.delete(payment.bizOrderNo));
    this.inFlight.set(payment.bizOrderNo, work);
    return work;
  }

  private async checkNow(payment: PaymentRecord): Promise<PaymentRecord> {
    const now = this.ctx.clock();
    // The claim outlasts the platform call (timeoutMs) and the writes after it; past it, the claim of a dead instance is free.
    const until = new Date(now.getTime() + this.ctx.config.timeoutMs + CLAIM_MARGIN_MS).toISOString();
    if (!(await this.ctx.store.claimReconciliation(payment.bizOrderNo, { owner: this.owner, now: now.toISOString(), until }))) {
      // Another instance is asking the platform right now: what it learns is in the store for the next look.
      return (await this.ctx.store.getPayment(payment.bizOrderNo)) ?? payment;
    }
    try {
      return await this.checkClaimed(payment, now);
    } finally {
      await this.ctx.store.releaseReconciliation(payment.bizOrderNo, this.owner);
    }
  }

  private async checkClaimed(payment: PaymentRecord, now: Date): Promise<PaymentRecord> {
    await this.ctx.store.patchPayment(payment.bizOrderNo, { checkedAt: now.toISOString() });
    // A refund has no payer deadline: it is asked about until the platform settles it.
    const refund = payment.kind === 'refund';
    const pastExpiry = !refund && new Date(payment.expiresAt) <= now;
    let fact: PaymentFact;
    let evidence: string | undefined;
    let orderNo: string | undefined;
    try {
      const exchange = await this.ctx.yunst.exchange('OrderService', 'getOrderDetail', { bizOrderNo: payment.bizOrderNo });
      const detail = exchange.result;
      evidence = exchange.responseBody;
      orderNo = detail.orderNo;
      if (detail.amount !== payment.amount) {
        // Verified, so it is what the platform holds: a success for it is money that moved (settlement: amount_differs).
        this.ctx.log('error', 'getOrderDetail reports another amount than the payment’s', { bizOrderNo: payment.bizOrderNo, stored: payment.amount, platform: detail.amount });
      }
      switch (detail.orderStatus) {
        case ORDER_STATUS.refunded:
          // A payment refunded since is a payment that succeeded; a refund order is never itself "refunded".
          fact = refund ? { type: 'accepted', source: 'reconciliation' } : { type: 'succeeded', source: 'reconciliation', amount: detail.amount };
          break;
        case ORDER_STATUS.success:
          fact = { type: 'succeeded', source: 'reconciliation', amount: detail.amount };
          break;
        case ORDER_STATUS.failed:
          fact = { type: 'failed', source: 'reconciliation', message: detail.errorMessage ?? '' };
          break;
        case ORDER_STATUS.closed:
          fact = { type: 'closed', source: 'reconciliation' };
          break;
        default:
          // Unpaid or in progress: the order exists. Past its expiry it can no longer be paid.
          fact = pastExpiry ? { type: 'expired', source: 'reconciliation' } : { type: 'accepted', source: 'reconciliation' };
      }
      // The platform's own answer is in: notifications that only hinted at an outcome need no more follow-up.
      await this.ctx.store.resolveNotifications(payment.bizOrderNo, now.toISOString());
    } catch (error) {
      const graceMs = this.ctx.config.reconciliation.unknownOrderGraceSeconds * 1000;
      if (error instanceof YunstPlatformError && error.errorCode === '40000' && now.getTime() - new Date(payment.createdAt).getTime() >= graceMs) {
        // The platform never got the apply (it timed out on the way): nothing can be paid.
        fact = { type: 'failed', source: 'reconciliation', code: '40000', message: '支付平台无此订单' };
        await this.ctx.store.resolveNotifications(payment.bizOrderNo, now.toISOString());
      } else if (pastExpiry && isOpen(payment.state)) {
        // Asked once more after its expiry and no answer: it is expired by our clock. A late verified success still wins
        // (expired payments are asked about until the platform closes them).
        this.ctx.log('warn', 'getOrderDetail gave no usable answer; the payment expired', { bizOrderNo: payment.bizOrderNo, error: error instanceof Error ? error.message : String(error) });
        fact = { type: 'expired', source: 'clock' };
      } else {
        this.ctx.log('warn', 'getOrderDetail gave no usable answer', { bizOrderNo: payment.bizOrderNo, error: error instanceof Error ? error.message : String(error) });
        return (await this.ctx.store.getPayment(payment.bizOrderNo)) ?? payment;
      }
    }
    return applyTransition(this.ctx, payment, { fact, ...(evidence ? { evidence } : {}), ...(orderNo && !payment.orderNo ? { patch: { orderNo } } : {}) });
  }
}
