import type { BffConfigInput, CheckoutHooks, CheckoutRouter, PayerQuery, PaymentEvent, ResolvedOrder } from '@tsy/bff';
import { startMerchant, type MerchantKeys } from '@tsy/testing';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { MAX_LINES, MAX_QUANTITY, PRODUCTS, productById } from './catalog.js';
import { cashierRouter, counterOrderFor } from './cashier.js';
import { refuseSecretFiles } from './file-guard.js';
import { StaffSessions } from './staff.js';
import { ShopStore, type ShopOrder, type ShopOrderLine } from './shop-store.js';
import { bizUserIdOf, ensureShopper, parseSimulatedEnvironment, sandboxWalletAccountsOf, setSimulatedEnvironment, shopperOf, simulatedEnvironmentOf } from './shopper.js';

export interface DemoMerchantOptions {
  /** Where the shop's orders (`shop.json`) and the BFF's SQLite database (`bff/`) live. */
  readonly dataDir: string;
  readonly sysid: string;
  /** The merchant's side of the key set (from `writeKeySet`). */
  readonly keys: MerchantKeys;
  /** The sandbox as the payer's browser reaches it (wallet pages, SMS inbox, front pages). */
  readonly sandboxUrl: string;
  /** The sandbox's `/service/soa` as this server reaches it. */
  readonly sandboxSoaUrl: string;
  /** Where the platform reaches this server (`/yunst/notify`, `/yunst/return`). */
  readonly publicBaseUrl: string;
  /** The demo's result page, where the payer lands after a front page. */
  readonly resultUrl: string;
  /**
   * The origins of the shop's pages (the browser's address of the demo: Vite's), the BFF's `allowedOrigins`: the only
   * pages whose calls may pay. Default: the origin of `publicBaseUrl`, where the demo's pages are.
   */
  readonly shopOrigins?: readonly string[];
  readonly log?: (line: string) => void;
  /** The cashier page's staff PIN (6–12 digits); without one nobody signs in at the counter. */
  readonly staffPin?: string;
  /** Walk-in members the counter pays through (walk-in-payers.ts); default 20. */
  readonly walkInPoolSize?: number;
  /** The server to answer on, listening already (it had to be: the other URLs name its port) or listened on here. */
  readonly server?: Server;
  /** The methods the shop offers; default DEMO_METHODS. */
  readonly methods?: BffConfigInput['methods'];
  /** The BFF's store in PostgreSQL at this URL instead of SQLite in `dataDir`. */
  readonly databaseUrl?: string;
  /** The BFF's clock (tests move it with the sandbox's, e.g. past an SMS code's validity); default the real one. */
  readonly clock?: () => Date;
}

export interface DemoMerchant {
  /** The merchant server on this machine. */
  readonly url: string;
  readonly router: CheckoutRouter;
  readonly store: ShopStore;
  /** Stops the server and the BFF (its database closed). */
  close(): Promise<void>;
}

/**
 * Every web method the sandbox runs, so each flow of <tsy-checkout> can be tried: the scan methods (QR), WeChat JSAPI and
 * Alipay in-app (JS bridge: inside the app, or the sandbox's emulation with the "simulate" switch), WeChat H5 and QQ
 * wallet (redirect, on a phone), the gateway and the Allinpay wallet page (form post) and the balance confirmed with an
 * SMS code (validateType 1: the code is in the sandbox's SMS inbox; the sandbox funds each member). The picker tells the
 * payer why a method does not work where the page runs (open in WeChat, on a phone…).
 * `appId` names the WeChat app of WECHATPAY_H5_OPEN (a sample id: the sandbox accepts any); 400193 is the platform's
 * standard account set (spec §6.17).
 */
export const DEMO_METHODS: BffConfigInput['methods'] = {
  SCAN_WEIXIN: {},
  SCAN_ALIPAY: {},
  SCAN_UNIONPAY: {},
  WECHAT_PUBLIC: {},
  ALIPAY_SERVICE: {},
  WECHATPAY_H5_OPEN: { appId: 'wx2421b1c4370ec43b', wapName: '通商云演示小铺' },
  QQ_WALLET: {},
  GATEWAY_VSP: { paytype: 'B2C' },
  ALLINPAY_WALLET_H5: {},
  BALANCE: { accountSetNo: '400193' },
  ORDER_VSPPAY: {},
  // The cashier page's method (the staff scans the payer's payment code); not the shop's, whose payers are at home.
  CODEPAY_VSP: {},
};

