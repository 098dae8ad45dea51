import { KEY_SET_FILES, writeKeySet } from '@tsy/yunst';
import { startSandbox } from '@tsy/testing';
import { randomInt } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join, relative, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { createServer as createViteServer, mergeConfig, type ViteDevServer } from 'vite';
import { resetPostgresSchema, redactDatabaseUrl, type BffConfigInput } from '@tsy/bff';
import { startDemoMerchant, type DemoMerchant } from './app.js';
import { servedRootContaining } from './file-guard.js';
import { demoViteConfig, servedFolders } from './vite-config.js';
import { STAFF_PIN } from './staff.js';

/** The sandbox's application number (any digits do; this one is the platform's own sample). */
export const DEMO_SYSID = '1902271423530473681';
/** The PostgreSQL schema of the demo's BFF record (TSY_DATABASE_URL): the only thing a start drops. */
export const DEMO_SCHEMA = 'tsy_demo';

/** Ports: 0 means any free port (the tests use that); `RunningDemo.urls` then tells which. */
export interface DemoSettings {
  readonly demoPort: number;
  readonly bffPort: number;
  readonly sandboxPort: number;
  /** The host name or LAN address others (a phone) use to reach this machine; `localhost` when unset. */
  readonly publicHost: string | undefined;
  /** Where keys, shop orders and the BFF's database live (`TSY_DEMO_DATA_DIR`); `<demoDir>/.data` when unset. */
  readonly dataDir?: string | undefined;
  /** The cashier page's staff PIN (`TSY_DEMO_STAFF_PIN`); made once and kept in `<dataDir>/staff-pin` when unset. */
  readonly staffPin?: string | undefined;
  /** Walk-in members the cashier pays through (`TSY_DEMO_WALKIN_POOL`, default 20: up to 9 counter sales each a day). */
  readonly walkInPoolSize?: number | undefined;
  /** The BFF's store in PostgreSQL (`TSY_DATABASE_URL`) instead of the SQLite file: in the schema `tsy_demo`, made afresh at each start. */
  readonly databaseUrl?: string | undefined;
}

class SettingsError extends Error {}

function port(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0 || value > 65535) throw new SettingsError(`${name}: not a port number: ${text}`);
  return value;
}

export function settingsFrom(env: NodeJS.ProcessEnv): DemoSettings {
  const publicHost = env.TSY_PUBLIC_HOST?.trim() || undefined;
  if (publicHost !== undefined && !/^(\[[0-9a-fA-F:.]+\]|[\w.-]+)$/.test(publicHost)) {
    throw new SettingsError(`TSY_PUBLIC_HOST: not a host name or address: ${publicHost}`);
  }
  const dataDir = env.TSY_DEMO_DATA_DIR?.trim() || undefined;
  const staffPin = env.TSY_DEMO_STAFF_PIN?.trim() || undefined;
  if (staffPin !== undefined && !STAFF_PIN.test(staffPin)) throw new SettingsError('TSY_DEMO_STAFF_PIN: must be 6–12 digits');
  const pool = env.TSY_DEMO_WALKIN_POOL?.trim() || undefined;
  const walkInPoolSize = pool === undefined ? undefined : Number(pool);
  if (walkInPoolSize !== undefined && !(Number.isInteger(walkInPoolSize) && walkInPoolSize >= 1 && walkInPoolSize <= 99)) throw new SettingsError('TSY_DEMO_WALKIN_POOL: must be 1–99');
  const databaseUrl = env.TSY_DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) throw new SettingsError('TSY_DATABASE_URL: must be a postgres:// URL');
  const settings = {
    demoPort: port(env, 'TSY_DEMO_PORT', 5173),
    bffPort: port(env, 'TSY_BFF_PORT', 8787),
    sandboxPort: port(env, 'TSY_SANDBOX_PORT', 8686),
    publicHost,
    dataDir: dataDir === undefined ? undefined : resolve(dataDir),
    ...(staffPin === undefined ? {} : { staffPin }),
    ...(walkInPoolSize === undefined ? {} : { walkInPoolSize }),
    ...(databaseUrl === undefined ? {} : { databaseUrl }),
  };
  const fixed = [settings.demoPort, settings.bffPort, settings.sandboxPort].filter((value) => value !== 0);
  if (new Set(fixed).size < fixed.length) {
    throw new SettingsError('TSY_DEMO_PORT, TSY_BFF_PORT and TSY_SANDBOX_PORT must be three different ports');
  }
  return settings;
}

