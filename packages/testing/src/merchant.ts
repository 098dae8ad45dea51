import { createCheckoutRouter, type BffConfigInput, type CheckoutHooks, type CheckoutOptions, type CheckoutRouter, type PaymentEvent, type ResolvedOrder } from '@tsy/bff';
import express from 'express';
import { createServer, type RequestListener, type Server } from 'node:http';
import { TEST_SYSID, testKeySet, type MerchantKeys } from './keys.js';
import { closeServer, listen, urlOf } from './listen.js';

/** Reconciliation at test speed: a payment is checked from its first moment, every 0.2 s, and on every status read. */
export const FAST_RECONCILIATION = { afterSeconds: 0, intervalSeconds: 0.2, onDemandSeconds: 0, unknownOrderGraceSeconds: 0 } as const;
/** Reconciliation that never runs by itself: a test sees what the notifications alone do. */
export const NO_RECONCILIATION = { afterSeconds: 3600, intervalSeconds: 3600, onDemandSeconds: 3600 } as const;

/** How a test names the payer of a request: the `x-test-payer` header (API tests) or the `tsy_payer` cookie (a browser). */
export const TEST_PAYER_HEADER = 'x-test-payer';
export const TEST_PAYER_COOKIE = 'tsy_payer';

export interface SandboxCheckoutConfigOptions {
  /** The sandbox as the payer's browser reaches it (wallet pages, front pages). */
  readonly sandboxUrl: string;
  /** The sandbox's `/service/soa` as the BFF reaches it; default `<sandboxUrl>/service/soa`. */
  readonly soaUrl?: string;
  /** Where the platform reaches the merchant (`/yunst/notify`, `/yunst/return`). */
  readonly publicBaseUrl: string;
  /** The BFF's SQLite database lives here. */
  readonly dataDir: string;
  /** Default: the process's shared `testKeySet()`. */
  readonly keys?: MerchantKeys;
  readonly sysid?: string;
  /** Default: the BFF's own (SCAN_WEIXIN). */
  readonly methods?: BffConfigInput['methods'];
  /** Default: the BFF's own timings. */
  readonly reconciliation?: BffConfigInput['reconciliation'];
  /** Anything else of the BFF's configuration; applied last. */
  readonly config?: Partial<BffConfigInput>;
}

/**
 * The limits of a merchant whose payers all come from one address (a test run, a local demo): the per-IP count of phone
 * codes (10 an hour by default) would stop the eleventh payer that binds a phone. The other limits stay the BFF's
 * defaults, which such a run fits; a test of the limits themselves sets its own `config.limits`.
 */
export const ONE_ADDRESS_LIMITS: NonNullable<BffConfigInput['limits']> = { phoneCodes: { perIp: { count: 1000 } } };

/**
 * The limits of a run that creates hundreds of payments for a few payers from one address on purpose (fault runs, crash
 * rounds, load): payment creation unlimited, the rest as ONE_ADDRESS_LIMITS.
 */
export const FLOOD_LIMITS: NonNullable<BffConfigInput['limits']> = {
  ...ONE_ADDRESS_LIMITS,
  paymentCreation: { perIp: { count: 1_000_000 }, perPayer: { count: 1_000_000 } },
  openStreamsPerClient: 1000,
};

/** The BFF's configuration for a merchant of the sandbox, keys and URLs filled in. */
export function sandboxCheckoutConfig(options: SandboxCheckoutConfigOptions): BffConfigInput {
  const keys = options.keys ?? testKeySet();
  return {
    sysid: options.sysid ?? TEST_SYSID,
    merchantKey: { pfxFile: keys.merchantPfx, password: keys.password },
    platformCertFile: keys.platformCer,
    environment: 'sandbox',
    sandboxUrl: options.sandboxUrl,
    ...(options.soaUrl ? { endpoints: { soaUrl: options.soaUrl } } : {}),
    publicBaseUrl: options.publicBaseUrl,
    dataDir: options.dataDir,
    ...(options.methods ? { methods: options.methods } : {}),
    ...(options.reconciliation ? { reconciliation: options.reconciliation } : {}),
    limits: ONE_ADDRESS_LIMITS,
    ...options.config,
  };
}

