import { z } from 'zod';
import { fen, limitPay } from './common.js';

/*
 * The `payMethod` values of every inbound method a checkout can use (spec §5.2; digest §4.2), with the field names exactly
 * as the API spells them (`subAppid` for VSP methods, `subAppId` for WeChat native ones). Objects are strict: a misspelt
 * key (`payType` for `paytype`) is an error here rather than a silent "field missing" at the platform.
 */

const vspCusid = z.string().min(1).max(32);
/** RSA-encrypted, upper-case hex (spec §3.5). */
const encryptedHex = z.string().regex(/^(?:[0-9A-F]{2})+$/, 'must be the RSA-encrypted value in upper-case hex (spec §3.5): whole bytes');
/** `benefitdetail` is typed JSONObject but the spec says "it is a String": a JSON text. */
const benefitdetail = z.string().max(6000);
const cusip = z.string().min(1).max(16);
const openid = z.string().min(1).max(128);

const wechatDiscounts = {
  goods_tag: z.string().max(32).optional(),
  benefitdetail: benefitdetail.optional(),
  chnlstoreid: z.string().max(64).optional(),
  subbranch: z.string().max(64).optional(),
};
const alipayDiscounts = {
  benefitdetail: benefitdetail.optional(),
  chnlstoreid: z.string().max(64).optional(),
  subbranch: z.string().max(64).optional(),
};

/** WeChat's native (non-VSP) methods name the merchant's WeChat app and merchant number and the payer's terminal IP. */
const wechatNative = {
  wxAppId: z.string().min(1),
  wxMchtId: z.string().min(1),
  amount: fen,
  limitPay,
  cusip,
  acct: openid.optional(),
  receipt: z.literal('Y').optional(),
};

const scan = z.strictObject({ amount: fen, limitPay });
const scanOrg = z.strictObject({ vspCusid, amount: fen, limitPay });

