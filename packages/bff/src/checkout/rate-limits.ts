import type { PaymentRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, retryAfterSeconds } from './errors.js';
import { smsResendsExhausted } from './sms-codes.js';

/**
 * The checkout's rate limits and lockouts: which counter each request takes and what a refusal says. The numbers are the
 * config's (`limits`); the counters are the store's (`hitRateLimit`), so they hold across restarts and for every instance
 * sharing the store. Keys name the client as the host app sees it (`req.ip`) and the payer as the merchant names them.
 *
 * Every refusal is a 429 with `Retry-After` (and `retryAfterSeconds` in the body): the moment the counter's window ends.
 *
 * Not rate-limiter-flexible, though it has SQLite and Postgres limiters: they read `Date.now()` (no injectable clock, so
 * tests would sleep), keep their own tables outside the numbered migrations, and take their own database handles instead
 * of the `Store` every instance shares. One atomic fixed-window counter in the store does what is needed here.
 */

interface Window {
  readonly count: number;
  readonly windowSeconds: number;
}

export const rateLimited = (scope: 'ip' | 'payer', retryAfterMs: number) =>
  new CheckoutError(
    429,
    'rate_limited',
    { zh: '发起支付过于频繁,请稍后再试', en: 'Too many payment attempts; try again later' },
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs), details: { scope } },
  );

export const phoneCodeLimited = (scope: 'ip' | 'phone', retryAfterMs: number) =>
  new CheckoutError(
    429,
    'phone_code_limited',
    { zh: '验证码发送次数过多,请稍后再试', en: 'Too many codes were sent; try again later' },
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs), details: { scope } },
  );

export const phoneBindingLocked = (scope: 'ip' | 'phone', retryAfterMs: number) =>
  new CheckoutError(
    429,
    'phone_binding_locked',
    { zh: '验证码错误次数过多,该手机号暂时无法绑定,请稍后再试', en: 'Too many wrong codes for this phone number; try again later' },
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs), details: { scope } },
  );

export const tooManyOpenPayments = (retryAfterMs: number) =>
  new CheckoutError(
    429,
    'too_many_open_payments',
    { zh: '该订单未完成的支付过多,请完成其中一笔或稍后再试', en: 'This order has too many unfinished payments; finish one or try again later' },
    { retryAfterSeconds: retryAfterSeconds(retryAfterMs) },
  );

/** A stream's end cannot be foretold: this is when a client may look again (it polls meanwhile). */
const STREAM_RETRY_AFTER_MS = 10_000;

export const tooManyStreams = () =>
  new CheckoutError(
    429,
    'too_many_streams',
    { zh: '打开的支付状态连接过多', en: 'Too many payment status streams are open' },
    { retryAfterSeconds: retryAfterSeconds(STREAM_RETRY_AFTER_MS) },
  );

/** Gives a taken hit back: the attempt it counted did not count after all. */
export type GiveBack = () => Promise<void>;

export class RateLimits {
  constructor(private readonly ctx: CheckoutContext) {}

  private get limits() {
    return this.ctx.config.limits;
  }

  private hit(key: string, window: Window, blockMs?: number) {
    return this.ctx.store.hitRateLimit({ key, limit: window.count, windowMs: window.windowSeconds * 1000, ...(blockMs === undefined ? {} : { blockMs }), now: this.ctx.clock() });
  }

  private giveBack(key: string): GiveBack {
    return () => this.ctx.store.returnRateLimitHit(key, this.ctx.clock());
  }

