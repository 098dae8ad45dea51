import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import helmet from 'helmet';
import { z } from 'zod';
import type { BffConfig, BffConfigInput } from '../config/config.js';
import { CheckoutError, IDEMPOTENCY_KEY, invalidBody, methodNotAllowed, noSuchEndpoint, validationError } from '../checkout/errors.js';
import type { CheckoutHooks } from '../checkout/hooks.js';
import { createCheckout, type Checkout, type CheckoutOptions } from '../checkout/index.js';
import type { NotificationInput } from '../checkout/notifications.js';
import { publicState } from '../payments/state-machine.js';
import { phone } from '@tsy/yunst';
import { SMS_RESEND_AFTER_SECONDS } from '../checkout/actions.js';
import { requestPayer } from '../checkout/payer.js';
import { announceConsumerIpSource, clientInfo, clientIp } from './client-info.js';
import { corsPolicy } from './cors.js';
import { refuseCrossSiteRequests } from './csrf.js';
import { PaymentEventStreams, StreamSlots } from './payment-events-stream.js';
import { adminRoutes } from './admin.js';
import { route } from './route.js';
import { apiErrors, browserReturnErrors, platformCallbackErrors, reportFailure } from './error-handlers.js';
import { requireUtf8Body } from './request-errors.js';
import { resultPageUrl } from './result-page.js';

/** helmet's headers for what the router itself answers (the standalone `tsy-bff` server sets the same on everything). */
export const ownAnswerHeaders = helmet({ contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });

/** An Express router with the checkout API and the platform's callbacks, plus its background work. */
export type CheckoutRouter = Router & {
  /** The services behind the routes (for the merchant's own routes and for tests). */
  readonly services: Checkout;
  /** Stops the background loops, ends open event streams and closes the store. */
  close(): Promise<void>;
};


/** The API's paths and the methods each takes (HEAD with GET), for the 405 of another method. */
const API_METHODS: Readonly<Record<string, readonly string[]>> = {
  '/api/checkout/orders/:merchantOrderId': ['GET', 'HEAD'],
  '/api/checkout/orders/:merchantOrderId/payments': ['POST'],
  '/api/checkout/payments/:bizOrderNo': ['GET', 'HEAD'],
  '/api/checkout/payments/:bizOrderNo/events': ['GET', 'HEAD'],
  '/api/checkout/payments/:bizOrderNo/confirm': ['POST'],
  '/api/checkout/payments/:bizOrderNo/sms': ['POST'],
  '/api/checkout/payments/:bizOrderNo/gateway': ['POST'],
  '/api/checkout/payer/phone/code': ['POST'],
  '/api/checkout/payer/phone': ['POST'],
};

const param = (req: Request, name: string): string => String(req.params[name]);

/**
 * The platform's form body as the router finds it: the raw text when this router's own parser read it (verified and kept
 * byte for byte), or the fields when the host app mounted a body parser (`express.urlencoded()`) before the router.
 */
function notificationInput(body: unknown): NotificationInput {
  if (typeof body === 'string') return { raw: body };
  if (Buffer.isBuffer(body)) return { raw: body.toString('utf8') };
  if (body && typeof body === 'object') return { fields: body as Record<string, unknown> };
  return { raw: '' };
}

/**
 * `createCheckoutRouter(config, hooks)`: mount it in the merchant's Express app (`app.use(router)`). It serves
 * `/api/checkout/…` for the widgets and `/yunst/notify`, `/yunst/return` for the platform. Routes are thin: the work is in
 * ../checkout. Throws without `hooks.resolveOrder` and `hooks.resolvePayer`.
 *
 * The API's state-changing calls are JSON from an allowed origin only (csrf.ts: `allowedOrigins`, default the request's
 * own host); CORS is off unless `cors` lists origins (cors.ts). `/yunst/…` is the platform's, protected by its signature.
 *
 * The payer's IP (`consumerIp`, which the platform requires) is `req.ip`, so the host app's `trust proxy` decides it: set
 * it when the app runs behind a proxy, or every payer gets the proxy's address (a private one becomes the config's
 * `fallbackConsumerIp`). The config's `trustProxy` is applied only by the standalone `tsy-bff` server; a mounted router
 * warns once when it is set and differs from the host app's setting.
 */
