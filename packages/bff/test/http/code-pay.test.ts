// The cashier scanning a payer's payment code (CODEPAY_VSP): the code is checked before the platform sees it, pays once,
// and a payment the payer still confirms in the wallet stays pending until the platform says — all over real HTTP
// against the real sandbox.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addOrder, api, bindPayerPhone, logText, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

const PAYER = `codepay-${process.pid}`;
const headers = { 'idempotency-key': '' };
let sandbox: Sandbox;
let merchant: Merchant;
let serial = 0;

/** A fresh, valid test code of a wallet (the sandbox pays it; `0000` makes it wait for the payer, `9999` fail). */
function code(wallet: 'wechat' | 'alipay' | 'unionpay', ending = ''): string {
  const middle = `${process.pid}${++serial}${Date.now()}`.replace(/\D/g, '');
  const [prefix, length] = wallet === 'wechat' ? ['13', 18] : wallet === 'alipay' ? ['28', 18] : ['62', 19];
  const body = (middle + '5'.repeat(length)).slice(0, length - prefix.length - ending.length).replace(/0000$|9999$/, '1111');
  return `${prefix}${body}${ending}`;
}

const pay = (order: string, authcode: unknown, extra: Record<string, string> = {}) =>
  api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'CODEPAY_VSP', authcode }, headers: { ...headers, 'idempotency-key': `k-${++serial}`, ...extra } });

before(async () => {
  sandbox = await startSandbox({ codePayPendingMs: 600 });
  merchant = await startMerchant({ sandboxUrl: sandbox.url, config: { methods: { CODEPAY_VSP: { wallets: ['wechat', 'unionpay'] }, SCAN_WEIXIN: {} } } });
  await bindPayerPhone(merchant, sandbox.url, PAYER, '13600000901');
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

const newOrder = () => addOrder(merchant, { payer: { bizUserId: PAYER } });

describe('CODEPAY_VSP payment codes', () => {
  it('pays with a WeChat and a UnionPay code at once, and keeps no code in clear', async () => {
    for (const wallet of ['wechat', 'unionpay'] as const) {
      const authcode = code(wallet);
      const created = await pay(newOrder(), authcode);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.state, 'success');
      assert.equal(created.body.action.type, 'none');
      assert.ok(!created.text.includes(authcode), 'the answer does not repeat the code');
      const stored = await merchant.router.services.context.store.getPayment(created.body.bizOrderNo);
      assert.ok(stored?.requestRaw && !stored.requestRaw.includes(authcode), 'the stored request copy has the code masked');
      assert.match(stored.requestRaw, new RegExp(`${authcode.slice(0, 6)}\\*+${authcode.slice(-4)}`));
      assert.ok(!logText(merchant.logs).includes(authcode), 'no log line has the code');
    }
    const db = (merchant.router.services.context.store as unknown as { db: { prepare(sql: string): { all(): { code_digest: string }[] } } }).db;
    const digests = db.prepare('SELECT code_digest FROM payment_codes').all();
    assert.ok(digests.length >= 2 && digests.every((row) => /^[0-9a-f]{64}$/.test(row.code_digest)), 'codes are kept as keyed digests only');
  });

  it('refuses what is no payment code with 400 invalid_payment_code (zh and en), and makes no payment', async () => {
    const order = newOrder();
    for (const bad of ['abc', '1234', '163456789012345678', '1334567890123456789', '13345678901234567a', '6212345678901234', '311234567890123456', ' 133456789012345678']) {
      const en = await pay(order, bad);
      assert.equal(en.status, 400, `${bad}: ${en.text}`);
      assert.equal(en.body.error.code, 'invalid_payment_code');
      assert.match(en.body.error.message, /WeChat codes are 18 digits/);
    }
    const zh = await pay(order, 'abc', { 'accept-language': 'zh-CN' });
    assert.match(zh.body.error.message, /付款码无效/);
    const missing = await pay(order, undefined);
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.code, 'validation');
    const view = await api(merchant.url, `/api/checkout/orders/${order}`);
    assert.equal(view.body.currentPayment, null, 'nothing was created for refused codes');
    assert.ok(!logText(merchant.logs).includes('133456789012345678'));
  });

  it('tells the page which wallets’ codes the shop takes (the scanner refuses others before sending)', async () => {
    const view = await api(merchant.url, `/api/checkout/orders/${newOrder()}`);
    const methods = Object.fromEntries(view.body.methods.map((m: { method: string; paymentCodeWallets?: string[] }) => [m.method, m.paymentCodeWallets]));
    assert.deepEqual(methods, { CODEPAY_VSP: ['wechat', 'unionpay'], SCAN_WEIXIN: undefined });
  });

  it('refuses a code of a wallet the method does not take (400 payment_code_wallet_not_accepted)', async () => {
    const refused = await pay(newOrder(), code('alipay'));
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.body.error.code, 'payment_code_wallet_not_accepted');
    assert.deepEqual(refused.body.error.details, { wallet: 'alipay', accepted: ['wechat', 'unionpay'] });
  });

  it('uses a code once: a second payment with it is 409 payment_code_used; the same create repeated is the same payment', async () => {
    const authcode = code('wechat', '0000');
    const order = newOrder();
    const first = await pay(order, authcode, { 'idempotency-key': 'same-attempt' });
    assert.equal(first.status, 201, first.text);
    const repeat = await pay(order, authcode, { 'idempotency-key': 'same-attempt' });
    assert.equal(repeat.status, 201, repeat.text);
    assert.equal(repeat.body.bizOrderNo, first.body.bizOrderNo, 'a repeated create replays, it is not a reuse');
    const again = await pay(newOrder(), authcode);
    assert.equal(again.status, 409, again.text);
    assert.equal(again.body.error.code, 'payment_code_used');
    assert.match((await pay(newOrder(), authcode, { 'accept-language': 'zh-CN' })).body.error.message, /付款码已使用/);
  });

  it('a create repeated after its payment paid the order (its answer was lost) is answered with that payment, not order_paid', async () => {
    const order = newOrder();
    const authcode = code('wechat');
    const first = await pay(order, authcode, { 'idempotency-key': 'lost-answer' });
    assert.equal(first.status, 201, first.text);
    assert.equal(first.body.state, 'success');
    const repeat = await pay(order, authcode, { 'idempotency-key': 'lost-answer' });
    assert.equal(repeat.status, 201, repeat.text);
    assert.deepEqual([repeat.body.bizOrderNo, repeat.body.state], [first.body.bizOrderNo, 'success']);
    const another = await pay(order, code('wechat'), { 'idempotency-key': 'another-attempt' });
    assert.equal(another.body.error.code, 'order_paid', 'a new attempt for a paid order is still refused');
  });

  it('lets only one of two concurrent payments with one code through', async () => {
    const authcode = code('unionpay');
    const answers = await Promise.all([pay(newOrder(), authcode), pay(newOrder(), authcode), pay(newOrder(), authcode)]);
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 409, 409], answers.map((a) => a.text).join('\n'));
  });

  it('a code the payer confirms in the wallet (…0000) answers pending at once, then succeeds', async () => {
    const created = await pay(newOrder(), code('wechat', '0000'));
    assert.equal(created.status, 201, created.text);
    // Pending in the answer: the create did not wait for the payer's password (it would have answered success).
    assert.equal(created.body.state, 'pending');
    assert.equal(created.body.action.type, 'none');
    // The wallet confirms after `codePayPendingMs`; the platform then notifies. Wait on that notification itself (not on
    // a fixed time, which a loaded machine can outrun): once the BFF has answered it 200, the payment must be settled.
    const bizOrderNo: string = created.body.bizOrderNo;
    let notification = sandbox.state.notifications.get(bizOrderNo);
    for (let i = 0; i < 600 && !notification; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      notification = sandbox.state.notifications.get(bizOrderNo);
    }
    assert.ok(notification, 'the wallet confirmed and the platform sent its notification');
    await notification.settled;
    assert.ok(notification.delivered, `the BFF took the notification: ${JSON.stringify(notification.attempts)}`);
    const state = (await api(merchant.url, `/api/checkout/payments/${bizOrderNo}`)).body.state;
    assert.equal(state, 'success', 'the platform’s notification settled it');
  });

  it('a code the platform declines (…9999) fails with the platform’s reason, and stays used', async () => {
    const authcode = code('wechat', '9999');
    const created = await pay(newOrder(), authcode);
    assert.equal(created.status, 201, created.text);
    assert.equal(created.body.state, 'failed');
    assert.match(created.body.failure.message, /付款码已失效|余额不足/);
    assert.equal((await pay(newOrder(), authcode)).status, 409);
  });

  it('is a desktop (cashier desk) method: refused from a phone', async () => {
    const refused = await pay(newOrder(), code('wechat'), { 'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148' });
    assert.equal(refused.status, 422);
    assert.equal(refused.body.error.details.reason, 'desktop_only');
  });
});

