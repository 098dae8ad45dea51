import { PAY_METHOD_INFO } from '@tsy/yunst';
import type { SandboxContext } from '../context.js';
import { checkPayable } from '../order-service/settle.js';
import { formatYuan } from '../pages/html.js';
import { SoaError } from '../soa/errors.js';
import type { SandboxOrder } from '../state/orders.js';

/** What the wallet's pay sheet shows: the payee and the amount of the order the bridge was handed. */
export interface BridgeSheet {
  readonly wallet: 'wechat' | 'alipay';
  readonly merchantName: string;
  readonly amount: number;
  readonly amountText: string;
  readonly goods: string;
  readonly bizOrderNo: string;
  readonly method: string;
}

export function sheetOf(ctx: SandboxContext, order: SandboxOrder, wallet: BridgeSheet['wallet']): BridgeSheet {
  return {
    wallet,
    merchantName: ctx.config.merchantName,
    amount: order.amount,
    amountText: formatYuan(order.amount),
    goods: order.goodsName ?? order.summary ?? '—',
    bizOrderNo: order.bizOrderNo,
    method: PAY_METHOD_INFO[order.primaryMethod].nameZh,
  };
}

/** Why the wallet would refuse to pay the order now (already paid, closed, expired…), in the platform's words; or nothing. */
export function refusalOf(ctx: SandboxContext, order: SandboxOrder): string | undefined {
  if (order.state === 'success') return '该订单已支付 / This order has been paid';
  try {
    checkPayable(ctx, order);
    return undefined;
  } catch (error) {
    if (!(error instanceof SoaError)) throw error;
    return `${error.message} (${error.errorCode})`;
  }
}
