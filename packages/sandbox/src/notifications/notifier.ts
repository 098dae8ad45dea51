import { HOUR, MINUTE, SECOND } from '../clock.js';
import type { SandboxConfig } from '../config.js';
import type { TimerSet } from '../timers.js';
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
}

export interface OrderNotification {
  readonly bizOrderNo: string;
  readonly url: string;
  /** The exact `rps` text sent (each attempt is signed afresh with its own timestamp). */
  readonly rps: string;
  /** Real time of the event the schedule counts from. */
  readonly eventAt: Date;
  readonly attempts: NotificationAttempt[];
  delivered: boolean;
  finished: boolean;
  /** Resolves once delivered, out of attempts, or the sandbox closed. */
  readonly settled: Promise<void>;
}

export class Notifier {
  readonly #notifications = new Map<string, OrderNotification>();
  readonly #closing = new AbortController();
  /** The `finish` of every notification still under way, so close() can settle them. */
  readonly #unfinished = new Set<() => void>();

  constructor(
    private readonly config: SandboxConfig,
    private readonly timers: TimerSet,
  ) {}

  /** The notification of an order, for tests and the demo. */
  get(bizOrderNo: string): OrderNotification | undefined {
    return this.#notifications.get(bizOrderNo);
  }

  all(): OrderNotification[] {
    return [...this.#notifications.values()];
  }

  send(bizOrderNo: string, url: string, rps: string): OrderNotification {
    let settle!: () => void;
    const notification: OrderNotification = {
      bizOrderNo,
      url,
      rps,
      eventAt: new Date(),
      attempts: [],
      delivered: false,
      finished: false,
      settled: new Promise<void>((resolve) => (settle = resolve)),
    };
    this.#notifications.set(bizOrderNo, notification);
    const finish = () => {
      this.#unfinished.delete(finish);
      notification.finished = true;
      settle();
    };
    if (this.#closing.signal.aborted) {
      finish();
    } else {
      this.#unfinished.add(finish);
      this.#schedule(notification, 0, finish);
    }
    return notification;
  }

  /** Aborts requests in flight; notifications still under way settle unfinished. */
  close(): void {
    this.#closing.abort();
    for (const finish of [...this.#unfinished]) finish();
  }

  #schedule(notification: OrderNotification, index: number, finish: () => void): void {
    const due = notification.eventAt.getTime() + NOTIFICATION_SCHEDULE_MS[index]! * this.config.notificationTimeScale;
    this.timers.after(due - Date.now(), () => {
      void this.#attempt(notification, index + 1).then((delivered) => {
        if (delivered || index + 1 >= NOTIFICATION_SCHEDULE_MS.length || this.#closing.signal.aborted) finish();
        else this.#schedule(notification, index + 1, finish);
      });
    });
  }

  async #attempt(notification: OrderNotification, attempt: number): Promise<boolean> {
    const at = new Date();
    const timeout = Math.max(ATTEMPT_TIMEOUT_MS * this.config.notificationTimeScale, MIN_ATTEMPT_TIMEOUT_MS);
    try {
      const response = await fetch(notification.url, {
        method: 'POST',
        body: new URLSearchParams(signedReturnFields(notification.rps, this.config)),
        signal: AbortSignal.any([this.#closing.signal, AbortSignal.timeout(timeout)]),
        redirect: 'manual',
      });
      await response.arrayBuffer().catch(() => undefined);
      notification.attempts.push({ attempt, at, status: response.status });
      this.config.log(`notify ${notification.bizOrderNo} attempt ${attempt}: HTTP ${response.status}`);
      notification.delivered = response.status === 200;
      return notification.delivered;
    } catch (error) {
      const reason = error instanceof Error ? (error.name === 'TimeoutError' ? 'timeout' : error.message) : String(error);
      notification.attempts.push({ attempt, at, error: reason });
      this.config.log(`notify ${notification.bizOrderNo} attempt ${attempt}: ${reason}`);
      return false;
    }
  }
}