describe('ResolvedOrder.methods', () => {
  it('limits the methods an order lists and accepts (a counter sale by payment code only)', async () => {
    const order = addOrder(merchant, { payer: { bizUserId: PAYER }, methods: ['CODEPAY_VSP'] });
    const view = await api(merchant.url, `/api/checkout/orders/${order}`);
    assert.deepEqual(view.body.methods.map((m: { method: string }) => m.method), ['CODEPAY_VSP']);
    const refused = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' } });
    assert.equal(refused.status, 422, refused.text);
    assert.equal(refused.body.error.code, 'method_not_enabled');
    const everything = await api(merchant.url, `/api/checkout/orders/${newOrder()}`);
    assert.ok(everything.body.methods.length > 1, 'without a list, every enabled method');
  });
});

describe('CODEPAY_VSP_ORG (VSP group mode)', () => {
  it('sends the _ORG method with the sub-merchant, the code checked and used once the same way', async () => {
    const group = await startMerchant({ sandboxUrl: sandbox.url, config: { methods: { CODEPAY_VSP: { vspCusid: '55058100001' } } } });
    try {
      const payer = `codepay-org-${process.pid}`;
      await bindPayerPhone(group, sandbox.url, payer, '13600000902');
      const authcode = code('alipay');
      const pay = (order: string, value: string) =>
        api(group.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'CODEPAY_VSP', authcode: value }, headers: { 'idempotency-key': `org-${++serial}` } });
      const created = await pay(addOrder(group, { payer: { bizUserId: payer } }), authcode);
      assert.equal(created.status, 201, created.text);
      assert.equal(created.body.state, 'success');
      const stored = await group.router.services.context.store.getPayment(created.body.bizOrderNo);
      assert.equal(stored?.payMethodKey, 'CODEPAY_VSP_ORG');
      assert.match(stored!.requestRaw!, /"CODEPAY_VSP_ORG":\{[^}]*"vspCusid":"55058100001"/);
      assert.equal((await pay(addOrder(group, { payer: { bizUserId: payer } }), authcode)).body.error.code, 'payment_code_used');
      assert.equal((await pay(addOrder(group, { payer: { bizUserId: payer } }), '99')).body.error.code, 'invalid_payment_code');
    } finally {
      await group.close();
    }
  });
});
