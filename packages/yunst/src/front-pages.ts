import type { z } from 'zod';
import { buildSignedRequest, type SignedRequestFields } from './envelope.js';
import type { YunstEndpoints } from './environments.js';
import type { MerchantKey } from './keys.js';
import { gatewayPayParam, passwordPayParam } from './schemas/order-service.js';
import { YunstParamError } from './errors.js';

/** A form the browser posts to a YunST page: render hidden inputs and submit it. */
export interface FrontPageForm {
  readonly action: string;
  readonly method: 'POST';
  readonly fields: SignedRequestFields;
}

interface FrontFormOptions<P> {
  readonly sysid: string;
  readonly merchantKey: MerchantKey;
  readonly endpoints: Pick<YunstEndpoints, 'gatewayUrl' | 'passwordPayUrl'>;
  readonly param: P;
  /** Defaults to now: a page form is signed fresh each time it is handed out (the platform allows 10 minutes of skew). */
  readonly timestamp?: string;
}

function buildForm(action: string, method: 'pay', schema: z.ZodType, options: FrontFormOptions<unknown>): FrontPageForm {
  const checked = schema.safeParse(options.param);
  if (!checked.success) throw new YunstParamError('OrderService', method, checked.error.issues);
  const fields = buildSignedRequest(
    {
      sysid: options.sysid,
      service: 'OrderService',
      method,
      param: options.param as Record<string, unknown>,
      ...(options.timestamp === undefined ? {} : { timestamp: options.timestamp }),
    },
    options.merchantKey,
  );
  return { action, method: 'POST', fields };
}

/** Confirm pay (front + SMS code) on the gateway, `frontTrans.do` (spec §4.2.9): gateway, wallet H5, installments. */
export function buildGatewayPayForm(options: FrontFormOptions<z.input<typeof gatewayPayParam>>): FrontPageForm {
  return buildForm(options.endpoints.gatewayUrl, 'pay', gatewayPayParam, options);
}

/** Confirm pay (front + payment password) on `pwd/payOrder.html` (spec §4.2.10); the result returns to `jumpUrl`. */
export function buildPasswordPayForm(options: FrontFormOptions<z.input<typeof passwordPayParam>>): FrontPageForm {
  return buildForm(options.endpoints.passwordPayUrl, 'pay', passwordPayParam, options);
}
