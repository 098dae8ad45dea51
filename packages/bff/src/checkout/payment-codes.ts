import { createHmac } from 'node:crypto';
import type { CheckoutMethod, MethodSettings } from '../config/config.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError } from './errors.js';

/** The wallets whose payment code (付款码) a cashier can scan for CODEPAY_VSP(_ORG). */
export const PAYMENT_CODE_WALLETS = ['wechat', 'alipay', 'unionpay'] as const;
export type PaymentCodeWallet = (typeof PAYMENT_CODE_WALLETS)[number];

/**
 * The code formats the wallets publish: WeChat 18 digits starting 10–15, Alipay 16–24 digits starting 25–30, UnionPay
 * 19 digits starting 62. A code of none of them is refused here, so the platform is never asked to charge it.
 */
const PATTERNS: readonly [PaymentCodeWallet, RegExp][] = [
  ['wechat', /^1[0-5]\d{16}$/],
  ['alipay', /^(?:2[5-9]|30)\d{14,22}$/],
  ['unionpay', /^62\d{17}$/],
];

export function walletOfPaymentCode(code: string): PaymentCodeWallet | undefined {
  return PATTERNS.find(([, pattern]) => pattern.test(code))?.[0];
}

/** A used code is remembered this long: wallets renew a code every minute, so a day covers every replay that matters. */
export const PAYMENT_CODE_MEMORY_MS = 24 * 3600_000;

/** The methods whose payment is created from a scanned code (`authcode`). */
export const takesPaymentCode = (method: CheckoutMethod): boolean => method === 'CODEPAY_VSP';

/** The wallet of an `authcode`, refused (400) when it is no payment code or the merchant does not take that wallet. */
export function checkPaymentCode(authcode: string, settings: MethodSettings): PaymentCodeWallet {
  const wallet = walletOfPaymentCode(authcode);
  if (!wallet) {
    throw new CheckoutError(400, 'invalid_payment_code', {
      zh: '付款码无效:微信为 10–15 开头的 18 位数字,支付宝为 25–30 开头的 16–24 位数字,银联为 62 开头的 19 位数字',
      en: 'Not a payment code: WeChat codes are 18 digits starting 10–15, Alipay 16–24 digits starting 25–30, UnionPay 19 digits starting 62',
    });
  }
  if (settings.wallets && !settings.wallets.includes(wallet)) {
    throw new CheckoutError(
      400,
      'payment_code_wallet_not_accepted',
      { zh: '商户不接受该钱包的付款码', en: 'The shop does not take payment codes of this wallet' },
      { details: { wallet, accepted: settings.wallets } },
    );
  }
  return wallet;
}

/**
 * What is stored of a code to know it again: an HMAC-SHA256 under the install's own secret. It is for telling a reuse,
 * not a vault: the secret lives in the same database, so whoever has the database could test candidate codes — which
 * is acceptable only because a payment code is dead within about a minute of being shown.
 */
export async function paymentCodeDigest(ctx: CheckoutContext, authcode: string): Promise<string> {
  return createHmac('sha256', await installSecretOf(ctx.store)).update(authcode).digest('hex');
}

/** The install's secret never changes: read once per store, not on every code payment. */
const secrets = new WeakMap<CheckoutContext['store'], Promise<string>>();
function installSecretOf(store: CheckoutContext['store']): Promise<string> {
  let secret = secrets.get(store);
  if (!secret) {
    secret = store.installSecret();
    secrets.set(store, secret);
    secret.catch(() => secrets.delete(store));
  }
  return secret;
}

export const paymentCodeUsed = () =>
  new CheckoutError(409, 'payment_code_used', { zh: '该付款码已使用,请让付款人刷新付款码', en: 'This payment code was used already; ask the payer to refresh it' });

/** `6228 4811 …` → `622848********1234`: enough to tell codes apart in evidence, never enough to pay with. */
export const maskPaymentCode = (code: string): string => (code.length <= 10 ? '*'.repeat(code.length) : `${code.slice(0, 6)}${'*'.repeat(code.length - 10)}${code.slice(-4)}`);
