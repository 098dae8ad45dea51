/**
 * The payer's payment code ("付款码") as the wallets issue it, checked before any payment is created with it: a code
 * that cannot be one would only be refused by the platform after a payment was stored. Pure, no DOM.
 */

export type PaymentCodeWallet = 'wechat' | 'alipay' | 'unionpay';

export const PAYMENT_CODE_WALLETS: readonly PaymentCodeWallet[] = ['wechat', 'alipay', 'unionpay'];

/** The wallets' published formats: WeChat 18 digits from 10–15, Alipay 16–24 digits from 25–30, UnionPay 19 digits from 62. */
const FORMATS: readonly (readonly [PaymentCodeWallet, RegExp])[] = [
  ['wechat', /^1[0-5]\d{16}$/],
  ['alipay', /^(?:2[5-9]|30)\d{14,22}$/],
  ['unionpay', /^62\d{17}$/],
];

/** The wallet whose payment code `code` is (digits only, already normalised), or null when it is none of them. */
export function paymentCodeWallet(code: string): PaymentCodeWallet | null {
  for (const [wallet, format] of FORMATS) if (format.test(code)) return wallet;
  return null;
}

/**
 * What a person or a device typed, as the code it means: the spaces and dashes people type to group digits go, full-width
 * digits (a Chinese input method's ０–９) become ASCII. Anything else stays, so the check can say it is not a code.
 */
export function normalizePaymentCode(text: string): string {
  return text
    .replace(/[\s\u00a0\u3000\-\u2010-\u2015\u2212\uff0d]/g, '')
    .replace(/[\uff10-\uff19]/g, (digit) => String.fromCharCode(digit.charCodeAt(0) - 0xff10 + 0x30));
}

/** Why a text is not an acceptable code: `not_digits`, `unknown` (digits, but no wallet's format), `wallet` (filtered out). */
export type PaymentCodeProblem = 'empty' | 'not_digits' | 'unknown' | 'wallet';

export type PaymentCodeCheck =
  | { readonly ok: true; readonly code: string; readonly wallet: PaymentCodeWallet }
  | { readonly ok: false; readonly problem: PaymentCodeProblem; readonly code: string; readonly wallet: PaymentCodeWallet | null };

/** Normalises and checks a text against the accepted wallets. */
export function checkPaymentCode(text: string, accepted: readonly PaymentCodeWallet[] = PAYMENT_CODE_WALLETS): PaymentCodeCheck {
  const code = normalizePaymentCode(text);
  if (!code) return { ok: false, problem: 'empty', code, wallet: null };
  if (!/^\d+$/.test(code)) return { ok: false, problem: 'not_digits', code, wallet: null };
  const wallet = paymentCodeWallet(code);
  if (!wallet) return { ok: false, problem: 'unknown', code, wallet: null };
  if (!accepted.includes(wallet)) return { ok: false, problem: 'wallet', code, wallet };
  return { ok: true, code, wallet };
}

/**
 * The accepted wallets of a space- (or comma-) separated list: all for no list; unknown names are dropped (a list of only
 * unknown names accepts none, rather than silently all).
 */
export function parseWallets(list: string | null | undefined): readonly PaymentCodeWallet[] {
  const names = (list ?? '').toLowerCase().split(/[\s,]+/).filter(Boolean);
  if (!names.length) return PAYMENT_CODE_WALLETS;
  return PAYMENT_CODE_WALLETS.filter((wallet) => names.includes(wallet));
}

/** The code as it may be shown: every digit but the last 4 hidden, in groups of 4 from the end ("•••• •••• 1234"). */
export function maskPaymentCode(code: string): string {
  const masked = '•'.repeat(Math.max(0, code.length - 4)) + code.slice(-4);
  return masked.replace(/(.)(?=(.{4})+$)/g, '$1 ');
}
