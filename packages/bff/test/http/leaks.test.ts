// What reaches a browser or the platform when something fails: a person's browser on /yunst/return never gets JSON or a
// stack; 5xx bodies carry no `details` (the log has them); a validation error names fields, not zod's text; a refused
// notification answers its code alone, nothing about our sysid or why verification failed.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatCstTimestamp, loadMerchantKey, signSource } from '@tsy/yunst';
import { CheckoutError } from '../../src/checkout/errors.js';
import { SYSID, STACK_FRAME, addOrder, api, bindPayerPhone, logText, startMerchant, startSandbox, testKeys, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
let merchant: Merchant;
const payer = `http-payer-${process.pid}`;
before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({ sandboxUrl: sandbox.url, config: { industryName: '行业名称'.repeat(10) } });
  await bindPayerPhone(merchant, sandbox.url, payer, '13600000007');
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

/** A notification as the platform sends it (spec §4.2.15), genuinely signed with the platform key. */
function signedNotification(fields: { bizOrderNo: string; amount: number }): string {
  const rps = JSON.stringify({
    service: 'OrderService',
    method: 'pay',
    status: 'OK',
    returnValue: { orderNo: '1000', bizOrderNo: fields.bizOrderNo, amount: fields.amount, payDatetime: formatCstTimestamp(), buyerBizUserId: payer },
  });
  const timestamp = formatCstTimestamp();
  const sign = signSource(SYSID + rps + timestamp, loadMerchantKey(testKeys().platformKey));
  return new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign }).toString();
}

