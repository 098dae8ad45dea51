import { YUNST_UNCODED_MESSAGES, type YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import { SECOND } from '../clock.js';
import type { RequestContext } from '../context.js';
import { SoaError } from '../soa/errors.js';
import { latestPaySms, sendPaySms } from './pay-sms.js';

type ResendPaySMSParam = z.output<typeof YUNST_METHODS.OrderService.resendPaySMS.param>;

const RESEND_INTERVAL_MS = 10 * SECOND;

/**
 * resendPaySMS (spec §4.2.25): only for an unpaid order confirmed by SMS code and still within its expiry (the sent
 * orderExpireDatetime, or 30 minutes); not within 10 s of the last send; the same code while it is valid, a new one after.
 */
export function resendPaySMS(ctx: RequestContext, param: ResendPaySMSParam): Record<string, unknown> {
  const order = ctx.orders.get(param.bizOrderNo);
  if (!order) throw SoaError.of('40000', param.bizOrderNo);
  const now = ctx.now();
  const smsConfirm = order.confirm === 'sms' || order.smsOnGateway;
  if (!smsConfirm || order.state !== 'unpaid' || now >= order.expiresAt) throw SoaError.uncoded(YUNST_UNCODED_MESSAGES.resendNotAllowed);
  const last = latestPaySms(ctx, order);
  if (last && now.getTime() - last.sentAt.getTime() < RESEND_INTERVAL_MS) throw SoaError.uncoded(YUNST_UNCODED_MESSAGES.resendTooSoon);
  const message = sendPaySms(ctx, order);
  return { bizOrderNo: order.bizOrderNo, orderNo: order.orderNo, phone: message.phone };
}
