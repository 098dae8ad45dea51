/**
 * `tsy-bff`: the checkout BFF as a standalone server. Configuration from `TSY_CONFIG` (a JSON file) and `TSY_*` variables;
 * the merchant's hooks from the module named by `hooksModule`. Port: `TSY_BFF_PORT` (default 8787).
 */
import express from 'express';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { resolve } from 'node:path';
import type { CheckoutHooks } from '../checkout/hooks.js';
import { defaultLog } from '../checkout/index.js';
import { createStore } from '../store/create-store.js';
import { PostgresStore } from '../store/postgres/postgres-store.js';
import { ConfigError, loadBffConfig } from '../config/config.js';
import { createCheckoutRouter, ownAnswerHeaders } from '../http/router.js';

export async function main(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let config;
  try {
    config = loadBffConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return 1;
    }
    throw error;
  }
  if (!config.hooksModule) {
    console.error('invalid tsy-bff configuration:\n  - hooksModule: required for the standalone server (the module exporting resolveOrder and resolvePayer)');
    return 1;
  }
  const module = (await import(pathToFileURL(resolve(config.hooksModule)).href)) as { default?: CheckoutHooks; hooks?: CheckoutHooks };
  const hooks = module.hooks ?? module.default;
  if (!hooks || typeof hooks.resolveOrder !== 'function') {
    console.error(`${config.hooksModule}: exports no CheckoutHooks (default export or \`hooks\` with resolveOrder and resolvePayer)`);
    return 1;
  }
  if (typeof hooks.resolvePayer !== 'function') {
    console.error(`${config.hooksModule}: its CheckoutHooks have no resolvePayer (required: who the payer of a request is, from the shop's session; a payment answers only that payer)`);
    return 1;
  }
  const app = express();
  // The standalone server is the whole app, so every answer gets the router's headers (a 404 of an unknown path too).
  app.use(ownAnswerHeaders);
  app.set('trust proxy', config.trustProxy);
  const store = createStore(config, { log: defaultLog });
  if (store instanceof PostgresStore) {
    // Before listening: a database that cannot be reached or migrated is a failed start, not a server answering 500.
    // createStore has logged why (the URL without its password).
    try {
      await store.ready;
    } catch {
      await store.close().catch(() => undefined);
      return 1;
    }
  }
  const router = createCheckoutRouter(config, hooks, { store });
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