describe('nothing internal reaches a browser', () => {
  it('a 5xx body has no details; the log has them', async () => {
    // industryName longer than the apply allows (32): the merchant's configuration, found when the apply is built.
    const order = addOrder(merchant);
    const answer = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(answer.status, 500, answer.text);
    assert.equal(answer.body.error.code, 'config');
    assert.equal(answer.body.error.details, undefined, answer.text);
    assert.doesNotMatch(answer.text, /industryName|Too big|string/i);
    assert.ok(merchant.logs.some((line) => line.level === 'error' && /industryName/.test(JSON.stringify(line.fields))), 'the log says which field');
  });

  it('merchant_order_invalid says nothing about the hook’s answer', async () => {
    const order = addOrder(merchant, { amount: -5, subject: '' });
    const answer = await api(merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(answer.status, 500);
    assert.deepEqual(Object.keys(answer.body.error).sort(), ['code', 'message']);
    assert.equal(answer.body.error.code, 'merchant_order_invalid');
  });

  it('a 4xx validation error names the fields only, with a fixed message', async () => {
    const order = addOrder(merchant);
    const answer = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 42, extra: { deep: true } } });
    assert.equal(answer.status, 400);
    assert.equal(answer.body.error.code, 'validation');
    assert.equal(answer.body.error.message, 'The request is invalid');
    assert.ok(Array.isArray(answer.body.error.details) && answer.body.error.details.length > 0);
    for (const detail of answer.body.error.details) assert.deepEqual(Object.keys(detail), ['path'], JSON.stringify(detail));
    assert.ok(answer.body.error.details.some((detail: { path: string }) => detail.path === 'method'));
    assert.doesNotMatch(answer.text, /expected|received|Invalid/);
    const zh = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 42 }, headers: { 'accept-language': 'zh-CN' } });
    assert.equal(zh.body.error.message, '请求参数有误');
  });

  it('CheckoutError#toBody: details never on a 5xx, only paths on validation, kept on other 4xx', () => {
    const config = new CheckoutError(500, 'config', { zh: '配置', en: 'config' }, { details: [{ path: 'x', message: 'secret-ish' }], bizOrderNo: 'B1' });
    assert.deepEqual(config.toBody('en'), { error: { code: 'config', message: 'config', bizOrderNo: 'B1' } });
    const validation = new CheckoutError(400, 'validation', { zh: '请求参数有误', en: 'The request is invalid' }, { details: [{ path: 'a.b', message: 'Invalid input: expected string' }, { path: '' }, 'junk'] });
    assert.deepEqual(validation.toBody('en').error.details, [{ path: 'a.b' }, { path: '' }]);
    const state = new CheckoutError(409, 'payment_not_pending', { zh: '该支付已结束', en: 'no longer pending' }, { details: { state: 'success' } });
    assert.deepEqual(state.toBody('en').error.details, { state: 'success' });
  });

  it('a refused notification answers its code alone: no sysid, no verification detail', async () => {
    const forged = signedNotification({ bizOrderNo: 'TSY-X', amount: 1 }).replace(/sign=[^&]+/, 'sign=AAAA');
    const response = await fetch(`${merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged });
    assert.equal(response.status, 400);
    assert.equal(await response.text(), 'notification_unverified');
    const otherSysid = signedNotification({ bizOrderNo: 'TSY-X', amount: 1 }).replace(`sysid=${SYSID}`, 'sysid=1');
    const refused = await fetch(`${merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: otherSysid });
    assert.ok(refused.status >= 400 && refused.status < 500);
    const text = await refused.text();
    assert.match(text, /^[a-z_.0-9]+$/);
    assert.doesNotMatch(text, new RegExp(SYSID));
  });

  it('a verified notification for a payment we do not have: 404, the code alone', async () => {
    const response = await fetch(`${merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: signedNotification({ bizOrderNo: 'TSY-NOT-OURS', amount: 1 }) });
    assert.equal(response.status, 404);
    assert.equal(await response.text(), 'not_found');
  });
});

describe('/yunst/return when something unexpected fails', () => {
  it('the platform unreachable while asking getOrderDetail: the result page, never JSON', async () => {
    // Another instance of the same shop (same database) whose way to the platform is down.
    const healthy = await startMerchant({ sandboxUrl: sandbox.url, dataDir: merchant.dataDir });
    const closedPort = await startSandbox();
    await closedPort.close();
    const cut = await startMerchant({ sandboxUrl: closedPort.url, dataDir: merchant.dataDir });
    try {
      await bindPayerPhone(healthy, sandbox.url, `${payer}-2`, '13600000008');
      const order = addOrder(healthy, { payer: { bizUserId: `${payer}-2` } });
      const created = await api(healthy.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
      assert.equal(created.status, 201, created.text);
      const signedValue = JSON.stringify({ payStatus: 'success', bizUserId: 'x', bizOrderNo: created.body.bizOrderNo });
      const query = new URLSearchParams({ signedValue, sign: signSource(signedValue, loadMerchantKey(testKeys().platformKey)) }).toString();
      const response = await fetch(`${cut.url}/yunst/return?${query}`, { redirect: 'manual', headers: { accept: 'text/html' } });
      assert.equal(response.status, 303, await response.text());
      const location = new URL(response.headers.get('location')!);
      assert.equal(location.pathname, '/checkout/result');
      assert.ok(['unknown', 'pending'].includes(location.searchParams.get('state')!), location.toString());
    } finally {
      await cut.close();
      await healthy.close();
    }
  });

  it('the store failing: the result page with state=unknown, the stack in the log only', async () => {
    const broken = await startMerchant({ sandboxUrl: sandbox.url });
    try {
      await broken.router.services.context.store.close();
      for (const method of ['GET', 'POST'] as const) {
        const body = signedNotification({ bizOrderNo: 'TSY-ANY', amount: 1 });
        const response =
          method === 'GET'
            ? await fetch(`${broken.url}/yunst/return?${body}`, { redirect: 'manual' })
            : await fetch(`${broken.url}/yunst/return`, { method, redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
        const text = await response.text();
        assert.equal(response.status, 303, `${method}: ${text}`);
        assert.doesNotMatch(String(response.headers.get('content-type')), /json/);
        assert.doesNotMatch(text, STACK_FRAME);
        assert.equal(new URL(response.headers.get('location')!).searchParams.get('state'), 'unknown');
      }
      assert.match(logText(broken.logs), /unexpected error/, 'our failure is logged');
      assert.match(logText(broken.logs), STACK_FRAME, 'with its stack: the log is where it belongs');
    } finally {
      await broken.close();
    }
  });
});
