import type { ClientEnvironment, MethodGroup, UnusableReason } from '@tsy/contract';
import { z } from 'zod';
import type { BffConfig, CheckoutMethod, MethodSettings } from '../config/config.js';
import { PAY_METHOD_INFO, type PayMethodInfo, type PayMethodKey } from '@tsy/yunst';

export type { ClientEnvironment, UnusableReason };

/** Where the page runs, from its User-Agent: decides which methods can work at all. */
export function clientEnvironment(userAgent: string | undefined): ClientEnvironment {
  const ua = userAgent ?? '';
  if (/MicroMessenger/i.test(ua)) return 'wechat';
  if (/AlipayClient/i.test(ua)) return 'alipay';
  if (/Mobi|Android|iPhone|iPad|iPod|HarmonyOS/i.test(ua)) return 'mobile';
  return 'desktop';
}


/** What the payer's browser may add to a payment request, per method. Amounts never come from here. */
export const methodInputSchemas = {
  // Any short string: what is no payment code gets `invalid_payment_code` (payment-codes.ts), not a generic validation error.
  CODEPAY_VSP: z.object({ authcode: z.string().max(64) }),
  GATEWAY_VSP: z.object({ gateid: z.string().regex(/^\d{3,8}$/).optional() }),
  QUICKPAY_VSP: z.object({ bankCardNo: z.string().regex(/^\d{12,19}$/) }),
  // A credit card gives its expiry (MMYY) and CVV2 together, a debit card neither (spec §5.2).
  QUICKPAY_TLT: z
    .object({ bankCardNo: z.string().regex(/^\d{12,19}$/), validate: z.string().regex(/^\d{4}$/).optional(), cvv2: z.string().regex(/^\d{3}$/).optional() })
    .refine((value) => (value.validate === undefined) === (value.cvv2 === undefined), { message: 'validate and cvv2 go together', path: ['cvv2'] }),
  REALNAMEPAY: z.object({ bankCardNo: z.string().regex(/^\d{12,19}$/) }),
} as const satisfies Partial<Record<CheckoutMethod, z.ZodType>>;

/** Non-strict on purpose: fields that are not inputs of the method (an amount, a payee…) are dropped, not trusted. */
const EMPTY_INPUT = z.object({});
export function methodInputSchema(method: CheckoutMethod): z.ZodType<Record<string, string | undefined>> {
  return (methodInputSchemas as Partial<Record<CheckoutMethod, z.ZodType<Record<string, string | undefined>>>>)[method] ?? EMPTY_INPUT;
}

/** The payMethod key sent for a kit method: the `_ORG` twin in VSP group mode. */
export function payMethodKeyFor(method: CheckoutMethod, settings: MethodSettings): PayMethodKey {
  const org = `${method}_ORG`;
  if (settings.vspCusid && org in PAY_METHOD_INFO) return org as PayMethodKey;
  return method;
}

/** The merchant's settings of a method, when the method is enabled. */
export function enabledMethod(config: BffConfig, method: CheckoutMethod): MethodSettings | undefined {
  const settings = config.methods[method];
  return settings?.enabled ? settings : undefined;
}

export function methodInfo(method: CheckoutMethod): PayMethodInfo {
  return PAY_METHOD_INFO[method];
}

/** Where the picker shows a method: with its wallet, else by what the payer pays from (one rule, sent in MethodView). */
const GROUP_OF_METHOD: Partial<Record<CheckoutMethod, MethodGroup>> = {
  GATEWAY_VSP: 'bank',
  QUICKPAY_VSP: 'bank',
  QUICKPAY_TLT: 'bank',
  REALNAMEPAY: 'bank',
  BALANCE: 'balance',
  ALLINPAY_WALLET_H5: 'balance',
};
export function methodGroup(method: CheckoutMethod): MethodGroup {
  const wallet = methodInfo(method).wallet;
  if (wallet === 'wechat' || wallet === 'alipay' || wallet === 'unionpay') return wallet;
  return GROUP_OF_METHOD[method] ?? 'other';
}

/** The web flows a method can run in; methods for the merchant's own app are never usable from a web page. */
export function unusableReason(
  method: CheckoutMethod,
  environment: ClientEnvironment,
  payer: { acct?: Partial<Record<string, string>> },
): UnusableReason | undefined {
  const info = methodInfo(method);
  switch (info.outcome) {
    case 'payInfo-wechat-jsapi':
      if (environment !== 'wechat') return 'open_in_wechat';
      break;
    case 'payInfo-alipay-tradeNO':
      if (environment !== 'alipay') return 'open_in_alipay';
      break;
    case 'payInfo-mweb-url':
    case 'payInfo-link':
      if (environment === 'desktop') return 'open_on_mobile';
      if (method === 'WECHATPAY_H5_OPEN' && environment === 'wechat') return 'open_on_mobile';
      break;
    case 'payInfo-miniprogram':
    case 'payInfo-alipay-app':
    case 'weChatAPPInfo':
      return 'app_only';
    default:
      if (method === 'CODEPAY_VSP' && environment !== 'desktop') return 'desktop_only';
  }
  if (info.acctType && method !== 'WECHATPAY_PUBLIC_OPEN' && !payer.acct?.[info.acctType]) return 'payer_account_missing';
  return undefined;
}

