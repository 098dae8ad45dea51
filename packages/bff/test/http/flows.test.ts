// What the BFF tells a page about the flows it will have to run: each method's possible actions, where the page runs
// (the merchant's resolveEnvironment hook), and a redirect's way out and back.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addOrder, api, bindPayerPhone, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

const ANDROID = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36';
let sandbox: Sandbox;
let merchant: Merchant;

before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    config: {
      methods: { SCAN_WEIXIN: {}, WECHAT_PUBLIC: {}, WECHATPAY_H5_OPEN: { appId: 'wx0123456789abcdef' }, GATEWAY_VSP: { paytype: 'B2C' }, QUICKPAY_VSP: {}, BALANCE: { accountSetNo: '400193' } },
      redirectHosts: ['wx.tenpay.com', 'qpay.qq.com'],
    },
    // The demo's kind of switch: the page says where it wants to be taken for (a real merchant would use a session).
    hooks: { resolveEnvironment: (req) => (req.get('x-simulate') as 'wechat' | undefined) ?? undefined },
  });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

describe('MethodView.actions', () => {
  it('names the action types each method can lead to', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: `flows-${process.pid}` } });
    const view = await api(merchant.url, `/api/checkout/orders/${order}`);
    const actions = Object.fromEntries(view.body.methods.map((m: { method: string; actions: string[] }) => [m.method, m.actions]));
    assert.deepEqual(actions, {
      SCAN_WEIXIN: ['qr'],
      WECHAT_PUBLIC: ['wechat-jsapi'],
      WECHATPAY_H5_OPEN: ['redirect'],
      GATEWAY_VSP: ['form-post'],
      BALANCE: ['sms'],
      QUICKPAY_VSP: ['sms', 'none'],
    });
  });
});

describe('resolveEnvironment', () => {
  it('decides where the page runs; without an answer the User-Agent does', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: `env-${process.pid}`, acct: { weChatPublic: 'oSbxOpenid123' } } });
    const usable = (body: { methods: { method: string; usable: boolean }[] }) => body.methods.find((m) => m.method === 'WECHAT_PUBLIC')!.usable;
    const plain = await api(merchant.url, `/api/checkout/orders/${order}`);
    assert.deepEqual([plain.body.environment, usable(plain.body)], ['desktop', false]);
    const simulated = await api(merchant.url, `/api/checkout/orders/${order}`, { headers: { 'x-simulate': 'wechat' } });
    assert.deepEqual([simulated.body.environment, usable(simulated.body)], ['wechat', true]);
    const nonsense = await api(merchant.url, `/api/checkout/orders/${order}`, { headers: { 'x-simulate': 'mainframe' } });
    assert.equal(nonsense.body.environment, 'desktop', 'an answer that is not an environment is ignored');
  });
});

describe('the redirect action', () => {
  it('carries the payment’s result page to come back to and the hosts the page may go to', async () => {
    const payer = `h5-${process.pid}`;
    await bindPayerPhone(merchant, sandbox.url, payer, '13600000201');
    const order = addOrder(merchant, { payer: { bizUserId: payer } });
    const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'WECHATPAY_H5_OPEN' }, headers: { 'user-agent': ANDROID } });
    assert.equal(created.status, 201, created.text);
    const action = created.body.action;
    assert.equal(action.type, 'redirect');
    const back = new URL(action.returnUrl);
    assert.deepEqual([back.searchParams.get('merchantOrderId'), back.searchParams.get('bizOrderNo'), back.searchParams.get('state')], [order, created.body.bizOrderNo, null]);
    assert.deepEqual(action.allowedHosts, ['wx.tenpay.com', 'qpay.qq.com', new URL(sandbox.url).host], 'configured hosts, and the sandbox’s own in sandbox mode');
    assert.ok(action.allowedHosts.includes(new URL(action.url).host), 'the sandbox’s mweb_url is allowed');
    // The same, read back (a resume after the payer returns).
    assert.deepEqual((await api(merchant.url, `/api/checkout/payments/${created.body.bizOrderNo}`, { headers: { 'user-agent': ANDROID } })).body.action, action);
  });

  it('allows the host of the sandbox’s pages, which may be another name than the one the BFF calls it on', async () => {
    const named = await startSandbox({ publicHost: 'localhost' });
    const local = new URL(named.url);
    local.hostname = '127.0.0.1';
    const shop = await startMerchant({
      sandboxUrl: named.url,
      soaUrl: new URL('/service/soa', local).href,
      config: { methods: { WECHATPAY_H5_OPEN: { appId: 'wx0123456789abcdef' } }, redirectHosts: ['wx.tenpay.com'] },
    });
    try {
      const payer = `h5-named-${process.pid}`;
      await bindPayerPhone(shop, named.url, payer, '13600000202');
      const order = addOrder(shop, { payer: { bizUserId: payer } });
      const created = await api(shop.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'WECHATPAY_H5_OPEN' }, headers: { 'user-agent': ANDROID } });
      assert.equal(created.status, 201, created.text);
      const { url, allowedHosts } = created.body.action;
      assert.equal(new URL(url).host, new URL(named.url).host, 'the mweb_url is on the sandbox’s public name');
      assert.deepEqual(allowedHosts, ['wx.tenpay.com', new URL(named.url).host]);
    } finally {
      await shop.close();
      await named.close();
    }
  });
});