export const payMethodValueSchemas = {
  // Scan-to-pay: the merchant shows a QR (正扫).
  SCAN_WEIXIN: scan,
  SCAN_WEIXIN_ORG: scanOrg,
  SCAN_ALIPAY: z.strictObject({ amount: fen, limitPay, ...alipayDiscounts }),
  SCAN_ALIPAY_ORG: z.strictObject({ vspCusid, amount: fen, limitPay, ...alipayDiscounts }),
  SCAN_UNIONPAY: scan,
  SCAN_UNIONPAY_ORG: scanOrg,
  WECHATPAY_SCAN_OPEN: z.strictObject({ ...wechatNative, sceneInfo: z.string().optional() }),

  // JS pay inside the WeChat / Alipay / QQ apps, and WeChat H5.
  WECHAT_PUBLIC: z.strictObject({ limitPay, subAppid: z.string().optional(), acct: openid, amount: fen, ...wechatDiscounts }),
  WECHAT_PUBLIC_ORG: z.strictObject({ vspCusid, subAppid: z.string().optional(), amount: fen, acct: openid, limitPay, ...wechatDiscounts }),
  WECHATPAY_PUBLIC_OPEN: z.strictObject(wechatNative),
  ALIPAY_SERVICE: z.strictObject({ acct: openid, amount: fen, ...alipayDiscounts }),
  ALIPAY_SERVICE_ORG: z.strictObject({ vspCusid, amount: fen, acct: openid, ...alipayDiscounts }),
  QQ_WALLET: z.strictObject({ amount: fen }),
  QQ_WALLET_ORG: z.strictObject({ vspCusid, amount: fen }),
  WECHATPAY_H5_OPEN: z.strictObject({
    subAppId: z.string().min(1),
    amount: fen,
    limitPay,
    acct: openid.optional(),
    cusip,
    sceneInfo: z.string().min(1),
  }),

  // Parameters handed to the merchant's own app or mini-program.
  WECHATPAY_MINIPROGRAM: z.strictObject({ limitPay, subAppid: z.string().optional(), amount: fen, acct: openid, ...wechatDiscounts }),
  WECHATPAY_MINIPROGRAM_ORG: z.strictObject({
    vspCusid,
    subAppid: z.string().optional(),
    limitPay,
    amount: fen,
    acct: openid,
    ...wechatDiscounts,
  }),
  WECHATPAY_APP_OPEN: z.strictObject({ subAppId: z.string().min(1), amount: fen, limitPay }),
  ALIPAY_APP_OPEN: z.strictObject({ amount: fen, enablePayChannels: z.string().max(100).optional(), paysumm: z.string().max(100).optional() }),
  MOBILEAPPPAY_VSP: z.strictObject({ amount: fen }),

  // Code-swipe: the merchant scans the payer's payment code (被扫).
  CODEPAY_VSP: z.strictObject({ amount: fen, authcode: z.string().min(1).max(64), limitPay, ...wechatDiscounts }),
  CODEPAY_VSP_ORG: z.strictObject({ vspCusid, amount: fen, authcode: z.string().min(1).max(64), limitPay, ...wechatDiscounts }),

  // POS order mode.
  ORDER_VSPPAY: z.strictObject({ vspCusid: vspCusid.optional(), amount: fen }),

  // Front-page methods: gateway, wallet H5, installments.
  GATEWAY_VSP: z
    .strictObject({ amount: fen, gateid: z.string().max(16).optional(), paytype: z.enum(['B2C', 'B2B', 'B2C,B2B']) })
    .refine((value) => value.gateid === undefined || value.paytype !== 'B2C,B2B', { message: 'gateid needs paytype B2C or B2B (spec §5.2)', path: ['gateid'] }),
  /** The spec types this `amount` as a String, unlike every other method (digest §10 item 11). */
  ALLINPAY_WALLET_H5: z.strictObject({ amount: z.string().regex(/^\d+$/, 'must be fen as a digit string') }),
  InstallmentPayment_H5: z.strictObject({
    nper: z.union([z.literal(3), z.literal(6), z.literal(12), z.literal(24)]),
    channel: z.union([z.literal(0), z.literal(1)]),
    amount: fen,
    bankCardNo: encryptedHex,
  }),

  // Bank cards with an SMS (or password) confirm step.
  QUICKPAY_VSP: z.strictObject({ bankCardNo: encryptedHex, amount: fen }),
  // A credit card sends both its expiry and its CVV2, a debit card neither (spec §5.2 信用卡必填).
  QUICKPAY_TLT: z
    .strictObject({ bankCardNo: encryptedHex, validate: encryptedHex.optional(), cvv2: encryptedHex.optional(), amount: fen })
    .refine((value) => (value.validate === undefined) === (value.cvv2 === undefined), { message: 'validate and cvv2 go together (credit cards)', path: ['cvv2'] }),
  REALNAMEPAY: z.strictObject({ bankCardNo: encryptedHex, amount: fen }),
  REALNAMEPAY_BATCH: z.strictObject({ bankCardNo: encryptedHex, amount: fen }),

  // Balance-type (account) methods, combinable with one channel method.
  BALANCE: z.array(z.strictObject({ accountSetNo: z.string().min(1), amount: fen })).min(1),
  COUPON: z.strictObject({ amount: fen, accountSetNo: z.string().min(1).optional() }),
} as const;

export type PayMethodKey = keyof typeof payMethodValueSchemas;
export const PAY_METHOD_KEYS = Object.keys(payMethodValueSchemas) as PayMethodKey[];

export type PayMethod = { [K in PayMethodKey]?: z.input<(typeof payMethodValueSchemas)[K]> };

/** What the apply answer carries and which confirm step follows (spec §5.2 explanation table; digest §4.3, §8). */
export type ApplyOutcome =
  | 'payInfo-qr'
  | 'payInfo-wechat-jsapi'
  | 'payInfo-alipay-tradeNO'
  | 'payInfo-link'
  | 'payInfo-mweb-url'
  | 'payInfo-miniprogram'
  | 'payInfo-alipay-app'
  | 'weChatAPPInfo'
  | 'orderNo'
  | 'payCode'
  | 'payStatus'
  | 'sms'
  | 'front';

