import {
  PAY_METHOD_INFO,
  YUNST_UNCODED_MESSAGES,
  decryptField,
  parseCstTimestamp,
  payMethodAmount,
  type PayMethodKey,
} from '@tsy/yunst';
import { addMs, cstDay, HOUR, MINUTE } from '../clock.js';
import type { SandboxContext } from '../context.js';
import { maskCardNo } from '../pay-methods/channel-details.js';
import { SoaError } from '../soa/errors.js';
import type { SandboxMember } from '../state/members.js';
import type { ConfirmStep, OrderType } from '../state/orders.js';

/*
 * The order rules of spec §4.2.1 and §5.2 that the parameter schemas cannot express, each throwing the platform's code.
 */

type PayMethodValues = Readonly<Partial<Record<PayMethodKey, unknown>>>;

export const isFrontMethod = (key: PayMethodKey): boolean => PAY_METHOD_INFO[key].outcome === 'front';

/**
 * Combined payment (spec §4.2.1 part 3, §5.2 notes 3–4): methods marked not combinable stand alone; a combination holds at
 * most one channel-type method plus balance-type ones (BALANCE, COUPON). COUPON is allowed only in consumption and
 * collection orders — the only order types the sandbox takes, so it always is. The spec names no code: 10000 参数错误.
 */
export function checkCombination(methods: readonly PayMethodKey[]): void {
  if (methods.length < 2) return;
  const alone = methods.find((key) => !PAY_METHOD_INFO[key].combinable);
  if (alone) throw SoaError.of('10000', `payMethod.${alone} 不支持组合支付`);
  const channels = methods.filter((key) => PAY_METHOD_INFO[key].kind === 'channel');
  if (channels.length > 1) throw SoaError.of('10000', `payMethod 组合支付只能包含一种渠道类支付方式 (${channels.join(', ')})`);
}

/**
 * validateType (spec §5.2, §6.16): a method listed with `null` must not be sent one; others accept only their values; the
 * gateway and wallet H5 alone must not use the password (2). When absent: SMS (1) where allowed, else the method's only
 * value (CODEPAY: 0), and 0 for methods YunST does not verify.
 */
export function resolveValidateType(methods: readonly PayMethodKey[], sent: 0 | 1 | 2 | undefined): 0 | 1 | 2 {
  for (const key of methods) {
    const allowed = PAY_METHOD_INFO[key].validateTypes;
    if (sent !== undefined && (allowed === null || !allowed.includes(sent))) {
      throw SoaError.of('40027', allowed === null ? `${key} 不能上送 validateType` : `${key} 不支持 validateType ${sent}`);
    }
  }
  if (sent === 2 && methods.length === 1 && isFrontMethod(methods[0]!)) throw SoaError.of('40027', `${methods[0]} 单独支付不支持 validateType 2`);
  if (sent !== undefined) return sent;
  const lists = methods.map((key) => PAY_METHOD_INFO[key].validateTypes).filter((list) => list !== null);
  if (lists.length === 0) return 0;
  return lists.every((list) => list.includes(1)) ? 1 : lists[0]![0]!;
}

/** The channel-type method when there is one (at most one, see checkCombination), else the first balance-type one. */
export function primaryMethodOf(methods: readonly PayMethodKey[]): PayMethodKey {
  return methods.find((key) => PAY_METHOD_INFO[key].kind === 'channel') ?? methods[0]!;
}

/** How the order will be confirmed (digest §8), and whether a gateway confirm must check an SMS code. */
export function confirmStepOf(methods: readonly PayMethodKey[], primary: PayMethodKey, validateType: 0 | 1 | 2): { confirm: ConfirmStep; smsOnGateway: boolean } {
  if (methods.some(isFrontMethod)) {
    if (validateType === 2) return { confirm: 'password', smsOnGateway: false };
    // Pure gateway: no SMS; combined under validateType 1: the SMS code is checked (spec §4.2.9 verificationCode).
    return { confirm: 'gateway', smsOnGateway: validateType === 1 && methods.length > 1 };
  }
  if (validateType === 2) return { confirm: 'password', smsOnGateway: false };
  switch (PAY_METHOD_INFO[primary].outcome) {
    case 'sms':
      return { confirm: 'sms', smsOnGateway: false };
    case 'payStatus':
      return { confirm: validateType === 1 ? 'sms' : 'none', smsOnGateway: false };
    case 'payCode':
      return { confirm: 'pos', smsOnGateway: false };
    default:
      return { confirm: 'wallet', smsOnGateway: false };
  }
}

/** The order amount must be what the methods carry (40005). */
export function checkPayMethodAmounts(payMethod: PayMethodValues, methods: readonly PayMethodKey[], amount: number): void {
  const sum = methods.reduce((total, key) => total + payMethodAmount(key, payMethod[key]), 0);
  if (sum !== amount) throw SoaError.of('40005', `payMethod 合计 ${sum}, amount ${amount}`);
}

/** `cusip` is the payer terminal's IP; like `consumerIp` it must not be a loopback name. */
export function checkCusip(payMethod: PayMethodValues, methods: readonly PayMethodKey[]): void {
  for (const key of methods) {
    const cusip = (payMethod[key] as { cusip?: string }).cusip;
    if (cusip !== undefined && ['127.0.0.1', 'localhost'].includes(cusip.trim().toLowerCase())) {
      throw SoaError.of('10000', `payMethod.${key}.cusip 不能为 127.0.0.1 或 localhost`);
    }
  }
}

/**
 * `bankCardNo` (and a credit card's `validate`, `cvv2`) arrive RSA-encrypted with the platform key (spec §3.5). The sandbox
 * holds that key, so it checks they decrypt — 20017 解密失败 otherwise — and keeps only the masked card number.
 */
