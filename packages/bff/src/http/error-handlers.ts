import type { ErrorRequestHandler, Request } from 'express';
import type { Log } from '../checkout/context.js';
import { CheckoutError } from '../checkout/errors.js';
import type { Checkout } from '../checkout/index.js';
import { requestLanguage } from './client-info.js';
import { clientMistake } from './request-errors.js';
import { resultPageUrl } from './result-page.js';

const internal = () => new CheckoutError(500, 'internal', { zh: '服务器内部错误', en: 'Internal server error' });

/**
 * What a failed request answers, logged once the way its kind needs: a client mistake is not our failure (no stack; a
 * line only for the platform's callbacks, where a refusal means the platform will retry); a 5xx says in the log what the
 * body never carries (`details`); an error nobody anticipated is logged with its stack and answered `internal`.
 */
export function reportFailure(log: Log, req: Request, error: unknown, from: 'api' | 'platform callback' = 'api'): CheckoutError {
  const mistake = clientMistake(error);
  const failure = mistake ?? (error instanceof CheckoutError ? error : internal());
  const where = { method: req.method, path: req.originalUrl.split('?')[0] };
  if (!(error instanceof CheckoutError) && !mistake) {
    log('error', 'unexpected error', { ...where, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } else if (failure.status >= 500) {
    log('error', failure.message, { ...where, code: failure.code, ...(failure.extra.bizOrderNo ? { bizOrderNo: failure.extra.bizOrderNo } : {}), ...(failure.extra.details === undefined ? {} : { details: failure.extra.details }) });
  } else if (failure.code.startsWith('yunst.')) {
    // The platform refused what we sent (a signature it does not accept, a wrong sysid, a clock too far off): the operator
    // must see it in the log, not only the browser in its answer.
    log('warn', 'the platform refused a request', { ...where, status: failure.status, code: failure.code, ...(failure.extra.bizOrderNo ? { bizOrderNo: failure.extra.bizOrderNo } : {}) });
  } else if (from === 'platform callback') {
    log('warn', 'platform callback refused', { ...where, status: failure.status, code: failure.code, ...(failure.extra.bizOrderNo ? { bizOrderNo: failure.extra.bizOrderNo } : {}) });
  }
  return failure;
}

/** `/yunst/return` is a person's browser: whatever failed, it lands on the result page with `state=unknown`. */
export function browserReturnErrors(checkout: Checkout): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const failure = reportFailure(checkout.context.log, req, error, 'platform callback');
    res.redirect(303, resultPageUrl(checkout.config, { bizOrderNo: failure.extra.bizOrderNo, state: 'unknown' }));
  };
}

/**
 * The platform's callbacks (`/yunst/notify`): anything but `success` makes it retry. The body is the stable code alone —
 * no verification detail, no sysid, nothing the services' messages might say — and the status tells 4xx from 5xx.
 */
export function platformCallbackErrors(checkout: Checkout): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const failure = reportFailure(checkout.context.log, req, error, 'platform callback');
    res.status(failure.status).type('text/plain').send(failure.code);
  };
}

/** The checkout API: `{error: {code, message, …}}` in the client's language (CheckoutError#toBody decides what is shown). */
export function apiErrors(checkout: Checkout): ErrorRequestHandler {
  return (error, req, res, next) => {
    if (res.headersSent) return next(error);
    const failure = reportFailure(checkout.context.log, req, error);
    if (failure.extra.retryAfterSeconds !== undefined) res.set('retry-after', String(failure.extra.retryAfterSeconds));
    if (failure.extra.allow !== undefined) res.set('allow', failure.extra.allow.join(', '));
    res.status(failure.status).json(failure.toBody(requestLanguage(req)));
  };
}