  /**
   * Two counters for one request: a refusal by the second gives the first its hit back, so each counts only what it
   * let through and a payer at their limit does not use up their IP's.
   */
  private async both(
    first: { key: string; window: Window; blockMs?: number },
    second: { key: string; window: Window; blockMs?: number },
  ): Promise<{ refused?: 'first' | 'second'; retryAfterMs: number; giveBack: GiveBack }> {
    const a = await this.hit(first.key, first.window, first.blockMs);
    const none = async () => {};
    if (!a.allowed) return { refused: 'first', retryAfterMs: a.retryAfterMs, giveBack: none };
    const b = await this.hit(second.key, second.window, second.blockMs);
    if (!b.allowed) {
      await this.giveBack(first.key)();
      return { refused: 'second', retryAfterMs: b.retryAfterMs, giveBack: none };
    }
    return { retryAfterMs: 0, giveBack: async () => Promise.all([this.giveBack(first.key)(), this.giveBack(second.key)()]).then(() => {}) };
  }

  /**
   * A new payment attempt (each is an order at the platform): per client IP and per payer. The caller gives it back when
   * the attempt is not stored after all (its order had no room for another).
   */
  async paymentCreation(ip: string, payerBizUserId: string): Promise<GiveBack> {
    const { perIp, perPayer } = this.limits.paymentCreation;
    const outcome = await this.both({ key: `payment:ip:${ip}`, window: perIp }, { key: `payment:payer:${payerBizUserId}`, window: perPayer });
    if (outcome.refused) throw rateLimited(outcome.refused === 'first' ? 'ip' : 'payer', outcome.retryAfterMs);
    return outcome.giveBack;
  }

  /**
   * A phone-binding code (an SMS the merchant pays for, to someone's phone): per phone, whoever asks, and per client IP.
   * The caller gives it back when the platform refused to send it.
   */
  async phoneCode(ip: string, phone: string): Promise<GiveBack> {
    const { perPhone, perIp } = this.limits.phoneCodes;
    const outcome = await this.both({ key: `phone-code:ip:${ip}`, window: perIp }, { key: `phone-code:phone:${phone}`, window: perPhone });
    if (outcome.refused) throw phoneCodeLimited(outcome.refused === 'first' ? 'ip' : 'phone', outcome.retryAfterMs);
    return outcome.giveBack;
  }

  /**
   * A code to bind `phone` to the payer `bizUserId`, taken before the platform checks it (concurrent guesses cannot share
   * the last try): the caller gives it back unless the code was wrong. The try that reaches the limit locks that payer's
   * binding of that phone for the lockout from now. Per payer and phone, because the platform sends a code for one payer:
   * another payer's guesses could never bind it, and must not lock its owner out. Per client IP as well, so one client
   * cannot guess across many payers.
   */
  async bindingAttempt(ip: string, bizUserId: string, phone: string): Promise<GiveBack> {
    const { wrongCodesPerPhone, lockoutSeconds, perIp } = this.limits.phoneBinding;
    const outcome = await this.both(
      { key: `phone-bind:ip:${ip}`, window: perIp },
      { key: `phone-bind:payer-phone:${bizUserId}:${phone}`, window: { count: wrongCodesPerPhone, windowSeconds: lockoutSeconds }, blockMs: lockoutSeconds * 1000 },
    );
    if (outcome.refused) throw phoneBindingLocked(outcome.refused === 'first' ? 'ip' : 'phone', outcome.retryAfterMs);
    return outcome.giveBack;
  }

  /** A code sent again for a payment: counted for as long as the payment can be paid; given back if none was sent. */
  async smsResend(payment: PaymentRecord): Promise<GiveBack> {
    const key = `sms-resend:payment:${payment.bizOrderNo}`;
    const untilExpiry = Math.max(1000, Date.parse(payment.expiresAt) - this.ctx.clock().getTime());
    const limit = this.limits.paymentSms.resendsPerPayment;
    if (limit === 0) throw smsResendsExhausted(payment.bizOrderNo, untilExpiry);
    const hit = await this.hit(key, { count: limit, windowSeconds: Math.ceil(untilExpiry / 1000) });
    if (!hit.allowed) throw smsResendsExhausted(payment.bizOrderNo, hit.retryAfterMs);
    return this.giveBack(key);
  }
}