export interface PayMethodContext {
  readonly amount: number;
  readonly settings: MethodSettings;
  readonly input: Record<string, string | undefined>;
  /** The payer's openid/user_id for JS methods, from resolveOrder. */
  readonly acct?: string;
  readonly consumerIp: string;
  /** Encrypts a sensitive field with the platform key (spec §3.5). */
  readonly encrypt: (plaintext: string) => string;
  readonly siteName: string;
  readonly siteUrl: string;
}

/** Builds the `payMethod` value for one method (spec §5.2), with every required field the method takes. */
export function payMethodValue(method: CheckoutMethod, ctx: PayMethodContext): Record<string, unknown> | Record<string, unknown>[] {
  const { amount, settings, input } = ctx;
  const vsp = settings.vspCusid ? { vspCusid: settings.vspCusid } : {};
  const cusip = ctx.consumerIp.slice(0, 16);
  switch (method) {
    case 'SCAN_WEIXIN':
    case 'SCAN_ALIPAY':
    case 'SCAN_UNIONPAY':
      return { ...vsp, amount, limitPay: settings.limitPay };
    case 'WECHATPAY_SCAN_OPEN':
      return { wxAppId: settings.appId, wxMchtId: settings.wxMchtId, amount, limitPay: settings.limitPay, cusip };
    case 'WECHAT_PUBLIC':
    case 'WECHATPAY_MINIPROGRAM':
      return { ...vsp, ...(settings.subAppid ? { subAppid: settings.subAppid } : {}), amount, limitPay: settings.limitPay, acct: ctx.acct };
    case 'WECHATPAY_PUBLIC_OPEN':
      return { wxAppId: settings.appId, wxMchtId: settings.wxMchtId, amount, limitPay: settings.limitPay, cusip, ...(ctx.acct ? { acct: ctx.acct } : {}) };
    case 'ALIPAY_SERVICE':
      return { ...vsp, amount, acct: ctx.acct };
    case 'QQ_WALLET':
      return { ...vsp, amount };
    case 'WECHATPAY_H5_OPEN':
      return {
        subAppId: settings.appId,
        amount,
        limitPay: settings.limitPay,
        cusip,
        sceneInfo: JSON.stringify({ h5_info: { type: 'Wap', wap_url: ctx.siteUrl, wap_name: settings.wapName ?? ctx.siteName } }),
      };
    case 'WECHATPAY_APP_OPEN':
      return { subAppId: settings.appId, amount, limitPay: settings.limitPay };
    case 'ALIPAY_APP_OPEN':
      return { amount };
    case 'CODEPAY_VSP':
      return { ...vsp, amount, authcode: input.authcode, limitPay: settings.limitPay };
    case 'ORDER_VSPPAY':
      return { ...vsp, amount };
    case 'GATEWAY_VSP':
      // A chosen bank (gateid) needs one paytype (spec §5.2): with "B2C,B2B" the payer picks the bank on the gateway page.
      return { amount, paytype: settings.paytype, ...(input.gateid && settings.paytype !== 'B2C,B2B' ? { gateid: input.gateid } : {}) };
    case 'ALLINPAY_WALLET_H5':
      return { amount: String(amount) };
    case 'BALANCE':
      return [{ accountSetNo: settings.accountSetNo, amount }];
    case 'QUICKPAY_VSP':
    case 'REALNAMEPAY':
      return { bankCardNo: ctx.encrypt(input.bankCardNo!), amount };
    case 'QUICKPAY_TLT':
      return {
        bankCardNo: ctx.encrypt(input.bankCardNo!),
        ...(input.validate ? { validate: ctx.encrypt(input.validate) } : {}),
        ...(input.cvv2 ? { cvv2: ctx.encrypt(input.cvv2) } : {}),
        amount,
      };
  }
}

/**
 * The validateType to send: none for methods that must not send it, 2 when the merchant chose password confirmation,
 * otherwise the platform default (SMS) is left implicit.
 */
export function validateTypeFor(method: CheckoutMethod, settings: MethodSettings): 0 | 1 | 2 | undefined {
  const allowed = methodInfo(method).validateTypes;
  if (allowed === null) return undefined;
  if (settings.usePassword && allowed.includes(2)) return 2;
  if (method === 'CODEPAY_VSP') return 0;
  if (method === 'GATEWAY_VSP' || method === 'ALLINPAY_WALLET_H5') return 0;
  return allowed.includes(1) ? 1 : undefined;
}

/** The longest a payment of this method may stay payable (spec §4.2.4, digest §2.5). */
export function maxExpiryMinutes(method: CheckoutMethod): number {
  if (methodInfo(method).channelExpiry || method === 'ALLINPAY_WALLET_H5') return 60;
  return 24 * 60;
}
