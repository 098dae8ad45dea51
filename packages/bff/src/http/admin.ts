import { createHash, timingSafeEqual } from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { CheckoutError, methodNotAllowed, noSuchEndpoint, validationError } from '../checkout/errors.js';
import type { Checkout } from '../checkout/index.js';
import type { RefundRequest } from '../checkout/refunds.js';
import { route } from './route.js';

/** The admin API's paths and the methods each takes, for the 405 of another method. */
export const ADMIN_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/api/admin/payments/:bizOrderNo/refunds': ['GET', 'HEAD', 'POST'],
  '/api/admin/refund-flagged': ['POST'],
};

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

const unauthorized = () => new CheckoutError(401, 'admin_unauthorized', { zh: '管理接口需要有效的 Bearer 凭证', en: 'The admin API needs a valid Bearer token' });

/**
 * `Authorization: Bearer <admin.secret>`, compared in constant time (digests of equal length, so neither the secret's length
 * nor its first differing byte shows in the timing).
 */
function requireAdminSecret(secret: string) {
  const expected = digest(secret);
  return (req: Request, res: Response, next: NextFunction): void => {
    const match = /^Bearer ([^\s]+)$/.exec(req.get('authorization') ?? '');
    if (!match || !timingSafeEqual(digest(match[1]!), expected)) {
      res.set('www-authenticate', 'Bearer realm="tsy-admin"');
      return next(unauthorized());
    }
    next();
  };
}

/**
 * The merchant's admin API, for its own servers (never a browser: no CORS, no cookies): refunds (spec §4.2.16) and the
 * refund of every flagged payment. Mounted only when `admin.secret` is configured; without it these paths do not exist.
 */
export function adminRoutes(checkout: Checkout, secret: string): Router {
  const router = express.Router();
  const json = express.json({ limit: '32kb' });
  const bizOrderNo = (req: Request) => String(req.params.bizOrderNo);
  router.use('/api/admin', requireAdminSecret(secret));

  router.get(
    '/api/admin/payments/:bizOrderNo/refunds',
    route(async (req, res) => res.json(await checkout.refunds.list(bizOrderNo(req)))),
  );
  router.post(
    '/api/admin/payments/:bizOrderNo/refunds',
    json,
    route(async (req, res) => {
      const key = req.get('idempotency-key');
      if (key === undefined) throw validationError([{ path: 'Idempotency-Key', message: 'required: the same key never refunds twice' }]);
      const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : {};
      // The header is the key (one in the body is overridden); the schema refuses every other field it does not know.
      const { view, created } = await checkout.refunds.refundOnce(bizOrderNo(req), { ...body, idempotencyKey: key } as RefundRequest);
      // 201 for a refund made now, 200 for the one this key made before.
      res.status(created ? 201 : 200).json(view);
    }),
  );
  router.post(
    '/api/admin/refund-flagged',
    route(async (_req, res) => res.json(await checkout.refunds.refundFlagged())),
  );
  for (const [path, methods] of Object.entries(ADMIN_METHODS)) {
    router.all(path, (req, _res, next) => next(methodNotAllowed(methods)));
  }
  router.use('/api/admin', (_req, _res, next) => next(noSuchEndpoint()));
  return router;
}
