// `/api/checkout/…` is the router's: a path under it that it does not serve, or a method a path does not take, answers
// in the API's shape (found by the e2e fuzz: they fell through to the host app's HTML 404), and OPTIONS names the
// methods. The host app's own paths are untouched.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { STACK_FRAME, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
let merchant: Merchant;
before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({ sandboxUrl: sandbox.url });
  // Mounted after the router: paths beside its namespace still reach the host app.
  merchant.app.get('/api/checkout-faq', (_req, res) => res.type('text/plain').send('the shop’s own page'));
  merchant.app.get('/api/shop/ping', (_req, res) => res.json({ pong: true }));
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

async function call(method: string, path: string, language = 'en'): Promise<{ status: number; headers: Headers; text: string }> {
  const response = await fetch(merchant.url + path, { method, headers: { 'accept-language': language, 'content-type': 'application/json' }, ...(method === 'POST' || method === 'PUT' || method === 'PATCH' ? { body: '{}' } : {}) });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

function errorOf(answer: { headers: Headers; text: string }): { code: string; message: string } {
  assert.match(answer.headers.get('content-type') ?? '', /^application\/json/);
  assert.doesNotMatch(answer.text, STACK_FRAME);
  return (JSON.parse(answer.text) as { error: { code: string; message: string } }).error;
}

describe('the API namespace answers in its own shape', () => {
  it('a path under /api/checkout it does not serve: 404 not_found in JSON, in the client’s language', async () => {
    for (const path of ['/api/checkout', '/api/checkout/', '/api/checkout/nothing', '/api/checkout/orders/', '/api/checkout/orders//payments', '/api/checkout/payments/X/refund', '/api/checkout/orders/X/payments/Y']) {
      for (const method of ['GET', 'POST', 'DELETE']) {
        const answer = await call(method, path);
        assert.equal(answer.status, 404, `${method} ${path}: ${answer.text}`);
        assert.deepEqual(errorOf(answer), { code: 'not_found', message: 'No such endpoint' }, `${method} ${path}`);
      }
    }
    assert.equal(errorOf(await call('GET', '/api/checkout/nothing', 'zh-CN')).message, '没有这个接口');
  });

  it('a method a path does not take: 405 method_not_allowed with Allow', async () => {
    const cases: [string, string, string][] = [
      ['POST', '/api/checkout/orders/SO-1', 'GET, HEAD'],
      ['PUT', '/api/checkout/orders/SO-1/payments', 'POST'],
      ['GET', '/api/checkout/orders/SO-1/payments', 'POST'],
      ['DELETE', '/api/checkout/payments/TSY1', 'GET, HEAD'],
      ['POST', '/api/checkout/payments/TSY1/events', 'GET, HEAD'],
      ['GET', '/api/checkout/payments/TSY1/confirm', 'POST'],
      ['PATCH', '/api/checkout/payments/TSY1/sms', 'POST'],
      ['GET', '/api/checkout/payments/TSY1/gateway', 'POST'],
      ['GET', '/api/checkout/payer/phone/code', 'POST'],
      ['DELETE', '/api/checkout/payer/phone', 'POST'],
    ];
    for (const [method, path, allow] of cases) {
      const answer = await call(method, path);
      assert.equal(answer.status, 405, `${method} ${path}: ${answer.text}`);
      assert.equal(answer.headers.get('allow'), allow, `${method} ${path}`);
      assert.equal(errorOf(answer).code, 'method_not_allowed', `${method} ${path}`);
    }
    // The path is decoded before the method is judged: a broken path parameter is still the client's bad encoding.
    const broken = await call('PUT', '/api/checkout/orders/%ff/payments');
    assert.deepEqual([broken.status, errorOf(broken).code], [400, 'bad_path_encoding']);
  });

  it('OPTIONS names the methods of a path and grants nothing cross-origin; an unknown path is still 404', async () => {
    const answer = await call('OPTIONS', '/api/checkout/payments/TSY1/confirm');
    assert.equal(answer.status, 204);
    assert.equal(answer.headers.get('allow'), 'POST, OPTIONS');
    assert.equal(answer.headers.get('access-control-allow-origin'), null);
    assert.equal((await call('OPTIONS', '/api/checkout/nothing')).status, 404);
  });

  it('the routes themselves and the host app’s own paths are untouched', async () => {
    const order = await call('GET', '/api/checkout/orders/SO-NONE');
    assert.deepEqual([order.status, errorOf(order).code], [404, 'not_found']);
    assert.equal(errorOf(order).message, 'Order not found');
    assert.equal((await call('HEAD', '/api/checkout/orders/SO-NONE')).status, 404, 'HEAD goes with GET');
    const faq = await call('GET', '/api/checkout-faq');
    assert.deepEqual([faq.status, faq.text], [200, 'the shop’s own page']);
    const ping = await call('GET', '/api/shop/ping');
    assert.deepEqual([ping.status, ping.text], [200, '{"pong":true}']);
  });
});
