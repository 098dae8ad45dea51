import express, { type NextFunction, type Request, type Response } from 'express';
import type { OrderBook } from '../state/orders.js';
import { orderTruth } from '../state/orders.js';
import { refundTruth, type RefundBook } from '../state/refunds.js';
import type { FaultInjector } from './injector.js';
import { describeIssues, faultSettingsSchema } from './rules.js';

function badRequest(res: Response, detail: string): void {
  res.status(400).json({ code: 'SANDBOX_FAULTS_BAD_REQUEST', message: `故障设置无效:${detail} / Invalid fault settings: ${detail}` });
}

/**
 * The fault mode's control API, mounted only when the sandbox was created with `faults: true`:
 * `PUT /sandbox/faults` `{seed, rules}` sets (and reseeds), `GET` reports, `DELETE` turns every rule off;
 * `GET /sandbox/faults/orders[/:bizOrderNo]` is the sandbox's truth about orders (a refund's bizOrderNo answers the refund's
 * truth, which has `oriBizOrderNo`), `GET /sandbox/faults/refunds` about every refund, for a test in another process.
 */
export function faultControlRouter(faults: FaultInjector, orders: OrderBook, refunds: RefundBook): express.Router {
  const router = express.Router();
  const json = express.json({ limit: '64kb', type: () => true });
  router.use('/sandbox/faults', (_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  router.get('/sandbox/faults', (_req, res) => {
    res.json(faults.report());
  });
  router.put(
    '/sandbox/faults',
    json,
    (req: Request, res: Response) => {
      const settings = faultSettingsSchema.safeParse(req.body);
      if (!settings.success) return badRequest(res, describeIssues(settings.error));
      const { seed, rules } = faults.set(settings.data);
      res.json({ seed, rules });
    },
    (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      const status = (error as { status?: number }).status;
      if (status === 400 || status === 413 || status === 415) return badRequest(res, status === 413 ? 'body too large' : 'the body is not JSON');
      next(error);
    },
  );
  router.delete('/sandbox/faults', (_req, res) => {
    const { seed, rules } = faults.clear();
    res.json({ seed, rules });
  });
  router.get('/sandbox/faults/orders', (_req, res) => {
    res.json(orders.all().map((order) => orderTruth(order, refunds.refundedAmount(order.bizOrderNo))));
  });
  router.get('/sandbox/faults/refunds', (_req, res) => {
    res.json(refunds.all().map(refundTruth));
  });
  router.get('/sandbox/faults/orders/:bizOrderNo', (req, res) => {
    const order = orders.get(req.params.bizOrderNo);
    if (order) return res.json(orderTruth(order, refunds.refundedAmount(order.bizOrderNo)));
    const refund = refunds.get(req.params.bizOrderNo);
    if (refund) return res.json(refundTruth(refund));
    res.status(404).json({ code: 'SANDBOX_ORDER_NOT_FOUND', message: `订单不存在 / No such order: ${req.params.bizOrderNo}` });
  });
  return router;
}
