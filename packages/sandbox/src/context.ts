import type { SandboxConfig } from './config.js';
import type { FaultInjector } from './faults/injector.js';
import type { Notifier } from './notifications/notifier.js';
import type { CashierSessions } from './state/cashier-sessions.js';
import type { MemberStore } from './state/members.js';
import type { OrderBook } from './state/orders.js';
import type { RefundBook } from './state/refunds.js';
import type { SmsOutbox } from './state/sms.js';
import type { TimerSet } from './timers.js';

/** Everything a service or page works with: the configuration and the in-memory state. */
export interface SandboxContext {
  readonly config: SandboxConfig;
  readonly members: MemberStore;
  readonly orders: OrderBook;
  readonly refunds: RefundBook;
  readonly sms: SmsOutbox;
  readonly sessions: CashierSessions;
  readonly notifier: Notifier;
  readonly timers: TimerSet;
  /** Only in fault mode (`faults: true`). */
  readonly faults?: FaultInjector;
  now(): Date;
}

/** A context for one request: also knows the origin links should point at. */
export interface RequestContext extends SandboxContext {
  readonly baseUrl: string;
}
