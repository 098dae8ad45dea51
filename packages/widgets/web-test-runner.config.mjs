// Widget tests run in real headless Chromium (Debian's, not a downloaded one), TypeScript through esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { stackForTestRunner } from './test-support/stack.mjs';

const stack = stackForTestRunner();

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

// `qrcode` is CommonJS: the browser gets an ESM pre-bundle of it, built once per run.
const PREBUNDLED = { qrcode: '/__prebundled__/qrcode.js' };
let qrcodeBundle;
const prebundle = {
  name: 'prebundle-commonjs',
  resolveImport({ source }) {
    return PREBUNDLED[source];
  },
  async serve(context) {
    if (context.path !== PREBUNDLED.qrcode) return undefined;
    qrcodeBundle ??= build({ entryPoints: ['qrcode'], bundle: true, format: 'esm', platform: 'browser', write: false, minify: true }).then((r) => r.outputFiles[0].text);
    return { body: await qrcodeBundle, type: 'js' };
  },
};

// `<tsy-qr-pay>` tests: the BFF's payment contract (GET /payments/:bizOrderNo → PaymentView, GET …/events → SSE `event: state`,
// current state on connect, heartbeats) under /__test-bff/<scenario>, the scenario being URL-encoded query text:
//   run=<id>        counters of its own (GET …/stats reads them: requests, in flight, streams)
//   final=<state>   the state the payment reaches `after` ms after the run's first request (else pending for ever)
//   message=<text>  the failure message
//   sse=<status>    the events endpoint answers with this HTTP status instead of a stream (the client falls back to polling)
//   delay=<ms>      how long each GET takes
const testBff = (() => {
  const runs = new Map();
  const run = (id) => {
    if (!runs.has(id)) runs.set(id, { startedAt: Date.now(), gets: [], inFlight: 0, maxInFlight: 0, streams: 0, openStreams: 0 });
    return runs.get(id);
  };
  const stateOf = (o, r) => (o.final && Date.now() - r.startedAt >= Number(o.after ?? 0) ? o.final : 'pending');
  const message = (o, state) => (state === 'failed' && o.message ? { message: o.message } : {});
  return async function testBffMiddleware(ctx, next) {
    const match = /^\/__test-bff\/([^/]+)\/(?:payments\/([^/]+)(\/events)?|(stats))$/.exec(ctx.path);
    if (!match) return next();
    const [, scenario, bizOrderNo, events, stats] = match;
    const o = Object.fromEntries(new URLSearchParams(decodeURIComponent(scenario)));
    const r = run(o.run ?? '');
    ctx.set('cache-control', 'no-store');
    if (stats) {
      ctx.body = r;
      return;
    }
    const id = decodeURIComponent(bizOrderNo);
    if (!events) {
      const request = { start: Date.now(), end: 0 };
      r.gets.push(request);
      r.maxInFlight = Math.max(r.maxInFlight, ++r.inFlight);
      await new Promise((resolve) => setTimeout(resolve, Number(o.delay ?? 0)));
      request.end = Date.now();
      r.inFlight--;
      const state = stateOf(o, r);
      const now = new Date();
      ctx.body = {
        bizOrderNo: id,
        merchantOrderId: 'test-order',
        state,
        method: 'SCAN_WEIXIN',
        amount: 1234,
        expiresAt: new Date(now.getTime() + 300_000).toISOString(),
        action: { type: 'qr', payInfo: 'weixin://wxpay/bizpayurl?pr=test' },
        failure: state === 'failed' ? { code: 'test', message: o.message ?? null } : null,
        serverTime: now.toISOString(),
      };
      return;
    }
    r.streams++;
    if (o.sse && o.sse !== '200') {
      ctx.status = Number(o.sse);
      ctx.body = { error: { code: 'test', message: 'no stream here' } };
      return;
    }
    r.openStreams++;
    ctx.respond = false;
    const res = ctx.res;
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write('retry: 2000\n\n');
    let eventId = 0;
    const send = (state) => res.write(`id: ${++eventId}\nevent: state\ndata: ${JSON.stringify({ bizOrderNo: id, state, at: new Date().toISOString(), ...message(o, state) })}\n\n`);
    send(stateOf(o, r));
    const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), 250);
    const later = o.final && stateOf(o, r) === 'pending' ? setTimeout(() => send(o.final), r.startedAt + Number(o.after ?? 0) - Date.now()) : undefined;
    res.on('close', () => {
      clearInterval(heartbeat);
      clearTimeout(later);
      r.openStreams--;
    });
  };
})();

export default {
  files: ['src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [stack.middleware, testBff],
  plugins: [stack.plugin, prebundle, esbuildPlugin({ ts: true, target: 'es2022', tsconfig })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  concurrency: 1,
};
