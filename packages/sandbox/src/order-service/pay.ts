import type { YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import type { RequestContext } from '../context.js';
import { behaviourOf, payConfirmed } from '../pay-methods/index.js';
import { SoaError } from '../soa/errors.js';
import { checkPaySms } from './pay-sms.js';
import { checkPayable } from './settle.js';

type PayParam = z.output<typeof YUNST_METHODS.OrderService.pay.param>;

/**
 * Back-end confirm with the SMS code (spec §4.2.8). `consumerIp` was already refused if it is a loopback name (10000, by the
 * shared schema). A failed payment answers `payStatus: fail` and is not notified (§3.7).
 */
export function pay(ctx: RequestContext, param: PayParam): Record<string, unknown> {
  const order = ctx.orders.get(param.bizOrderNo);
  if (!order) throw SoaError.of('40000', param.bizOrderNo);
  if (order.payerId !== param.bizUserId) throw SoaError.of('40022');
  checkPayable(ctx, order);
  if (order.confirm !== 'sms') throw SoaError.of('40027', '该订单不是短信验证码确认支付');
  const code = checkPaySms(ctx, order, param.verificationCode, behaviourOf(order).testSmsCode);
  if (!code) throw SoaError.of('20011');
  const outcome = payConfirmed(ctx, order);
  code.usedAt = ctx.now();
  ctx.config.log(`pay ${order.bizOrderNo} → ${outcome.payStatus}`);
  return {
    payStatus: outcome.payStatus,
    ...(outcome.payStatus === 'fail' && { payFailMessage: outcome.message }),
    bizUserId: order.payerId,
    bizOrderNo: order.bizOrderNo,
  };
}
