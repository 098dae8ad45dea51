import { ORDER_STATUS, type YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import type { RequestContext } from '../context.js';
import { orderResultFields, refundResultFields } from '../notifications/order-result.js';
import { SoaError } from '../soa/errors.js';
import { ORDER_STATUS_OF } from '../state/orders.js';
import { REFUND_STATUS_OF } from '../state/refunds.js';

type GetOrderDetailParam = z.output<typeof YUNST_METHODS.OrderService.getOrderDetail.param>;

/**
 * getOrderDetail (spec §4.2.19): the §6.9 status, with the failure reason or the payment's channel details. A refund order
 * answers 99 while pending, 4 or 3 once the channel answered, with oriOrderNo, oriBizOrderNo and refundWhereabouts. A paid
 * order answers 5 交易成功-发生退款 once any refund of it has succeeded, partial ones included: §6.9 says "交易成功,但是
 * 发生了退款" and names no amount (a pending or failed refund leaves it at 4).
 */
export function getOrderDetail(ctx: RequestContext, param: GetOrderDetailParam): Record<string, unknown> {
  const order = ctx.orders.get(param.bizOrderNo);
  if (order) {
    const refunded = order.state === 'success' && ctx.refunds.refundedAmount(order.bizOrderNo) > 0;
    return {
      ...orderResultFields(order),
      orderStatus: refunded ? ORDER_STATUS.refunded : ORDER_STATUS_OF[order.state],
      ...(order.state === 'failed' && { errorMessage: order.errorMessage }),
    };
  }
  const refund = ctx.refunds.get(param.bizOrderNo);
  if (!refund) throw SoaError.of('40000', param.bizOrderNo);
  return {
    ...refundResultFields(refund),
    orderStatus: REFUND_STATUS_OF[refund.state],
    ...(refund.state === 'failed' && { errorMessage: refund.errorMessage }),
  };
}
