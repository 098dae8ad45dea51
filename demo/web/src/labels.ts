import type { PaymentState } from '@tsy/widgets';

/** The shop's own bilingual names for what it shows outside the checkout: its order list and the result page. */
const METHOD_LABELS: Record<string, readonly [string, string]> = {
  SCAN_WEIXIN: ['微信扫码支付', 'WeChat Pay (scan)'],
  SCAN_ALIPAY: ['支付宝扫码支付', 'Alipay (scan)'],
  SCAN_UNIONPAY: ['云闪付扫码支付', 'UnionPay (scan)'],
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
