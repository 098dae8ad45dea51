import { YUNST_API_VERSION, formatCstTimestamp, signSource } from '@tsy/yunst';
import type { SandboxConfig } from '../config.js';
import type { SandboxOrder } from '../state/orders.js';

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
 * The `rps` of an order result: `status` OK for a paid order; a front page that ends in a refusal returns `error` with the
 * code and message beside `returnValue` (digest §2.9, §9.3 item 12).
 */
export function orderResultRps(order: SandboxOrder, error?: { errorCode: string; message: string }): string {
  return JSON.stringify({
    service: 'OrderService',
    method: 'pay',
    status: error ? 'error' : 'OK',
    ...(error && { errorCode: error.errorCode, message: error.message }),
    returnValue: orderResultFields(order),
  });
}

/** The fields of a notification or page return, signed over `sysid + rps + timestamp` (spec §3.4). */
export function signedReturnFields(rps: string, config: SandboxConfig): Record<'sysid' | 'rps' | 'timestamp' | 'v' | 'sign', string> {
  const timestamp = formatCstTimestamp(config.clock());
  return { sysid: config.sysid, rps, timestamp, v: YUNST_API_VERSION, sign: signSource(config.sysid + rps + timestamp, config.platformSigningKey) };
}