export function decryptCardNo(ctx: SandboxContext, payMethod: PayMethodValues, methods: readonly PayMethodKey[]): string | undefined {
  let masked: string | undefined;
  for (const key of methods) {
    const value = payMethod[key] as Record<string, unknown>;
    for (const field of ['bankCardNo', 'validate', 'cvv2'] as const) {
      if (typeof value[field] !== 'string') continue;
      let plain: string;
      try {
        plain = decryptField(value[field], ctx.config.platformSigningKey);
      } catch {
        throw SoaError.of('20017', `payMethod.${key}.${field}`);
      }
      if (field === 'bankCardNo') {
        if (!/^\d{12,19}$/.test(plain)) throw SoaError.of('10000', `payMethod.${key}.bankCardNo 不是银行卡号`);
        masked = maskCardNo(plain);
      }
      // "有效期 … 格式为月年; 如 0321, 2 位月 2 位年" (§5.2 QUICKPAY_TLT); "CVV2 … 3 位数字" (§4.1.10).
      if (field === 'validate' && !/^(?:0[1-9]|1[0-2])\d{2}$/.test(plain)) throw SoaError.of('10000', `payMethod.${key}.validate 应为 MMYY`);
      if (field === 'cvv2' && !/^\d{3}$/.test(plain)) throw SoaError.of('10000', `payMethod.${key}.cvv2 应为 3 位数字`);
    }
  }
  return masked;
}

/**
 * The payer needs a bound phone — or, for official-account / mini-program / life-account pay, a payment-account id bound
 * with applyBindAcct equal to the method's `acct` (spec §4.1.3 note 1, §4.1.23) — else 30021 未绑定手机.
 */
export function checkPayerCanOrder(ctx: SandboxContext, payer: SandboxMember, payMethod: PayMethodValues, methods: readonly PayMethodKey[]): void {
  if (payer.phone) return;
  const boundAcct = methods.some((key) => {
    const { acctType } = PAY_METHOD_INFO[key];
    const acct = (payMethod[key] as { acct?: string }).acct;
    return acctType !== undefined && acct !== undefined && ctx.members.hasAcct(payer, acctType, acct);
  });
  if (!boundAcct) throw SoaError.of('30021', payer.bizUserId);
}

const MAX_ORDER_LIFETIME_MS = 24 * HOUR;
const MAX_CHANNEL_EXPIRY_MS = 60 * MINUTE;
const WALLET_H5_MIN_EXPIRY_MS = MINUTE;
const WALLET_H5_DEFAULT_EXPIRY_MS = 60 * MINUTE;
/** Without orderExpireDatetime an SMS code can be (re)sent and checked for 30 minutes (spec §4.2.25). */
const SMS_CONFIRM_WINDOW_MS = 30 * MINUTE;

/**
 * orderExpireDatetime (spec §4.2.4; digest §2.5): a real CST time in the future, at most 24 h after creation; at most 60 min
 * for the methods that pass it to the channel; at least 1 min for ALLINPAY_WALLET_H5 — else 20015 过期时间设置错误.
 * `expiresAt` is when paying stops; `closesAt` when an unpaid order becomes closed — without an expiry, the daily batch
 * close of orders older than 24 h (modelled as exactly 24 h after creation).
 */
export function resolveExpiry(
  sent: string | undefined,
  methods: readonly PayMethodKey[],
  smsConfirm: boolean,
  now: Date,
): { expiresAt: Date; closesAt: Date } {
  const batchClose = addMs(now, MAX_ORDER_LIFETIME_MS);
  const walletH5 = methods.includes('ALLINPAY_WALLET_H5');
  if (sent === undefined) {
    if (walletH5) return { expiresAt: addMs(now, WALLET_H5_DEFAULT_EXPIRY_MS), closesAt: addMs(now, WALLET_H5_DEFAULT_EXPIRY_MS) };
    return { expiresAt: smsConfirm ? addMs(now, SMS_CONFIRM_WINDOW_MS) : batchClose, closesAt: batchClose };
  }
  const at = parseCstTimestamp(sent);
  const refuse = (reason: string) => SoaError.of('20015', `orderExpireDatetime ${reason}`);
  if (!at) throw refuse('不是有效的时间');
  const ahead = at.getTime() - now.getTime();
  if (ahead <= 0) throw refuse('必须晚于当前时间');
  if (ahead > MAX_ORDER_LIFETIME_MS) throw refuse('不能晚于订单创建后 24 小时');
  if (ahead > MAX_CHANNEL_EXPIRY_MS && methods.some((key) => PAY_METHOD_INFO[key].channelExpiry)) throw refuse('不能晚于订单创建后 60 分钟');
  if (walletH5 && ahead < WALLET_H5_MIN_EXPIRY_MS) throw refuse('至少为 1 分钟');
  return { expiresAt: at, closesAt: at };
}

/**
 * Per-member daily limit (spec §4.2.1 note 5): as payer, at most N consumption and N collection orders per CST day,
 * counting orders that succeeded or are still in progress or unpaid.
 */
export function checkDailyLimit(ctx: SandboxContext, payerId: string, orderType: OrderType): void {
  const limit = ctx.config.dailyOrderLimit;
  if (limit === false) return;
  const today = cstDay(ctx.now());
  const counted = ctx.orders
    .all()
    .filter((o) => o.payerId === payerId && o.orderType === orderType && cstDay(o.createdAt) === today && o.state !== 'failed' && o.state !== 'closed');
  if (counted.length >= limit) {
    throw SoaError.uncoded(orderType === 'consume' ? YUNST_UNCODED_MESSAGES.consumeDailyLimit : YUNST_UNCODED_MESSAGES.agentCollectDailyLimit);
  }
}
