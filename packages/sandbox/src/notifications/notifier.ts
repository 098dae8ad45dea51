import { HOUR, MINUTE, SECOND } from '../clock.js';
import type { SandboxConfig } from '../config.js';
import type { TimerSet } from '../timers.js';
import type { FaultInjector, FiredFault } from '../faults/injector.js';
import type { NotificationFaultKind } from '../faults/rules.js';
import { signedReturnFields } from './order-result.js';

/** Order notifications: at most 4 attempts, 5 s, 10 min, 1 h and 6 h after the event, until one gets HTTP 200 (spec §3.7). */
export const NOTIFICATION_SCHEDULE_MS = [5 * SECOND, 10 * MINUTE, HOUR, 6 * HOUR] as const;

/** Per-attempt request timeout: 10 s scaled like the schedule, but never under 1 s so a loopback answer always fits. */
const ATTEMPT_TIMEOUT_MS = 10 * SECOND;
const MIN_ATTEMPT_TIMEOUT_MS = 1 * SECOND;

export interface NotificationAttempt {
  readonly attempt: number;
  /** Real time the request was sent (the schedule runs on real timers). */
  readonly at: Date;
  readonly status?: number;
  readonly error?: string;
  /** Fault mode: `drop` — this attempt was not sent; `duplicate` — one of the identical copies of `copy`. */
  readonly fault?: 'drop' | 'duplicate';
  readonly copy?: number;
}

export interface OrderNotification {
  readonly bizOrderNo: string;
  readonly url: string;
  /** The exact `rps` text sent (each attempt is signed afresh with its own timestamp). */
  readonly rps: string;
  /** Real time of the event the schedule counts from (for a notification held by the fault mode: its release). */
  eventAt: Date;
  readonly attempts: NotificationAttempt[];
  delivered: boolean;
  finished: boolean;
  /** Fault mode: what was done to this notification (`unknownOrder`: it is the extra one, about no real order). */
  fault?: NotificationFaultKind;
  /** Fault mode: held by `delay` or `reorder` and not yet released. */
  held: boolean;
  /** Resolves once delivered, out of attempts, or the sandbox closed. */
  readonly settled: Promise<void>;
}

/** How many copies of one signed notification a `duplicate` fault delivers (the platform's 4 attempts). */
export const DUPLICATE_COPIES = 4;
/** A `reorder` pool goes out, shuffled, once it holds this many (or its first one has waited `delayMs`). */
export const REORDER_BATCH = 3;

type Delivery = NonNullable<ReturnType<FaultInjector['decideNotification']>['delivery']>;

export class Notifier {
  readonly #notifications = new Map<string, OrderNotification>();
  readonly #closing = new AbortController();
  /** The `finish` of every notification still under way, so close() can settle them. */
  readonly #unfinished = new Map<OrderNotification, () => void>();
  /** Fault mode: notifications held by `delay` (with their release) and the `reorder` pool. */
  readonly #delayed = new Map<OrderNotification, () => void>();
  #reorderPool: OrderNotification[] = [];
  #reorderGeneration = 0;
  #unknownOrders = 0;

  constructor(
    private readonly config: SandboxConfig,
    private readonly timers: TimerSet,
    private readonly faults?: FaultInjector,
  ) {
    faults?.onClear(() => this.#releaseHeld());
  }

  /** The notification of an order, for tests and the demo. */
  get(bizOrderNo: string): OrderNotification | undefined {
    return this.#notifications.get(bizOrderNo);
  }

  all(): OrderNotification[] {
    return [...this.#notifications.values()];
  }

  send(bizOrderNo: string, url: string, rps: string): OrderNotification {
    const notification = this.#register(bizOrderNo, url, rps);
    if (this.#closing.signal.aborted) {
      this.#finish(notification);
      return notification;
    }
    const { delivery, unknownOrder } = this.faults?.decideNotification(bizOrderNo) ?? {};
    if (delivery) this.#deliverWithFault(notification, delivery);
    else this.#schedule(notification, 0);
    if (unknownOrder) this.#sendUnknownOrder(notification, unknownOrder);
    return notification;
  }

  /** Aborts requests in flight; notifications still under way settle unfinished. */
  close(): void {
    this.#closing.abort();
    for (const finish of [...this.#unfinished.values()]) finish();
  }

  #register(bizOrderNo: string, url: string, rps: string): OrderNotification {
    let settle!: () => void;
    const notification: OrderNotification = {
      bizOrderNo,
      url,
      rps,
      eventAt: new Date(),
      attempts: [],
      delivered: false,
      finished: false,
      held: false,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    };
    this.#notifications.set(bizOrderNo, notification);
    this.#unfinished.set(notification, () => {
      this.#unfinished.delete(notification);
      notification.finished = true;
      settle();
    });
    return notification;
  }

  #finish(notification: OrderNotification): void {
    this.#unfinished.get(notification)?.();
  }

