import type { CheckoutRouter, ResolvedOrder } from '@tsy/bff';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { ShopOrder, ShopStore } from './shop-store.js';
import type { StaffSessions } from './staff.js';
import { chooseWalkInPayer, walkInPhone } from './walk-in-payers.js';

/** A counter sale: one fen up to ¥50,000, entered as yuan with at most two decimals. */
export const MAX_COUNTER_AMOUNT = 5_000_000;
const YUAN = /^(\d{1,6})(?:\.(\d{1,2}))?$/;
/** Wrong PINs allowed per client address and window before sign-in is refused for the rest of it. */
export const PIN_ATTEMPTS = 5;
/**
 * Wrong PINs allowed from everyone together per window: the client address comes from X-Forwarded-For (the demo trusts its
 * loopback proxy, which passes on what the browser sent), so one client can pose as many — this ceiling holds anyway.
 */
export const PIN_ATTEMPTS_ALL = 20;
const PIN_WINDOW_MS = 15 * 60_000;

/** What counter sales are paid with: the payer's payment code, scanned at the till. */
export const COUNTER_METHODS = ['CODEPAY_VSP'] as const;

class CashierError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** `12.3` → 1230 fen, in integer arithmetic; undefined when it is no amount the counter takes. */
export function parseCounterAmount(value: unknown): number | undefined {
  const match = typeof value === 'string' ? YUAN.exec(value.trim()) : undefined;
  if (!match) return undefined;
  const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
  return fen >= 1 && fen <= MAX_COUNTER_AMOUNT ? fen : undefined;
}

export interface CashierOptions {
  readonly store: ShopStore;
  readonly staff: StaffSessions;
  /** How many walk-in members the counter pays through. */
  readonly walkInPoolSize: number;
  /** The sandbox's base URL as this server reaches it (its SMS inbox, for binding the walk-in members' phones). */
  readonly sandboxBaseUrl: string;
  readonly log: (line: string) => void;
}

/** The checkout's view of a counter sale, for the signed-in staff only. */
export function counterOrderFor(order: ShopOrder, req: Request, staff: StaffSessions): ResolvedOrder | undefined {
  if (!order.counter || !staff.isStaff(req)) return undefined;
  return { amount: order.amount, subject: '门店收款 Counter sale', payer: { bizUserId: order.counter.payerBizUserId }, methods: [...COUNTER_METHODS], paid: order.paidAt !== null };
}

/**
 * The cashier's routes (`/api/cashier/…`): staff sign-in with the demo's PIN (rate-limited), and counter sales whose amount
 * the signed-in staff enters — the merchant's server makes the order, so a price comes from someone with authority to
 * set it, never from an anonymous browser. Each sale is paid by a walk-in member of the pool (walk-in-payers.ts).
 */
