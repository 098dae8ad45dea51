import { readFileSync } from 'node:fs';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';
import type { SandboxContext } from '../context.js';
import { alipayChoose, alipaySheet } from './alipay.js';
import { weixinChoose, weixinSheet } from './weixin.js';

/* The browser half lives in browser/ (plain files, served as they are); from src/bridges and dist/bridges alike it is ../../browser. */
const asset = (name: string): string => readFileSync(new URL(`../../browser/${name}`, import.meta.url), 'utf8');

const weixinBody = z.object({ params: z.unknown().optional(), outcome: z.enum(['pay', 'cancel', 'fail']).optional() });
const alipayBody = z.object({ tradeNO: z.unknown().optional(), outcome: z.enum(['pay', 'processing', 'cancel', 'network', 'fail', 'unknown']).optional() });

function badRequest(res: Response, detail: string): void {
  res.status(400).json({ code: 'SANDBOX_JSBRIDGE_BAD_REQUEST', message: `请求格式错误:${detail} / Malformed request: ${detail}` });
}

/**
 * The WeChat / Alipay JS bridge emulator: `/sandbox/jsbridge.js` (+ its stylesheet) defines `WeixinJSBridge` /
 * `AlipayJSBridge` in a desktop browser; its sheet talks to the endpoints below. Each takes JSON; without `outcome` it
 * answers `{ sheet }` (what to show) or `{ res }` (the callback's answer when the wallet refuses at once), with `outcome`
 * it settles the order as the wallet page does and answers `{ res }`.
 */
export function jsBridgeRouter(ctx: SandboxContext): express.Router {
  const router = express.Router();
  const script = asset('jsbridge.js');
  const stylesheet = asset('jsbridge.css');
  const serve = (type: string, body: string) => (_req: Request, res: Response) => {
    res.set({ 'Content-Type': `${type}; charset=utf-8`, 'Cache-Control': 'public, max-age=60', 'X-Content-Type-Options': 'nosniff' }).send(body);
  };
  router.get('/sandbox/jsbridge.js', serve('text/javascript', script));
  router.get('/sandbox/jsbridge.css', serve('text/css', stylesheet));

  const json = express.json({ limit: '16kb', type: () => true });
  const parsed = <T>(schema: z.ZodType<T>, handle: (body: T, res: Response) => void) => [
    json,
    (req: Request, res: Response) => {
      const body = schema.safeParse(req.body);
      if (!body.success) return badRequest(res, body.error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; '));
      res.set('Cache-Control', 'no-store');
      handle(body.data, res);
    },
    (error: unknown, _req: Request, res: Response, next: NextFunction) => {
      if ((error as { status?: number }).status === 400 || (error as { status?: number }).status === 413) return badRequest(res, 'JSON');
      next(error);
    },
  ];

  router.post(
    '/sandbox/jsbridge/weixin',
    ...parsed(weixinBody, ({ params, outcome }, res) => {
      res.json(outcome ? { res: weixinChoose(ctx, params, outcome) } : weixinSheet(ctx, params));
    }),
  );
  router.post(
    '/sandbox/jsbridge/alipay',
    ...parsed(alipayBody, ({ tradeNO, outcome }, res) => {
      res.json(outcome ? { res: alipayChoose(ctx, tradeNO, outcome) } : alipaySheet(ctx, tradeNO));
    }),
  );
  return router;
}
