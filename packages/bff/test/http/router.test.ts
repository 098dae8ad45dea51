// Each route's answer to bad input: status, stable code, a message in the client's language; and no-store on the API.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addOrder, api, bindPayerPhone, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
let merchant: Merchant;
const payer = `http-router-${process.pid}`;
before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({ sandboxUrl: sandbox.url });
  await bindPayerPhone(merchant, sandbox.url, payer, '13600000009');
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

function assertError(answer: { status: number; body: any; text: string }, status: number, code: string): void {
  assert.equal(answer.status, status, answer.text);
  assert.equal(answer.body?.error?.code, code, answer.text);
  assert.equal(typeof answer.body.error.message, 'string');
}

describe('checkout API: bad input', () => {
  it('an unknown order is 404 not_found, in English or Chinese', async () => {
    assertError(await api(merchant.url, '/api/checkout/orders/SO-NOPE'), 404, 'not_found');
    const zh = await api(merchant.url, '/api/checkout/orders/SO-NOPE', { headers: { 'accept-language': 'zh-CN,zh;q=0.9' } });
    assertError(zh, 404, 'not_found');
    assert.equal(zh.body.error.message, '订单不存在');
    const en = await api(merchant.url, '/api/checkout/orders/SO-NOPE');
    assert.equal(en.body.error.message, 'Order not found');
    assertError(await api(merchant.url, '/api/checkout/orders/SO-NOPE/payments', { body: { method: 'SCAN_WEIXIN' } }), 404, 'not_found');
  });

  it('an unknown payment is 404 on every payment route', async () => {
    assertError(await api(merchant.url, '/api/checkout/payments/TSY-NOPE'), 404, 'not_found');
    assertError(await api(merchant.url, '/api/checkout/payments/TSY-NOPE/events', { headers: { accept: 'text/event-stream' } }), 404, 'not_found');
    assertError(await api(merchant.url, '/api/checkout/payments/TSY-NOPE/confirm', { body: { verificationCode: '123456' } }), 404, 'not_found');
    assertError(await api(merchant.url, '/api/checkout/payments/TSY-NOPE/sms', { method: 'POST' }), 404, 'not_found');
    assertError(await api(merchant.url, '/api/checkout/payments/TSY-NOPE/gateway', { method: 'POST' }), 404, 'not_found');
  });

  it('JSON that does not parse is 400 bad_request', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    for (const path of [`/api/checkout/orders/${order}/payments`, '/api/checkout/payments/TSY-NOPE/confirm', '/api/checkout/payer/phone/code', '/api/checkout/payer/phone']) {
      assertError(await api(merchant.url, path, { body: '{"method": "SCAN_WEIXIN",', headers: { 'x-test-payer': payer } }), 400, 'bad_request');
    }
  });

  it('a body over the limit is 413 too_large', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    const big = JSON.stringify({ method: 'SCAN_WEIXIN', pad: 'x'.repeat(20_000) });
    assertError(await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: big }), 413, 'too_large');
    const form = await fetch(`${merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `rps=${'x'.repeat(70_000)}` });
    assert.equal(form.status, 413);
    assert.equal(await form.text(), 'too_large');
  });

  it('an Idempotency-Key that is not 1–100 of [A-Za-z0-9_.:-] is 400 validation naming the header', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    for (const key of ['has space', 'x'.repeat(101), 'a/b', 'k?y', '"quoted"']) {
      const answer = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'idempotency-key': key } });
      assertError(answer, 400, 'validation');
      assert.deepEqual(answer.body.error.details, [{ path: 'Idempotency-Key' }]);
    }
    const ok = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'idempotency-key': 'cart-42:try.1_a-b' } });
    assert.equal(ok.status, 201, ok.text);
  });

  it('a method that does not exist is 400 validation; one that exists but is not enabled is 422 method_not_enabled', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    const unknown = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'BITCOIN' } });
    assertError(unknown, 400, 'validation');
    assert.deepEqual(unknown.body.error.details, [{ path: 'method' }]);
    assertError(await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: {} }), 400, 'validation');
    assertError(await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'QQ_WALLET' } }), 422, 'method_not_enabled');
  });

  it('phone binding: no payer is 401 payer_unknown, a malformed phone 400 validation', async () => {
    assertError(await api(merchant.url, '/api/checkout/payer/phone/code', { body: { phone: '13600000001' } }), 401, 'payer_unknown');
    const bad = await api(merchant.url, '/api/checkout/payer/phone/code', { body: { phone: '12' }, headers: { 'x-test-payer': payer } });
    assertError(bad, 400, 'validation');
    assert.deepEqual(bad.body.error.details, [{ path: 'phone' }]);
  });

  it('cache-control: no-store on every /api/checkout answer, success or error', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    const answers = [
      await api(merchant.url, `/api/checkout/orders/${order}`),
      await api(merchant.url, '/api/checkout/orders/SO-NOPE'),
      await api(merchant.url, '/api/checkout/payments/TSY-NOPE'),
      await api(merchant.url, '/api/checkout/payments/%ff'),
      await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: '{' }),
      await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } }),
    ];
    assert.equal(answers[0]!.status, 200);
    assert.equal(answers[5]!.status, 201);
    for (const answer of answers) assert.equal(answer.headers.get('cache-control'), 'no-store', `HTTP ${answer.status}`);
  });
});
