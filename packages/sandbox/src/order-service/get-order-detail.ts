import type { YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import type { RequestContext } from '../context.js';
import { orderResultFields } from '../notifications/order-result.js';
import { SoaError } from '../soa/errors.js';
import { ORDER_STATUS_OF } from '../state/orders.js';

type GetOrderDetailParam = z.output<typeof YUNST_METHODS.OrderService.getOrderDetail.param>;

/** getOrderDetail (spec §4.2.19): the §6.9 status, with the failure reason or the payment's channel details. */
export function getOrderDetail(ctx: RequestContext, param: GetOrderDetailParam): Record<string, unknown> {
  const order = ctx.orders.get(param.bizOrderNo);
  if (!order) throw SoaError.of('40000', param.bizOrderNo);
  return {
    ...orderResultFields(order),
    orderStatus: ORDER_STATUS_OF[order.state],
    ...(order.state === 'failed' && { errorMessage: order.errorMessage }),
  };
}
