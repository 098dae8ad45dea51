// Cross-site requests: a state-changing call of the checkout API is taken only as JSON from a page the merchant allows
// (csrf.ts), and CORS answers only the origins the config lists (cors.ts). The platform's callbacks are not browser
// calls: they stay open to any sender and are protected by their signature.
import { formatCstTimestamp, loadMerchantKey, signSource } from '@tsy/yunst';
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SYSID, addOrder, api, bindPayerPhone, startMerchant, startSandbox, testKeys, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
/** No allowedOrigins, no trust proxy: only the request's own host. */
let plain: Merchant;
/** allowedOrigins set: only those. */
let listed: Merchant;
/** Behind a proxy the app trusts (loopback): the own host is X-Forwarded-Host. */
let proxied: Merchant;
const payer = `http-csrf-${process.pid}`;
const SHOP = 'https://shop.example';
/** Each merchant's payer, with a bound phone (one phone binds one member at the platform). */
const payers = new Map<Merchant, string>();
let phones = 0;
async function readyPayer(merchant: Merchant): Promise<void> {
  const id = `${payer}-${++phones}`;
  await bindPayerPhone(merchant, sandbox.url, id, `136000004${String(phones).padStart(2, '0')}`);
  payers.set(merchant, id);
}

before(async () => {
  sandbox = await startSandbox();
  plain = await startMerchant({ sandboxUrl: sandbox.url });
  listed = await startMerchant({ sandboxUrl: sandbox.url, config: { allowedOrigins: [`${SHOP}/`] } });
  proxied = await startMerchant({ sandboxUrl: sandbox.url, configureApp: (app) => app.set('trust proxy', 'loopback') });
  for (const merchant of [plain, listed, proxied]) await readyPayer(merchant);
});
after(async () => {
  for (const merchant of [plain, listed, proxied]) await merchant?.close();
  await sandbox?.close();
});

/** A new payment attempt of a fresh order, as sent with these headers and body. */
async function create(merchant: Merchant, headers: Record<string, string>, body: string = JSON.stringify({ method: 'SCAN_WEIXIN' })) {
  const order = addOrder(merchant, { payer: { bizUserId: payers.get(merchant)! } });
  const response = await fetch(`${merchant.url}/api/checkout/orders/${order}/payments`, { method: 'POST', headers: { 'accept-language': 'en', ...headers }, body });
  const text = await response.text();
  const open = await merchant.router.services.context.store.findOpenPayment(order);
  return { status: response.status, body: text ? JSON.parse(text) : undefined, text, created: open !== undefined };
}

const JSON_TYPE = { 'content-type': 'application/json' };

