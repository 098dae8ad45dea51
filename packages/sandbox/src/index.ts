import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type express from 'express';
import { createApp } from './app.js';
import { resolveConfig, type SandboxConfig, type SandboxOptions } from './config.js';
import type { SandboxContext } from './context.js';
import { orderResultRps } from './notifications/order-result.js';
import { Notifier } from './notifications/notifier.js';
import { CashierSessions } from './state/cashier-sessions.js';
import { MemberStore } from './state/members.js';
import { OrderBook } from './state/orders.js';
import { SmsOutbox } from './state/sms.js';
import { TimerSet } from './timers.js';

export type { SandboxOptions, SandboxConfig } from './config.js';
export { createManualClock, systemClock, type Clock, type ManualClock } from './clock.js';
export { NOTIFICATION_SCHEDULE_MS, type NotificationAttempt, type OrderNotification } from './notifications/notifier.js';
export { ORDER_STATUS_OF, type OrderState, type SandboxOrder, type ConfirmStep } from './state/orders.js';
export { SANDBOX_PAYMENT_PASSWORD, type SandboxMember } from './state/members.js';
export { SMS_VALIDITY_MS, type SmsMessage } from './state/sms.js';

/** The in-memory state, for tests and the demo to look at. */
export interface SandboxState {
  readonly members: MemberStore;
  readonly orders: OrderBook;
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
  /** Listens on `host:port` (port 0 picks a free one). */
  listen(port?: number, host?: string): Promise<ListeningSandbox>;
  /** Stops notification retries and pending timers (servers from `listen` close with their own `close`). */
  close(): void;
}

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
  const notifier = new Notifier(config, timers);
  const ctx: SandboxContext = {
    config,
    members: new MemberStore(config.initialBalance),
    orders,
    sms: new SmsOutbox(),
    sessions: new CashierSessions(),
    notifier,
    timers,
    now: config.clock,
  };
  // Consumption and collection orders are notified on success only (spec §3.7).
  orders.onSuccess((order) => notifier.send(order.bizOrderNo, order.backUrl, orderResultRps(order)));

  let listeningUrl: string | undefined;
  const app = createApp(ctx, (req) => config.publicBaseUrl ?? listeningUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  const close = () => {
    notifier.close();
    timers.close();
  };

  return {
    app,
    sysid: config.sysid,
    state: { members: ctx.members, orders, sms: ctx.sms, notifications: notifier },
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