export interface TestMerchantOptions extends Omit<SandboxCheckoutConfigOptions, 'publicBaseUrl'> {
  /** Default: the merchant server's own URL. */
  readonly publicBaseUrl?: string;
  /**
   * The merchant's hooks, each replacing the test one: orders from `orders` (to every request), the payer from
   * `x-test-payer` or the `tsy_payer` cookie — or, when a request about an order names none, that order's payer — events
   * recorded in `events` (once per id) and `deliveries`.
   */
  readonly hooks?: Partial<CheckoutHooks>;
  readonly clock?: CheckoutOptions['clock'];
  /** Default: silent. */
  readonly log?: CheckoutOptions['log'];
  /** The merchant's app around the router (its own routes before or after it); default an Express app with the router alone. */
  readonly app?: (router: CheckoutRouter) => RequestListener;
  /** A server to answer on (listening already, or listened on here): a restart keeps its port. Default: a new one. */
  readonly server?: Server;
  /** Where a new or idle `server` listens; default 0 (any free port) on 127.0.0.1. */
  readonly port?: number;
  readonly host?: string;
}

export interface RunningMerchant {
  /** The merchant server on this machine. */
  readonly url: string;
  readonly server: Server;
  readonly router: CheckoutRouter;
  readonly orders: Map<string, ResolvedOrder>;
  /** Payment events, once per event id (the hook is at-least-once). */
  readonly events: PaymentEvent[];
  /** Calls of onPaymentEvent, including the ones made to fail. */
  readonly deliveries: PaymentEvent[];
  /** Make the next n calls of the test onPaymentEvent throw. */
  failNextDeliveries(n: number): void;
  /** Stops the server taking requests, then the BFF (its loops, streams and database). */
  close(): Promise<void>;
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** A merchant server mounting the BFF's `createCheckoutRouter`, wired to the sandbox. */
export async function startMerchant(options: TestMerchantOptions): Promise<RunningMerchant> {
  const orders = new Map<string, ResolvedOrder>();
  const events: PaymentEvent[] = [];
  const deliveries: PaymentEvent[] = [];
  let failing = 0;
  const hooks: CheckoutHooks = {
    resolveOrder: (merchantOrderId) => orders.get(merchantOrderId),
    resolvePayer: (req, about) => {
      const bizUserId = req.get(TEST_PAYER_HEADER) ?? cookie(req.get('cookie'), TEST_PAYER_COOKIE);
      if (bizUserId) return { bizUserId };
      // A request naming nobody is the order's own payer: this merchant, like its resolveOrder, trusts every request.
      // Naming another payer (header or cookie) makes it another payer's request, which the payment refuses.
      const order = about.merchantOrderId === undefined ? undefined : orders.get(about.merchantOrderId);
      return order && { bizUserId: order.payer.bizUserId };
    },
    onPaymentEvent: (event) => {
      deliveries.push(event);
      if (failing > 0) {
        failing--;
        throw new Error('merchant hook is down');
      }
      if (!events.some((seen) => seen.id === event.id)) events.push(event);
    },
    ...options.hooks,
  };
  const server = options.server ?? createServer();
  const url = server.listening ? urlOf(server) : await listen(server, options.port, options.host);
  let router: CheckoutRouter;
  try {
    router = createCheckoutRouter(sandboxCheckoutConfig({ ...options, publicBaseUrl: options.publicBaseUrl ?? url }), hooks, {
      log: options.log ?? (() => {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });
  } catch (error) {
    if (!options.server) await closeServer(server);
    throw error;
  }
  const app = options.app ? options.app(router) : express().use(router);
  server.removeAllListeners('request');
  server.on('request', app);
  return {
    url,
    server,
    router,
    orders,
    events,
    deliveries,
    failNextDeliveries(n) {
      failing = n;
    },
    async close() {
      await Promise.all([closeServer(server), router.close()]);
    },
  };
}
