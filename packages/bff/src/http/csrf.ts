import { parse as parseContentType } from 'content-type';
import type { NextFunction, Request, Response } from 'express';
import type { Log } from '../checkout/context.js';
import { CheckoutError } from '../checkout/errors.js';
import type { BffConfig } from '../config/config.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
/** Origins said once each in the log (a wrong `allowedOrigins` shows at once); capped, so a flood of them cannot grow it. */
const ORIGINS_LOGGED_AT_MOST = 32;

export const crossOriginRefused = (origin?: string) =>
  new CheckoutError(403, 'cross_origin_refused', { zh: '拒绝来自其他网站的请求', en: 'Requests from another site are refused' }, origin ? { details: { origin } } : {});

export const jsonRequired = () =>
  new CheckoutError(415, 'json_required', { zh: '请求须为 JSON(Content-Type: application/json)', en: 'The request must be JSON (Content-Type: application/json)' });

/**
 * The request's own origin, as the browser names it: its scheme with the request's host (`Host`, or `X-Forwarded-Host`
 * when the app's `trust proxy` trusts the hop — Express's `req.host`). Only the host is compared (a proxy that ends TLS
 * without `X-Forwarded-Proto` makes `req.protocol` wrong, the host stays right); the Origin's scheme stands in for it.
 */
function isOwnOrigin(origin: URL, req: Request): boolean {
  const host = req.host;
  if (!host) return false;
  try {
    return new URL(`${origin.protocol}//${host}`).host === origin.host;
  } catch {
    return false;
  }
}

/**
 * CSRF: a state-changing call of the checkout API (every method but GET, HEAD and OPTIONS) is taken only from a page the
 * merchant allows, and only as JSON.
 *
 * - `Content-Type: application/json`, else 415 `json_required`: a cross-site `<form>` or any other "simple" request
 *   cannot send it, and a cross-origin `fetch` that does needs a CORS preflight, which only `cors.origins` pass.
 * - `Origin`, when the browser sends one (it does with every POST): one of `allowedOrigins` and `cors.origins`, or, with
 *   no `allowedOrigins` set, the request's own host; `null` (a sandboxed frame, a redirected post) never. Without Origin,
 *   `Sec-Fetch-Site`: `same-origin` and `none` (typed by the user) pass, `same-site` and `cross-site` do not — nothing
 *   there says which site. Neither header (a server, curl): the JSON rule alone.
 *
 * Refusals are 403 `cross_origin_refused`. The platform's callbacks (`/yunst/…`) are not behind this: they come from the
 * platform, not a browser page, and their signature protects them.
 */
export function refuseCrossSiteRequests(config: Pick<BffConfig, 'allowedOrigins' | 'cors'>, log: Log): (req: Request, res: Response, next: NextFunction) => void {
  const listed = config.allowedOrigins || config.cors ? new Set([...(config.allowedOrigins ?? []), ...(config.cors?.origins ?? [])]) : undefined;
  const ownHostAllowed = config.allowedOrigins === undefined;
  const logged = new Set<string>();

  const originAllowed = (origin: string, req: Request): boolean => {
    if (listed?.has(origin)) return true;
    if (!ownHostAllowed) return false;
    let url: URL;
    try {
      url = new URL(origin);
    } catch {
      return false;
    }
    return url.origin === origin && isOwnOrigin(url, req);
  };

  return (req, _res, next) => {
    if (SAFE_METHODS.has(req.method)) return next();
    const origin = req.get('origin');
    if (origin !== undefined) {
      if (!originAllowed(origin, req)) {
        if (!logged.has(origin) && logged.size < ORIGINS_LOGGED_AT_MOST) {
          logged.add(origin);
          log('warn', 'a request from another origin was refused (CSRF); if it is the shop’s own page, add its origin to allowedOrigins', { origin: origin.slice(0, 200) });
        }
        return next(crossOriginRefused(origin.slice(0, 200)));
      }
    } else {
      const site = req.get('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') return next(crossOriginRefused());
    }
    let type: string | undefined;
    try {
      type = req.headers['content-type'] ? parseContentType(req.headers['content-type']).type : undefined;
    } catch {
      type = undefined;
    }
    if (type !== 'application/json') return next(jsonRequired());
    next();
  };
}
