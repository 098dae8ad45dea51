import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';
import { createApp } from './app.js';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from './config.js';
import type { SandboxContext } from './context.js';
import { orderResultRps, refundResultRps } from './notifications/order-result.js';
import { Notifier } from './notifications/notifier.js';
import { CashierSessions } from './state/cashier-sessions.js';
import { MemberStore } from './state/members.js';
import { FaultInjector } from './faults/injector.js';
import { OrderBook, orderTruth, type OrderTruth } from './state/orders.js';
import { RefundBook, refundTruth, type RefundTruth } from './state/refunds.js';
import { refundChannelDetails } from './pay-methods/channel-details.js';
import { onClockChange } from './clock.js';
import { SmsOutbox } from './state/sms.js';
import { TimerSet } from './timers.js';

export type { SandboxOptions, SandboxConfig } from './config.js';
export { createManualClock, systemClock, type Clock, type ManualClock } from './clock.js';
export { NOTIFICATION_SCHEDULE_MS, type NotificationAttempt, type OrderNotification } from './notifications/notifier.js';
export { REFUND_STATUS_OF, type RefundState, type RefundTruth, type RefundWhereabouts, type SandboxRefund } from './state/refunds.js';
export { REFUND_TEST_FAILURES } from './order-service/refund.js';
export { ORDER_STATUS_OF, type OrderState, type SandboxOrder, type ConfirmStep, type OrderTruth, type OrderTruthStatus } from './state/orders.js';
export { FaultInjector, mulberry32, type FaultReport, type InjectedFault } from './faults/injector.js';
export {
  ANSWER_FAULT_KINDS,
  NOTIFICATION_FAULT_KINDS,
  FAULT_KINDS,
  DEFAULT_DELAY_MS,
  DEFAULT_PHASE,
  faultRuleSchema,
  faultSettingsSchema,
  type AnswerFaultKind,
  type NotificationFaultKind,
  type FaultKind,
  type FaultPhase,
  type FaultRule,
  type FaultSettings,
} from './faults/rules.js';
export { DUPLICATE_COPIES, REORDER_BATCH } from './notifications/notifier.js';
export { SANDBOX_PAYMENT_PASSWORD, type SandboxMember } from './state/members.js';
export { SMS_VALIDITY_MS, type SmsMessage } from './state/sms.js';

/** The in-memory state, for tests and the demo to look at. */
export interface SandboxState {
  readonly members: MemberStore;
  readonly orders: OrderBook;
  readonly refunds: RefundBook;
  readonly sms: SmsOutbox;
  readonly notifications: Notifier;
}

export interface ListeningSandbox {
  /** `http://host:port`, the origin the sandbox answers on. */
  readonly url: string;
  close(): Promise<void>;
}

export interface Sandbox {
  readonly app: express.Express;
  readonly sysid: string;
  readonly state: SandboxState;
  /** The fault injector: only when created with `faults: true` (tests only; see the README's "Fault mode"). */
  readonly faults: FaultInjector | undefined;
  /** What the sandbox knows about an order (read-only), e.g. whether it was really paid; undefined if it never existed. */
  orderState(bizOrderNo: string): OrderTruth | undefined;
  /** What the sandbox knows about a refund order (read-only); undefined if there is no refund of that bizOrderNo. */
  refundState(bizOrderNo: string): RefundTruth | undefined;
  /** Every order that reached success, in creation order. */
  settledOrders(): OrderTruth[];
  /** Listens on `host:port` (port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<ListeningSandbox>;
  /** Stops notification retries and pending timers (servers from `listen` close with their own `close`). */
  close(): void;
}

/**
 * The error of a channel refund's failure notification. The spec names no code for a refund the channel refused: 9300
 * 外部错误 (the channel, outside YunST, refused it) is the closest; the message is the channel's reason.
 */
const REFUND_FAILED = (message: string) => ({ errorCode: '9300', message });

function urlOf(server: Server): string {
  const { address, port } = server.address() as AddressInfo;
  const host = address === '0.0.0.0' || address === '::' ? '127.0.0.1' : address.includes(':') ? `[${address}]` : address;
  return `http://${host}:${port}`;
}

/**
 * A strict local stand-in for the YunST test environment: /service/soa (MemberService, OrderService), the gateway and
 * password front pages, simulated wallet and POS pages, an SMS inbox and order notifications with the platform's retry
 * schedule. State lives in memory.
 */
export function createSandbox(options: SandboxOptions): Sandbox {
  const config: SandboxConfig = resolveConfig(options);
  const timers = new TimerSet();
  const orders = new OrderBook(config.clock);
  const faults = config.faults ? new FaultInjector() : undefined;
  const notifier = new Notifier(config, timers, faults);
  const members = new MemberStore(config.initialBalance);
  const refunds = new RefundBook(config.clock, members, (refund, now) => refundChannelDetails(orders.get(refund.oriBizOrderNo)!, now));
  const ctx: SandboxContext = {
    config,
    members,
    orders,
    refunds,
    sms: new SmsOutbox(),
    sessions: new CashierSessions(),
    notifier,
    timers,
    ...(faults && { faults }),
    now: config.clock,
  };
  // Consumption and collection orders are notified on success only (spec §3.7).
  orders.onSuccess((order) => notifier.send(order.bizOrderNo, order.backUrl, orderResultRps(order)));
  // Refunds (§3.7, §4.2.16): notified on success; a refund along the channel also on failure (status error); a failed
  // refund to the balance was answered in real time and is not notified. Without backUrl, never ("如果不填,则不通知").
  refunds.onSettled((refund) => {
    if (!refund.backUrl) return;
    if (refund.state === 'success') notifier.send(refund.bizOrderNo, refund.backUrl, refundResultRps(refund));
    else if (refund.whereabouts === 2) notifier.send(refund.bizOrderNo, refund.backUrl, refundResultRps(refund, REFUND_FAILED(refund.errorMessage!)));
  });
  // A manual clock moved past a pending refund's settleAt (or an order's expiry) applies it at once, as real time would.
  const stopWatchingClock = onClockChange(config.clock, () => {
    orders.all();
    refunds.all();
  });

  let listeningUrl: string | undefined;
  const app = createApp(ctx, (req) => config.publicBaseUrl ?? listeningUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const close = () => {
    stopWatchingClock?.();
    notifier.close();
    timers.close();
  };

  return {
    app,
    sysid: config.sysid,
    state: { members, orders, refunds, sms: ctx.sms, notifications: notifier },
    faults,
    orderState(bizOrderNo) {
      const order = orders.get(bizOrderNo);
      return order && orderTruth(order, refunds.refundedAmount(bizOrderNo));
    },
    refundState(bizOrderNo) {
      const refund = refunds.get(bizOrderNo);
      return refund && refundTruth(refund);
    },
    settledOrders: () =>
      orders
        .all()
        .filter((order) => order.state === 'success')
        .map((order) => orderTruth(order, refunds.refundedAmount(order.bizOrderNo))),
    close,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        const server = app.listen(port, host);
        server.once('error', reject);
        server.once('listening', () => {
          const url = urlOf(server);
          listeningUrl ??= url;
          resolve({
            url,
            close: () =>
              new Promise<void>((done) => {
                close();
                server.close(() => done());
                server.closeAllConnections();
              }),
          });
        });
      });
    },
  };
}