/**
 * The same shop with the balance confirmed on the payment password page instead (validateType 2: a form post; spec §5.2
 * allows it for BALANCE, never for a gateway method alone). A method takes one confirm step, so the password page is this
 * variant's (`startDemo(…, {methods: DEMO_PASSWORD_METHODS})`; the tests of that page use it).
 */
export const DEMO_PASSWORD_METHODS: BffConfigInput['methods'] = { ...DEMO_METHODS, BALANCE: { accountSetNo: '400193', usePassword: true } };

/** What the shop's own orders may be paid with: every method the shop runs with but the counter's. */
const shopMethods = (methods: BffConfigInput['methods']) =>
  Object.keys(methods ?? {}).filter((method) => method !== 'CODEPAY_VSP') as NonNullable<ResolvedOrder['methods']>[number][];

const yuan = (fen: number): string => `¥${(fen / 100).toFixed(2)}`;

/** What the browser sees of a shop order. */
function orderView(order: ShopOrder) {
  return {
    id: order.id,
    lines: order.lines,
    amount: order.amount,
    currency: 'CNY' as const,
    createdAt: order.createdAt,
    paid: order.paidAt !== null,
    paidAt: order.paidAt,
    paidBizOrderNo: order.paidBizOrderNo,
    paidMethod: order.paidMethod,
  };
}

/** "云南小粒咖啡豆 250g 等3件": what the payer sees as the subject of the payment. */
function subjectOf(order: ShopOrder): string {
  const items = order.lines.reduce((sum, line) => sum + line.quantity, 0);
  const first = order.lines[0]!;
  return `${first.name}${items > 1 ? ` 等${items}件` : ''}`;
}

class ShopError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The cart as the browser sends it: product ids and quantities only. Prices and totals are the server's. */
function parseCart(body: unknown): ShopOrderLine[] {
  const items = (body as { items?: unknown } | undefined)?.items;
  if (!Array.isArray(items) || items.length === 0) throw new ShopError(422, 'cart_empty', '购物车是空的 / The cart is empty');
  if (items.length > MAX_LINES) throw new ShopError(422, 'validation_failed', '商品种类过多 / Too many lines');
  const lines = new Map<string, ShopOrderLine>();
  for (const item of items as unknown[]) {
    const { productId, quantity } = (item ?? {}) as { productId?: unknown; quantity?: unknown };
    const product = typeof productId === 'string' ? productById(productId) : undefined;
    if (!product) throw new ShopError(422, 'validation_failed', '没有这个商品 / Unknown product');
    if (!Number.isInteger(quantity) || (quantity as number) < 1 || (quantity as number) > MAX_QUANTITY) {
      throw new ShopError(422, 'validation_failed', `数量须为 1–${MAX_QUANTITY} / Quantity must be 1–${MAX_QUANTITY}`);
    }
    if (lines.has(product.id)) throw new ShopError(422, 'validation_failed', '商品重复 / A product is listed twice');
    lines.set(product.id, { productId: product.id, name: product.name, unitPrice: product.price, quantity: quantity as number });
  }
  return [...lines.values()];
}

const sameLines = (a: readonly ShopOrderLine[], b: readonly ShopOrderLine[]): boolean =>
  a.length === b.length && a.every((line, i) => line.productId === b[i]!.productId && line.quantity === b[i]!.quantity && line.unitPrice === b[i]!.unitPrice);

/**
 * The demo merchant: an Express app with the shop's own routes (`/api/shop/…`) and the checkout BFF
 * (`createCheckoutRouter`: `/api/checkout/…`, `/yunst/notify`, `/yunst/return`), wired to the sandbox by @tsy/testing's
 * `startMerchant`, as the tests wire theirs. The hooks are the whole integration: the shop says what an order is
 * (`resolveOrder`), who the payer is (`resolvePayer`) and learns about payments (`onPaymentEvent`).
 */