/** The demo's key set in `dir`, generated on first start. A partial set is an error, never overwritten. */
function ensureKeys(dir: string, say: (line: string) => void): { merchantPfx: string; password: string; platformCer: string; merchantCer: string; platformKey: string } {
  const files = Object.values(KEY_SET_FILES).map((name) => join(dir, name));
  const missing = files.filter((file) => !existsSync(file));
  if (missing.length === files.length) {
    writeKeySet(dir);
    say(`Created a new test key set in ${dir}`);
  } else if (missing.length > 0) {
    throw new SettingsError(`${dir} holds an incomplete key set (missing ${missing.map((file) => relative(dir, file)).join(', ')}); delete the folder to start afresh`);
  }
  return {
    merchantPfx: join(dir, KEY_SET_FILES.merchantPfx),
    password: readFileSync(join(dir, KEY_SET_FILES.merchantPfxPassword), 'utf8'),
    platformCer: join(dir, KEY_SET_FILES.platformCer),
    merchantCer: join(dir, KEY_SET_FILES.merchantCer),
    platformKey: join(dir, KEY_SET_FILES.platformKey),
  };
}

/** The staff PIN: the configured one, else one made on first start and kept with the data (readable by its owner only). */
function ensureStaffPin(dataDir: string, configured: string | undefined, say: (line: string) => void): string {
  if (configured) return configured;
  const file = join(dataDir, 'staff-pin');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const pin = String(randomInt(1_000_000)).padStart(6, '0');
  writeFileSync(file, `${pin}\n`, { mode: 0o600 });
  say(`Created a cashier staff PIN in ${file}`);
  return pin;
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

/**
 * A port free right now on `host`, for a port 0 that must be known before its server starts: the sandbox's public URL,
 * and Vite (which reads port 0 as "its default, 5173").
 */
async function freePort(host: string): Promise<number> {
  const probe = createServer();
  await listen(probe, 0, host);
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const closeServer = (server: Server): Promise<void> =>
  new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });

export interface RunningDemo {
  readonly urls: { readonly demo: string; readonly merchant: string; readonly sandbox: string; readonly smsInbox: string };
  /** Where the keys, the shop's orders and the BFF's database are (absolute). */
  readonly dataDir: string;
  close(): Promise<void>;
}

/** Options of `startDemo` beyond the settings (tests use them). */
export interface StartDemoOptions {
  /** Where keys, shop orders and the BFF's database live, before `settings.dataDir`; `<demoDir>/.data` by default. */
  readonly dataDir?: string;
  /** The cashier's staff PIN, before `settings.staffPin` (tests). */
  readonly staffPin?: string;
  /** How long a pending code payment (…0000) waits for the payer in the sandbox (tests shorten it). */
  readonly codePayPendingMs?: number;
  /** Speeds up the sandbox's notification schedule (1 = the platform's: the first notification 5 s after paying). */
  readonly notificationTimeScale?: number;
  /** The methods the shop offers (default DEMO_METHODS; DEMO_PASSWORD_METHODS: the balance on the password page). */
  readonly methods?: BffConfigInput['methods'];
  /** One clock for the sandbox and the BFF, which tests move forward (an SMS code's validity); default the real one. */
  readonly clock?: () => Date;
}

/**
 * Starts the whole demo in this process: the YunST sandbox, the demo merchant (shop routes + checkout BFF) and Vite's
 * dev server for the shop's pages, which proxies `/api` and `/yunst` to the merchant. A port of 0 takes any free port;
 * the returned URLs are the real ones.
 */
