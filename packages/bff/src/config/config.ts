import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { endpointsAt, YUNST_ENVIRONMENTS, type YunstEndpoints, consumerIp, limitPay } from '@tsy/yunst';
import { PAYMENT_CODE_WALLETS } from '../checkout/payment-codes.js';

/** Methods a checkout offers, named by their payMethod key without `_ORG` (the config decides the group variant). */
export const CHECKOUT_METHODS = [
  'SCAN_WEIXIN',
  'SCAN_ALIPAY',
  'SCAN_UNIONPAY',
  'WECHATPAY_SCAN_OPEN',
  'WECHAT_PUBLIC',
  'WECHATPAY_PUBLIC_OPEN',
  'ALIPAY_SERVICE',
  'WECHATPAY_H5_OPEN',
  'QQ_WALLET',
  'CODEPAY_VSP',
  'ORDER_VSPPAY',
  'GATEWAY_VSP',
  'ALLINPAY_WALLET_H5',
  'BALANCE',
  'QUICKPAY_VSP',
  'QUICKPAY_TLT',
  'REALNAMEPAY',
  'WECHATPAY_MINIPROGRAM',
  'WECHATPAY_APP_OPEN',
  'ALIPAY_APP_OPEN',
] as const;
export type CheckoutMethod = (typeof CHECKOUT_METHODS)[number];

const urlWithoutHash = z
  .url({ protocol: /^https?$/ })
  .refine((value) => !value.includes('#'), { message: 'must not contain "#": the platform never sends the fragment (spec §3.3)' });

/** Per-method settings; only the fields that method takes (spec §5.2) mean anything for it. */
const methodSettings = z.strictObject({
  enabled: z.boolean().default(true),
  /** VSP group mode: sends the `_ORG` variant with this sub-merchant number. */
  vspCusid: z.string().min(1).optional(),
  limitPay: limitPay.default(''),
  /** WeChat official-account / mini-program appid (VSP methods). */
  subAppid: z.string().optional(),
  /** WeChat appid of native methods (`subAppId` / `wxAppId`). */
  appId: z.string().optional(),
  /** WeChat Pay merchant number of native methods (`wxMchtId`). */
  wxMchtId: z.string().optional(),
  /** WECHATPAY_H5_OPEN scene info: the site's name. */
  wapName: z.string().optional(),
  /** GATEWAY_VSP: B2C, B2B or both. */
  paytype: z.enum(['B2C', 'B2B', 'B2C,B2B']).optional(),
  /** BALANCE: the custody account set the payer's balance lives in. */
  accountSetNo: z.string().optional(),
  /** Confirm with the payment password page (validateType 2) instead of an SMS code, where the method allows it. */
  usePassword: z.boolean().default(false),
  /** CODEPAY_VSP: the wallets whose payment codes the shop takes (default: WeChat, Alipay and UnionPay). */
  wallets: z.array(z.enum(PAYMENT_CODE_WALLETS)).min(1).optional(),
});
export type MethodSettings = z.output<typeof methodSettings>;

/** At most `count` in any `windowSeconds` (a fixed window from the first one counted). */
const perWindow = (count: number, windowSeconds: number) =>
  z.strictObject({ count: z.number().int().min(1).default(count), windowSeconds: z.number().int().min(1).default(windowSeconds) }).prefault({});

