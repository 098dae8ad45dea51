import type { PaymentState, Settlement } from '@tsy/widgets';

/** The shop's own bilingual names for what it shows outside the checkout: its order list and the result page. */
const METHOD_LABELS: Record<string, readonly [string, string]> = {
  SCAN_WEIXIN: ['微信扫码支付', 'WeChat Pay (scan)'],
  SCAN_ALIPAY: ['支付宝扫码支付', 'Alipay (scan)'],
  SCAN_UNIONPAY: ['云闪付扫码支付', 'UnionPay (scan)'],
  WECHAT_PUBLIC: ['微信支付(公众号)', 'WeChat Pay (in WeChat)'],
  ALIPAY_SERVICE: ['支付宝(生活号)', 'Alipay (in Alipay)'],
  WECHATPAY_H5_OPEN: ['微信 H5 支付', 'WeChat Pay (H5)'],
  QQ_WALLET: ['QQ钱包', 'QQ Wallet'],
  GATEWAY_VSP: ['网银支付', 'Online banking'],
  ORDER_VSPPAY: ['POS 付款码', 'POS pay code'],
  ALLINPAY_WALLET_H5: ['通联钱包', 'Allinpay Wallet'],
  BALANCE: ['账户余额', 'Balance'],
};

/** `微信扫码支付 / WeChat Pay (scan)`, or only the Chinese name (`short`, for a table cell). */
export const methodLabel = (method: string, form: 'full' | 'short' = 'full'): string => {
  const label = METHOD_LABELS[method];
  if (!label) return method;
  return form === 'short' ? label[0] : `${label[0]} / ${label[1]}`;
};

export const STATE_TEXT: Record<PaymentState, readonly [string, string]> = {
  pending: ['等待支付', 'Waiting for payment'],
  success: ['支付成功', 'Payment successful'],
  failed: ['支付失败', 'Payment failed'],
  expired: ['支付已过期', 'Payment expired'],
  closed: ['订单已关闭', 'Order closed'],
};

/** A success that is money to refund, in the shop's words (the checkout says the same in its own). */
export const SETTLEMENT_TEXT: Record<Exclude<Settlement, 'paid'>, readonly [string, string]> = {
  double_paid: ['已支付 — 该订单此前已支付,本次款项将退回', 'Paid — this order was already paid; this payment will be refunded'],
  amount_mismatch: ['已支付 — 订单金额已变更,本次款项将退回', 'Paid — the order was re-priced; this payment will be refunded'],
  amount_differs: ['已支付 — 支付平台报告的金额不符,商店将核对并退款', 'Paid — the platform reports another amount; the shop will check and refund'],
};
