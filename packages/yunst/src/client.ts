import type { z } from 'zod';
import { buildSignedRequest, type SignedRequestFields } from './envelope.js';
import { YunstFormatError, YunstParamError, YunstPlatformError, YunstTransportError } from './errors.js';
import { encodeFormBody } from './form-encoding.js';
import type { MerchantKey, PlatformKey } from './keys.js';
import { YUNST_METHODS, type YunstMethod, type YunstParam, type YunstResult, type YunstService } from './schemas/index.js';
import { verifyResponse } from './signature.js';
import { formatCstTimestamp } from './timestamp.js';

export interface YunstClientOptions {
  readonly sysid: string;
  readonly merchantKey: MerchantKey;
  readonly platformKey: PlatformKey;
  /** `…/service/soa` of the platform or the sandbox. */
  readonly soaUrl: string;
  /** Per call, including reading the answer. Default 15 s. */
  readonly timeoutMs?: number;
  /** The clock that stamps requests (tests move it). */
  readonly clock?: () => Date;
  readonly fetch?: typeof fetch;
  /**
   * Check each param against the spec's schema before signing (default true). Turned off only to see how a platform or
   * sandbox answers a param the kit would never send.
   */
  readonly validateParams?: boolean;
}

/** Everything about one verified call: what was signed and sent, what came back, and its parse. */
export interface YunstExchange<T> {
  readonly service: string;
  readonly method: string;
  readonly request: SignedRequestFields;
  /** The raw answer body; keep it as the evidence of what the platform said. */
  readonly responseBody: string;
  readonly signedValue: string;
  readonly sign: string;
  readonly result: T;
}

export interface YunstClient {
  readonly sysid: string;
  /** Calls a method and returns the verified, parsed `signedValue`. */
  call<S extends YunstService, M extends YunstMethod<S>>(service: S, method: M, param: YunstParam<S, M>): Promise<YunstResult<S, M>>;
  /** Like `call`, with the signed request and the raw answer for storage. */
  exchange<S extends YunstService, M extends YunstMethod<S>>(service: S, method: M, param: YunstParam<S, M>): Promise<YunstExchange<YunstResult<S, M>>>;
}

const DEFAULT_TIMEOUT_MS = 15_000;

export function createYunstClient(options: YunstClientOptions): YunstClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clock = options.clock ?? (() => new Date());
  const doFetch = options.fetch ?? fetch;

  async function post(request: SignedRequestFields, label: string): Promise<string> {
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const response = await doFetch(options.soaUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8', accept: 'application/json' },
        body: encodeFormBody({ ...request }),
        signal,
      });
      const body = await response.text();
      if (response.status !== 200) throw new YunstTransportError(`${label}: HTTP ${response.status}`, 'http', response.status);
      return body;
    } catch (error) {
      if (error instanceof YunstTransportError) throw error;
      if (signal.aborted) throw new YunstTransportError(`${label}: no answer within ${timeoutMs} ms`, 'timeout', undefined, { cause: error });
      throw new YunstTransportError(`${label}: ${error instanceof Error ? error.message : String(error)}`, 'network', undefined, { cause: error });
    }
  }

  async function exchange<S extends YunstService, M extends YunstMethod<S>>(
    service: S,
    method: M,
    param: YunstParam<S, M>,
  ): Promise<YunstExchange<YunstResult<S, M>>> {
    const schemas = (YUNST_METHODS[service] as Record<string, { param: z.ZodType; result: z.ZodType }>)[method];
    if (!schemas) throw new YunstFormatError(`unknown method ${service}.${method}`);
    if (options.validateParams !== false) {
      const checked = schemas.param.safeParse(param);
      if (!checked.success) throw new YunstParamError(service, method, checked.error.issues);
    }

    // The caller's object is what gets serialised: validation is a gate, not a rewrite of what is signed.
    const request = buildSignedRequest(
      { sysid: options.sysid, service, method, param: param as Record<string, unknown>, timestamp: formatCstTimestamp(clock()) },
      options.merchantKey,
    );
    const label = `YunST ${service}.${method}`;
    const responseBody = await post(request, label);
    const verified = verifyResponse(responseBody, options.platformKey);
    if (verified.status === 'error') throw new YunstPlatformError(verified.errorCode, verified.message, service, method);

    const parsed = schemas.result.safeParse(verified.value);
    if (!parsed.success) {
      throw new YunstFormatError(`${label}: the verified answer does not match the spec: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
    const result = parsed.data as YunstResult<S, M> & { bizOrderNo?: unknown };
    const asked = (param as { bizOrderNo?: unknown }).bizOrderNo;
    if (asked !== undefined && result.bizOrderNo !== undefined && result.bizOrderNo !== asked) {
      throw new YunstFormatError(`${label}: answer is for bizOrderNo ${String(result.bizOrderNo)}, not ${String(asked)}`);
    }
    return { service, method, request, responseBody, signedValue: verified.signedValue, sign: verified.sign, result };
  }

  return {
    sysid: options.sysid,
    exchange,
    async call(service, method, param) {
      return (await exchange(service, method, param)).result;
    },
  };
}