const limitsSchema = z
  .strictObject({
    /**
     * New payment attempts (`POST …/payments`; a repeat with its Idempotency-Key is no new attempt). Per IP generous: many
     * payers can share one address (a carrier's NAT, an office); per payer well above what a person does — the platform
     * itself takes 10 orders per payer and day (spec §4.2.1 note 5).
     */
    paymentCreation: z.strictObject({ perIp: perWindow(200, 600), perPayer: perWindow(20, 3600) }).prefault({}),
    /** Phone-binding codes sent (`POST …/payer/phone/code`), whoever asks: per phone and per client IP. */
    phoneCodes: z.strictObject({ perPhone: perWindow(5, 3600), perIp: perWindow(10, 3600) }).prefault({}),
    /**
     * Binding a phone (`POST …/payer/phone`): after `wrongCodesPerPhone` wrong codes for one payer and phone within
     * `lockoutSeconds`, that binding is locked for `lockoutSeconds` from the last one — a right code then is refused too;
     * and at most `perIp` wrong codes per client IP in its window, across payers.
     */
    phoneBinding: z
      .strictObject({ wrongCodesPerPhone: z.number().int().min(1).default(5), lockoutSeconds: z.number().int().min(1).default(3600), perIp: perWindow(20, 3600) })
      .prefault({}),
    /** A payment's SMS confirm step (the counters are the payment's own). */
    paymentSms: z
      .strictObject({
        /** Codes one payment may send to the platform: a payer's code cannot be guessed through this BFF. */
        codesPerPayment: z.number().int().min(1).default(5),
        /** Codes sent again on the payer's request (the first comes with the payment): each costs an SMS. */
        resendsPerPayment: z.number().int().min(0).default(5),
        /**
         * The pause between codes: a message usually needs longer than the platform's own 10 s (spec §4.2.25, which refuses
         * a resend within it) to arrive, so the payer waits a minute by default.
         */
        resendSeconds: z.number().int().min(10, 'must be at least 10: the platform refuses a resend within 10 s (spec §4.2.25)').default(60),
      })
      .prefault({}),
    /**
     * Event streams open at once per client IP, on one instance (a stream is a connection to it): the checkout polls
     * instead when refused.
     */
    openStreamsPerClient: z.number().int().min(1).default(20),
    /** Attempts of one merchant order that are open (not final, not expired) at once: each is an order at the platform. */
    openAttemptsPerOrder: z.number().int().min(1).default(10),
  })
  .prefault({});

/**
 * A web origin, `scheme://host[:port]` (a trailing `/` is dropped): what a browser sends as `Origin`. A path, query, `*`
 * or `null` is refused, so a list of these never matches more than it names.
 */
