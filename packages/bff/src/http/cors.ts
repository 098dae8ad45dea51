import cors from 'cors';
import type { NextFunction, Request, Response } from 'express';
import type { BffConfig } from '../config/config.js';

/** What the widgets send beyond the CORS-safelisted headers: JSON bodies, a create's key, an event stream's resume point. */
const WIDGET_HEADERS = ['content-type', 'idempotency-key', 'last-event-id', 'accept-language'];

/**
 * CORS for a BFF on another origin than the shop's pages, with the `cors` package (preflights, `Vary: Origin`, the
 * headers' exact rules are its well-tested job). Off without `config.cors`: no CORS header at all, so a browser lets no
 * other origin read an answer. On: only the listed origins get `Access-Control-Allow-Origin` (their own, never `*`); any
 * other origin gets no CORS header at all (its preflight is the router's plain OPTIONS answer), so the browser refuses
 * the call. `Access-Control-Allow-Credentials` only when `credentials` is set, and only to a listed origin.
 * `Retry-After` is exposed: the widgets read it on a 409 or 429.
 */
export function corsPolicy(config: Pick<BffConfig, 'cors'>): (req: Request, res: Response, next: NextFunction) => void {
  if (!config.cors) return (_req, _res, next) => next();
  const listed = new Set(config.cors.origins);
  const forListed: cors.CorsOptions = {
    origin: true,
    credentials: config.cors.credentials,
    methods: ['GET', 'POST'],
    allowedHeaders: WIDGET_HEADERS,
    exposedHeaders: ['retry-after'],
    maxAge: 600,
  };
  // Per request: a listed origin gets the whole policy (its own origin reflected); any other none of it — not even
  // `Allow-Credentials`, which the package would otherwise send to everyone.
  const policy = cors((req, callback) => callback(null, listed.has(req.headers.origin ?? '') ? forListed : { origin: false }));
  return (req, res, next) => {
    // The answer differs by Origin for every origin, a refused one too: no cache may hand one origin's to another.
    res.vary('Origin');
    policy(req, res, next);
  };
}