export async function startDemoMerchant(options: DemoMerchantOptions): Promise<DemoMerchant> {
  const log = options.log ?? ((line: string) => console.log(line));
  const store = new ShopStore(join(options.dataDir, 'shop.json'));
  const staff = new StaffSessions(options.staffPin);
  const methods = options.methods ?? DEMO_METHODS;
  const forShopOrders = shopMethods(methods);

  const hooks: CheckoutHooks = {
    // The demo's "simulate" switch; without it (a real phone, a real WeChat) the BFF reads the User-Agent as usual.
    resolveEnvironment: (req: Request) => simulatedEnvironmentOf(req),
    // Only the shopper who placed an order may see or pay it; to anyone else it does not exist (404).
    resolveOrder(merchantOrderId: string, req: Request): ResolvedOrder | undefined {
      const shopperId = shopperOf(req);
      const order = store.get(merchantOrderId);
      // A counter sale exists only for the signed-in staff at the cashier page.
      if (order?.counter) return counterOrderFor(order, req, staff);
      if (!shopperId || !order || order.shopperId !== shopperId) return undefined;
      return {
        amount: order.amount,
        subject: subjectOf(order),
        goodsDesc: order.lines.map((line) => `${line.name}×${line.quantity}`).join(', ').slice(0, 256),
        // The wallet accounts a real shop learns from WeChat's / Alipay's login, here fixed per shopper (WECHAT_PUBLIC, ALIPAY_SERVICE).
        payer: { bizUserId: bizUserIdOf(shopperId), acct: sandboxWalletAccountsOf(shopperId) },
        methods: forShopOrders,
        paid: order.paidAt !== null,
      };
    },
    // The shopper of the session; for a counter sale, the walk-in member chosen for that sale, to the signed-in staff only
    // (the staff session stands for the walk-in payer at the till).
    resolvePayer(req: Request, about: PayerQuery) {
      const sale = about.merchantOrderId === undefined ? undefined : store.get(about.merchantOrderId);
      if (sale?.counter) return staff.isStaff(req) ? { bizUserId: sale.counter.payerBizUserId } : undefined;
      const shopperId = shopperOf(req);
      return shopperId ? { bizUserId: bizUserIdOf(shopperId) } : undefined;
    },
    onPaymentEvent(event: PaymentEvent) {
      store.handleEventOnce(event, () => {
        const order = store.get(event.merchantOrderId);
        // A walk-in member's daily count is made of its counter sales' payments (walk-in-payers.ts).
        if (order?.counter) store.recordCounterPayment(order.id, event.bizOrderNo, event.state);
        // Only a success that paid this order (settlement `paid`) marks it paid; any other success is money to give back
        // (its own event — payment.double_paid, payment.amount_mismatch, payment.amount_differs — follows with the reason).
        if (event.type === 'payment.succeeded' && order && event.settlement === 'paid') {
          store.markPaid(order.id, { bizOrderNo: event.bizOrderNo, method: event.method, at: event.at });
        }
        const refund: Record<string, string> = {
          'payment.double_paid': ' — the order was already paid: refund this payment',
          'payment.amount_mismatch': ' — the order was re-priced since: refund this payment',
          'payment.amount_differs': ` — the platform reports ${yuan(event.reportedAmount ?? 0)} paid: check and refund`,
        };
        const note = refund[event.type] ?? (event.message ? ` (${event.message})` : '');
        log(`[shop] ${event.type} ${event.merchantOrderId} ${event.bizOrderNo} ${event.method} ${yuan(event.amount)}${note}`);
      });
    },
  };

  const merchant = await startMerchant({
    ...(options.server ? { server: options.server } : {}),
    sysid: options.sysid,
    keys: options.keys,
    sandboxUrl: options.sandboxUrl,
    soaUrl: options.sandboxSoaUrl,
    publicBaseUrl: options.publicBaseUrl,
    dataDir: join(options.dataDir, 'bff'),
    methods,
    config: {
      resultUrl: options.resultUrl,
      allowedOrigins: [...(options.shopOrigins ?? [new URL(options.publicBaseUrl).origin])],
      ...(options.databaseUrl ? { store: { kind: 'postgres' as const, url: options.databaseUrl } } : {}),
    },
    ...(options.clock ? { clock: options.clock } : {}),
    hooks,
    log: (level, message, fields) => log(`[bff] ${level === 'info' ? '' : `${level.toUpperCase()} `}${message}${fields ? ` ${JSON.stringify(fields)}` : ''}`),
    app: (router) => shopApp(router, store, options, log, staff),
  });
  return { url: merchant.url, router: merchant.router, store, close: () => merchant.close() };
}