export async function startDemo(demoDir: string, settings: DemoSettings, say: (line: string) => void = console.log, options: StartDemoOptions = {}): Promise<RunningDemo> {
  const dataDir = resolve(options.dataDir ?? settings.dataDir ?? join(demoDir, '.data'));
  // Checked before a key is written: inside a folder the dev server serves, anyone who can reach the demo could download
  // the merchant's key and its password, and the sandbox's signing key (and sign a notification the BFF accepts).
  const served = servedRootContaining(dataDir, servedFolders(demoDir));
  if (served !== undefined) {
    throw new SettingsError(`the data folder ${dataDir} lies inside ${served}, which the demo's web server serves; choose a folder outside it (TSY_DEMO_DATA_DIR)`);
  }
  const keys = ensureKeys(join(dataDir, 'keys'), say);
  const staffPin = ensureStaffPin(dataDir, options.staffPin ?? settings.staffPin, say);
  const host = settings.publicHost ?? 'localhost';
  // Without TSY_PUBLIC_HOST nothing listens beyond this machine.
  const bindHost = settings.publicHost ? '0.0.0.0' : '127.0.0.1';
  const urlOf = (port: number) => `http://${host}:${port}`;

  // The sandbox keeps its members and orders in memory, so each start is a fresh platform; the BFF's record of that
  // platform (members with bound phones, payments) starts afresh with it. The shop's own orders (shop.json) are kept.
  for (const suffix of ['', '-wal', '-shm']) rmSync(join(dataDir, 'bff', `tsy-checkout.sqlite${suffix}`), { force: true });
  // In PostgreSQL the demo's record is a schema of its own, made afresh: a database that also holds a shop's tables (the
  // same TSY_DATABASE_URL a production tsy-bff reads) loses nothing outside it.
  const databaseUrl = settings.databaseUrl ? await resetPostgresSchema(settings.databaseUrl, DEMO_SCHEMA) : undefined;
  if (settings.databaseUrl) say(`The BFF keeps its records in PostgreSQL (${redactDatabaseUrl(settings.databaseUrl)}), in the schema ${DEMO_SCHEMA}, made afresh`);

  const stops: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const stop of stops.splice(0).reverse()) {
      await stop().catch((error: unknown) => say(`while stopping: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  try {
    // The sandbox's pages (wallet, SMS inbox) link to themselves, so its public URL, port included, comes first.
    const sandboxPort = settings.sandboxPort || (await freePort(bindHost));
    const sandboxUrl = urlOf(sandboxPort);
    const sandbox = await startSandbox({
      keys,
      sysid: DEMO_SYSID,
      port: sandboxPort,
      host: bindHost,
      publicBaseUrl: sandboxUrl,
      merchantName: '通商云演示小铺 tsy demo shop',
      // The platform's own schedule (the first notification 5 s after paying) unless a test speeds it up.
      notificationTimeScale: options.notificationTimeScale ?? 1,
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.codePayPendingMs === undefined ? {} : { codePayPendingMs: options.codePayPendingMs }),
      log: (line) => say(`[sandbox] ${line}`),
    }).catch((error: unknown) => {
      throw portError(error, 'sandbox', 'TSY_SANDBOX_PORT');
    });
    stops.push(() => sandbox.close());

    // The merchant's server listens first (its app comes once every URL is known: it names the demo's result page). On
    // the way out the server stops taking requests before the app closes its database (stops run in reverse).
    let merchant: DemoMerchant | undefined;
    stops.push(async () => merchant?.close());
    const merchantServer = createServer();
    await listen(merchantServer, settings.bffPort, bindHost).catch((error: unknown) => {
      throw portError(error, 'merchant server', 'TSY_BFF_PORT');
    });
    stops.push(() => closeServer(merchantServer));
    const bffPort = (merchantServer.address() as AddressInfo).port;
    const merchantUrl = urlOf(bffPort);

    const target = `http://127.0.0.1:${bffPort}`;
    const demoPort = settings.demoPort || (await freePort(settings.publicHost ? '0.0.0.0' : 'localhost'));
    const vite: ViteDevServer = await createViteServer(
      mergeConfig(demoViteConfig(demoDir, { formActionOrigins: [sandboxUrl] }), {
        server: {
          port: demoPort,
          strictPort: true,
          host: settings.publicHost ? '0.0.0.0' : 'localhost',
          ...(settings.publicHost ? { allowedHosts: [settings.publicHost] } : {}),
          // http-proxy streams responses as they come, so the checkout's Server-Sent Events pass through unbuffered.
          // xfwd: X-Forwarded-For names the shopper's address (the merchant trusts the loopback proxy).
          proxy: {
            '/api': { target, xfwd: true },
            '/yunst': { target, xfwd: true },
            // The sandbox's JS bridge emulator (the script, its sheet's CSS and the endpoints it calls), on the page's own
            // origin so the policy stays script-src 'self'. Only it: the wallet pages and the SMS inbox stay on the sandbox.
            '/sandbox/jsbridge': { target: `http://127.0.0.1:${sandboxPort}`, xfwd: true },
          },
        },
      }),
    );
    stops.push(() => vite.close());
    await vite.listen().catch((error: unknown) => {
      throw portError(error, 'demo (Vite)', 'TSY_DEMO_PORT');
    });
    const demoUrl = urlOf((vite.httpServer!.address() as AddressInfo).port);

    merchant = await startDemoMerchant({
      server: merchantServer,
      dataDir,
      sysid: DEMO_SYSID,
      keys,
      sandboxUrl,
      sandboxSoaUrl: sandbox.soaUrl,
      // The platform reaches /yunst through the shop's own origin (Vite proxies it), as on a real site: the payer's browser
      // comes back from a front page to the same origin as the result page it is then sent on to. (A page's form-action
      // also governs the redirects after its post, so a return on another origin than the result page would be refused.)
      publicBaseUrl: demoUrl,
      resultUrl: `${demoUrl}/checkout/result`,
      // The shop's pages are Vite's: their calls to the checkout come from this origin only (CSRF). With TSY_PUBLIC_HOST,
      // this machine's own browser may still open the shop as localhost.
      shopOrigins: [...new Set([demoUrl, `http://localhost:${new URL(demoUrl).port}`])],
      staffPin,
      ...(settings.walkInPoolSize === undefined ? {} : { walkInPoolSize: settings.walkInPoolSize }),
      ...(databaseUrl ? { databaseUrl } : {}),
      log: say,
      ...(options.methods ? { methods: options.methods } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
    });

    return { urls: { demo: demoUrl, merchant: merchantUrl, sandbox: sandboxUrl, smsInbox: `${sandboxUrl}/sandbox/sms` }, dataDir, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function portError(error: unknown, what: string, variable: string): Error {
  const code = (error as { code?: string }).code;
  if (code === 'EADDRINUSE' || /already in use/i.test(String((error as Error).message))) {
    return new SettingsError(`${what}: the port is already in use — stop whatever uses it or set ${variable}`);
  }
  return error instanceof Error ? error : new Error(String(error));
}

/** `npm start`: runs the demo until Ctrl-C (SIGINT) or SIGTERM, then stops everything. */
export async function main(demoDir: string, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  let demo: RunningDemo;
  try {
    demo = await startDemo(demoDir, settingsFrom(env));
  } catch (error) {
    console.error(`tsy demo: ${error instanceof Error && error instanceof SettingsError ? error.message : error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const { urls } = demo;
  console.log(
    [
      '',
      'tsy-checkout demo is running (YunST sandbox, all local):',
      `  Demo shop     ${urls.demo}/`,
      `  Style guide   ${urls.demo}/styleguide.html`,
      `  Cashier       ${urls.demo}/cashier.html   (staff PIN: TSY_DEMO_STAFF_PIN, or ${join(demo.dataDir, 'staff-pin')})`,
      `  Pay codes     ${urls.sandbox}/sandbox/payment-codes   (payment codes to scan at the cashier)`,
      `  SMS inbox     ${urls.smsInbox}   (verification codes for binding a phone)`,
      `  Sandbox       ${urls.sandbox}/`,
      `  Merchant API  ${urls.merchant}/api/shop/products   (the BFF: ${urls.merchant}/api/checkout/…)`,
      `  Data          ${demo.dataDir}   (test keys, shop orders, the BFF's database; served by none of the above)`,
      ...(env.TSY_PUBLIC_HOST ? [] : ['  Phones on your LAN: set TSY_PUBLIC_HOST to this machine\'s LAN address to open wallet pages from a phone.']),
      'Press Ctrl-C to stop.',
      '',
    ].join('\n'),
  );
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the demo…`);
    // Should something hang, do not keep the terminal.
    const force = setTimeout(() => {
      console.error('tsy demo: did not stop within 5 s; exiting');
      process.exit(1);
    }, 5000);
    force.unref();
    void demo.close().then(() => {
      console.log('stopped.');
      process.exit(0);
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
