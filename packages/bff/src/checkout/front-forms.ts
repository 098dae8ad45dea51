import { buildGatewayPayForm, buildPasswordPayForm, type FrontPageForm } from '@tsy/yunst';
import type { PaymentRecord } from '../store/types.js';
import type { FrontPage } from './actions.js';
import { callbackUrls, type CheckoutContext } from './context.js';

/**
 * A freshly signed front-page form for a payment (spec §4.2.9 gateway, §4.2.10 password page): signed when it is handed
 * out, never stored signed, because the platform allows only 10 minutes between the timestamp and the post.
 */
export function frontForm(ctx: CheckoutContext, payment: PaymentRecord, page: FrontPage, consumerIp: string): FrontPageForm {
  const common = { sysid: ctx.config.sysid, merchantKey: ctx.merchantKey, endpoints: ctx.config.yunstEndpoints };
  const base = { bizUserId: payment.payerBizUserId, bizOrderNo: payment.bizOrderNo, consumerIp };
  return page === 'password'
    ? buildPasswordPayForm({ ...common, param: { ...base, jumpUrl: callbackUrls(ctx.config).frontUrl } })
    : buildGatewayPayForm({ ...common, param: base });
}
