import { z } from 'zod';
import {
  bizOrderNo,
  bizUserId,
  consumerIp,
  cstDatetime,
  fen,
  maxChars,
  memberBizUserId,
  notifyUrl,
  payeeBizUserId,
  positiveFen,
  responseObject,
  source,
  validateType,
} from './common.js';
import { payMethodSchema } from './pay-methods.js';

/** OrderService (spec §4.2): applying for payment orders, confirming them, and asking about them. */

/** spec §5.3: one level of a split rule; `splitRuleList` nests the next level (max 3 levels, max 10 members). */
export interface SplitRuleEntry {
  bizUserId: string;
  accountSetNo?: string | undefined;
  amount: number;
  fee: number;
  remark?: string | undefined;
  splitRuleList?: SplitRuleEntry[] | undefined;
}
export const splitRuleEntry: z.ZodType<SplitRuleEntry> = z.lazy(() =>
  z.strictObject({
    bizUserId,
    accountSetNo: z.string().optional(),
    amount: fen,
    fee: fen,
    remark: z.string().max(50).optional(),
    splitRuleList: z.array(splitRuleEntry).optional(),
  }),
);

/** The fields every apply shares (spec §4.2.4, §4.2.5). */
const applyCommon = {
  bizOrderNo,
  payerId: memberBizUserId,
  amount: positiveFen,
  validateType: validateType.optional(),
  frontUrl: notifyUrl.optional(),
  backUrl: notifyUrl,
  orderExpireDatetime: cstDatetime.optional(),
  payMethod: payMethodSchema,
  /** spec §6.4 goods type. */
  goodsType: z.literal([2, 3, 4, 5, 90, 99]).optional(),
  bizGoodsNo: z.string().max(64).optional(),
  goodsName: z.string().max(64).optional(),
  goodsDesc: z.string().max(256).optional(),
  industryCode: z.string().regex(/^\d{4}$/, 'must be a four-digit code of spec §6.12'),
  industryName: z.string().min(1).max(32),
  source,
  summary: maxChars(20).optional(),
  extendInfo: maxChars(50).optional(),
};

export const consumeApplyParam = z.strictObject({
  ...applyCommon,
  recieverId: payeeBizUserId,
  fee: fen,
  splitRule: z.array(splitRuleEntry).optional(),
});

/** spec §5.8: one payee of a custody collection. */
export const recieverListEntry = z.strictObject({ bizUserId: memberBizUserId, amount: fen });

export const agentCollectApplyParam = z.strictObject({
  ...applyCommon,
  recieverList: z.array(recieverListEntry).min(1).max(2000),
  /** spec §6.11 business code, e.g. 3001 e-commerce consumption collection. */
  tradeCode: z.string().regex(/^\d{4}$/),
  fee: fen.optional(),
});

/** JSON text fields inside a JSON answer: kept as received, with their parse beside them. */
function parseNestedJson(text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined || !text.trimStart().startsWith('{')) return undefined;
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

const payStatus = z.enum(['success', 'pending', 'fail']);

/** The answer of consumeApply and agentCollectApply (identical field sets). */
export const applyResult = responseObject({
  payStatus: payStatus.optional(),
  payFailMessage: z.string().optional(),
  bizUserId: z.string().optional(),
  orderNo: z.string(),
  bizOrderNo: z.string(),
  tradeNo: z.string().optional(),
  payCode: z.string().optional(),
  extendInfo: z.string().optional(),
  /** A JSON text (or, in some answers, an object) with `weixinstr` (spec §5.13). */
  weChatAPPInfo: z.union([z.string(), z.record(z.string(), z.unknown())]).optional(),
  /** QR text, a link, a WeChat JSAPI JSON text, an Alipay tradeNO… depending on the method (digest §2.5). */
  payInfo: z.string().optional(),
  validateType: z.coerce.number().optional(),
}).transform((value) => ({
  ...value,
  /** `payInfo` parsed when it is a JSON text (WeChat JSAPI and mini-program parameters). */
  payInfoJson: parseNestedJson(value.payInfo),
  weChatAPPInfoJson: typeof value.weChatAPPInfo === 'string' ? parseNestedJson(value.weChatAPPInfo) : value.weChatAPPInfo,
}));
export const consumeApplyResult = applyResult;
export const agentCollectApplyResult = applyResult;

/** Back-end confirm with the SMS code (spec §4.2.8). */
export const payParam = z.strictObject({
  bizUserId,
  bizOrderNo,
  tradeNo: z.string().optional(),
  verificationCode: z.string().regex(/^\d{4,8}$/, 'must be the digits of the SMS code'),
  consumerIp,
});
export const payResult = responseObject({
  payStatus,
  payFailMessage: z.string().optional(),
  bizUserId: z.string(),
  bizOrderNo: z.string(),
});

/** Front confirm through the gateway page `frontTrans.do` (spec §4.2.9). */
export const gatewayPayParam = z.strictObject({
  bizUserId,
  bizOrderNo,
  verificationCode: z.string().optional(),
  consumerIp,
});