/** The shop's own routes around the checkout router. */
function shopApp(router: CheckoutRouter, store: ShopStore, options: DemoMerchantOptions, log: (line: string) => void, staff: StaffSessions): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // The demo's browser traffic arrives through Vite's proxy on this machine; X-Forwarded-For then names the payer.
  app.set('trust proxy', 'loopback');
  // This server serves no files; should one ever be added, a key or database file still is not one of them.
  app.use(refuseSecretFiles());

  const shop = express.Router();
  shop.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });
  shop.get('/products', (_req, res) => {
    res.json({ currency: 'CNY', products: PRODUCTS });
  });
  shop.get('/info', (req, res) => {
    res.json({ environment: 'sandbox', sandboxUrl: options.sandboxUrl, smsInboxUrl: `${options.sandboxUrl}/sandbox/sms`, simulate: simulatedEnvironmentOf(req) ?? null });
  });
  // The "simulate" switch: desktop, mobile, wechat, alipay, or null for the browser's own User-Agent.
  shop.put('/simulate', express.json({ limit: '1kb' }), (req, res) => {
    const value = parseSimulatedEnvironment((req.body as { environment?: unknown } | undefined)?.environment);
    if (value === undefined) throw new ShopError(422, 'validation_failed', '模拟环境须为 desktop、mobile、wechat、alipay 或 null / environment must be desktop, mobile, wechat, alipay or null');
    setSimulatedEnvironment(res, value);
    res.json({ simulate: value });
  });
  shop.get('/orders', (req, res) => {
    const shopperId = shopperOf(req);
    res.json({ orders: shopperId ? store.listFor(shopperId).slice(0, 20).map(orderView) : [] });
  });
  shop.get('/orders/:id', (req, res) => {
    const shopperId = shopperOf(req);
    const order = store.get(String(req.params.id));
    if (!shopperId || !order || order.shopperId !== shopperId) throw new ShopError(404, 'not_found', '订单不存在 / No such order');
    res.json({ order: orderView(order) });
  });
  // The cart becomes an order. The same cart again (unpaid) answers the same order, so the page may ask freely.
  shop.post('/orders', express.json({ limit: '8kb' }), (req, res) => {
    const lines = parseCart(req.body);
    const shopperId = ensureShopper(req, res);
    const latest = store.listFor(shopperId)[0];
    if (latest && latest.paidAt === null && sameLines(latest.lines, lines)) {
      res.status(200).json({ order: orderView(latest) });
      return;
    }
    const order = store.create(shopperId, lines, new Date());
    log(`[shop] order ${order.id} placed: ${yuan(order.amount)}`);
    res.status(201).json({ order: orderView(order) });
  });
  shop.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof ShopError) {
      res.status(error.status).json({ error: { code: error.code, message: error.message } });
      return;
    }
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: { code: 'bad_request', message: '请求格式有误 / The request body is malformed' } });
      return;
    }
    log(`[shop] ERROR ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.status(500).json({ error: { code: 'internal', message: '服务器内部错误 / Internal server error' } });
  });

  // The checkout API reads the shopper from the cookie; give a first-time visitor one here too.
  app.use('/api/checkout', (req, res, next) => {
    ensureShopper(req, res);
    next();
  });
  app.use('/api/shop', shop);
  app.use(
    '/api/cashier',
    cashierRouter(router, { store, staff, walkInPoolSize: options.walkInPoolSize ?? 20, sandboxBaseUrl: options.sandboxSoaUrl.replace(/\/service\/soa$/, ''), log }),
  );
  app.use(router);
  app.use('/api', (_req, res) => {
    res.status(404).json({ error: { code: 'not_found', message: '没有这个接口 / No such endpoint' } });
  });

  return app;
}
