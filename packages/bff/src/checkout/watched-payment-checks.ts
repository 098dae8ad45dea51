import type { CheckoutContext } from './context.js';
import type { PaymentChanges, WhileWatching } from './payment-changes.js';
import type { Reconciler } from './reconciliation.js';

/** Platform calls at once in one round: a round over many watched payments must not wait for each answer in turn. */
const CONCURRENT_CHECKS = 8;

export interface WatchedPaymentChecksStats {
  /** Rounds over the watched open payments completed since start. */
  readonly rounds: number;
}

/**
 * Consumption failures are never notified (spec §3.7): while a stream watches an open payment, this instance keeps asking
 * the platform about it through the reconciler (which rate-limits to `reconciliation.onDemandSeconds`), once per payment
 * per round however many streams watch it, or the watcher would only learn of a failure at the next background sweep.
 */
export class WatchedPaymentChecks implements WhileWatching {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private rounds = 0;

  constructor(
    private readonly ctx: CheckoutContext,
    private readonly reconciler: Reconciler,
    private readonly changes: PaymentChanges,
  ) {}

  /** Started by the change feed when a first payment is watched. */
  start(): void {
    const every = Math.max(this.ctx.config.reconciliation.onDemandSeconds, 2) * 1000;
    this.timer = setInterval(() => void this.round(), every).unref();
  }

  /** Stopped by the change feed when the last watched payment is no longer watched. */
  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Waits for a round under way (shutdown). */
  async settled(): Promise<void> {
    await this.running;
  }

  stats(): WatchedPaymentChecksStats {
    return { rounds: this.rounds };
  }

  /** One round over the watched open payments; a round still under way is not started twice. */
  round(): Promise<void> {
    this.running ??= this.checkAll().finally(() => {
      this.running = undefined;
      this.rounds++;
    });
    return this.running;
  }

  private async checkAll(): Promise<void> {
    const due = this.changes.openPayments();
    const worker = async () => {
      for (let next = due.next(); !next.done; next = due.next()) {
        try {
          const payment = await this.ctx.store.getPayment(next.value);
          if (payment) await this.reconciler.refreshIfDue(payment);
        } catch (error) {
          this.ctx.log('warn', 'checking a watched payment failed', { bizOrderNo: next.value, error: String(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENT_CHECKS }, worker));
  }
}
