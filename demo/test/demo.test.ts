import { PostgresStore, resetPostgresSchema } from '@tsy/bff';
import pg from 'pg';
import { startPostgres, startSandbox, testKeySet, type RunningSandbox } from '@tsy/testing';
import { formatCstTimestamp, loadMerchantKey, signSource } from '@tsy/yunst';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { startDemoMerchant, type DemoMerchant } from '../server/app.js';
import { DEMO_SCHEMA, DEMO_SYSID, settingsFrom, startDemo } from '../server/dev.js';
import { contentSecurityPolicy, demoViteConfig } from '../server/vite-config.js';
import { sandboxWalletAccountsOf, SHOPPER_COOKIE } from '../server/shopper.js';
import { Shopper, until } from './support/shopper.js';

const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('the demo merchant against the sandbox', () => {
  let running: RunningSandbox;
  let merchant: DemoMerchant;
  let server: Server;
  let base: string;
  const lines: string[] = [];
  const dataDir = join(temp, 'data');
  const keys = testKeySet();

  /** The demo merchant on `server` (a restart keeps the port, so the sandbox's notifications find the new one). */
  async function startMerchant(): Promise<void> {
    merchant = await startDemoMerchant({
      server,
      dataDir,
      sysid: DEMO_SYSID,
      keys,
      sandboxUrl: running.url,
      sandboxSoaUrl: running.soaUrl,
      publicBaseUrl: base,
      resultUrl: `${base}/checkout/result`,
      log: (line) => lines.push(line),
    });
  }

  before(async () => {
    running = await startSandbox({ keys, sysid: DEMO_SYSID, notificationTimeScale: 0.001 });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await startMerchant();
  });

  after(async () => {
    await merchant.close();
    await running.close();
  });

  test('a cart becomes an order priced by the server; a scan payment marks it paid', async () => {
    const shopper = new Shopper(base);
    const products = await shopper.call('GET', '/api/shop/products');
    assert.equal(products.body.products.find((p: { id: string }) => p.id === 'coffee').price, 5800);

    // The browser's own "price" and "amount" are ignored.
    const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'coffee', quantity: 2, price: 1 }, { productId: 'sticker', quantity: 1 }], amount: 1 });
    assert.equal(placed.status, 201);
    const orderId: string = placed.body.order.id;
    assert.match(orderId, /^SO-\d{8}-\d+$/);
    assert.equal(placed.body.order.amount, 11601);
    const again = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'coffee', quantity: 2 }, { productId: 'sticker', quantity: 1 }] });
    assert.equal(again.status, 200, 'the same unpaid cart is the same order');
    assert.equal(again.body.order.id, orderId);

    const order = await shopper.call('GET', `/api/checkout/orders/${orderId}`);
    assert.equal(order.status, 200);
    assert.equal(order.body.amount, 11601);
    assert.equal(order.body.payer.phoneBound, false);
    // Every web method; on a desktop (no User-Agent, no switch) the in-app and phone ones say why they cannot run here.
    const usable = Object.fromEntries(order.body.methods.map((m: { method: string; usable: boolean; reason?: string }) => [m.method, m.usable ? true : m.reason]));
    assert.deepEqual(usable, {
      SCAN_WEIXIN: true,
      SCAN_ALIPAY: true,
      SCAN_UNIONPAY: true,
      WECHAT_PUBLIC: 'open_in_wechat',
      ALIPAY_SERVICE: 'open_in_alipay',
      WECHATPAY_H5_OPEN: 'open_on_mobile',
      QQ_WALLET: 'open_on_mobile',
      GATEWAY_VSP: true,
      ALLINPAY_WALLET_H5: true,
      BALANCE: true,
      ORDER_VSPPAY: true,
    });
    assert.equal(order.body.environment, 'desktop');

    // Someone else's order does not exist for them.
    const stranger = new Shopper(base);
    assert.equal((await stranger.call('GET', `/api/checkout/orders/${orderId}`)).status, 404);
    assert.equal((await stranger.call('GET', `/api/shop/orders/${orderId}`)).status, 404);

    assert.equal((await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'SCAN_WEIXIN' })).body.error.code, 'payer_phone_required');
    assert.equal((await shopper.call('POST', '/api/checkout/payer/phone/code', { phone: '13800138000' })).status, 200);
    const code = running.sandbox.state.sms.list('13800138000')[0]!.code;
    assert.equal((await shopper.call('POST', '/api/checkout/payer/phone', { phone: '13800138000', verificationCode: code })).status, 200);

    const payment = await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'SCAN_WEIXIN' });
    assert.equal(payment.status, 201);
    assert.equal(payment.body.amount, 11601);
    assert.equal(payment.body.action.type, 'qr');
    const walletUrl: string = payment.body.action.payInfo;
    assert.ok(walletUrl.startsWith(`${running.url}/sandbox/wallet/`));

    const paid = await fetch(walletUrl, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) });
    assert.equal(paid.status, 200);
    const view = await until('the shop order paid', async () => {
      const answer = await shopper.call('GET', `/api/shop/orders/${orderId}`);
      return answer.body.order.paid ? answer.body.order : undefined;
    });
    assert.equal(view.paidBizOrderNo, payment.body.bizOrderNo);
    assert.equal(view.paidMethod, 'SCAN_WEIXIN');
    assert.equal((await shopper.call('GET', `/api/checkout/payments/${payment.body.bizOrderNo}`)).body.state, 'success');
    assert.ok(lines.some((line) => line.startsWith(`[shop] payment.succeeded ${orderId} `)));
    assert.ok(!lines.some((line) => line.includes(code)), 'no SMS code in the logs');

    // A paid order: a new cart with the same lines is a new order; paying the old one again is refused.
    assert.equal((await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'SCAN_WEIXIN' })).body.error.code, 'order_paid');
    const next = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'coffee', quantity: 2 }, { productId: 'sticker', quantity: 1 }] });
    assert.equal(next.status, 201);
    assert.notEqual(next.body.order.id, orderId);

    // A restart keeps the shop's orders, also when the BFF's database starts afresh (as `npm start` does with each new
    // sandbox) and its event ids start again at 1.
    await merchant.router.close();
    rmSync(join(dataDir, 'bff'), { recursive: true, force: true });
    await startMerchant();
    assert.equal((await shopper.call('GET', `/api/shop/orders/${orderId}`)).body.order.paid, true);
    assert.equal((await shopper.call('GET', `/api/checkout/orders/${orderId}`)).body.paid, true);
    const second = await shopper.call('POST', `/api/checkout/orders/${next.body.order.id}/payments`, { method: 'SCAN_UNIONPAY' });
    assert.equal(second.status, 201, JSON.stringify(second.body));
    await fetch(second.body.action.payInfo, { method: 'POST', body: new URLSearchParams({ action: 'pay' }) });
    await until('the second order paid', async () => ((await shopper.call('GET', `/api/shop/orders/${next.body.order.id}`)).body.order.paid ? true : undefined));
  });

  test('a success the platform reports for another amount is not taken as paying the order (amount_differs)', async () => {
    const shopper = new Shopper(base);
    const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'mug', quantity: 1 }] });
    const orderId: string = placed.body.order.id;
    const phone = '13800138011';
    await shopper.call('POST', '/api/checkout/payer/phone/code', { phone });
    await shopper.call('POST', '/api/checkout/payer/phone', { phone, verificationCode: running.sandbox.state.sms.list(phone)[0]!.code });
    const payment = await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'SCAN_WEIXIN' });
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    const stored = (await merchant.router.services.context.store.getPayment(payment.body.bizOrderNo))!;
    // The platform's own signed message, for 1 fen.
    const rps = JSON.stringify({
      service: 'OrderService',
      method: 'pay',
      status: 'OK',
      returnValue: { orderNo: stored.orderNo, bizOrderNo: stored.bizOrderNo, amount: 1, payDatetime: formatCstTimestamp(), buyerBizUserId: stored.payerBizUserId },
    });
    const timestamp = formatCstTimestamp();
    const sign = signSource(DEMO_SYSID + rps + timestamp, loadMerchantKey(keys.platformKey));
    const notified = await fetch(`${base}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ sysid: DEMO_SYSID, rps, timestamp, v: '2.0', sign }) });
    assert.equal(notified.status, 200);
    await until('the shop told of it', async () => (lines.some((line) => line.startsWith(`[shop] payment.amount_differs ${orderId} `)) ? true : undefined));
    assert.equal((await shopper.call('GET', `/api/shop/orders/${orderId}`)).body.order.paid, false, 'the shop order stays unpaid');
    assert.equal((await shopper.call('GET', `/api/checkout/payments/${stored.bizOrderNo}`)).body.settlement, 'amount_differs');
  });

  test('the "simulate" switch answers resolveEnvironment; unset, the User-Agent decides; each shopper has a stable openid and user_id', async () => {
    const wechatUa = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2f) NetType/WIFI Language/zh_CN';
    const shopper = new Shopper(base, wechatUa);
    const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'mug', quantity: 1 }] });
    const orderId: string = placed.body.order.id;
    const methods = async () => {
      const view = (await shopper.call('GET', `/api/checkout/orders/${orderId}`)).body;
      return { environment: view.environment, usable: view.methods.filter((m: { usable: boolean }) => m.usable).map((m: { method: string }) => m.method) };
    };

    // No switch: a real phone inside WeChat gets the WeChat methods (and not WeChat H5, which WeChat itself refuses).
    assert.equal((await shopper.call('GET', '/api/shop/info')).body.simulate, null);
    const inWechat = await methods();
    assert.equal(inWechat.environment, 'wechat');
    assert.ok(inWechat.usable.includes('WECHAT_PUBLIC'));
    assert.ok(!inWechat.usable.includes('ALIPAY_SERVICE') && !inWechat.usable.includes('WECHATPAY_H5_OPEN'));

    // The switch overrides the User-Agent, and says so to the page.
    for (const [environment, usable, unusable] of [
      ['alipay', 'ALIPAY_SERVICE', 'WECHAT_PUBLIC'],
      ['mobile', 'WECHATPAY_H5_OPEN', 'WECHAT_PUBLIC'],
      ['desktop', 'SCAN_WEIXIN', 'WECHATPAY_H5_OPEN'],
    ] as const) {
      assert.equal((await shopper.call('PUT', '/api/shop/simulate', { environment })).status, 200);
      assert.equal(shopper.cookie('tsy_demo_simulate'), environment);
      assert.equal((await shopper.call('GET', '/api/shop/info')).body.simulate, environment);
      const seen = await methods();
      assert.equal(seen.environment, environment);
      assert.ok(seen.usable.includes(usable) && !seen.usable.includes(unusable), `${environment}: ${seen.usable.join(' ')}`);
    }
    // Off again: the User-Agent decides.
    assert.equal((await shopper.call('PUT', '/api/shop/simulate', { environment: null })).status, 200);
    assert.equal(shopper.cookie('tsy_demo_simulate'), undefined);
    assert.equal((await methods()).environment, 'wechat');
    for (const environment of ['ios', '', 1, undefined]) {
      const refused = await shopper.call('PUT', '/api/shop/simulate', { environment });
      assert.equal(refused.status, 422, JSON.stringify(environment));
      assert.equal(refused.body.error.code, 'validation_failed');
    }

    // WeChat JSAPI needs no bound phone: the payer is known by the openid the shop's server gives (payer.acct).
    const payment = await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'WECHAT_PUBLIC' });
    assert.equal(payment.status, 201, JSON.stringify(payment.body));
    assert.equal(payment.body.action.type, 'wechat-jsapi');
    assert.deepEqual(Object.keys(payment.body.action.params).sort(), ['appId', 'nonceStr', 'package', 'paySign', 'signType', 'timeStamp']);
    const shopperId = (shopper.cookie('tsy_demo_shopper') ?? '').trim();
    const accts = await merchant.router.services.context.store.listMemberAccts(`demo-${shopperId}`);
    assert.deepEqual(accts.map((a: { acctType: string; acct: string }) => [a.acctType, a.acct]), [['weChatPublic', sandboxWalletAccountsOf(shopperId).weChatPublic]]);

    // Stable per shopper, shaped like WeChat's openid and Alipay's user_id, and different between shoppers.
    const accounts = sandboxWalletAccountsOf(shopperId);
    assert.deepEqual(sandboxWalletAccountsOf(shopperId), accounts);
    assert.match(accounts.weChatPublic, /^o[\w-]{27}$/);
    assert.match(accounts.aliPayService, /^2088\d{12}$/);
    assert.notEqual(sandboxWalletAccountsOf('0123456789abcdef0123').aliPayService, accounts.aliPayService);
  });

  test('every method offered where the page runs makes a payment the sandbox takes, with an action the method names', async () => {
    const made: string[] = [];
    let quantity = 1;
    for (const [index, environment] of (['desktop', 'mobile', 'wechat', 'alipay'] as const).entries()) {
      // A shopper each: the platform allows a payer 10 consumption orders a day (40045).
      const shopper = new Shopper(base);
      const phone = `1380013803${index}`;
      await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'notebook', quantity: 1 }] });
      await shopper.call('POST', '/api/checkout/payer/phone/code', { phone });
      await shopper.call('POST', '/api/checkout/payer/phone', { phone, verificationCode: running.sandbox.state.sms.list(phone)[0]!.code });
      await shopper.call('PUT', '/api/shop/simulate', { environment });
      const probe = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'notebook', quantity: ++quantity }] });
      const view = (await shopper.call('GET', `/api/checkout/orders/${probe.body.order.id}`)).body;
      for (const method of view.methods.filter((m: { usable: boolean }) => m.usable)) {
        // A new order for each, so no payment replaces another.
        const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'notebook', quantity: ++quantity }] });
        const payment = await shopper.call('POST', `/api/checkout/orders/${placed.body.order.id}/payments`, { method: method.method });
        assert.equal(payment.status, 201, `${environment} ${method.method}: ${JSON.stringify(payment.body)}`);
        assert.ok(method.actions.includes(payment.body.action.type), `${method.method}: ${payment.body.action.type} is one of ${method.actions.join(', ')}`);
        if (payment.body.action.type === 'form-post') {
          const form = await shopper.call('POST', `/api/checkout/payments/${payment.body.bizOrderNo}/gateway`, {});
          assert.equal(form.status, 200, JSON.stringify(form.body));
          assert.equal(new URL(form.body.action).origin, new URL(running.url).origin);
        }
        if (payment.body.action.type === 'redirect') assert.ok(payment.body.action.allowedHosts.includes(new URL(payment.body.action.url).host), payment.body.action.url);
        made.push(method.method);
      }
    }
    // Each of the demo's methods is usable somewhere.
    assert.deepEqual([...new Set(made)].sort(), ['ALIPAY_SERVICE', 'ALLINPAY_WALLET_H5', 'BALANCE', 'GATEWAY_VSP', 'ORDER_VSPPAY', 'QQ_WALLET', 'SCAN_ALIPAY', 'SCAN_UNIONPAY', 'SCAN_WEIXIN', 'WECHATPAY_H5_OPEN', 'WECHAT_PUBLIC']);
  });

  test('carts the shop refuses', async () => {
    const shopper = new Shopper(base);
    for (const items of [[], [{ productId: 'nope', quantity: 1 }], [{ productId: 'mug', quantity: 0 }], [{ productId: 'mug', quantity: 1.5 }], [{ productId: 'mug', quantity: 100 }], [{ productId: 'mug', quantity: 1 }, { productId: 'mug', quantity: 2 }]]) {
      const answer = await shopper.call('POST', '/api/shop/orders', { items });
      assert.equal(answer.status, 422, JSON.stringify(items));
      assert.ok(answer.body.error.code);
    }
  });
});

describe('startDemo', () => {
  test('settings: ports from the environment, 0 for any free port', () => {
    assert.deepEqual(settingsFrom({}), { demoPort: 5173, bffPort: 8787, sandboxPort: 8686, publicHost: undefined, dataDir: undefined });
    assert.deepEqual(settingsFrom({ TSY_DEMO_PORT: '0', TSY_BFF_PORT: '0', TSY_SANDBOX_PORT: '0' }), { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined, dataDir: undefined });
    assert.equal(settingsFrom({ TSY_DEMO_DATA_DIR: '/srv/tsy-demo' }).dataDir, '/srv/tsy-demo');
    assert.throws(() => settingsFrom({ TSY_DEMO_PORT: '8787' }), /three different ports/);
    assert.throws(() => settingsFrom({ TSY_BFF_PORT: '65536' }), /not a port number/);
    assert.throws(() => settingsFrom({ TSY_PUBLIC_HOST: 'a b' }), /not a host name/);
  });

  test('serves the shop and the style guide through Vite with the CSP, and proxies the API and its event stream unbuffered', async () => {
    const demoDir = fileURLToPath(new URL('..', import.meta.url));
    const said: string[] = [];
    const demo = await startDemo(demoDir, settingsFrom({ TSY_DEMO_PORT: '0', TSY_BFF_PORT: '0', TSY_SANDBOX_PORT: '0' }), (line) => said.push(line), { dataDir: join(temp, 'start-demo') });
    try {
      for (const url of Object.values(demo.urls)) assert.doesNotMatch(url, /:0(\/|$)/, `${url}: a real port`);
      const base = demo.urls.demo;
      const page = await fetch(`${base}/`);
      assert.equal(page.status, 200);
      assert.equal(page.headers.get('content-security-policy'), contentSecurityPolicy({ formActionOrigins: [demo.urls.sandbox] }));
      assert.match(page.headers.get('content-security-policy') ?? '', new RegExp(`form-action 'self' ${demo.urls.sandbox}(;|$)`), 'the gateway forms may post to the sandbox, and nowhere else');
      assert.match(await page.text(), /\/src\/main\.ts/);
      const guide = await fetch(`${base}/styleguide.html`);
      assert.equal(guide.status, 200);
      assert.match(await guide.text(), /\/src\/styleguide\.ts/);
      const result = await fetch(`${base}/checkout/result?bizOrderNo=X`);
      assert.equal(result.status, 200, 'the result page is served by the SPA fallback');

      const shopper = new Shopper(base);
      const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'sticker', quantity: 1 }] });
      const orderId: string = placed.body.order.id;
      await shopper.call('POST', '/api/checkout/payer/phone/code', { phone: '13900000001' });
      const sms = (await (await fetch(`${demo.urls.sandbox}/sandbox/sms?format=json&phone=13900000001`)).json()) as { code: string }[];
      await shopper.call('POST', '/api/checkout/payer/phone', { phone: '13900000001', verificationCode: sms[0]!.code });
      const payment = await shopper.call('POST', `/api/checkout/orders/${orderId}/payments`, { method: 'SCAN_ALIPAY' });
      assert.equal(payment.status, 201);
      assert.ok(String(payment.body.action.payInfo).startsWith(`${demo.urls.sandbox}/sandbox/wallet/`));

      // The shop's pages are Vite's origin (allowedOrigins): a call from there passes the BFF's CSRF check, one from any
      // other origin — the merchant server's own included — is refused.
      const resend = (origin: string) =>
        fetch(`${base}/api/checkout/payments/${payment.body.bizOrderNo}/sms`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin, cookie: `${SHOPPER_COOKIE}=${shopper.cookie(SHOPPER_COOKIE)}` },
          body: '{}',
        }).then(async (response) => ((await response.json()) as { error?: { code: string } }).error?.code);
      assert.equal(await resend('https://evil.example'), 'cross_origin_refused');
      assert.equal(await resend(demo.urls.merchant), 'cross_origin_refused');
      assert.notEqual(await resend(base), 'cross_origin_refused');

      // The stream's first event arrives through the proxy while the connection stays open.
      const controller = new AbortController();
      const stream = await fetch(`${base}/api/checkout/payments/${payment.body.bizOrderNo}/events`, { signal: controller.signal, headers: { cookie: `${SHOPPER_COOKIE}=${shopper.cookie(SHOPPER_COOKIE)}` } });
      assert.match(stream.headers.get('content-type') ?? '', /^text\/event-stream/);
      const reader = stream.body!.getReader();
      let text = '';
      while (!text.includes('event: state')) text += new TextDecoder().decode((await reader.read()).value);
      controller.abort();
      assert.match(text, /"state":"pending"/);

      // The sandbox's JS bridge emulator on the page's own origin (script-src 'self'), and only it of the sandbox.
      const bridge = await fetch(`${base}/sandbox/jsbridge.js?bridge=weixin`);
      assert.equal(bridge.status, 200);
      assert.match(bridge.headers.get('content-type') ?? '', /javascript/);
      assert.match(await bridge.text(), /WeixinJSBridge/);
      assert.equal((await fetch(`${base}/sandbox/jsbridge.css`)).status, 200);
      const sheet = await fetch(`${base}/sandbox/jsbridge/alipay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tradeNO: 'nope' }) });
      assert.equal(sheet.status, 200, 'the emulator reaches its endpoints through the proxy');
      assert.equal(((await sheet.json()) as { res?: { resultCode?: string } }).res?.resultCode, '4000');
      const inbox = await fetch(`${base}/sandbox/sms?format=json`);
      assert.doesNotMatch(await inbox.text(), /"code"/, 'the SMS inbox is not proxied');
    } finally {
      await demo.close();
    }
    assert.ok(!said.some((line) => /password|BEGIN/i.test(line)), 'nothing secret is printed');
  });

  test('with TSY_DATABASE_URL its BFF keeps its records in PostgreSQL, the tables made afresh at each start', async () => {
    const demoDir = fileURLToPath(new URL('..', import.meta.url));
    const postgres = await startPostgres();
    try {
      const url = (await postgres.createDatabase()).replace('postgres@', 'postgres:demo-db-pass@');
      const settings = settingsFrom({ TSY_DEMO_PORT: '0', TSY_BFF_PORT: '0', TSY_SANDBOX_PORT: '0', TSY_DATABASE_URL: url });
      const said: string[] = [];
      const payFor = async (base: string, sandbox: string, phone: string) => {
        const shopper = new Shopper(base);
        const placed = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'sticker', quantity: 1 }] });
        await shopper.call('POST', '/api/checkout/payer/phone/code', { phone });
        const sms = (await (await fetch(`${sandbox}/sandbox/sms?format=json&phone=${phone}`)).json()) as { code: string }[];
        await shopper.call('POST', '/api/checkout/payer/phone', { phone, verificationCode: sms[0]!.code });
        const payment = await shopper.call('POST', `/api/checkout/orders/${placed.body.order.id as string}/payments`, { method: 'SCAN_ALIPAY' });
        assert.equal(payment.status, 201);
        return payment.body.bizOrderNo as string;
      };
      // The shop's own table in the same database: the demo's reset must leave it alone.
      const shopTable = new pg.Client({ connectionString: url });
      await shopTable.connect();
      await shopTable.query("CREATE TABLE payments (id int PRIMARY KEY, note text); INSERT INTO payments VALUES (1, 'the shop''s own')");
      await shopTable.end();
      const inDemoSchema = await resetPostgresSchema(url, DEMO_SCHEMA);
      const first = await startDemo(demoDir, settings, (line) => said.push(line), { dataDir: join(temp, 'pg-demo') });
      let bizOrderNo: string;
      try {
        bizOrderNo = await payFor(first.urls.demo, first.urls.sandbox, '13900000077');
      } finally {
        await first.close();
      }
      const direct = await PostgresStore.open({ url: inDemoSchema });
      assert.equal((await direct.getPayment(bizOrderNo))?.state, 'pending', 'the payment is in PostgreSQL');
      await direct.close();
      assert.ok(said.some((line) => /PostgreSQL/.test(line)), said.join('\n'));
      assert.ok(!said.some((line) => line.includes('demo-db-pass')), 'the database password is not printed');

      const second = await startDemo(demoDir, settings, (line) => said.push(line), { dataDir: join(temp, 'pg-demo') });
      try {
        const again = await PostgresStore.open({ url: inDemoSchema });
        assert.equal(await again.getPayment(bizOrderNo), undefined, 'a fresh platform, a fresh record of it');
        await again.close();
        await payFor(second.urls.demo, second.urls.sandbox, '13900000077');
      } finally {
        await second.close();
      }
      const shopAfter = new pg.Client({ connectionString: url });
      await shopAfter.connect();
      const kept = await shopAfter.query('SELECT note FROM public.payments');
      await shopAfter.end();
      assert.deepEqual(kept.rows, [{ note: "the shop's own" }], 'a table outside the demo schema is untouched');
    } finally {
      await postgres.stop();
    }
  });
});