export interface PayMethodInfo {
  readonly nameZh: string;
  /** `channel`: money enters from outside; `balance`: YunST account funds (BALANCE, COUPON) — spec §5.2 note 4. */
  readonly kind: 'channel' | 'balance';
  /** May appear together with other methods in one order (spec §4.2.1, §5.2 note 3). */
  readonly combinable: boolean;
  readonly outcome: ApplyOutcome;
  /** validateType values the method accepts; `null` = "do not send validateType". */
  readonly validateTypes: readonly (0 | 1 | 2)[] | null;
  /** `orderExpireDatetime` is passed to the channel and capped at 60 minutes (spec §4.2.4; digest §2.5 item 2). */
  readonly channelExpiry: boolean;
  /** The payer's openid/user_id travels in `acct` and must be bound with applyBindAcct (spec §4.1.23). */
  readonly acctType?: 'weChatPublic' | 'weChatMiniProgram' | 'aliPayService';
  /** Which wallet app a QR or JS flow belongs to. */
  readonly wallet?: 'wechat' | 'alipay' | 'unionpay' | 'qq';
}

const info = (nameZh: string, rest: Omit<PayMethodInfo, 'nameZh' | 'kind' | 'channelExpiry'> & Partial<PayMethodInfo>): PayMethodInfo => ({
  nameZh,
  kind: 'channel',
  channelExpiry: false,
  ...rest,
});
const noConfirm = { combinable: false, validateTypes: null } as const;

