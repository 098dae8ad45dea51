import type { SandboxContext } from '../context.js';
import { chooseInWallet } from '../order-service/wallet-choice.js';
import type { SandboxOrder } from '../state/orders.js';
import { refusalOf, sheetOf, type BridgeSheet } from './sheet.js';

/** The `result` AlipayJSBridge hands the `tradePay` callback; `resultCode` is a string. */
export interface TradePayResult {
  readonly resultCode: '9000' | '8000' | '6001' | '6002' | '4000' | '6004';
  readonly memo?: string;
}

/**
 * The payer's choices on Alipay's sheet: paid (9000); processing (8000: left in progress, succeeds by itself after
 * `codePayPendingMs` and is notified then); cancelled (6001) and network error (6002) leave the order unpaid; failed
 * (4000); unknown (6004): the payment went through but the app lost the answer, so only the server knows it is paid.
 */
export type AlipayOutcome = 'pay' | 'processing' | 'cancel' | 'network' | 'fail' | 'unknown';

const failed = (memo: string): TradePayResult => ({ resultCode: '4000', memo });

function checkTradePay(ctx: SandboxContext, tradeNO: unknown): { order: SandboxOrder } | { fail: TradePayResult } {
  if (tradeNO === undefined || tradeNO === null || tradeNO === '') return { fail: failed('缺少参数 tradeNO / missing tradeNO') };
  if (typeof tradeNO !== 'string') return { fail: failed('参数错误:tradeNO 必须是字符串 / tradeNO must be a string') };
  const order = ctx.orders.byTradeNO(tradeNO);
  if (!order) return { fail: failed('交易不存在 / no such trade') };
  const refusal = refusalOf(ctx, order);
  return refusal ? { fail: failed(refusal) } : { order };
}

export function alipaySheet(ctx: SandboxContext, tradeNO: unknown): { sheet: BridgeSheet } | { res: TradePayResult } {
  const checked = checkTradePay(ctx, tradeNO);
  return 'fail' in checked ? { res: checked.fail } : { sheet: sheetOf(ctx, checked.order, 'alipay') };
}

export function alipayChoose(ctx: SandboxContext, tradeNO: unknown, outcome: AlipayOutcome): TradePayResult {
  const checked = checkTradePay(ctx, tradeNO);
  if ('fail' in checked) return checked.fail;
  const { order } = checked;
  if (outcome === 'cancel') return { resultCode: '6001', memo: '用户中途取消 / cancelled by the payer' };
  if (outcome === 'network') return { resultCode: '6002', memo: '网络连接出错 / network error' };
  const result = chooseInWallet(ctx, order, outcome === 'unknown' ? 'pay' : outcome);
  ctx.config.log(`jsbridge alipay ${order.bizOrderNo} ${outcome} → ${result.payStatus}`);
  if (result.payStatus === 'fail') return failed(result.message);
  if (outcome === 'unknown') return { resultCode: '6004', memo: '支付结果未知 / result unknown' };
  if (result.payStatus === 'pending') return { resultCode: '8000', memo: '正在处理中 / processing' };
  return { resultCode: '9000', memo: '订单支付成功 / paid' };
}