describe('the built pages', () => {
  test('load scripts and styles from files only: no inline script or style, no data: URL (the CSP allows none)', async () => {
    const demoDir = fileURLToPath(new URL('..', import.meta.url));
    const outDir = join(temp, 'web');
    const config = demoViteConfig(demoDir);
    await build({ ...config, logLevel: 'silent', build: { ...config.build, outDir } });
    for (const page of ['index.html', 'styleguide.html', 'cashier.html']) {
      const html = readFileSync(join(outDir, page), 'utf8').replace(/<!--[\s\S]*?-->/g, '');
      assert.match(html, /<script type="module" crossorigin src="\/assets\/[^"]+\.js"><\/script>/, `${page}: its module`);
      assert.match(html, /<link rel="stylesheet" crossorigin href="\/assets\/[^"]+\.css">/, `${page}: its stylesheet`);
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, `${page}: no inline script`);
      assert.doesNotMatch(html, /<style\b|\sstyle=|\son[a-z]+=|data:/, `${page}: no inline style, handler or data: URL`);
    }
    for (const file of readdirSync(join(outDir, 'assets')).filter((name) => name.endsWith('.css'))) {
      assert.doesNotMatch(readFileSync(join(outDir, 'assets', file), 'utf8'), /url\(\s*['"]?data:/, `${file}: no data: URL`);
    }
  });
});
