import { describeYunstErrorCode, YunstParamError, YunstPlatformError, YunstSignatureError, YunstTransportError, YunstFormatError } from '@tsy/yunst';

export type Language = 'zh' | 'en';

/** A failure the API reports as `{error: {code, message, details?, yunstCode?}}` with an HTTP status. */
export class CheckoutError extends Error {
  override name = 'CheckoutError';
  constructor(
    readonly status: number,
    /** Stable, machine-readable: `validation`, `not_found`, `yunst.40003`, … */
    readonly code: string,
    readonly messages: { readonly zh: string; readonly en: string },
    readonly extra: {
      readonly details?: unknown;
      readonly yunstCode?: string;
      readonly bizOrderNo?: string;
      /** Sent as `Retry-After`: the request may succeed when repeated after this many seconds. */
      readonly retryAfterSeconds?: number;
      /** Sent as `Allow` (a 405): the methods the path takes. */
      readonly allow?: readonly string[];
    } = {},
  ) {
    super(messages.en);
  }

  /**
   * The body a client gets. A 5xx's `details` are ours to read in the log, never the client's; a `validation` error names
   * the fields (`[{path}]`), not the validator's wording, which can describe our schemas.
   */
  toBody(language: Language): { error: Record<string, unknown> } {
    const details = this.status >= 500 ? undefined : this.code === 'validation' ? fieldsOnly(this.extra.details) : this.extra.details;
    return {
      error: {
        code: this.code,
        message: this.messages[language],
        ...(this.extra.yunstCode === undefined ? {} : { yunstCode: this.extra.yunstCode }),
        ...(this.extra.bizOrderNo === undefined ? {} : { bizOrderNo: this.extra.bizOrderNo }),
        // Also in the body: a page on another origin cannot read `Retry-After` unless CORS exposes it.
        ...(this.extra.retryAfterSeconds === undefined ? {} : { retryAfterSeconds: this.extra.retryAfterSeconds }),
        ...(details === undefined ? {} : { details }),
      },
    };
  }
}

function fieldsOnly(details: unknown): { path: string }[] | undefined {
  if (!Array.isArray(details)) return undefined;
  return details.flatMap((detail: unknown) => {
    const path = (detail as { path?: unknown } | null)?.path;
    return typeof path === 'string' ? [{ path }] : [];
  });
}

/** What an `Idempotency-Key` may be (payments, refunds): the rule as the API's validation message says it. */
export const IDEMPOTENCY_KEY = { pattern: /^[\w.:-]{1,100}$/, rule: 'must be 1–100 characters of [A-Za-z0-9_.:-]' } as const;

/** Whole seconds, at least 1: `Retry-After: 0` would invite an immediate repeat that is refused again. */
export const retryAfterSeconds = (ms: number): number => Math.max(1, Math.ceil(ms / 1000));

export const notFound = (what: { zh: string; en: string }) =>
  new CheckoutError(404, 'not_found', { zh: `${what.zh}不存在`, en: `${what.en} not found` });

/** A path under the API that it does not serve. */
export const noSuchEndpoint = () => new CheckoutError(404, 'not_found', { zh: '没有这个接口', en: 'No such endpoint' });

/** A path of the API asked with a method it does not take; `Allow` names the ones it does. */
export const methodNotAllowed = (allow: readonly string[]) =>
  new CheckoutError(405, 'method_not_allowed', { zh: '该接口不支持此请求方法', en: 'This endpoint does not take this method' }, { allow });

export const validationError = (details: unknown, message = { zh: '请求参数有误', en: 'The request is invalid' }) =>
  new CheckoutError(400, 'validation', message, { details });

type Issues = { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] };

/** zod's issues as `path: message` lines, for the log. */
export const issueLines = (error: Issues): string[] => error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`);

/** A request body zod refused: which fields (the body shows only their paths). */
export const invalidBody = (error: Issues) => validationError(error.issues.map((issue) => ({ path: issue.path.map(String).join('.'), message: issue.message })));

/** The platform lets only members with a bound phone create orders (spec §4.1, code 30021). */
export const payerPhoneRequired = (extra: CheckoutError['extra'] = {}) =>
  new CheckoutError(409, 'payer_phone_required', { zh: '请先绑定手机号', en: 'Bind a phone number before paying' }, extra);

/**
 * Turns a protocol-core error into what the API answers. The platform's own `message` is passed through (it is what
 * support staff will search for) next to the spec's text for the code.
 */
export function fromYunstError(error: unknown, bizOrderNo?: string): CheckoutError {
  const extra = bizOrderNo === undefined ? {} : { bizOrderNo };
  if (error instanceof CheckoutError) return error;
  if (error instanceof YunstPlatformError) {
    const zh = describeYunstErrorCode(error.errorCode, 'zh');
    return new CheckoutError(
      422,
      `yunst.${error.errorCode}`,
      { zh: error.platformMessage || zh || '支付平台拒绝了请求', en: error.messageEn ?? `The payment platform refused the request (${error.platformMessage})` },
      { ...extra, yunstCode: error.errorCode },
    );
  }
  if (error instanceof YunstTransportError) {
    return error.kind === 'timeout'
      ? new CheckoutError(504, 'yunst.timeout', { zh: '支付平台响应超时,结果将自动核对', en: 'The payment platform did not answer in time; the outcome will be checked automatically' }, extra)
      : new CheckoutError(502, 'yunst.unavailable', { zh: '暂时无法连接支付平台,结果将自动核对', en: 'The payment platform cannot be reached; the outcome will be checked automatically' }, extra);
  }
  if (error instanceof YunstSignatureError || error instanceof YunstFormatError) {
    return new CheckoutError(502, 'yunst.bad_answer', { zh: '支付平台的应答无法验证,结果将自动核对', en: 'The payment platform’s answer could not be verified; the outcome will be checked automatically' }, extra);
  }
  if (error instanceof YunstParamError) {
    return new CheckoutError(500, 'config', { zh: '商户支付配置有误', en: 'The merchant’s payment configuration is invalid' }, { ...extra, details: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })) });
  }
  throw error;
}
