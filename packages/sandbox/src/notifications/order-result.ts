import { YUNST_API_VERSION, formatCstTimestamp, signSource } from '@tsy/yunst';
import type { SandboxConfig } from '../config.js';
import type { SandboxOrder } from '../state/orders.js';
import type { SandboxRefund } from '../state/refunds.js';

/**
 * The order fields shared by the result notification's `returnValue` (spec §4.2.15) and getOrderDetail (§4.2.19):
 * only those with a value are sent, as the platform leaves empty optional fields out.
 */
export function orderResultFields(order: SandboxOrder): Record<string, unknown> {
  return {
    orderNo: order.orderNo,
    bizOrderNo: order.bizOrderNo,
    amount: order.amount,
    ...(order.payDatetime && { payDatetime: formatCstTimestamp(order.payDatetime) }),
    buyerBizUserId: order.payerId,
    ...order.channel,
    ...(order.extendInfo !== undefined && { extendInfo: order.extendInfo }),
  };
}

/**
 * The same fields of a refund order: "退款订单该字段才返回" oriOrderNo and oriBizOrderNo, `refundWhereabouts` ("退款,必填"),
 * `amount` the refund's, `buyerBizUserId` the refund's recipient (the original payer), and — for a refund that went back
 * along the channel and succeeded — what the channel reports about it.
 */
export function refundResultFields(refund: SandboxRefund): Record<string, unknown> {
  return {
    orderNo: refund.orderNo,
    bizOrderNo: refund.bizOrderNo,
    oriOrderNo: refund.oriOrderNo,
    oriBizOrderNo: refund.oriBizOrderNo,
    amount: refund.amount,
    ...(refund.payDatetime && { payDatetime: formatCstTimestamp(refund.payDatetime) }),
    buyerBizUserId: refund.bizUserId,
    refundWhereabouts: refund.whereabouts,
    ...refund.channel,
    ...(refund.extendInfo !== undefined && { extendInfo: refund.extendInfo }),
  };
}

type ResultError = { errorCode: string; message: string };

/**
 * The `rps` of an order result. §4.2.15 names the method `pay` for every order result, refunds included. `status` OK for a
 * paid order; a front page that ends in a refusal, or a channel refund that failed, returns `error` with the code and
 * message beside `returnValue` (digest §2.9, §9.3 item 12).
 */
function resultRps(returnValue: Record<string, unknown>, error?: ResultError): string {
  return JSON.stringify({
    service: 'OrderService',
    method: 'pay',
    status: error ? 'error' : 'OK',
    ...(error && { errorCode: error.errorCode, message: error.message }),
    returnValue,
  });
}

export function orderResultRps(order: SandboxOrder, error?: ResultError): string {
  return resultRps(orderResultFields(order), error);
}

export function refundResultRps(refund: SandboxRefund, error?: ResultError): string {
  return resultRps(refundResultFields(refund), error);
}

/** The fields of a notification or page return, signed over `sysid + rps + timestamp` (spec §3.4). */
export function signedReturnFields(rps: string, config: SandboxConfig): Record<'sysid' | 'rps' | 'timestamp' | 'v' | 'sign', string> {
  const timestamp = formatCstTimestamp(config.clock());
  return { sysid: config.sysid, rps, timestamp, v: YUNST_API_VERSION, sign: signSource(config.sysid + rps + timestamp, config.platformSigningKey) };
}