export function createCheckoutRouter(config: BffConfig | BffConfigInput, hooks: CheckoutHooks, options: CheckoutOptions = {}): CheckoutRouter {
  const checkout = createCheckout(config, hooks, options);
  const { orders, payments, steps, views, members, notifications } = checkout;
  const fallbackIp = checkout.config.fallbackConsumerIp;
  const router = express.Router() as unknown as CheckoutRouter;
  const eventStreams = new PaymentEventStreams(checkout);
  const streamSlots = new StreamSlots(checkout.config.limits.openStreamsPerClient);

  const json = express.json({ limit: '16kb' });
  const form = express.text({ type: 'application/x-www-form-urlencoded', limit: '64kb' });
  const noStore = (_req: Request, res: Response, next: NextFunction) => {
    res.set('cache-control', 'no-store');
    next();
  };

  // The router's own answers are JSON, event streams and redirects, never a page: nothing of them may be framed, sniffed
  // or loaded into a page, and no Referer leaves with a payment's address. Only its paths: the host app's pages keep theirs.
  router.use(['/api/checkout', '/yunst'], ownAnswerHeaders);
  router.use('/api/checkout', noStore);
  // Other origins: CORS only for the configured ones, and no state-changing call from a page the merchant does not allow.
  router.use('/api/checkout', corsPolicy(checkout.config), refuseCrossSiteRequests(checkout.config, checkout.context.log));
  router.use(['/api/checkout', '/yunst'], announceConsumerIpSource(checkout.config, checkout.context.log), requireUtf8Body);

  router.get(
    '/api/checkout/orders/:merchantOrderId',
    route(async (req, res) => res.json(await orders.describe(param(req, 'merchantOrderId'), req, await clientInfo(req, fallbackIp, hooks)))),
  );

  router.post(
    '/api/checkout/orders/:merchantOrderId/payments',
    json,
    route(async (req, res) => {
      const key = req.get('idempotency-key');
      if (key !== undefined && !IDEMPOTENCY_KEY.pattern.test(key)) throw validationError([{ path: 'Idempotency-Key', message: IDEMPOTENCY_KEY.rule }]);
      const view = await payments.create(param(req, 'merchantOrderId'), req, req.body, await clientInfo(req, fallbackIp, hooks), key);
      res.status(201).json(view);
    }),
  );

  // Every payment route, once its body is read: only for the payment's payer, in a request the merchant lets see the
  // payment's order (payment-view.ts, authorize).
  const mayAccess = (req: Request, _res: Response, next: NextFunction) => {
    views.authorize(param(req, 'bizOrderNo'), req).then(() => next(), next);
  };

  router.get(
    '/api/checkout/payments/:bizOrderNo',
    mayAccess,
    route(async (req, res) => res.json(await views.current(param(req, 'bizOrderNo'), await clientInfo(req, fallbackIp, hooks)))),
  );

  router.get(
    '/api/checkout/payments/:bizOrderNo/events',
    mayAccess,
    route(async (req, res) => {
      streamSlots.take(clientIp(req), res);
      await eventStreams.serve(req, res, param(req, 'bizOrderNo'));
    }),
  );

  router.post(
    '/api/checkout/payments/:bizOrderNo/confirm',
    json,
    mayAccess,
    route(async (req, res) => res.json(await steps.confirm(param(req, 'bizOrderNo'), req.body, await clientInfo(req, fallbackIp, hooks)))),
  );

  router.post(
    '/api/checkout/payments/:bizOrderNo/sms',
    mayAccess,
    route(async (req, res) => res.json(await steps.resendSms(param(req, 'bizOrderNo')))),
  );

  router.post(
    '/api/checkout/payments/:bizOrderNo/gateway',
    mayAccess,
    route(async (req, res) => res.json(await steps.gatewayForm(param(req, 'bizOrderNo'), await clientInfo(req, fallbackIp, hooks)))),
  );

  const payerOf = async (req: Request): Promise<string> => {
    const payer = await requestPayer(checkout.context, req);
    if (!payer) throw new CheckoutError(401, 'payer_unknown', { zh: '无法识别付款人', en: 'The payer is not known' });
    return payer;
  };
  const source = async (req: Request) => ((await clientInfo(req, fallbackIp, hooks)).environment === 'desktop' ? 2 : 1);

  router.post(
    '/api/checkout/payer/phone/code',
    json,
    route(async (req, res) => {
      const body = z.strictObject({ phone }).safeParse(req.body);
      if (!body.success) throw invalidBody(body.error);
      await members.sendPhoneCode(await payerOf(req), body.data.phone, await source(req), clientIp(req));
      res.json({ sent: true, resendAfter: SMS_RESEND_AFTER_SECONDS });
    }),
  );

  router.post(
    '/api/checkout/payer/phone',
    json,
    route(async (req, res) => {
      const body = z.strictObject({ phone, verificationCode: z.string().regex(/^\d{4,8}$/) }).safeParse(req.body);
      if (!body.success) throw invalidBody(body.error);
      await members.bindPhone(await payerOf(req), body.data.phone, body.data.verificationCode, await source(req), clientIp(req));
      res.json({ phoneBound: true });
    }),
  );

  // The platform's order notification (spec §4.2.15): 200 only once it is verified and stored, so the platform retries
  // everything else.
  router.post(
    '/yunst/notify',
    form,
    route(async (req, res) => {
      await notifications.apply(notificationInput(req.body), 'notification');
      res.type('text/plain').send('success');
    }),
  );

  // The payer's browser back from a front page (frontUrl / jumpUrl, or a cashier's cancel link): verify, apply, then show
  // the merchant's result page — a person's browser never gets a JSON error; an unverifiable return shows `unknown`.
  router.all(
    '/yunst/return',
    form,
    route(async (req, res) => {
      const input: NotificationInput = req.method === 'POST' ? notificationInput(req.body) : { raw: new URL(req.originalUrl, 'http://x').search.slice(1) };
      let outcome: Parameters<typeof resultPageUrl>[1];
      try {
        const { payment } = await notifications.apply(input, 'return');
        outcome = { merchantOrderId: payment.merchantOrderId, bizOrderNo: payment.bizOrderNo, state: publicState(payment.state) };
      } catch (error) {
        // Whatever failed (a refused return, the store, the platform), the person sees the result page, never JSON.
        const failure = reportFailure(checkout.context.log, req, error, 'platform callback');
        outcome = { bizOrderNo: failure.extra.bizOrderNo, state: 'unknown' };
      }
      res.redirect(303, resultPageUrl(checkout.config, outcome));
    }),
  );

  // The merchant's own admin API (refunds): only when a secret is configured; absent, its paths are not the router's.
  if (checkout.config.admin.secret) {
    router.use('/api/admin', ownAnswerHeaders, noStore, requireUtf8Body);
    router.use(adminRoutes(checkout, checkout.config.admin.secret));
  }

  // The API's namespace is the router's to the end: a method or path it does not serve answers in the API's shape (a
  // widget reads every answer as JSON), not with the host app's page. OPTIONS names the methods and allows nothing
  // cross-origin by itself.
  for (const [path, methods] of Object.entries(API_METHODS)) {
    router.all(path, (req, res, next) => {
      if (req.method !== 'OPTIONS') return next(methodNotAllowed(methods));
      res.set('allow', [...methods, 'OPTIONS'].join(', ')).status(204).end();
    });
  }
  router.use('/api/checkout', (_req, _res, next) => next(noSuchEndpoint()));

  // Most specific first: a person's browser, then the platform, then the API.
  router.use('/yunst/return', browserReturnErrors(checkout));
  router.use('/yunst', platformCallbackErrors(checkout));
  router.use(apiErrors(checkout));

  Object.defineProperty(router, 'services', { value: checkout });
  router.close = async () => {
    eventStreams.endAll();
    await checkout.close();
  };
  return router;
}