/** Front confirm on the payment-password page `pwd/payOrder.html` (spec §4.2.10). */
export const passwordPayParam = z.strictObject({
  bizUserId,
  bizOrderNo,
  jumpUrl: notifyUrl.optional(),
  consumerIp,
});

export const resendPaySMSParam = z.strictObject({ bizOrderNo });
export const resendPaySMSResult = responseObject({ bizOrderNo: z.string(), orderNo: z.string(), phone: z.string() });

export const getOrderDetailParam = z.strictObject({ bizOrderNo });

/** spec §6.9 order status: 1 unpaid, 3 failed, 4 success, 5 success-then-refunded, 6 closed, 99 in progress. */
export const ORDER_STATUS = { unpaid: 1, failed: 3, success: 4, refunded: 5, closed: 6, inProgress: 99 } as const;
export const orderStatus = z.literal(Object.values(ORDER_STATUS));

export const getOrderDetailResult = responseObject({
  orderNo: z.string(),
  bizOrderNo: z.string(),
  oriOrderNo: z.string().optional(),
  oriBizOrderNo: z.string().optional(),
  orderStatus: z.coerce.number().pipe(orderStatus),
  errorMessage: z.string().optional(),
  amount: fen,
  payDatetime: z.string().optional(),
  buyerBizUserId: z.string(),
  refundWhereabouts: z.coerce.number().optional(),
  payWhereabouts: z.coerce.number().optional(),
  acct: z.string().optional(),
  accttype: z.string().optional(),
  termno: z.string().optional(),
  cusid: z.string().optional(),
  payInterfaceOutTradeNo: z.string().optional(),
  termrefnum: z.string().optional(),
  channelFee: z.string().optional(),
  channelPaytime: z.string().optional(),
  payInterfacetrxcode: z.string().optional(),
  traceno: z.string().optional(),
  extendInfo: z.string().optional(),
});

/** spec §5.9: one payee's part of a custody-collection refund. Without `accountSetNo` it comes from the intermediate account. */
export const refundListEntry = z.strictObject({ accountSetNo: z.string().min(1).optional(), bizUserId: memberBizUserId, amount: positiveFen });

/** spec §4.2.16 `refundType`: D1 (the default) goes to the channel at D+1 14:30, D0 at once. */
export const refundType = z.enum(['D0', 'D1']);

/**
 * Refund (spec §4.2.16): a payment order of its own (`bizOrderNo`) giving back part or all of `oriBizOrderNo`. `amount` is
 * the whole refund and includes `feeAmount`, the part of the fee given back; `refundList` (custody collections) shares out
 * `amount − feeAmount`.
 */
export const refundParam = z
  .strictObject({
    bizOrderNo,
    oriBizOrderNo: bizOrderNo,
    /** The original order's payer (or the platform, `#yunBizUserId_B2C#`). */
    bizUserId: payeeBizUserId,
    refundType: refundType.optional(),
    refundList: z.array(refundListEntry).min(1).max(100).optional(),
    backUrl: notifyUrl.optional(),
    amount: positiveFen,
    couponAmount: fen.optional(),
    feeAmount: fen.optional(),
    extendInfo: maxChars(50).optional(),
  })
  .refine((param) => (param.couponAmount ?? 0) <= param.amount, { message: 'couponAmount must not exceed amount', path: ['couponAmount'] })
  .refine((param) => (param.feeAmount ?? 0) <= param.amount, { message: 'feeAmount must not exceed amount', path: ['feeAmount'] })
  .refine((param) => !param.refundList || param.refundList.reduce((sum, entry) => sum + entry.amount, 0) === param.amount - (param.feeAmount ?? 0), {
    message: 'refundList must add up to amount − feeAmount',
    path: ['refundList'],
  });
export const refundResult = responseObject({
  /** Refunds to a card, WeChat or Alipay are notified on success and failure (spec §4.2.16); to the balance only on success. */
  payStatus: payStatus.optional(),
  payFailMessage: z.string().optional(),
  orderNo: z.string(),
  bizOrderNo: z.string(),
  amount: fen,
  couponAmount: fen.optional(),
  feeAmount: fen.optional(),
  extendInfo: z.string().optional(),
});

/** The `rps` of an order result notification (spec §4.2.15). */
export const orderNotificationRps = responseObject({
  service: z.literal('OrderService'),
  method: z.string(),
  status: z.enum(['OK', 'pending', 'error']),
  errorCode: z.string().optional(),
  message: z.string().optional(),
  returnValue: responseObject({
    orderNo: z.string(),
    bizOrderNo: z.string(),
    oriOrderNo: z.string().optional(),
    oriBizOrderNo: z.string().optional(),
    amount: fen,
    payDatetime: z.string().optional(),
    buyerBizUserId: z.string(),
    refundWhereabouts: z.coerce.number().optional(),
    acct: z.string().optional(),
    extendInfo: z.string().optional(),
  }),
});
