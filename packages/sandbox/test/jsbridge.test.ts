// The JS bridge emulator's endpoints (/sandbox/jsbridge/weixin, /sandbox/jsbridge/alipay) and the WeChat H5 page's
// redirect_url, over real HTTP against real consumeApply answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { verifyNotification } from '@tsy/yunst';
import { consumeParam, createPayer, ok, platformKey, postForm, startReceiver, startSandbox, type TestSandbox } from './support/sandbox.js';

type Json = Record<string, unknown>;

describe('JS bridge emulator', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    t = await startSandbox({ merchantName: '演示商店' });
    receiver = await startReceiver([200]);
    await createPayer(t, 'jb-payer');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const apply = async (payMethod: Json, amount: number, extra: Json = {}) => {
    const param = consumeParam('jb-payer', payMethod, amount, { backUrl: receiver.url, goodsName: '咖啡', ...extra });
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    return { bizOrderNo: String(param.bizOrderNo), payInfo: String(answer.payInfo) };
  };
  const wechat = async (amount = 100) => {
    const { bizOrderNo, payInfo } = await apply({ WECHAT_PUBLIC: { limitPay: '', acct: 'oOpenid1', amount, subAppid: 'wx1234567890abcdef' } }, amount);
    return { bizOrderNo, params: JSON.parse(payInfo) as Record<string, string> };
  };
  const alipay = async (amount = 100) => {
    const { bizOrderNo, payInfo } = await apply({ ALIPAY_SERVICE: { acct: '2088000000000001', amount } }, amount);
    return { bizOrderNo, tradeNO: payInfo };
  };
  const post = async (bridge: 'weixin' | 'alipay', body: unknown, contentType = 'application/json') => {
    const response = await fetch(`${t.url}/sandbox/jsbridge/${bridge}`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    return { status: response.status, body: (await response.json()) as Json };
  };
  const res = async (bridge: 'weixin' | 'alipay', body: Json) => {
    const answer = await post(bridge, body);
    assert.equal(answer.status, 200);
    return answer.body.res as Json;
  };
  const status = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus;
  const notified = async (bizOrderNo: string) => {
    for (let i = 0; i < 200; i++) {
      const found = receiver.received.find((r) => (verifyNotification(r.body, platformKey).value.returnValue as { bizOrderNo: string }).bizOrderNo === bizOrderNo);
      if (found) return true;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return false;
  };

  it('serves the script and its stylesheet, briefly cacheable', async () => {
    const script = await fetch(`${t.url}/sandbox/jsbridge.js`);
    assert.equal(script.status, 200);
    assert.match(script.headers.get('content-type') ?? '', /^text\/javascript/);
    assert.match(script.headers.get('cache-control') ?? '', /max-age=60/);
    const text = await script.text();
    assert.match(text, /WeixinJSBridgeReady/);
    assert.doesNotMatch(text, /\beval\(|new Function|\.style\b|setAttribute\('style'|innerHTML/, 'nothing a strict CSP refuses');
    const css = await fetch(`${t.url}/sandbox/jsbridge.css`);
    assert.match(css.headers.get('content-type') ?? '', /^text\/css/);
    assert.match(await css.text(), /\.tsy-jsbridge-sheet/);
  });

  it('WeChat: the sheet for a prepay id it issued; pay settles it, notifies, and answers :ok', async () => {
    const { bizOrderNo, params } = await wechat(1234);
    const first = await post('weixin', { params });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.sheet, { wallet: 'wechat', merchantName: '演示商店', amount: 1234, amountText: '¥12.34', goods: '咖啡', bizOrderNo, method: (first.body.sheet as Json).method });
    assert.equal(await status(bizOrderNo), 1, 'showing the sheet changes nothing');
    assert.deepEqual(await res('weixin', { params, outcome: 'pay' }), { err_msg: 'get_brand_wcpay_request:ok' });
    assert.equal(await status(bizOrderNo), 4);
    assert.ok(await notified(bizOrderNo), 'the merchant is notified');
    const again = await res('weixin', { params, outcome: 'pay' });
    assert.equal(again.err_msg, 'get_brand_wcpay_request:fail');
    assert.match(String(again.err_desc), /已支付/);
  });

  it('WeChat: cancel leaves the order unpaid (payable again); fail fails it', async () => {
    const { bizOrderNo, params } = await wechat();
    assert.deepEqual(await res('weixin', { params, outcome: 'cancel' }), { err_msg: 'get_brand_wcpay_request:cancel' });
    assert.equal(await status(bizOrderNo), 1);
    const failed = await res('weixin', { params, outcome: 'fail' });
    assert.equal(failed.err_msg, 'get_brand_wcpay_request:fail');
    assert.ok(failed.err_desc);
    assert.equal(await status(bizOrderNo), 3);
  });

  it('WeChat: checks the parameters as WeChat does — each refusal is :fail with an err_desc, the order untouched', async () => {
    const { bizOrderNo, params } = await wechat();
    const flip = (text: string) => text.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    const { paySign: _drop, ...noSign } = params;
    const cases: [string, unknown, RegExp][] = [
      ['unknown prepay id', { ...params, package: 'prepay_id=wx00000000000000nope' }, /prepay_id/],
      ['wrong paySign', { ...params, paySign: flip(params.paySign!) }, /签名/],
      ['paySign over other fields', { ...params, nonceStr: 'other' }, /签名/],
      ['missing paySign', noSign, /缺少参数:paySign/],
      ['a number timeStamp', { ...params, timeStamp: Number(params.timeStamp) }, /timeStamp 必须是字符串/],
      ['package without prepay_id=', { ...params, package: params.package!.slice('prepay_id='.length) }, /package/],
      ['another appId', { ...params, appId: 'wx0000000000000000' }, /appId/],
      ['signType MD5', { ...params, signType: 'MD5' }, /signType/],
      ['the JSON text instead of the object', JSON.stringify(params), /缺少参数:appId/],
    ];
    for (const [name, wrong, desc] of cases) {
      for (const body of [{ params: wrong }, { params: wrong, outcome: 'pay' }]) {
        const answer = await post('weixin', body);
        assert.equal(answer.status, 200, name);
        const callback = answer.body.res as Json;
        assert.equal(callback.err_msg, 'get_brand_wcpay_request:fail', name);
        assert.match(String(callback.err_desc), desc, name);
      }
    }
    assert.equal(await status(bizOrderNo), 1);
    // A mini-program's prepay id is for wx.requestPayment, not WeixinJSBridge.
    const mini = await apply({ WECHATPAY_MINIPROGRAM: { limitPay: '', amount: 1, acct: 'oMini1' } }, 1);
    assert.match(String(((await res('weixin', { params: JSON.parse(mini.payInfo), outcome: 'pay' })) as Json).err_desc), /prepay_id/);
  });

  it('Alipay: 9000 pays and notifies; 6001 and 6002 leave it unpaid; 4000 fails it', async () => {
    const paid = await alipay(500);
    const sheet = await post('alipay', { tradeNO: paid.tradeNO });
    assert.equal((sheet.body.sheet as Json).amountText, '¥5.00');
    assert.equal((sheet.body.sheet as Json).wallet, 'alipay');
    assert.equal((await res('alipay', { tradeNO: paid.tradeNO, outcome: 'pay' })).resultCode, '9000');
    assert.equal(await status(paid.bizOrderNo), 4);
    assert.ok(await notified(paid.bizOrderNo));

    const other = await alipay();
    assert.equal((await res('alipay', { tradeNO: other.tradeNO, outcome: 'cancel' })).resultCode, '6001');
    assert.equal((await res('alipay', { tradeNO: other.tradeNO, outcome: 'network' })).resultCode, '6002');
    assert.equal(await status(other.bizOrderNo), 1);
    assert.equal((await res('alipay', { tradeNO: other.tradeNO, outcome: 'fail' })).resultCode, '4000');
    assert.equal(await status(other.bizOrderNo), 3);
  });

  it('Alipay: 8000 leaves the order in progress; it succeeds by itself later and is notified then', async () => {
    const { bizOrderNo, tradeNO } = await alipay();
    assert.equal((await res('alipay', { tradeNO, outcome: 'processing' })).resultCode, '8000');
    assert.equal(await status(bizOrderNo), 99);
    assert.equal(await notified(bizOrderNo).then(() => receiver.received.some((r) => r.body.includes(bizOrderNo))), false, 'not notified while in progress');
    assert.match(String((await res('alipay', { tradeNO, outcome: 'pay' })).memo), /40004/, 'no second payment while in progress');
    t.clock.advance(5000);
    assert.equal(await status(bizOrderNo), 4);
    assert.ok(await notified(bizOrderNo));
  });

  it('Alipay: 6004 — the app lost the answer, but the payment went through', async () => {
    const { bizOrderNo, tradeNO } = await alipay();
    assert.equal((await res('alipay', { tradeNO, outcome: 'unknown' })).resultCode, '6004');
    assert.equal(await status(bizOrderNo), 4);
  });

  it('Alipay: an unknown or missing tradeNO is 4000 with a memo', async () => {
    for (const tradeNO of ['2026030222000000000000000000', undefined, 12345]) {
      const sheet = await post('alipay', { tradeNO });
      assert.equal((sheet.body.res as Json | undefined)?.resultCode, '4000', `${String(tradeNO)}: ${JSON.stringify(sheet.body)}`);
      assert.ok((sheet.body.res as Json).memo);
    }
  });

  it('malformed requests are a 400 with a stable code, never a 5xx', async () => {
    for (const [bridge, body, type] of [
      ['weixin', '{not json', 'application/json'],
      ['weixin', { params: {}, outcome: 'steal' }, 'application/json'],
      ['alipay', { tradeNO: '1', outcome: 'pay' }, 'application/x-www-form-urlencoded'],
      ['alipay', '[]', 'application/json'],
    ] as const) {
      const answer = await post(bridge, body, type);
      assert.equal(answer.status, 400, JSON.stringify(body));
      assert.equal(answer.body.code, 'SANDBOX_JSBRIDGE_BAD_REQUEST');
      assert.match(String(answer.body.message), /请求格式错误.*Malformed request/);
    }
  });
});

describe('WeChat H5 page (mweb_url)', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startSandbox();
    await createPayer(t, 'h5-payer');
  });
  after(() => t.close());

  const mweb = async () => {
    const param = consumeParam('h5-payer', { WECHATPAY_H5_OPEN: { subAppId: 'wxapp', amount: 10, limitPay: '', cusip: '203.0.113.7', sceneInfo: '{"h5_info":{"type":"Wap","wap_url":"https://shop.example.com","wap_name":"shop"}}' } }, 10);
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    return { bizOrderNo: String(param.bizOrderNo), link: String(answer.payInfo) };
  };
  const status = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus;
  const RETURN = 'https://shop.example.com/return?order=7&x=a%26b';

  for (const [action, expected] of [['pay', 4], ['cancel', 1], ['fail', 3]] as const) {
    it(`${action}: back to redirect_url (order ${expected})`, async () => {
      const { bizOrderNo, link } = await mweb();
      const withReturn = `${link}&redirect_url=${encodeURIComponent(RETURN)}`;
      const page = await fetch(withReturn);
      assert.match(page.headers.get('content-security-policy') ?? '', /form-action 'self' https:\/\/shop\.example\.com(;|$)/);
      const done = await postForm(withReturn, { action });
      assert.equal(done.status, 303);
      assert.equal(done.headers.get('location'), RETURN);
      assert.equal(await status(bizOrderNo), expected);
    });
  }

  it('refuses a redirect_url that is not http(s): the result is shown instead', async () => {
    for (const target of ['javascript:alert(1)', 'data:text/html,hi', '//evil.example/x', 'not a url']) {
      const { bizOrderNo, link } = await mweb();
      const withReturn = `${link}&redirect_url=${encodeURIComponent(target)}`;
      assert.match((await fetch(withReturn)).headers.get('content-security-policy') ?? '', /form-action 'self';/);
      const done = await postForm(withReturn, { action: 'pay' });
      assert.equal(done.status, 200, target);
      assert.match(await done.text(), /支付成功/);
      assert.equal(await status(bizOrderNo), 4);
    }
  });

  it("an mweb_url past 5 minutes shows WeChat's wording and neither pays nor redirects", async () => {
    const { bizOrderNo, link } = await mweb();
    t.clock.advance(5 * 60_000);
    const withReturn = `${link}&redirect_url=${encodeURIComponent(RETURN)}`;
    assert.match(await (await fetch(withReturn)).text(), /支付请求已失效,请重新发起支付/);
    const done = await postForm(withReturn, { action: 'pay' });
    assert.equal(done.status, 200);
    assert.equal(await status(bizOrderNo), 1);
  });
});
