import express, { type NextFunction, type Request, type Response } from 'express';
import type { RequestContext, SandboxContext } from './context.js';
import { jsBridgeRouter } from './bridges/router.js';
import { cashierRouter } from './pages/cashier.js';
import { gatewayRouter } from './pages/gateway.js';
import { homeRouter } from './pages/home.js';
import { passwordPayRouter } from './pages/password-pay.js';
import { paymentCodesRouter } from './pages/payment-codes.js';
import { posRouter } from './pages/pos.js';
import { smsInboxRouter } from './pages/sms-inbox.js';
import { walletRouter } from './pages/wallet.js';
import { soaRouter } from './soa/router.js';
import { faultControlRouter } from './faults/control.js';

/** The sandbox's HTTP surface: the platform's own URLs (/service/soa, /yungateway/…) and its tools under /sandbox. */
export function createApp(ctx: SandboxContext, baseUrlOf: (req: Request) => string): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // Raw text: fields are decoded once by requestFields (first occurrence wins), never by a second parser.
  // 2 MB fits a recieverList of 2000 payees.
  app.use(express.text({ type: 'application/x-www-form-urlencoded', limit: '2mb', defaultCharset: 'utf-8' }));
  // Fault mode only: without it /sandbox/faults is an unknown path like any other.
  if (ctx.faults) app.use(faultControlRouter(ctx.faults, ctx.orders, ctx.refunds));
  app.use(soaRouter((req): RequestContext => ({ ...ctx, baseUrl: baseUrlOf(req) })));
  app.use(gatewayRouter(ctx));
  app.use(passwordPayRouter(ctx));
  app.use(cashierRouter(ctx));
  app.use(walletRouter(ctx));
  app.use(jsBridgeRouter(ctx));
  app.use(posRouter(ctx));
  app.use(paymentCodesRouter(ctx));
  app.use(smsInboxRouter(ctx));
  app.use(homeRouter(ctx, baseUrlOf));
  app.use((error: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(error);
    const status = (error as { status?: number }).status ?? 500;
    if (status >= 500) ctx.config.log(`internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    res.status(status).type('text/plain').send(status >= 500 ? 'sandbox internal error' : String((error as Error).message));
  });
  return app;
}
