import type { BffConfig } from '../config/config.js';
import type { Store } from '../store/types.js';
import type { YunstClient, MerchantKey, PlatformKey } from '@tsy/yunst';
import type { CheckoutHooks } from './hooks.js';

/** A log line. Callers never put secrets, SMS codes or card numbers in `fields`. */
export type Log = (level: 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>) => void;

/** What the checkout services share; built once by createCheckout. */
export interface CheckoutContext {
  readonly config: BffConfig;
  readonly store: Store;
  readonly yunst: YunstClient;
  readonly merchantKey: MerchantKey;
  readonly platformKey: PlatformKey;
  readonly hooks: CheckoutHooks;
  readonly clock: () => Date;
  readonly log: Log;
  /**
   * Called once the store committed event rows of these payments: wakes what waits for them in this process (event
   * delivery, the payments' streams). Other processes learn of them from the store's change watch or their own sweep.
   */
  readonly eventsWritten: (bizOrderNos: readonly string[]) => void;
}

/** The URLs the platform and the payer's browser come back to. */
export function callbackUrls(config: BffConfig): { backUrl: string; frontUrl: string; resultUrl: string } {
  const base = config.publicBaseUrl.replace(/\/+$/, '') + config.basePath;
  return {
    backUrl: `${base}/yunst/notify`,
    frontUrl: `${base}/yunst/return`,
    resultUrl: config.resultUrl ?? `${config.publicBaseUrl.replace(/\/+$/, '')}/checkout/result`,
  };
}

/**
 * Where a `redirect` action may send the payer: the configured hosts, and in sandbox mode the host of the sandbox's pages
 * (its public URL, where its `mweb_url` points) — not the address the BFF calls it on, which may be another name for the
 * same machine (`127.0.0.1` behind a public `localhost` or LAN address).
 */
export function redirectHosts(config: BffConfig): string[] {
  const hosts = new Set(config.redirectHosts.map((host) => host.toLowerCase()));
  if (config.environment === 'sandbox') hosts.add(new URL(config.yunstEndpoints.gatewayUrl).host.toLowerCase());
  return [...hosts];
}