export const PAY_METHOD_INFO: { readonly [K in PayMethodKey]: PayMethodInfo } = {
  SCAN_WEIXIN: info('微信扫码支付(正扫)', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'wechat' }),
  SCAN_WEIXIN_ORG: info('微信扫码支付(正扫)_集团', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'wechat' }),
  SCAN_ALIPAY: info('支付宝扫码支付(正扫)', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'alipay' }),
  SCAN_ALIPAY_ORG: info('支付宝扫码支付(正扫)_集团', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'alipay' }),
  SCAN_UNIONPAY: info('银联扫码支付(正扫)', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'unionpay' }),
  SCAN_UNIONPAY_ORG: info('银联扫码支付(正扫)_集团', { ...noConfirm, outcome: 'payInfo-qr', channelExpiry: true, wallet: 'unionpay' }),
  WECHATPAY_SCAN_OPEN: info('微信原生正扫支付', { ...noConfirm, outcome: 'payInfo-qr', wallet: 'wechat' }),
  WECHAT_PUBLIC: info('微信JS支付(公众号)', { ...noConfirm, outcome: 'payInfo-wechat-jsapi', channelExpiry: true, acctType: 'weChatPublic', wallet: 'wechat' }),
  WECHAT_PUBLIC_ORG: info('微信JS支付(公众号)_集团', {
    ...noConfirm,
    outcome: 'payInfo-wechat-jsapi',
    channelExpiry: true,
    acctType: 'weChatPublic',
    wallet: 'wechat',
  }),
  WECHATPAY_PUBLIC_OPEN: info('微信原生JS支付', { ...noConfirm, outcome: 'payInfo-wechat-jsapi', wallet: 'wechat' }),
  ALIPAY_SERVICE: info('支付宝JS支付(生活号)', { ...noConfirm, outcome: 'payInfo-alipay-tradeNO', acctType: 'aliPayService', wallet: 'alipay' }),
  ALIPAY_SERVICE_ORG: info('支付宝JS支付(生活号)_集团', { ...noConfirm, outcome: 'payInfo-alipay-tradeNO', acctType: 'aliPayService', wallet: 'alipay' }),
  QQ_WALLET: info('QQ钱包JS支付', { ...noConfirm, outcome: 'payInfo-link', wallet: 'qq' }),
  QQ_WALLET_ORG: info('QQ钱包JS支付_集团', { ...noConfirm, outcome: 'payInfo-link', wallet: 'qq' }),
  WECHATPAY_H5_OPEN: info('微信原生H5支付', { ...noConfirm, outcome: 'payInfo-mweb-url', wallet: 'wechat' }),
  WECHATPAY_MINIPROGRAM: info('微信小程序支付(收银宝)', {
    ...noConfirm,
    outcome: 'payInfo-miniprogram',
    channelExpiry: true,
    acctType: 'weChatMiniProgram',
    wallet: 'wechat',
  }),
  WECHATPAY_MINIPROGRAM_ORG: info('微信小程序支付_集团(收银宝)', {
    ...noConfirm,
    outcome: 'payInfo-miniprogram',
    channelExpiry: true,
    acctType: 'weChatMiniProgram',
    wallet: 'wechat',
  }),
  WECHATPAY_APP_OPEN: info('微信原生APP支付', { ...noConfirm, outcome: 'weChatAPPInfo', channelExpiry: true, wallet: 'wechat' }),
  ALIPAY_APP_OPEN: info('支付宝原生APP支付', { ...noConfirm, outcome: 'payInfo-alipay-app', wallet: 'alipay' }),
  MOBILEAPPPAY_VSP: info('收银宝手机银行APP', { ...noConfirm, outcome: 'orderNo' }),
  CODEPAY_VSP: info('收银宝刷卡支付(被扫)', { combinable: false, validateTypes: [0], outcome: 'payStatus' }),
  CODEPAY_VSP_ORG: info('收银宝刷卡支付(被扫)_集团', { combinable: false, validateTypes: [0], outcome: 'payStatus' }),
  ORDER_VSPPAY: info('收银宝POS当面付及订单模式支付', { ...noConfirm, outcome: 'payCode' }),
  GATEWAY_VSP: info('收银宝网关支付', { combinable: true, validateTypes: [0, 1, 2], outcome: 'front' }),
  ALLINPAY_WALLET_H5: info('通联钱包H5支付', { combinable: true, validateTypes: [0, 1, 2], outcome: 'front' }),
  InstallmentPayment_H5: info('小通分期', { ...noConfirm, outcome: 'front' }),
  QUICKPAY_VSP: info('收银宝快捷支付', { combinable: false, validateTypes: [0, 1], outcome: 'payStatus' }),
  QUICKPAY_TLT: info('通联通协议支付', { combinable: true, validateTypes: [1, 2], outcome: 'sms' }),
  REALNAMEPAY: info('实名付(单笔)', { combinable: true, validateTypes: [1, 2], outcome: 'sms' }),
  REALNAMEPAY_BATCH: info('实名付(批量)', { combinable: true, validateTypes: [1, 2], outcome: 'sms' }),
  BALANCE: info('账户余额', { kind: 'balance', combinable: true, validateTypes: [1, 2], outcome: 'sms' }),
  COUPON: info('代金券', { kind: 'balance', combinable: true, validateTypes: [1, 2], outcome: 'sms' }),
};

/** The amount a payMethod value carries, in fen (BALANCE sums its entries; ALLINPAY_WALLET_H5 sends a string). */
export function payMethodAmount(key: PayMethodKey, value: unknown): number {
  if (key === 'BALANCE') return (value as { amount: number }[]).reduce((sum, entry) => sum + entry.amount, 0);
  return Number((value as { amount: number | string }).amount);
}

/** A `payMethod` object: at least one known key, each value valid for its key. */
export const payMethodSchema = z
  .strictObject(
    Object.fromEntries(PAY_METHOD_KEYS.map((key) => [key, payMethodValueSchemas[key].optional()])) as {
      [K in PayMethodKey]: z.ZodOptional<(typeof payMethodValueSchemas)[K]>;
    },
  )
  .refine((value) => Object.values(value).some((entry) => entry !== undefined), { message: 'payMethod needs at least one method' });
