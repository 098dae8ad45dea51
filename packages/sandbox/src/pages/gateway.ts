import { gatewayPayParam } from '@tsy/yunst';
import type express from 'express';
import type { SandboxContext } from '../context.js';
import { checkPaySms, latestPaySms, sendPaySms } from '../order-service/pay-sms.js';
import { SoaError } from '../soa/errors.js';
import { isValidAt } from '../state/sms.js';
import { frontPageRouter, openFrontConfirm } from './cashier.js';

/**
 * Front confirm through the gateway, /yungateway/frontTrans.do (spec §4.2.9), for GATEWAY_VSP, ALLINPAY_WALLET_H5 and
 * InstallmentPayment_H5. Combined with balance-type methods (validateType 1) the SMS code is checked: the one the request
 * carries, or else one typed on the page (a code is sent when none is valid).
 */
export function gatewayRouter(ctx: SandboxContext): express.Router {
  return frontPageRouter(ctx, 'gateway', '/yungateway/frontTrans.do', (fields) => {
    const { param, order } = openFrontConfirm(ctx, fields, gatewayPayParam, 'gateway');
    if (order.smsOnGateway && param.verificationCode) {
      const code = checkPaySms(ctx, order, param.verificationCode);
      if (!code) throw SoaError.of('20011');
      code.usedAt = ctx.now();
      return { order, returnUrl: order.frontUrl, codeOnPage: false };
    }
    if (order.smsOnGateway) {
      const last = latestPaySms(ctx, order);
      if (!last || !isValidAt(last, ctx.now())) sendPaySms(ctx, order);
    }
    return { order, returnUrl: order.frontUrl, codeOnPage: order.smsOnGateway };
  });
}
