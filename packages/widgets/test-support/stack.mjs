// The real stack behind the widget tests: the YunST sandbox and a merchant server mounting the BFF's checkout router,
// started by @tsy/testing (the same factory as the e2e tests and the demo) in the test runner's Node process. The runner
// loads this file without a TypeScript build, so it imports @tsy/testing's dist/ (built by `pnpm -r run build`). The
// browser reaches the stack through the dev server (`/api/checkout`, `/yunst`), as a shop page reaches its own server.
// Test-only helpers live under `/__stack/` — they do what a person does by hand: give a payer a bound phone (reading the
// code from the sandbox's SMS inbox) and press buttons in the simulated wallet.
import { TEST_PAYER_COOKIE, bindPhone, posTerminalPay, startCheckoutStack, walletAction, walletUrlOf } from '@tsy/testing';
import express from 'express';
import { Readable } from 'node:stream';

/** The test cookie that tells the stack's `resolveEnvironment` where the test page pretends to run. */
export const ENVIRONMENT_COOKIE = 'tsy_test_env';
const ENVIRONMENTS = ['desktop', 'mobile', 'wechat', 'alipay'];

export async function startStack() {
  let phoneSeq = 0;
  // One clock for the BFF and the sandbox (the sandbox checks the BFF's timestamps against its own): the real time, moved
  // forward by `/__stack/clock` for the tests of what time does (an SMS code past its validity, a resend interval passed).
  let offsetMs = 0;
  const clock = () => new Date(Date.now() + offsetMs);
  // The merchant's own test routes, beside the checkout router; they reach the stack through `stack` once it is started.
  let stack;
  const stackApi = express.Router();
  stackApi.use(express.json());
  // A merchant order for a new payer; with `phone: true` the payer's phone is bound first, as a returning shopper's is.
  stackApi.post('/__stack/orders', async (req, res, next) => {
    try {
      const payer = `wtr-${Date.now()}-${++phoneSeq}`;
      const id = `SO-WTR-${Date.now()}-${phoneSeq}`;
      // The payer's sandbox openid and Alipay user_id come from the merchant's server, as they must (never from the browser).
      const acct = { weChatPublic: `oWTR${phoneSeq}${Date.now()}`, aliPayService: `2088${String(Date.now()).slice(-8)}${String(phoneSeq).padStart(4, '0')}` };
      stack.merchant.orders.set(id, { amount: req.body.amount ?? 1234, subject: req.body.subject ?? '龙井茶 Longjing tea', payer: { bizUserId: payer, acct }, ...(req.body.methods ? { methods: req.body.methods } : {}) });
      if (req.body.phone !== false) {
        const phone = `1380000${String(phoneSeq).padStart(4, '0')}`;
        await bindPhone(stack.merchant.url, stack.sandbox.url, phone, { cookie: `${TEST_PAYER_COOKIE}=${payer}` });
      }
      // The test page's shopper, as a shop knows it from its session cookie (the stack's resolvePayer reads it).
      res.cookie(TEST_PAYER_COOKIE, payer, { path: '/', sameSite: 'lax' });
      res.json({ orderId: id, payer });
    } catch (error) {
      next(error);
    }
  });
  // Moves both sides' clock: `{advanceMs}` forward, `{reset: true}` back to the real time.
  stackApi.post('/__stack/clock', (req, res) => {
    offsetMs = req.body.reset ? 0 : offsetMs + Number(req.body.advanceMs ?? 0);
    res.json({ now: clock().toISOString() });
  });
  // The newest code the sandbox sent for a payment (its SMS inbox), as the payer reads it on the phone.
  stackApi.get('/__stack/sms/payment', async (req, res, next) => {
    try {
      const messages = await (await fetch(`${stack.sandbox.url}/sandbox/sms?format=json`)).json();
      res.json({ code: messages.find((m) => m.bizOrderNo === String(req.query.bizOrderNo))?.code ?? null });
    } catch (error) {
      next(error);
    }
  });
  // The payer acts in the simulated wallet app of a payment: pay | cancel | fail.
  stackApi.post('/__stack/wallet', async (req, res, next) => {
    try {
      const status = await walletAction(await walletUrlOf(stack.sandbox.url, String(req.body.bizOrderNo)), req.body.action);
      res.json({ status });
    } catch (error) {
      next(error);
    }
  });
  // The cashier types a POS order's payCode into the sandbox's POS terminal: answers whether the terminal took it.
  stackApi.post('/__stack/pos', async (req, res, next) => {
    try {
      res.json({ paid: await posTerminalPay(stack.sandbox.url, String(req.body.payCode)) });
    } catch (error) {
      next(error);
    }
  });
  // The newest SMS code sent to a phone, as a tester reads it in the sandbox's inbox; null when none was sent.
  stackApi.get('/__stack/sms', async (req, res, next) => {
    try {
      const [sms] = await (await fetch(`${stack.sandbox.url}/sandbox/sms?format=json&phone=${encodeURIComponent(String(req.query.phone))}`)).json();
      res.json({ code: sms?.code ?? null });
    } catch (error) {
      next(error);
    }
  });

  stack = await startCheckoutStack({
    methods: { SCAN_WEIXIN: {}, SCAN_ALIPAY: {}, SCAN_UNIONPAY: {}, WECHAT_PUBLIC: {}, ALIPAY_SERVICE: {}, WECHATPAY_H5_OPEN: { appId: 'wx0123456789abcdef' }, GATEWAY_VSP: { paytype: 'B2C' }, BALANCE: { accountSetNo: '400193' }, ORDER_VSPPAY: {}, CODEPAY_VSP: {} },
    // Where the page runs: the test page says so with a cookie (a page cannot change its User-Agent); default the User-Agent.
    hooks: { resolveEnvironment: (req) => ENVIRONMENTS.find((env) => (req.get('cookie') ?? '').split(/;\s*/).includes(`${ENVIRONMENT_COOKIE}=${env}`)) },
    reconciliation: { afterSeconds: 0, intervalSeconds: 0.3, onDemandSeconds: 0.5 },
    // A payment code ending 0000 waits this long for the payer's password before it is paid.
    sandbox: { dailyOrderLimit: false, clock, codePayPendingMs: 1500 },
    clock,
    app: (router) => express().set('trust proxy', 'loopback').use(router).use(stackApi),
  });
  return {
    merchantUrl: stack.merchant.url,
    sandboxUrl: stack.sandbox.url,
    close: () => stack.close(),
  };
}