describe('CSRF: state-changing calls', () => {
  it('are refused unless JSON (415 json_required), and nothing is created', async () => {
    const simple: [Record<string, string>, string][] = [
      [{ 'content-type': 'application/x-www-form-urlencoded' }, 'method=SCAN_WEIXIN'],
      [{ 'content-type': 'multipart/form-data; boundary=x' }, '--x\r\nContent-Disposition: form-data; name="method"\r\n\r\nSCAN_WEIXIN\r\n--x--\r\n'],
      [{ 'content-type': 'text/plain' }, JSON.stringify({ method: 'SCAN_WEIXIN' })],
      [{ 'content-type': 'application/jsonx' }, JSON.stringify({ method: 'SCAN_WEIXIN' })],
      [{}, JSON.stringify({ method: 'SCAN_WEIXIN' })],
    ];
    for (const [headers, body] of simple) {
      const answer = await create(plain, headers, body);
      assert.equal(answer.status, 415, `${JSON.stringify(headers)}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'json_required');
      assert.equal(answer.created, false, 'no payment was started');
    }
    // A body-less POST of a payment's steps, as a form or a plain fetch sends it: refused before the payment is looked up.
    for (const step of ['sms', 'gateway', 'confirm']) {
      const answer = await api(plain.url, `/api/checkout/payments/TSY-ANY/${step}`, { method: 'POST', headers: { 'content-type': '' } });
      assert.equal(answer.status, 415, answer.text);
      assert.equal(answer.body.error.code, 'json_required');
    }
    const phone = await api(plain.url, '/api/checkout/payer/phone/code', { method: 'POST', body: 'phone=13600000402', headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-test-payer': `${payer}-phone` } });
    assert.equal(phone.body.error.code, 'json_required');
    // JSON with a charset parameter is JSON.
    assert.equal((await create(plain, { 'content-type': 'application/json; charset=utf-8' })).status, 201);
  });

  it('from another origin are refused (403 cross_origin_refused, zh and en), from the request’s own host taken', async () => {
    const own = new URL(plain.url);
    for (const origin of ['https://evil.example', 'null', `http://${own.hostname}:${Number(own.port) + 1}`, `http://localhost:${own.port}`, `${plain.url}.evil.example`]) {
      const answer = await create(plain, { ...JSON_TYPE, origin });
      assert.equal(answer.status, 403, `${origin}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'cross_origin_refused');
      assert.equal(answer.created, false);
    }
    const zh = await fetch(`${plain.url}/api/checkout/payments/TSY-ANY/sms`, { method: 'POST', headers: { ...JSON_TYPE, origin: 'https://evil.example', 'accept-language': 'zh-CN' }, body: '{}' });
    assert.equal(zh.status, 403);
    assert.equal(((await zh.json()) as any).error.message, '拒绝来自其他网站的请求');
    assert.ok(plain.logs.some((line) => line.level === 'warn' && line.fields?.origin === 'https://evil.example'), 'the log says which origin was refused');
    // The page on the BFF's own origin, and a client that is no browser page (no Origin): taken.
    assert.equal((await create(plain, { ...JSON_TYPE, origin: plain.url })).status, 201);
    assert.equal((await create(plain, JSON_TYPE)).status, 201);
  });

  it('without an Origin, follow Sec-Fetch-Site: same-origin and none pass, same-site and cross-site do not', async () => {
    for (const site of ['cross-site', 'same-site', 'CROSS-SITE', 'anything']) {
      const answer = await create(plain, { ...JSON_TYPE, 'sec-fetch-site': site });
      assert.equal(answer.status, 403, `${site}: ${answer.text}`);
      assert.equal(answer.body.error.code, 'cross_origin_refused');
    }
    for (const site of ['same-origin', 'none']) assert.equal((await create(plain, { ...JSON_TYPE, 'sec-fetch-site': site })).status, 201, site);
  });

  it('with allowedOrigins: those origins only, not the BFF’s own host any more', async () => {
    assert.equal((await create(listed, { ...JSON_TYPE, origin: SHOP })).status, 201);
    for (const origin of [listed.url, 'http://shop.example', 'https://shop.example:8443', 'https://evil.example']) {
      const answer = await create(listed, { ...JSON_TYPE, origin });
      assert.equal(answer.status, 403, `${origin}: ${answer.text}`);
    }
  });

  it('X-Forwarded-Host is the own host only under trust proxy', async () => {
    const forwarded = { ...JSON_TYPE, origin: 'https://pay.shop.example', 'x-forwarded-host': 'pay.shop.example' };
    assert.equal((await create(proxied, forwarded)).status, 201);
    // The proxy names the host: the connection's own Host is no longer the page's.
    assert.equal((await create(proxied, { ...JSON_TYPE, origin: proxied.url, 'x-forwarded-host': 'pay.shop.example' })).status, 403);
    // Not trusted, the header is anybody's to write: the plain merchant ignores it.
    assert.equal((await create(plain, forwarded)).status, 403);
  });

  it('a GET is not a state change: an event stream or a status read from anywhere is for resolveOrder/resolvePayer to judge', async () => {
    const answer = await api(plain.url, '/api/checkout/payments/TSY-NO-SUCH', { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } });
    assert.equal(answer.status, 404);
  });
});

describe('the platform’s callbacks are exempt (their signature protects them)', () => {
  it('/yunst/notify and /yunst/return take a signed form from any origin', async () => {
    const order = addOrder(plain, { payer: { bizUserId: payers.get(plain)! } });
    const created = await api(plain.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(created.status, 201, created.text);
    const bizOrderNo = created.body.bizOrderNo as string;
    const stored = await plain.router.services.context.store.getPayment(bizOrderNo);
    const platformKey = loadMerchantKey(testKeys().platformKey);
    const rps = JSON.stringify({
      service: 'OrderService',
      method: 'pay',
      status: 'OK',
      returnValue: { orderNo: stored!.orderNo, bizOrderNo, amount: 1234, payDatetime: formatCstTimestamp(), buyerBizUserId: payers.get(plain)! },
    });
    const timestamp = formatCstTimestamp();
    const notification = new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, platformKey) }).toString();
    const crossSite = { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://platform.example', 'sec-fetch-site': 'cross-site' };
    const notified = await fetch(`${plain.url}/yunst/notify`, { method: 'POST', headers: crossSite, body: notification });
    assert.equal(notified.status, 200);
    assert.equal(await notified.text(), 'success');
    assert.equal((await plain.router.services.context.store.getPayment(bizOrderNo))!.state, 'success');

    const signedValue = JSON.stringify({ payStatus: 'success', bizUserId: payers.get(plain)!, bizOrderNo });
    const returned = await fetch(`${plain.url}/yunst/return`, { method: 'POST', headers: crossSite, body: new URLSearchParams({ signedValue, sign: signSource(signedValue, platformKey) }).toString(), redirect: 'manual' });
    assert.equal(returned.status, 303, await returned.text());
    assert.equal(new URL(returned.headers.get('location')!).searchParams.get('state'), 'success');
  });
});

describe('CORS', () => {
  let open: Merchant;
  let credentialed: Merchant;
  const PAGE = 'https://pages.shop.example';
  before(async () => {
    open = await startMerchant({ sandboxUrl: sandbox.url, config: { cors: { origins: [PAGE] } } });
    credentialed = await startMerchant({ sandboxUrl: sandbox.url, config: { cors: { origins: [PAGE], credentials: true } } });
    await readyPayer(open);
  });
  after(async () => {
    await open?.close();
    await credentialed?.close();
  });

  const preflight = (merchant: Merchant, origin: string, method = 'POST', headers = 'content-type,idempotency-key') =>
    fetch(`${merchant.url}/api/checkout/orders/SO-ANY/payments`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

  it('is off by default: no CORS header on a preflight or an answer', async () => {
    for (const response of [await preflight(plain, PAGE), await fetch(`${plain.url}/api/checkout/orders/SO-ANY`, { headers: { origin: PAGE } })]) {
      await response.arrayBuffer();
      const cors = [...response.headers.keys()].filter((name) => name.startsWith('access-control-'));
      assert.deepEqual(cors, [], `${response.status}: ${cors.join(', ')}`);
    }
  });

  it('answers a listed origin’s preflight with what the widgets send, and its calls with its origin (never *)', async () => {
    const answer = await preflight(open, PAGE, 'POST', 'content-type,idempotency-key,last-event-id');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), PAGE);
    assert.match(answer.headers.get('access-control-allow-methods') ?? '', /POST/);
    for (const header of ['content-type', 'idempotency-key', 'last-event-id']) assert.match(answer.headers.get('access-control-allow-headers') ?? '', new RegExp(header));
    assert.equal(answer.headers.get('access-control-allow-credentials'), null, 'no credentials unless configured');
    assert.match(answer.headers.get('vary') ?? '', /origin/i);

    // The call itself: taken (a CORS origin is an allowed origin for the CSRF check), readable by the page.
    const created = await create(open, { ...JSON_TYPE, origin: PAGE, 'sec-fetch-site': 'cross-site', 'idempotency-key': `cors-${process.pid}` });
    assert.equal(created.status, 201, created.text);
    const read = await fetch(`${open.url}/api/checkout/payments/${created.body.bizOrderNo}`, { headers: { origin: PAGE } });
    assert.equal(read.status, 200);
    assert.equal(read.headers.get('access-control-allow-origin'), PAGE);
    assert.match(read.headers.get('access-control-expose-headers') ?? '', /retry-after/i);
    assert.equal(read.headers.get('access-control-allow-credentials'), null);
  });

  it('sends Access-Control-Allow-Credentials only when configured, with the origin itself', async () => {
    const answer = await preflight(credentialed, PAGE);
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(answer.headers.get('access-control-allow-credentials'), 'true');
    const read = await fetch(`${credentialed.url}/api/checkout/orders/SO-NONE`, { headers: { origin: PAGE } });
    await read.arrayBuffer();
    assert.equal(read.headers.get('access-control-allow-origin'), PAGE);
    assert.equal(read.headers.get('access-control-allow-credentials'), 'true');
  });

  it('refuses any other origin: no Access-Control-Allow-Origin, and its POST is a 403', async () => {
    for (const origin of ['https://evil.example', 'https://pages.shop.example.evil.example', 'null', 'http://pages.shop.example']) {
      const answer = await preflight(credentialed, origin);
      await answer.arrayBuffer();
      assert.equal(answer.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(answer.headers.get('access-control-allow-credentials'), null, `${origin}: no credentials header for a refused origin`);
      const read = await fetch(`${credentialed.url}/api/checkout/orders/SO-NONE`, { headers: { origin } });
      await read.arrayBuffer();
      assert.equal(read.headers.get('access-control-allow-origin'), null, origin);
      assert.equal((await create(open, { ...JSON_TYPE, origin })).status, 403, origin);
    }
  });

  it('the config refuses what is no origin: a path, a wildcard', async () => {
    const { parseBffConfig } = await import('../../src/index.js');
    const base = { sysid: SYSID, merchantKey: { pemFile: 'x.pem' }, platformCertFile: 'x.cer', sandboxUrl: sandbox.url, publicBaseUrl: plain.url };
    for (const bad of ['*', 'null', 'https://shop.example/pay', 'shop.example', 'ftp://shop.example', 'https://shop.example?x=1']) {
      assert.throws(() => parseBffConfig({ ...base, cors: { origins: [bad] } }), /cors\.origins\.0/, bad);
      assert.throws(() => parseBffConfig({ ...base, allowedOrigins: [bad] }), /allowedOrigins\.0/, bad);
    }
    assert.deepEqual(parseBffConfig({ ...base, allowedOrigins: ['https://Shop.Example:443/'] }).allowedOrigins, ['https://shop.example']);
  });
});
