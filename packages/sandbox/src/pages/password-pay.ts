import { passwordPayParam } from '@tsy/yunst';
import type express from 'express';
import type { SandboxContext } from '../context.js';
import { isFrontMethod } from '../order-service/rules.js';
import { SoaError } from '../soa/errors.js';
import { PASSWORD_ATTEMPTS } from '../state/members.js';
import { frontPageRouter, openFrontConfirm } from './cashier.js';

/**
 * Front confirm with the payment password, /yungateway/pwd/payOrder.html (spec §4.2.10), for validateType 2 orders. The
 * sandbox accepts 123456 for every member; three wrong passwords lock the member (30033). The browser returns to `jumpUrl`
 * — or, when the order includes a gateway method, to the order's `frontUrl` ("jumpUrl not needed" then).
 */
export function passwordPayRouter(ctx: SandboxContext): express.Router {
  return frontPageRouter(ctx, 'password', '/yungateway/pwd/payOrder.html', (fields) => {
    const { param, order } = openFrontConfirm(ctx, fields, passwordPayParam, 'password');
    if (ctx.members.get(order.payerId)!.passwordFailures >= PASSWORD_ATTEMPTS) throw SoaError.of('30033');
    const viaGateway = order.methods.some(isFrontMethod);
    if (!viaGateway && !param.jumpUrl) throw SoaError.of('10001', 'jumpUrl');
    return { order, returnUrl: viaGateway ? order.frontUrl : param.jumpUrl, codeOnPage: false };
  });
}
