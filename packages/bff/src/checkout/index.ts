import { loadMerchantKey, loadPlatformKey, createYunstClient } from '@tsy/yunst';
import { parseBffConfig, type BffConfig, type BffConfigInput } from '../config/config.js';
import { createStore } from '../store/create-store.js';
import type { Store } from '../store/types.js';
import type { CheckoutContext, Log } from './context.js';
import { EventDelivery } from './event-delivery.js';
import type { CheckoutHooks } from './hooks.js';
import { PaymentCreation } from './create-payment.js';
import { PaymentChanges, type LiveStatusStats } from './payment-changes.js';
import { Members } from './members.js';
import { Notifications } from './notifications.js';
import { OrderDescriptions } from './order-description.js';
import { PaymentSteps } from './payment-steps.js';
import { checkRequiredHooks } from './payer.js';
import { PaymentViews } from './payment-view.js';
import { RateLimits } from './rate-limits.js';
import { Reconciler } from './reconciliation.js';
import { Refunds } from './refunds.js';
import { WatchedPaymentChecks, type WatchedPaymentChecksStats } from './watched-payment-checks.js';

export interface CheckoutOptions {
  /** Defaults to the configured `store` (store/create-store.ts): SQLite at `<dataDir>/tsy-checkout.sqlite` when none is set. */
  readonly store?: Store;
  readonly clock?: () => Date;
  readonly log?: Log;
  /** Start the reconciliation and event-delivery loops (default true). */
  readonly background?: boolean;
}

/** The checkout services, wired once: keys are loaded here and reused for every signature. */
export interface Checkout {
  readonly config: BffConfig;
  readonly context: CheckoutContext;
  /** `GET /orders/:id`: the order, its methods, the attempt to resume. */
  readonly orders: OrderDescriptions;
  /** `POST /orders/:id/payments`. */
  readonly payments: PaymentCreation;
  /** Confirm, resend, front-page forms. */
  readonly steps: PaymentSteps;
  /** What the API shows of a payment. */
  readonly views: PaymentViews;
  /** Payers as platform members, phone binding. */
  readonly members: Members;
  /** The rate limits and lockouts (counters in the store). */
  readonly limits: RateLimits;
  readonly notifications: Notifications;
  /** Refunds (spec §4.2.16), for the merchant's server: `refund`, `list`, `refundFlagged`. */
  readonly refunds: Refunds;
  readonly reconciler: Reconciler;
  readonly delivery: EventDelivery;
  /** The change feed the payment event streams watch payments through (one per instance). */
  readonly changes: PaymentChanges;
  /** What the live status of this instance holds (streams, watched payments): for monitoring and benchmarks. */
  readonly liveStatus: { stats(): LiveStatusStats & WatchedPaymentChecksStats };
  close(): Promise<void>;
}

/** JSON lines: info to stdout, the rest to stderr. */
export const defaultLog: Log = (level, message, fields) => {
  const line = JSON.stringify({ level, message, ...fields, at: new Date().toISOString() });
  if (level === 'info') console.log(line);
  else console.error(line);
};

/** Throws (before anything starts) on a configuration it cannot use, or without the hooks it needs (`resolveOrder`, `resolvePayer`). */
export function createCheckout(configInput: BffConfig | BffConfigInput, hooks: CheckoutHooks, options: CheckoutOptions = {}): Checkout {
  checkRequiredHooks(hooks);
  const config = 'yunstEndpoints' in configInput ? (configInput as BffConfig) : parseBffConfig(configInput);
  const merchantKey =
    'pfxFile' in config.merchantKey ? loadMerchantKey(config.merchantKey.pfxFile, config.merchantKey.password) : loadMerchantKey(config.merchantKey.pemFile, config.merchantKey.passphrase);
  const platformKey = loadPlatformKey(config.platformCertFile);
  const clock = options.clock ?? (() => new Date());
  const log = options.log ?? defaultLog;
  const store = options.store ?? createStore(config, { clock, log });
  let delivery: EventDelivery | undefined;
  let changes: PaymentChanges | undefined;
  const context: CheckoutContext = {
    config,
    store,
    yunst: createYunstClient({ sysid: config.sysid, merchantKey, platformKey, soaUrl: config.yunstEndpoints.soaUrl, timeoutMs: config.timeoutMs, clock }),
    merchantKey,
    platformKey,
    hooks,
    clock,
    log,
    eventsWritten: (bizOrderNos) => {
      delivery?.wake();
      changes?.eventsWritten(bizOrderNos);
    },
  };
  const reconciler = new Reconciler(context);
  const limits = new RateLimits(context);
  const members = new Members(context, limits);
  const views = new PaymentViews(context, reconciler);
  const orders = new OrderDescriptions(context, views, reconciler);
  const payments = new PaymentCreation(context, members, views, limits);
  const steps = new PaymentSteps(context, views, limits);
  const notifications = new Notifications(context, reconciler);
  const refunds = new Refunds(context);
  delivery = new EventDelivery(context);
  changes = new PaymentChanges(context);
  const watchedChecks = new WatchedPaymentChecks(context, reconciler, changes);
  changes.runWhileWatching(watchedChecks);
  const watchingStore = changes.start();
  if (options.background !== false) {
    reconciler.start();
    delivery.start();
  }
  return {
    config,
    context,
    orders,
    payments,
    steps,
    views,
    members,
    limits,
    notifications,
    refunds,
    reconciler,
    delivery,
    changes,
    liveStatus: { stats: () => ({ ...changes!.stats(), ...watchedChecks.stats() }) },
    async close() {
      await watchingStore;
      await changes!.stop();
      await watchedChecks.settled();
      await reconciler.stop();
      await delivery!.stop();
      await store.close();
    },
  };
}
