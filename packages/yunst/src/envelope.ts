import type { MerchantKey } from './keys.js';
import { signRequest } from './signature.js';
import { formatCstTimestamp } from './timestamp.js';

/** Interface version of every request (spec §3.1). */
export const YUNST_API_VERSION = '2.0';

/** The form fields of a signed request, for `/service/soa` or a front page. */
export interface SignedRequestFields {
  readonly sysid: string;
  readonly sign: string;
  readonly timestamp: string;
  readonly v: string;
  readonly req: string;
}

export interface RequestToSign {
  readonly sysid: string;
  readonly service: string;
  readonly method: string;
  readonly param: Readonly<Record<string, unknown>>;
  /** Defaults to now, in CST. */
  readonly timestamp?: string;
}

/**
 * Serialises `req` once and signs exactly that string, so what is signed is byte for byte what is sent.
 */
export function buildSignedRequest(request: RequestToSign, key: MerchantKey): SignedRequestFields {
  const req = JSON.stringify({ service: request.service, method: request.method, param: request.param });
  const timestamp = request.timestamp ?? formatCstTimestamp();
  return { sysid: request.sysid, sign: signRequest({ sysid: request.sysid, req, timestamp }, key), timestamp, v: YUNST_API_VERSION, req };
}
