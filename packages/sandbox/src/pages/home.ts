import { endpointsAt } from '@tsy/yunst';
import express from 'express';
import type { SandboxContext } from '../context.js';
import { html, sendPage } from './html.js';

/** A landing page naming the sandbox's endpoints and tools (nothing secret). */
export function homeRouter(ctx: SandboxContext, baseUrlOf: (req: express.Request) => string): express.Router {
  const router = express.Router();
  router.get('/', (req, res) => {
    const base = baseUrlOf(req);
    const endpoints = endpointsAt(base);
    sendPage(res, {
      title: 'YunST sandbox',
      body: html`<h1>通商云 sandbox <span class="muted">tsy-checkout</span></h1>
<div class="card"><dl><dt>sysid</dt><dd>${ctx.config.sysid}</dd><dt>soa</dt><dd>${endpoints.soaUrl}</dd>
<dt>gateway</dt><dd>${endpoints.gatewayUrl}</dd><dt>password</dt><dd>${endpoints.passwordPayUrl}</dd></dl></div>
<div class="card"><a class="button" href="/sandbox/sms">短信收件箱 / SMS inbox</a><a class="button" href="/sandbox/pos">POS 收款 / POS terminal</a><a class="button" href="/sandbox/payment-codes">付款码 / Payment codes to scan</a></div>`,
    });
  });
  return router;
}
