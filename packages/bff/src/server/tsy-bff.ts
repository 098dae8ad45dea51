/**
 * `tsy-bff`: the checkout BFF as a standalone server. Configuration from `TSY_CONFIG` (a JSON file) and `TSY_*` variables;
 * the merchant's hooks from the module named by `hooksModule`. Port: `TSY_BFF_PORT` (default 8787).
 *
 * `tsy-bff refund-flagged`: refunds every flagged payment (double payments, amount differences) once against the same
 * configuration and store, prints what it did as JSON and exits (1 when a refund failed). Its events reach
 * `onPaymentEvent` through the running servers' delivery, as every event does.
 */
import { KeyFileError } from '@tsy/yunst';
import express from 'express';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { Log } from '../checkout/context.js';
import type { CheckoutHooks } from '../checkout/hooks.js';
import { createCheckout, defaultLog } from '../checkout/index.js';
import { createStore } from '../store/create-store.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { ConfigError, loadBffConfig, type BffConfig } from '../config/config.js';
import type { Store } from '../store/types.js';
import { createCheckoutRouter, ownAnswerHeaders } from '../http/router.js';

const USAGE = 'usage: tsy-bff              start the server\n       tsy-bff refund-flagged   refund every flagged payment once, print the outcome as JSON';

/** The configuration and the merchant's hooks, or undefined once the reason was printed. */
async function loadSetup(env: NodeJS.ProcessEnv): Promise<{ config: BffConfig; hooks: CheckoutHooks } | undefined> {
  let config;
  try {
    config = loadBffConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return undefined;
    }
    throw error;
  }
  if (!config.hooksModule) {
    console.error('invalid tsy-bff configuration:\n  - hooksModule: required for the standalone server (the module exporting resolveOrder and resolvePayer)');
    return undefined;
  }
  const module = (await import(pathToFileURL(resolve(config.hooksModule)).href)) as { default?: CheckoutHooks; hooks?: CheckoutHooks };
  const hooks = module.hooks ?? module.default;
  if (!hooks || typeof hooks.resolveOrder !== 'function') {
    console.error(`${config.hooksModule}: exports no CheckoutHooks (default export or \`hooks\` with resolveOrder and resolvePayer)`);
    return undefined;
  }
  if (typeof hooks.resolvePayer !== 'function') {
    console.error(`${config.hooksModule}: its CheckoutHooks have no resolvePayer (required: who the payer of a request is, from the shop's session; a payment answers only that payer)`);
    return undefined;
  }
  return { config, hooks };
}

/** The configured store, ready; undefined (after closing it) when a PostgreSQL cannot be reached — createStore has said why. */
async function openStore(config: BffConfig, log: Log = defaultLog): Promise<Store | undefined> {
  const store = createStore(config, { log });
  if (store instanceof PostgresStore) {
    try {
      await store.ready;
    } catch {
      await store.close().catch(() => undefined);
      return undefined;
    }
  }
  return store;
}

export async function main(env: NodeJS.ProcessEnv = process.env, args: readonly string[] = []): Promise<number> {
  if (args.length > 1 || (args[0] !== undefined && args[0] !== 'refund-flagged')) {
    console.error(USAGE);
    return 2;
  }
  const setup = await loadSetup(env);
  if (!setup) return 1;
  const { config, hooks } = setup;
  if (args[0] === 'refund-flagged') return refundFlagged(config, hooks);
  const app = express();
  // The standalone server is the whole app, so every answer gets the router's headers (a 404 of an unknown path too).
  app.use(ownAnswerHeaders);
  app.set('trust proxy', config.trustProxy);
  // Before listening: a database that cannot be reached or migrated is a failed start, not a server answering 500.
  const store = await openStore(config);
  if (!store) return 1;
  let router;
  try {
    router = createCheckoutRouter(config, hooks, { store });
  } catch (error) {
    return keysUnusable(error, store);
  }
  app.use(router);
  const port = Number(env.TSY_BFF_PORT ?? 8787);
  const server = app.listen(port, env.TSY_BFF_HOST ?? '0.0.0.0', () => {
    // Port 0 picks a free port: say which one.
    const actual = (server.address() as AddressInfo).port;
    console.log(`tsy-bff listening on http://localhost:${actual} (YunST ${config.environment}: ${config.yunstEndpoints.soaUrl})`);
  });
  const shutdown = () => {
    server.close();
    server.closeAllConnections();
    void router.close();
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
  return 0;
}

/**
 * A key or certificate that cannot be read (a wrong password, a missing file) is a configuration problem, said as one — the
 * file and why, never the password — not a crash with a stack trace.
 */
async function keysUnusable(error: unknown, store: Store): Promise<number> {
  await store.close().catch(() => undefined);
  if (!(error instanceof KeyFileError)) throw error;
  console.error(`invalid tsy-bff configuration:\n  - ${error.message}`);
  return 1;
}

/** The log of a command whose stdout is its outcome (JSON a script reads): every line to stderr. */
const stderrLog: Log = (level, message, fields) => console.error(JSON.stringify({ level, message, ...fields, at: new Date().toISOString() }));

async function refundFlagged(config: BffConfig, hooks: CheckoutHooks): Promise<number> {
  const store = await openStore(config, stderrLog);
  if (!store) return 1;
  // No background work: this process refunds and leaves; the servers deliver the events and reconcile what is pending.
  let checkout;
  try {
    checkout = createCheckout(config, hooks, { store, background: false, log: stderrLog });
  } catch (error) {
    return keysUnusable(error, store);
  }
  try {
    const outcome = await checkout.refunds.refundFlagged();
    console.log(JSON.stringify(outcome, null, 2));
    const summary = `refunded ${outcome.refunded.length}, refunded before ${outcome.alreadyRefunded.length}, nothing left ${outcome.nothingLeft.length}, failed ${outcome.failed.length}`;
    console.error(summary);
    return outcome.failed.length > 0 ? 1 : 0;
  } finally {
    await checkout.close();
  }
}