const webOrigin = z
  .string()
  .refine((value) => {
    try {
      const url = new URL(value);
      return /^https?:$/.test(url.protocol) && url.pathname === '/' && !url.search && !url.hash && !url.username && !/[?#]|\/\/.*\/./.test(value);
    } catch {
      return false;
    }
  }, 'must be an origin: http(s)://host[:port], without a path')
  .transform((value) => new URL(value).origin);

export const bffConfigSchema = z.strictObject({
  sysid: z.string().regex(/^\d+$/, 'must be the numeric application number from the YunST portal'),
  merchantKey: z.union([
    z.strictObject({ pfxFile: z.string().min(1), password: z.string() }),
    z.strictObject({ pemFile: z.string().min(1), passphrase: z.string().optional() }),
  ]),
  platformCertFile: z.string().min(1),
  /** `sandbox` needs `sandboxUrl`; `test` and `production` are the platform's published URLs (spec §3.8). */
  environment: z.enum(['sandbox', 'test', 'production']).default('sandbox'),
  sandboxUrl: z.url({ protocol: /^https?$/ }).optional(),
  /** Explicit endpoints override the preset. */
  endpoints: z.strictObject({ soaUrl: z.url(), gatewayUrl: z.url(), passwordPayUrl: z.url() }).partial().optional(),
  /** Where the platform reaches this server: builds backUrl/frontUrl/jumpUrl. */
  publicBaseUrl: urlWithoutHash,
  /** Where a payer lands after a front page (gets `bizOrderNo` and `state` in the query). */
  resultUrl: urlWithoutHash.optional(),
  /** The router's mount path, for building URLs. */
  basePath: z.string().regex(/^(\/[\w.-]+)*$/).default(''),
  methods: z.partialRecord(z.enum(CHECKOUT_METHODS), methodSettings).default({ SCAN_WEIXIN: { enabled: true, limitPay: '', usePassword: false } }),
  industryCode: z.string().regex(/^\d{4}$/).default('1910'),
  industryName: z.string().min(1).default('其他'),
  /** The payee when resolveOrder names none: the platform itself for self-operated sales. */
  defaultRecieverId: z.string().default('#yunBizUserId_B2C#'),
  /** e-commerce consumption collection (spec §6.11) for marketplaces. */
  tradeCode: z.string().regex(/^\d{4}$/).default('3001'),
  /** How long a payment attempt may be paid; capped per method by the platform's limits. */
  paymentExpiryMinutes: z.number().int().min(1).max(24 * 60).default(30),
  /**
   * Hosts (`host` or `host:port`) a `redirect` action may send the payer's browser to: WeChat's for the H5 `mweb_url` by
   * default; add your QQ wallet host if you offer QQ_WALLET. In sandbox mode the sandbox's own host is added.
   */
  redirectHosts: z.array(z.string().regex(/^[a-z0-9.-]+(:\d{1,5})?$/i, 'must be a host name, optionally with :port')).default(['wx.tenpay.com']),
  /**
   * Express `trust proxy` of the standalone `tsy-bff` server: how it finds the payer's IP behind proxies. A router mounted
   * in the merchant's app ignores it: there `req.ip`, and so `consumerIp`, follow the host app's own `trust proxy`.
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(0), z.string()]).default(false),
  /**
   * Sent as consumerIp when the client's IP is private or loopback (local demo, tests, a proxy the app does not trust):
   * never 127.0.0.1. Required for `test` and `production`: the merchant's own public address, not a placeholder. In
   * sandbox mode it defaults to a documentation address (SANDBOX_FALLBACK_CONSUMER_IP).
   */
  fallbackConsumerIp: consumerIp.optional(),
  /** Files of the BFF: the SQLite database `tsy-checkout.sqlite` when no `store` is set. */
  dataDir: z.string().default('.data'),
  /**
   * Where orders, payments and events are kept; wins over `dataDir`. SQLite is a one-instance store (one process, or
   * processes on one machine sharing the file); several instances behind a load balancer need PostgreSQL.
   */
  store: z
    .discriminatedUnion('kind', [
      z.strictObject({ kind: z.literal('sqlite'), file: z.string().min(1) }),
      z.strictObject({
        kind: z.literal('postgres'),
        url: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// (or postgresql://) URL'),
        /** Connections per instance. */
        poolSize: z.number().int().min(1).max(1000).default(10),
      }),
    ])
    .optional(),
  /** The standalone `tsy-bff` server imports its CheckoutHooks (default export or named `hooks`) from this module. */
  hooksModule: z.string().optional(),
  timeoutMs: z.number().int().min(100).default(15_000),
  reconciliation: z
    .strictObject({
      /** Open payments older than this are checked with getOrderDetail. */
      afterSeconds: z.number().min(0).default(60),
      /** How often the background check runs, and how often one payment is asked about at most. */
      intervalSeconds: z.number().min(0.05).default(30),
      /** A client asking about a pending payment triggers a check at most this often. */
      onDemandSeconds: z.number().min(0).default(5),
      /** `40000 order does not exist` is believed only after this long (the apply may still be in flight). */
      unknownOrderGraceSeconds: z.number().min(0).default(600),
    })
    .prefault({}),
  /** The payment event streams (SSE) of this instance. */
  liveStatus: z
    .strictObject({
      /**
       * Every payment a stream watches is read again this often, so a change whose wake-up was missed (another process
       * wrote it, or the store's change watch was down) still reaches the stream.
       */
      sweepSeconds: z.number().min(0.05).default(30),
    })
    .prefault({}),
  /**
   * A verified success notification or page return signed longer ago than this proves nothing by itself (it could be a
   * captured message sent again): the platform is asked with getOrderDetail. The platform's own retries of one
   * notification span about 7 hours (spec §3.7), so the default leaves a day.
   */
  notificationMaxAgeSeconds: z.number().int().min(600).default(24 * 60 * 60),
  /**
   * Rate limits and lockouts (checkout/rate-limits.ts applies them; the counters live in the store, so they hold across
   * restarts and instances sharing it). Every number can be changed: a benchmark or a load test raises them.
   */
  limits: limitsSchema,
  /**
   * Origins whose pages may make the checkout's state-changing calls (CSRF check on every POST of `/api/checkout`: its
   * `Origin`, or `Sec-Fetch-Site` when a browser sends no Origin). Default: only the request's own host (`Host`, or
   * `X-Forwarded-Host` under the app's `trust proxy`), so a page on the BFF's origin works with no setting. Once set, only
   * these (and `cors.origins`) are allowed.
   */
  allowedOrigins: z.array(webOrigin).min(1).optional(),
  /**
   * CORS for a BFF on another origin than the shop's pages: off when absent (no CORS header at all). `origins` get the
   * preflight and `Access-Control-Allow-Origin` (and count as allowed origins for the CSRF check); `credentials` sends
   * `Access-Control-Allow-Credentials: true`, which the widgets need to send the shop's cookies (resolvePayer).
   */
  cors: z.strictObject({ origins: z.array(webOrigin).min(1), credentials: z.boolean().default(false) }).optional(),
  /**
   * Refunds (spec §4.2.16): `refundType` D0 sends a refund to the payer's channel at once, D1 the next day at 14:30 (the
   * platform's default when none is sent; the kit's is D0, so the payer sees the money soon). Refunds to the balance are
   * immediate either way.
   */
  refunds: z.strictObject({ refundType: z.enum(['D0', 'D1']).default('D0') }).prefault({}),
  /**
   * The merchant's admin API (`POST/GET /api/admin/payments/:bizOrderNo/refunds`, `POST /api/admin/refund-flagged`): off unless
   * `secret` is set, then only for `Authorization: Bearer <secret>`. At least 32 characters: it moves money. The merchant's
   * own servers call it, never a browser (no CORS, no cookies).
   */
  admin: z.strictObject({ secret: z.string().min(32, 'must be at least 32 characters (it authorises refunds)').optional() }).prefault({}),
  /** Retry schedule of onPaymentEvent, in seconds; the last value repeats. */
  eventRetrySeconds: z.array(z.number().min(0)).min(1).default([1, 5, 30, 120, 600]),
});
export type BffConfigInput = z.input<typeof bffConfigSchema>;
export type BffConfig = Omit<z.output<typeof bffConfigSchema>, 'fallbackConsumerIp'> & { readonly fallbackConsumerIp: string; readonly yunstEndpoints: YunstEndpoints };

/** RFC 5737 TEST-NET-3: the platform accepts it, and nobody mistakes it for a payer. Sandbox mode only. */
export const SANDBOX_FALLBACK_CONSUMER_IP = '203.0.113.10';

/** The configuration cannot be used; every problem is listed. Secrets are never part of the message. */
export class ConfigError extends Error {
  override name = 'ConfigError';
  constructor(readonly problems: readonly string[]) {
    super(`invalid tsy-bff configuration:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
  }
}

export function parseBffConfig(input: unknown): BffConfig {
  const parsed = bffConfigSchema.safeParse(input);
  const problems = parsed.success ? [] : parsed.error.issues.map((issue) => `${issue.path.join('.') || '(config)'}: ${issue.message}`);
  if (parsed.success) {
    const config = parsed.data;
    if (config.environment === 'sandbox' && !config.sandboxUrl && !config.endpoints?.soaUrl) problems.push('sandboxUrl: required when environment is "sandbox"');
    if (config.environment === 'production' && config.publicBaseUrl.startsWith('http:')) problems.push('publicBaseUrl: must be https in production');
    if (config.environment !== 'sandbox' && config.fallbackConsumerIp === undefined) {
      problems.push(
        `fallbackConsumerIp: required when environment is "${config.environment}" (sent as consumerIp when the payer's address is private or loopback; use your server's public IP, not the sandbox's ${SANDBOX_FALLBACK_CONSUMER_IP})`,
      );
    }
    if (config.methods.BALANCE?.enabled && !config.methods.BALANCE.accountSetNo) problems.push('methods.BALANCE.accountSetNo: required');
    for (const method of ['WECHATPAY_SCAN_OPEN', 'WECHATPAY_PUBLIC_OPEN'] as const) {
      const settings = config.methods[method];
      if (settings?.enabled && (!settings.appId || !settings.wxMchtId)) problems.push(`methods.${method}: appId and wxMchtId are required`);
    }
    for (const method of ['WECHATPAY_H5_OPEN', 'WECHATPAY_APP_OPEN'] as const) {
      if (config.methods[method]?.enabled && !config.methods[method]!.appId) problems.push(`methods.${method}.appId: required`);
    }
    if (config.methods.GATEWAY_VSP?.enabled && !config.methods.GATEWAY_VSP.paytype) problems.push('methods.GATEWAY_VSP.paytype: required');
    // spec §5.2: alone (the checkout never combines methods), the gateway and the wallet must not use the password page.
    for (const method of ['GATEWAY_VSP', 'ALLINPAY_WALLET_H5'] as const) {
      if (config.methods[method]?.usePassword) problems.push(`methods.${method}.usePassword: not allowed when the method is used alone (spec §5.2)`);
    }
    if (problems.length === 0) {
      const preset = config.environment === 'sandbox' ? endpointsAt(config.sandboxUrl ?? config.endpoints!.soaUrl!.replace(/\/service\/soa$/, '')) : YUNST_ENVIRONMENTS[config.environment];
      return { ...config, fallbackConsumerIp: config.fallbackConsumerIp ?? SANDBOX_FALLBACK_CONSUMER_IP, yunstEndpoints: { ...preset, ...config.endpoints } };
    }
  }
  throw new ConfigError(problems);
}

/**
 * Reads the configuration from a JSON file (`TSY_CONFIG`) and/or environment variables; variables win. Relative file
 * paths in a JSON file are relative to that file.
 */
export function loadBffConfig(env: NodeJS.ProcessEnv = process.env, file = env.TSY_CONFIG): BffConfig {
  let fromFile: Record<string, unknown> = {};
  if (file) {
    try {
      fromFile = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    } catch (error) {
      throw new ConfigError([`${file}: ${error instanceof Error ? error.message : String(error)}`]);
    }
    const base = resolve(file, '..');
    const key = fromFile.merchantKey as Record<string, string> | undefined;
    if (key?.pfxFile) key.pfxFile = resolve(base, key.pfxFile);
    if (key?.pemFile) key.pemFile = resolve(base, key.pemFile);
    for (const field of ['platformCertFile', 'hooksModule', 'dataDir'] as const) {
      if (typeof fromFile[field] === 'string') fromFile[field] = resolve(base, fromFile[field]);
    }
    const store = fromFile.store as Record<string, unknown> | undefined;
    if (store?.kind === 'sqlite' && typeof store.file === 'string') store.file = resolve(base, store.file);
  }
  const fromEnv: Record<string, unknown> = {};
  if (env.TSY_SYSID) fromEnv.sysid = env.TSY_SYSID;
  if (env.TSY_MERCHANT_PFX) {
    // A password file's single trailing newline (what editors add) is not part of the password.
    const password = env.TSY_MERCHANT_PFX_PASSWORD ?? (env.TSY_MERCHANT_PFX_PASSWORD_FILE ? readFileSync(env.TSY_MERCHANT_PFX_PASSWORD_FILE, 'utf8').replace(/\r?\n$/, '') : undefined);
    fromEnv.merchantKey = { pfxFile: env.TSY_MERCHANT_PFX, password };
  } else if (env.TSY_MERCHANT_KEY_PEM) {
    fromEnv.merchantKey = { pemFile: env.TSY_MERCHANT_KEY_PEM, ...(env.TSY_MERCHANT_KEY_PASSPHRASE ? { passphrase: env.TSY_MERCHANT_KEY_PASSPHRASE } : {}) };
  }
  if (env.TSY_PLATFORM_CERT) fromEnv.platformCertFile = env.TSY_PLATFORM_CERT;
  if (env.TSY_ENVIRONMENT) fromEnv.environment = env.TSY_ENVIRONMENT;
  if (env.TSY_SANDBOX_URL) fromEnv.sandboxUrl = env.TSY_SANDBOX_URL;
  if (env.TSY_PUBLIC_BASE_URL) fromEnv.publicBaseUrl = env.TSY_PUBLIC_BASE_URL;
  if (env.TSY_RESULT_URL) fromEnv.resultUrl = env.TSY_RESULT_URL;
  if (env.TSY_DATA_DIR) fromEnv.dataDir = env.TSY_DATA_DIR;
  if (env.TSY_HOOKS_MODULE) fromEnv.hooksModule = env.TSY_HOOKS_MODULE;
  if (env.TSY_FALLBACK_CONSUMER_IP) fromEnv.fallbackConsumerIp = env.TSY_FALLBACK_CONSUMER_IP;
  if (env.TSY_DATABASE_URL) {
    const poolSize = env.TSY_DATABASE_POOL_SIZE ?? (fromFile.store as { poolSize?: unknown } | undefined)?.poolSize;
    fromEnv.store = { kind: 'postgres', url: env.TSY_DATABASE_URL, ...(poolSize === undefined ? {} : { poolSize: typeof poolSize === 'string' ? Number(poolSize) : poolSize }) };
  } else if (env.TSY_DATABASE_POOL_SIZE && (fromFile.store as { kind?: unknown } | undefined)?.kind === 'postgres') {
    fromEnv.store = { ...(fromFile.store as object), poolSize: Number(env.TSY_DATABASE_POOL_SIZE) };
  }
  if (env.TSY_ADMIN_SECRET || env.TSY_ADMIN_SECRET_FILE) {
    const secret = env.TSY_ADMIN_SECRET || readFileSync(env.TSY_ADMIN_SECRET_FILE!, 'utf8').replace(/\r?\n$/, '');
    fromEnv.admin = { ...(fromFile.admin as object | undefined), secret };
  }
  if (env.TSY_REFUND_TYPE) fromEnv.refunds = { ...(fromFile.refunds as object | undefined), refundType: env.TSY_REFUND_TYPE };
  if (env.TSY_ALLOWED_ORIGINS) fromEnv.allowedOrigins = env.TSY_ALLOWED_ORIGINS.split(',').map((origin) => origin.trim());
  return parseBffConfig({ ...fromFile, ...fromEnv });
}