export function cashierRouter(router: CheckoutRouter, options: CashierOptions): express.Router {
  const { store, staff, log } = options;
  const cashier = express.Router();
  const json = express.json({ limit: '1kb' });
  cashier.use((_req, res, next) => {
    res.set('cache-control', 'no-store');
    next();
  });

  // Only wrong PINs count (a 401): not a correct one, nor the 429s of a client already stopped — so one client cannot use
  // up everyone's allowance. Per client address first: the demo's traffic comes through Vite's proxy, whose
  // X-Forwarded-For the shop trusts (loopback), so this is the browser's address; then all clients together, since that
  // header is the client's to write.
  const wrongPins = (limit: number, keyGenerator?: () => string) =>
    rateLimit({
      windowMs: PIN_WINDOW_MS,
      limit,
      skipSuccessfulRequests: true,
      requestWasSuccessful: (_req, res) => res.statusCode !== 401,
      ...(keyGenerator ? { keyGenerator } : {}),
      standardHeaders: 'draft-8',
      legacyHeaders: false,
      handler: (_req, res) => {
        res.status(429).json({ error: { code: 'too_many_attempts', message: 'PIN 错误次数过多,请 15 分钟后再试 / Too many wrong PINs; try again in 15 minutes' } });
      },
    });
  const pinLimiter = wrongPins(PIN_ATTEMPTS);
  const allPinsLimiter = wrongPins(PIN_ATTEMPTS_ALL, () => 'every-client');

  cashier.get('/session', (req, res) => void res.json({ signedIn: staff.isStaff(req) }));
  cashier.post('/session', pinLimiter, allPinsLimiter, json, (req, res) => {
    if (!staff.pinMatches((req.body as { pin?: unknown } | undefined)?.pin)) throw new CashierError(401, 'wrong_pin', 'PIN 不正确 / Wrong PIN');
    staff.signIn(req, res, req.secure);
    log('[cashier] staff signed in');
    res.json({ signedIn: true });
  });
  cashier.delete('/session', (req, res) => {
    staff.signOut(req, res);
    res.json({ signedIn: false });
  });

  const ready = new Map<string, Promise<void>>();
  /** A walk-in member can pay once the platform knows its phone: bound here through the BFF, the code read from the sandbox. */
  const ensureWalkInMember = (bizUserId: string, index: number, staffIp: string): Promise<void> => {
    let done = ready.get(bizUserId);
    if (!done) {
      done = (async () => {
        const known = await router.services.context.store.getMember(bizUserId);
        if (known?.phone) return;
        const phone = walkInPhone(index);
        // The staff's till asked for it: its address is the one the phone-code limit counts.
        await router.services.members.sendPhoneCode(bizUserId, phone, 2, staffIp);
        const inbox = (await (await fetch(`${options.sandboxBaseUrl}/sandbox/sms?format=json&phone=${phone}`)).json()) as { code: string }[];
        if (!inbox[0]) throw new Error(`no SMS code for the walk-in member ${bizUserId}`);
        await router.services.members.bindPhone(bizUserId, phone, inbox[0].code, 2, staffIp);
        log(`[cashier] walk-in member ${bizUserId} ready`);
      })();
      ready.set(bizUserId, done);
      done.catch(() => ready.delete(bizUserId));
    }
    return done;
  };

  cashier.post('/orders', json, async (req, res, next) => {
    try {
      if (!staff.isStaff(req)) throw new CashierError(401, 'staff_required', '请先登录收银台 / Sign in at the counter first');
      const amount = parseCounterAmount((req.body as { amount?: unknown } | undefined)?.amount);
      if (amount === undefined) throw new CashierError(422, 'invalid_amount', '金额须为 0.01–50000.00 元 / The amount must be ¥0.01–50,000.00');
      const payer = chooseWalkInPayer(store.counterOrders(), options.walkInPoolSize, new Date());
      if (!payer) throw new CashierError(503, 'walk_in_pool_exhausted', '今日散客付款人已用完,请明日再试 / Every walk-in payer has reached today’s limit');
      await ensureWalkInMember(payer.bizUserId, payer.index, req.ip ?? 'unknown');
      const order = store.createCounterOrder(amount, payer.bizUserId, new Date());
      log(`[cashier] counter sale ${order.id} ¥${(amount / 100).toFixed(2)} paid by ${payer.bizUserId}`);
      res.status(201).json({ order: { id: order.id, amount: order.amount } });
    } catch (error) {
      next(error);
    }
  });

  cashier.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    if (error instanceof CashierError) return void res.status(error.status).json({ error: { code: error.code, message: error.message } });
    const status = (error as { status?: number }).status;
    if (typeof status === 'number' && status >= 400 && status < 500) return void res.status(status).json({ error: { code: 'bad_request', message: '请求格式有误 / The request body is malformed' } });
    log(`[cashier] ERROR ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.status(500).json({ error: { code: 'internal', message: '服务器内部错误 / Internal server error' } });
  });
  return cashier;
}
