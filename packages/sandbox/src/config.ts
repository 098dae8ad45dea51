import { loadMerchantKey, loadPlatformKey, type MerchantKey, type PlatformKey } from '@tsy/yunst';
import { systemClock, type Clock } from './clock.js';

export interface SandboxOptions {
  /** The application's system number; requests with any other `sysid` get 20000 应用不存在. */
  readonly sysid: string;
  /** The merchant certificate (or bare PEM public key) that request signatures are verified with. */
  readonly merchantCertFile?: string;
  /** …or the merchant's public key itself. */
  readonly merchantPublicKey?: PlatformKey;
  /** The platform private key (PEM, e.g. `platform.key` from `tsy-yunst keys`) the sandbox signs answers with. */
  readonly platformKeyFile?: string;
  /** …or the platform private key itself. */
  readonly platformPrivateKey?: MerchantKey;
  /**
   * The origin wallet links and QR codes point at, e.g. `http://192.168.1.20:8686` so a phone on the LAN can open them.
   * Defaults to the address `listen()` bound, or the request's own origin when the app is mounted elsewhere.
   */
  readonly publicBaseUrl?: string;
  /** Shown as the payee on the simulated wallet and cashier pages; defaults to the sysid. */
  readonly merchantName?: string;
  readonly clock?: Clock;
  /** Multiplies the notification retry schedule (5 s, 10 min, 1 h, 6 h); 1 = real time. */
  readonly notificationTimeScale?: number;
  /** Orders a member may place as payer per CST day and order type (spec §4.2.1 note 5); `false` disables. Default 10. */
  readonly dailyOrderLimit?: number | false;
  /** Every member's simulated account balance at creation, in fen (BALANCE payments draw on it). */
  readonly initialBalance?: number;
  /** How long a `pending` code payment (authcode ending 0000) stays in progress before it succeeds. */
  readonly codePayPendingMs?: number;
  /** How long a D0 refund along the original channel stays pending (99) before the channel answers. Default 5000. */
  readonly refundD0Ms?: number;
  /**
   * Every `/service/soa` answer leaves no sooner than this many milliseconds after its request arrived (default 0): a
   * fixed upstream latency, so a benchmark of the BFF measures the BFF's own time on top of it. The answer is worked out
   * at once (the order exists before the wait ends); only sending it waits.
   */
  readonly answerDelayMs?: number;
  /** Receives one line per request and event; never SMS codes, card numbers or keys. */
  readonly log?: (line: string) => void;
  /**
   * Fault mode, for tests only (default false): `sandbox.faults` and `/sandbox/faults` inject seeded faults into answers
   * and notifications. Off, neither exists and no fault can fire.
   */
  readonly faults?: boolean;
}

export interface SandboxConfig {
  readonly sysid: string;
  /** Verifies merchant request signatures (the merchant certificate's public key). */
  readonly merchantVerifyKey: PlatformKey;
  /** Signs answers, notifications and page returns; decrypts `bankCardNo` (the platform private key). */
  readonly platformSigningKey: MerchantKey;
  readonly publicBaseUrl: string | undefined;
  readonly merchantName: string;
  readonly clock: Clock;
  readonly notificationTimeScale: number;
  readonly dailyOrderLimit: number | false;
  readonly initialBalance: number;
  readonly codePayPendingMs: number;
  readonly refundD0Ms: number;
  readonly answerDelayMs: number;
  readonly log: (line: string) => void;
  readonly faults: boolean;
}

/** 100,000 yuan: enough for any demo, small enough that a test can exceed it on purpose. */
const DEFAULT_BALANCE = 10_000_000;

function exactlyOne<T>(value: T | undefined, file: string | undefined, load: (file: string) => T, what: string): T {
  if ((value === undefined) === (file === undefined)) throw new TypeError(`createSandbox: give exactly one of ${what}`);
  return value ?? load(file!);
}

export function resolveConfig(options: SandboxOptions): SandboxConfig {
  if (!options.sysid) throw new TypeError('createSandbox: sysid is required');
  const scale = options.notificationTimeScale ?? 1;
  if (!(scale > 0)) throw new TypeError('createSandbox: notificationTimeScale must be a positive number');
  const limit = options.dailyOrderLimit ?? 10;
  if (limit !== false && !(Number.isInteger(limit) && limit > 0)) throw new TypeError('createSandbox: dailyOrderLimit must be a positive integer or false');
  const answerDelayMs = options.answerDelayMs ?? 0;
  if (!(Number.isFinite(answerDelayMs) && answerDelayMs >= 0)) throw new TypeError('createSandbox: answerDelayMs must be a non-negative number of milliseconds');
  const refundD0Ms = options.refundD0Ms ?? 5000;
  if (!(Number.isFinite(refundD0Ms) && refundD0Ms >= 0)) throw new TypeError('createSandbox: refundD0Ms must be a non-negative number of milliseconds');
  const balance = options.initialBalance ?? DEFAULT_BALANCE;
  if (!Number.isSafeInteger(balance) || balance < 0) throw new TypeError('createSandbox: initialBalance must be a non-negative integer (fen)');
  let publicBaseUrl: string | undefined;
  if (options.publicBaseUrl !== undefined) {
    const url = new URL(options.publicBaseUrl);
    if (!['http:', 'https:'].includes(url.protocol)) throw new TypeError('createSandbox: publicBaseUrl must be http(s)');
    publicBaseUrl = url.origin;
  }
  return {
    sysid: options.sysid,
    merchantVerifyKey: exactlyOne(options.merchantPublicKey, options.merchantCertFile, loadPlatformKey, 'merchantCertFile / merchantPublicKey'),
    platformSigningKey: exactlyOne(options.platformPrivateKey, options.platformKeyFile, (file) => loadMerchantKey(file), 'platformKeyFile / platformPrivateKey'),
    publicBaseUrl,
    merchantName: options.merchantName ?? options.sysid,
    clock: options.clock ?? systemClock,
    notificationTimeScale: scale,
    dailyOrderLimit: limit,
    initialBalance: balance,
    codePayPendingMs: options.codePayPendingMs ?? 5000,
    refundD0Ms,
    answerDelayMs,
    log: options.log ?? (() => {}),
    faults: options.faults === true,
  };
}