/**
 * For web-test-runner: a middleware that forwards `/api/checkout`, `/yunst` and `/__stack` to the stack (started on the
 * first such request), and a plugin that stops it with the dev server. Middleware, not a plugin's `app.use`, because
 * it must run before the dev server's own file serving.
 *
 * `/__fault/<scenario>/api/checkout/…` is the same BFF behind a fault-injecting proxy: every answer is the real BFF's,
 * only the network between is made worse. The scenario is URL-encoded query text:
 *   run=<id>        counters of its own (GET /__fault/<scenario>/stats reads them)
 *   sse=<status>    the events endpoint is refused with this HTTP status (a proxy that does not pass streams)
 *   delay=<ms>      each GET of a payment is held this long before it is forwarded
 *   cut=<n>         the first n payment creations reach the BFF, but their answers are cut off half-way (a timeout)
 *   busy=<n>        the first n payment creations are answered 409 `payment_in_progress`, `Retry-After: 1`, without
 *                   reaching the BFF. The real BFF answers that to a duplicate whose first request has waited over 3 s
 *                   for the platform (packages/e2e/test/bff-money-path.test.ts); a browser test cannot hold the
 *                   platform that long, so here only the widget's handling of the answer is under test.
 *   action=<type>   each payment creation's answer (the real BFF's) has its `action.type` rewritten to this: a page
 *                   meeting an action it has no flow for (a resumed payment of an older page, a newer BFF).
 *   form=noaction   the signed form of `POST …/gateway` (the real BFF's) loses its `action`.
 */