  #schedule(notification: OrderNotification, index: number): void {
    const due = notification.eventAt.getTime() + NOTIFICATION_SCHEDULE_MS[index]! * this.config.notificationTimeScale;
    this.timers.after(due - Date.now(), () => void this.#run(notification, index));
  }

  /** Attempt `index + 1`, then the next on schedule unless it was delivered, the last, or the sandbox closed. */
  async #run(notification: OrderNotification, index: number): Promise<void> {
    const delivered = await this.#attempt(notification, index + 1);
    if (delivered || index + 1 >= NOTIFICATION_SCHEDULE_MS.length || this.#closing.signal.aborted) this.#finish(notification);
    else this.#schedule(notification, index + 1);
  }

  async #attempt(notification: OrderNotification, attempt: number): Promise<boolean> {
    if (attempt === 1 && notification.fault === 'drop') {
      notification.attempts.push({ attempt, at: new Date(), error: 'dropped (fault mode)', fault: 'drop' });
      this.config.log(`notify ${notification.bizOrderNo} attempt ${attempt}: dropped (fault mode)`);
      return false;
    }
    if (attempt === 1 && notification.fault === 'duplicate') {
      // One signature, sent as often as the platform would retry it: the merchant sees byte-identical bodies.
      const fields = signedReturnFields(notification.rps, this.config);
      let delivered = false;
      for (let copy = 1; copy <= DUPLICATE_COPIES && !this.#closing.signal.aborted; copy++) {
        if (await this.#post(notification, attempt, fields, copy)) delivered = true;
      }
      return delivered;
    }
    return this.#post(notification, attempt, signedReturnFields(notification.rps, this.config));
  }

