import { randomUUID } from 'node:crypto';
import type { PaymentEventRecord, PaymentRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import type { PaymentEvent } from './hooks.js';

/**
 * Delivers the event table (the outbox) to `onPaymentEvent`: at least once, in order per payment, retried on the configured
 * schedule until the hook returns. Several instances may run this: each claims the events it delivers (a lease per
 * payment's next event), so one event is handed to one instance at a time; the merchant still de-duplicates by `event.id`
 * (a hook that succeeded but whose instance died before marking it is delivered again).
 */
export class EventDelivery {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private again = false;
  private stopped = true;
  /** This process, as the owner of its delivery claims. */
  private readonly owner = `delivery:${randomUUID()}`;

  constructor(private readonly ctx: CheckoutContext) {}

  start(): void {
    if (!this.ctx.hooks.onPaymentEvent) return;
    this.stopped = false;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }

  /** Called when this process wrote events: deliver now instead of at the next poll. */
  wake(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(delayMs: number): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.running = this.deliverDue()
        .catch((error: unknown) => this.ctx.log('error', 'event delivery pass failed', { error: String(error) }))
        .finally(() => {
          this.running = undefined;
          if (this.stopped) return;
          const next = this.again ? 0 : 1000;
          this.again = false;
          this.schedule(next);
        });
    }, delayMs).unref();
  }

  /** One pass: every due event that is first in line for its payment. Returns how many were delivered. */
  async deliverDue(): Promise<number> {
    const hook = this.ctx.hooks.onPaymentEvent;
    if (!hook) return 0;
    let delivered = 0;
    for (;;) {
      const due = await this.ctx.store.claimEventsToDeliver({ now: this.ctx.clock().toISOString(), limit: 20, leaseMs: LEASE_MS, owner: this.owner });
      if (due.length === 0) return delivered;
      let progressed = false;
      const pending = new Set(due.map((event) => event.id));
      const renew = setInterval(() => {
        const until = new Date(this.ctx.clock().getTime() + LEASE_MS).toISOString();
        this.ctx.store.renewEventClaims([...pending], this.owner, until).catch((error: unknown) => this.ctx.log('warn', 'could not renew the claim on events being delivered', { error: String(error) }));
      }, RENEW_MS);
      renew.unref();
      try {
        // At most one event per payment is claimed, so the batch is delivered at once: a slow hook for one payment holds
        // no other payment's events (nor their leases) behind it. Per payment the order stays.
        await Promise.all(
          due.map(async (event) => {
            try {
              const payment = await this.ctx.store.getPayment(event.bizOrderNo);
              try {
                await withTimeout(Promise.resolve(hook(toPaymentEvent(event, payment))), HOOK_TIMEOUT_MS);
              } catch (error) {
                const schedule = this.ctx.config.eventRetrySeconds;
                const wait = schedule[Math.min(event.deliveryAttempts, schedule.length - 1)]!;
                const next = new Date(this.ctx.clock().getTime() + wait * 1000).toISOString();
                this.ctx.log('warn', 'onPaymentEvent failed; will retry', { eventId: event.id, bizOrderNo: event.bizOrderNo, retryAt: next });
                await this.ctx.store.markEventDeliveryFailed(event.id, this.owner, error instanceof Error ? error.message : String(error), next);
                return;
              }
              await this.ctx.store.markEventDelivered(event.id, this.ctx.clock().toISOString());
              delivered++;
              progressed = true;
            } catch (error) {
              // The store failed around a delivery: the lease runs out and the event is delivered again (at least once).
              this.ctx.log('error', 'recording an event delivery failed', { eventId: event.id, bizOrderNo: event.bizOrderNo, error: String(error) });
            } finally {
              pending.delete(event.id);
            }
          }),
        );
      } finally {
        clearInterval(renew);
      }
      // Only failures this pass: they wait for their retry time.
      if (!progressed) return delivered;
    }
  }
}

/** A hook that never returns must not stop the delivery of every other event. */
const HOOK_TIMEOUT_MS = 30_000;
/**
 * A claim on a batch is short and renewed while the batch is being delivered: an instance that dies (SIGKILL, a lost
 * machine) holds the events it claimed for at most LEASE_MS, then another instance — or its own restart — takes them.
 */
const LEASE_MS = 10_000;
const RENEW_MS = 3_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`onPaymentEvent did not return within ${ms / 1000} s`)), ms).unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function toPaymentEvent(event: PaymentEventRecord, payment: PaymentRecord | undefined): PaymentEvent {
  return {
    id: event.id,
    type: event.type,
    merchantOrderId: event.merchantOrderId,
    bizOrderNo: event.bizOrderNo,
    ...(payment?.oriBizOrderNo ? { oriBizOrderNo: payment.oriBizOrderNo } : {}),
    state: event.state,
    previousState: event.previousState,
    amount: payment?.amount ?? 0,
    ...(payment?.reportedAmount == null ? {} : { reportedAmount: payment.reportedAmount }),
    method: payment?.method ?? '',
    settlement: event.settlement,
    message: event.message,
    at: event.createdAt,
  };
}