export function stackForTestRunner() {
  let started;
  const runs = new Map();
  const run = (id) => {
    if (!runs.has(id)) runs.set(id, { gets: [], inFlight: 0, maxInFlight: 0, streams: 0, openStreams: 0, posts: [] });
    return runs.get(id);
  };

  async function forward(ctx, path, signal) {
    started ??= startStack();
    const stack = await started;
    const body = ['GET', 'HEAD'].includes(ctx.method) ? undefined : await readBody(ctx.req);
    return fetch(stack.merchantUrl + path, {
      method: ctx.method,
      // As a proxy does: the page's host goes along as X-Forwarded-Host (the stack trusts its loopback proxy), so the BFF
      // takes the page's calls as its own origin's (its CSRF check compares the page's Origin with it).
      headers: {
        ...Object.fromEntries(Object.entries(ctx.request.headers).filter(([name]) => !['host', 'connection', 'content-length', 'x-forwarded-host'].includes(name))),
        'x-forwarded-host': ctx.host,
      },
      body,
      redirect: 'manual',
      signal,
    });
  }
  function pass(ctx, upstream) {
    ctx.status = upstream.status;
    upstream.headers.forEach((value, name) => {
      if (!['content-length', 'content-encoding', 'transfer-encoding', 'connection'].includes(name)) ctx.set(name, value);
    });
    // Streamed, so server-sent events pass through as they are written.
    ctx.body = upstream.body ? Readable.fromWeb(upstream.body) : '';
  }

  async function faulty(ctx, scenario, path) {
    const o = Object.fromEntries(new URLSearchParams(decodeURIComponent(scenario)));
    const r = run(o.run ?? '');
    if (path === '/stats') {
      ctx.set('cache-control', 'no-store');
      ctx.body = r;
      return;
    }
    if (ctx.method === 'POST' && /^\/api\/checkout\/orders\/[^/]+\/payments$/.test(path)) {
      const post = { key: ctx.get('idempotency-key'), status: 0, bizOrderNo: null };
      r.posts.push(post);
      if (r.posts.length <= Number(o.busy ?? 0)) {
        post.status = 409;
        ctx.status = 409;
        ctx.set('retry-after', '1');
        ctx.body = { error: { code: 'payment_in_progress', message: 'A payment with this Idempotency-Key is being created' } };
        return;
      }
      const upstream = await forward(ctx, path);
      const text = await upstream.text();
      post.status = upstream.status;
      post.bizOrderNo = text.startsWith('{') ? (JSON.parse(text).bizOrderNo ?? null) : null;
      if (r.posts.length <= Number(o.cut ?? 0)) {
        // The BFF made the payment; the browser gets half an answer, then the connection drops.
        ctx.respond = false;
        ctx.res.writeHead(upstream.status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
        ctx.res.write(text.slice(0, text.length >> 1), () => ctx.res.socket?.destroy());
        return;
      }
      ctx.status = upstream.status;
      ctx.type = 'application/json';
      ctx.body = text;
      if (o.action && upstream.ok) {
        const payment = JSON.parse(text);
        ctx.body = JSON.stringify({ ...payment, action: { ...payment.action, type: o.action } });
      }
      return;
    }
    if (ctx.method === 'POST' && o.form === 'noaction' && /^\/api\/checkout\/payments\/[^/]+\/gateway$/.test(path)) {
      const upstream = await forward(ctx, path);
      const { action: _, ...form } = await upstream.json();
      ctx.status = upstream.status;
      ctx.body = form;
      return;
    }
    if (ctx.method === 'GET' && /^\/api\/checkout\/payments\/[^/]+\/events$/.test(path)) {
      r.streams++;
      if (o.sse && o.sse !== '200') {
        ctx.status = Number(o.sse);
        ctx.body = { error: { code: 'proxy', message: 'no streams through this proxy' } };
        return;
      }
      const abort = new AbortController();
      r.openStreams++;
      ctx.res.on('close', () => {
        r.openStreams--;
        abort.abort();
      });
      pass(ctx, await forward(ctx, path, abort.signal));
      return;
    }
    if (ctx.method === 'GET' && /^\/api\/checkout\/payments\/[^/]+$/.test(path)) {
      const request = { start: Date.now(), end: 0 };
      r.gets.push(request);
      r.maxInFlight = Math.max(r.maxInFlight, ++r.inFlight);
      try {
        await new Promise((resolve) => setTimeout(resolve, Number(o.delay ?? 0)));
        const upstream = await forward(ctx, path);
        const text = await upstream.text();
        ctx.status = upstream.status;
        ctx.type = 'application/json';
        ctx.body = text;
      } finally {
        request.end = Date.now();
        r.inFlight--;
      }
      return;
    }
    pass(ctx, await forward(ctx, path));
  }

  const middleware = async (ctx, next) => {
    const fault = /^\/__fault\/([^/]+)(\/.*)$/.exec(ctx.path);
    if (fault) return faulty(ctx, fault[1], fault[2] + (ctx.querystring ? `?${ctx.querystring}` : ''));
    if (!/^\/(api\/checkout|yunst|__stack)(\/|$)/.test(ctx.path)) return next();
    pass(ctx, await forward(ctx, ctx.url));
  };
  const plugin = {
    name: 'tsy-stack',
    async serverStop() {
      if (started) await (await started).close();
    },
  };
  return { middleware, plugin };
}

async function readBody(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return Buffer.concat(chunks);
}