  async #post(notification: OrderNotification, attempt: number, fields: Record<string, string>, copy?: number): Promise<boolean> {
    const at = new Date();
    const timeout = Math.max(ATTEMPT_TIMEOUT_MS * this.config.notificationTimeScale, MIN_ATTEMPT_TIMEOUT_MS);
    const marks = copy === undefined ? {} : { fault: 'duplicate' as const, copy };
    const label = `notify ${notification.bizOrderNo} attempt ${attempt}${copy === undefined ? '' : ` copy ${copy}`}`;
    try {
      const response = await fetch(notification.url, {
        method: 'POST',
        body: new URLSearchParams(fields),
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(timeout)]),
        redirect: 'manual',
      });
      await response.arrayBuffer().catch(() => undefined);
      notification.attempts.push({ attempt, at, status: response.status, ...marks });
      this.config.log(`${label}: HTTP ${response.status}`);
      if (response.status === 200) notification.delivered = true;
      return response.status === 200;
    } catch (error) {
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.message) : String(error);
      notification.attempts.push({ attempt, at, error: reason, ...marks });
      this.config.log(`${label}: ${reason}`);
      return false;
    }
  }

  #deliverWithFault(notification: OrderNotification, fault: Delivery): void {
    const faults = this.faults!;
    notification.fault = fault.kind;
    switch (fault.kind) {
      case 'drop':
        faults.record(fault, { bizOrderNo: notification.bizOrderNo, detail: 'first attempt not sent; the retries follow' });
        this.#schedule(notification, 0);
        return;
      case 'dropAll':
        // No attempt is ever made: only getOrderDetail can tell the merchant about this payment.
        faults.record(fault, { bizOrderNo: notification.bizOrderNo, detail: 'no attempt sent' });
        this.config.log(`notify ${notification.bizOrderNo}: every attempt dropped (fault mode)`);
        this.#finish(notification);
        return;
      case 'duplicate':
        faults.record(fault, { bizOrderNo: notification.bizOrderNo, detail: `${DUPLICATE_COPIES} identical copies` });
        this.#schedule(notification, 0);
        return;
      case 'delay': {
        faults.record(fault, { bizOrderNo: notification.bizOrderNo, detail: `held ${fault.delayMs} ms` });
        notification.held = true;
        const release = () => {
          if (!this.#delayed.delete(notification)) return;
          this.#release(notification);
          this.#schedule(notification, 0);
        };
        this.#delayed.set(notification, release);
        this.timers.after(fault.delayMs, release);
        return;
      }
      case 'reorder': {
        faults.record(fault, { bizOrderNo: notification.bizOrderNo, detail: `held for a shuffled batch (${REORDER_BATCH}, or ${fault.delayMs} ms)` });
        notification.held = true;
        this.#reorderPool.push(notification);
        if (this.#reorderPool.length >= REORDER_BATCH) {
          void this.#flushReorderPool(true);
        } else if (this.#reorderPool.length === 1) {
          const generation = this.#reorderGeneration;
          this.timers.after(fault.delayMs, () => {
            if (generation === this.#reorderGeneration) void this.#flushReorderPool(true);
          });
        }
        return;
      }
    }
  }

  #release(notification: OrderNotification): void {
    notification.held = false;
    notification.eventAt = new Date();
  }

  /**
   * Sends the held batch's first attempts one after the other — each after the previous one's answer, so the merchant
   * receives them in exactly this order — then each follows its own retry schedule.
   */
  async #flushReorderPool(shuffle: boolean): Promise<void> {
    const batch = this.#reorderPool;
    this.#reorderPool = [];
    this.#reorderGeneration += 1;
    if (shuffle && this.faults) {
      const draws = this.faults.notificationDraws;
      for (let i = batch.length - 1; i > 0; i--) {
        const j = draws.below(i + 1);
        [batch[i], batch[j]] = [batch[j]!, batch[i]!];
      }
    }
    this.config.log(`notify: releasing ${batch.map((n) => n.bizOrderNo).join(', ')} (fault mode)`);
    for (const notification of batch) {
      if (this.#closing.signal.aborted) return;
      this.#release(notification);
      await this.#run(notification, 0);
    }
  }

  /** Fault mode off: what is held goes out now, in the order it came (dropped attempts stay dropped). */
  #releaseHeld(): void {
    for (const release of [...this.#delayed.values()]) release();
    if (this.#reorderPool.length > 0) void this.#flushReorderPool(false);
  }

  /** A correctly signed notification for an order nobody created, to the same backUrl, on the normal schedule. */
  #sendUnknownOrder(real: OrderNotification, fault: FiredFault<'unknownOrder'>): void {
    const digits = (n: number) => Array.from({ length: n }, () => String(fault.draws.below(10))).join('');
    const bizOrderNo = `UNKNOWN${String(++this.#unknownOrders).padStart(4, '0')}${digits(8)}`;
    const rps = JSON.parse(real.rps) as { returnValue: Record<string, unknown> };
    rps.returnValue = { ...rps.returnValue, bizOrderNo, orderNo: `${String(rps.returnValue.orderNo ?? '').slice(0, 14)}9${digits(5)}` };
    this.faults!.record(fault, { bizOrderNo, detail: `beside ${real.bizOrderNo}` });
    const extra = this.#register(bizOrderNo, real.url, JSON.stringify(rps));
    extra.fault = 'unknownOrder';
    this.#schedule(extra, 0);
  }
}
