// consumeApply per payMethod family (spec §4.2.4, §5.2; digest §2.5, §8) and the order rules of §4.2.1.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { YUNST_UNCODED_MESSAGES, formatCstTimestamp, orderNotificationRps, verifyNotification } from '@tsy/yunst';
import {
  consumeParam,
  createMember,
  createPayer,
  errorCode,
  ok,
  platformKey,
  postForm,
  startReceiver,
  startSandbox,
  SYSID,
  type TestSandbox,
} from './support/sandbox.js';

const scanAlipay = (amount: number) => ({ SCAN_ALIPAY: { amount, limitPay: '' } });
const inMinutes = (t: TestSandbox, minutes: number) => formatCstTimestamp(new Date(t.clock().getTime() + minutes * 60_000));

describe('consumeApply: QR payment through the simulated wallet', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    t = await startSandbox({ merchantName: 'Demo <Shop>' });
    receiver = await startReceiver([200]);
    await createPayer(t, 'qr-payer');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const detail = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo }));

  it('answers payInfo = the wallet page URL; paying there succeeds, is notified, and getOrderDetail says 4', async () => {
    const param = consumeParam('qr-payer', scanAlipay(1234), 1234, { backUrl: receiver.url, goodsName: '<b>咖啡</b>', extendInfo: 'ext-1' });
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    assert.deepEqual(Object.keys(answer).sort(), ['bizOrderNo', 'extendInfo', 'orderNo', 'payInfo']);
    assert.equal(answer.bizOrderNo, param.bizOrderNo);
    assert.match(String(answer.orderNo), /^\d{20}$/);
    const payInfo = String(answer.payInfo);
    assert.match(payInfo, new RegExp(`^${t.url}/sandbox/wallet/[A-Za-z0-9_-]{22}$`));

    const page = await fetch(payInfo);
    assert.equal(page.status, 200);
    const csp = page.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'none'/);
    assert.match(csp, /style-src 'nonce-/);
    const html = await page.text();
    assert.match(html, /¥12\.34/);
    assert.match(html, /支付宝/);
    assert.match(html, /Demo &lt;Shop&gt;/);
    assert.match(html, /&lt;b&gt;咖啡&lt;\/b&gt;/);
    assert.doesNotMatch(html, /<b>咖啡/);
    assert.equal((await detail(String(param.bizOrderNo))).orderStatus, 1);

    const paid = await postForm(payInfo, { action: 'pay' });
    assert.match(await paid.text(), /支付成功/);
    const value = await detail(String(param.bizOrderNo));
    assert.equal(value.orderStatus, 4);
    assert.equal(value.amount, 1234);
    assert.equal(value.buyerBizUserId, 'qr-payer');
    assert.equal(value.payDatetime, formatCstTimestamp(t.clock()));
    assert.equal(value.payInterfacetrxcode, 'VSP511');
    assert.match(String(value.acct), /^2088\d{12}$/);
    assert.ok(value.payInterfaceOutTradeNo);
    assert.equal(value.extendInfo, 'ext-1');

    const notification = verifyNotification((await receiver.nth(1)).body, platformKey, { sysid: SYSID });
    assert.equal(notification.v, '2.0');
    orderNotificationRps.parse(notification.value);
    const rps = notification.value as { service: string; method: string; status: string; returnValue: Record<string, unknown> };
    assert.equal(rps.service, 'OrderService');
    assert.equal(rps.method, 'pay');
    assert.equal(rps.status, 'OK');
    assert.deepEqual(rps.returnValue, {
      orderNo: answer.orderNo,
      bizOrderNo: param.bizOrderNo,
      amount: 1234,
      payDatetime: value.payDatetime,
      buyerBizUserId: 'qr-payer',
      acct: value.acct,
      payInterfaceOutTradeNo: value.payInterfaceOutTradeNo,
      payInterfacetrxcode: 'VSP511',
      extendInfo: 'ext-1',
    });
    // Paid: the page shows the state instead of buttons, and a second pay changes nothing.
    const again = await (await postForm(payInfo, { action: 'pay' })).text();
    assert.doesNotMatch(again, /name="action"/);
    assert.equal(t.sandbox.state.notifications.all().filter((n) => n.bizOrderNo === param.bizOrderNo).length, 1);
  });

  it('cancel leaves the order unpaid (1); simulated failure makes it 3 and sends no notification', async () => {
    const param = consumeParam('qr-payer', { SCAN_WEIXIN: { amount: 100, limitPay: 'no_credit' } }, 100);
    const payInfo = String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo);
    assert.match(await (await fetch(payInfo)).text(), /微信支付/);
    assert.match(await (await postForm(payInfo, { action: 'cancel' })).text(), /订单仍未支付/);
    assert.equal((await detail(String(param.bizOrderNo))).orderStatus, 1);
    await postForm(payInfo, { action: 'fail' });
    const value = await detail(String(param.bizOrderNo));
    assert.equal(value.orderStatus, 3);
    assert.ok(value.errorMessage);
    assert.equal(t.sandbox.state.notifications.get(String(param.bizOrderNo)), undefined);
  });

  it('an expired order cannot be paid on the wallet page and reads closed (6) afterwards', async () => {
    const param = consumeParam('qr-payer', { SCAN_UNIONPAY: { amount: 100, limitPay: '' } }, 100, { orderExpireDatetime: inMinutes(t, 5) });
    const payInfo = String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo);
    t.clock.advance(5 * 60_000);
    const page = await (await postForm(payInfo, { action: 'pay' })).text();
    assert.doesNotMatch(page, /支付成功/);
    assert.equal((await detail(String(param.bizOrderNo))).orderStatus, 6);
  });
});

describe('consumeApply: answers per family', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startSandbox();
    await createPayer(t, 'fam-payer');
    ok(await t.call('MemberService', 'applyBindAcct', { bizUserId: 'fam-payer', operationType: 'set', acctType: 'weChatPublic', acct: 'oOpenid1' }));
    ok(await t.call('MemberService', 'applyBindAcct', { bizUserId: 'fam-payer', operationType: 'set', acctType: 'weChatMiniProgram', acct: 'oMini1' }));
  });
  after(() => t.close());
  const apply = async (payMethod: Record<string, unknown>, amount: number, extra: Record<string, unknown> = {}) => {
    const param = consumeParam('fam-payer', payMethod, amount, extra);
    return { param, answer: ok(await t.call('OrderService', 'consumeApply', param)) };
  };
  const payViaHelper = async (bizOrderNo: string) => {
    const redirect = await fetch(`${t.url}/sandbox/orders/${bizOrderNo}/wallet`, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    const location = new URL(redirect.headers.get('location')!, t.url).href;
    return (await postForm(location, { action: 'pay' })).text();
  };
  const status = async (bizOrderNo: unknown) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus;

  it('WECHAT_PUBLIC: payInfo is the JSAPI JSON text; the payer pays through the helper route; acct is the openid', async () => {
    const { param, answer } = await apply({ WECHAT_PUBLIC: { limitPay: '', acct: 'oOpenid1', amount: 50, subAppid: 'wx1234567890abcdef' } }, 50);
    const payInfo = JSON.parse(String(answer.payInfo)) as Record<string, string>;
    assert.deepEqual(Object.keys(payInfo), ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']);
    assert.equal(payInfo.appId, 'wx1234567890abcdef');
    assert.match(payInfo.package!, /^prepay_id=wx\d{14}[0-9a-f]{18}$/);
    assert.equal(payInfo.signType, 'RSA');
    assert.match(await payViaHelper(String(param.bizOrderNo)), /支付成功/);
    const detail = ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: param.bizOrderNo }));
    assert.equal(detail.acct, 'oOpenid1');
    assert.equal(detail.payInterfacetrxcode, 'VSP501');
  });

  it('ALIPAY_SERVICE answers a 28-digit tradeNO; QQ_WALLET a link to the wallet page', async () => {
    ok(await t.call('MemberService', 'applyBindAcct', { bizUserId: 'fam-payer', operationType: 'set', acctType: 'aliPayService', acct: '2088000000000001' }));
    const alipay = await apply({ ALIPAY_SERVICE: { acct: '2088000000000001', amount: 10 } }, 10);
    assert.match(String(alipay.answer.payInfo), /^\d{28}$/);
    const qq = await apply({ QQ_WALLET: { amount: 10 } }, 10);
    assert.match(String(qq.answer.payInfo), /\/sandbox\/wallet\//);
    assert.match(await (await fetch(String(qq.answer.payInfo))).text(), /QQ钱包/);
  });

  it('WECHATPAY_H5_OPEN: an mweb_url-like link that works for 5 minutes', async () => {
    const { answer } = await apply({ WECHATPAY_H5_OPEN: { subAppId: 'wxapp', amount: 10, limitPay: '', cusip: '203.0.113.7', sceneInfo: '{"h5_info":{"type":"Wap","wap_url":"https://shop.example.com","wap_name":"shop"}}' } }, 10);
    const link = String(answer.payInfo);
    assert.match(link, /\/sandbox\/wallet\/[^?]+\?h5=1$/);
    assert.match(await (await fetch(link)).text(), /name="action" value="pay"/);
    t.clock.advance(5 * 60_000);
    assert.match(await (await fetch(link)).text(), /支付请求已失效,请重新发起支付/, "WeChat's wording for an expired mweb_url");
  });

  it('WECHATPAY_MINIPROGRAM: mini-program JSON in payInfo', async () => {
    const { answer } = await apply({ WECHATPAY_MINIPROGRAM: { limitPay: '', amount: 10, acct: 'oMini1' } }, 10);
    assert.equal(JSON.parse(String(answer.payInfo)).signType, 'RSA');
  });

  it('WECHATPAY_APP_OPEN: weChatAPPInfo with weixinstr; only amount 9 succeeds when the payer pays', async () => {
    const nine = await apply({ WECHATPAY_APP_OPEN: { subAppId: 'wxapp', amount: 9, limitPay: '' } }, 9, { goodsName: 'coffee' });
    const info = JSON.parse(String(nine.answer.weChatAPPInfo)) as { weixinstr: string };
    const weixin = JSON.parse(info.weixinstr) as Record<string, string>;
    for (const key of ['appid', 'partnerid', 'prepayid', 'package', 'noncestr', 'timestamp', 'sign']) assert.ok(weixin[key], key);
    assert.equal(weixin.appid, 'wxapp');
    assert.equal(nine.answer.payInfo, undefined);
    await payViaHelper(String(nine.param.bizOrderNo));
    assert.equal(await status(nine.param.bizOrderNo), 4);

    const ten = await apply({ WECHATPAY_APP_OPEN: { subAppId: 'wxapp', amount: 10, limitPay: '' } }, 10, { goodsName: 'coffee' });
    await payViaHelper(String(ten.param.bizOrderNo));
    assert.equal(await status(ten.param.bizOrderNo), 3);
    // goodsName is mandatory for WeChat native APP pay.
    assert.equal(errorCode(await t.call('OrderService', 'consumeApply', consumeParam('fam-payer', { WECHATPAY_APP_OPEN: { subAppId: 'wxapp', amount: 9, limitPay: '' } }, 9))), '10001');
  });

  it('ALIPAY_APP_OPEN: a URL-encoded order string; 9 success, 7 in progress (99), 6 failure', async () => {
    const outcomes: [number, number][] = [[9, 4], [7, 99], [6, 3]];
    for (const [amount, expected] of outcomes) {
      const { param, answer } = await apply({ ALIPAY_APP_OPEN: { amount } }, amount);
      const orderString = decodeURIComponent(String(answer.payInfo));
      const fields = new URLSearchParams(orderString);
      assert.equal(fields.get('method'), 'alipay.trade.app.pay');
      assert.equal(JSON.parse(fields.get('biz_content')!).out_trade_no, answer.orderNo);
      await payViaHelper(String(param.bizOrderNo));
      assert.equal(await status(param.bizOrderNo), expected, `amount ${amount}`);
    }
  });

  it('MOBILEAPPPAY_VSP answers orderNo only', async () => {
    const { answer } = await apply({ MOBILEAPPPAY_VSP: { amount: 10 } }, 10);
    assert.deepEqual(Object.keys(answer).sort(), ['bizOrderNo', 'orderNo']);
  });

  it('a cusip of 127.0.0.1 or localhost is refused with 10000', async () => {
    const param = consumeParam('fam-payer', { WECHATPAY_SCAN_OPEN: { wxAppId: 'wx', wxMchtId: '1', amount: 10, limitPay: '', cusip: 'localhost' } }, 10);
    const answer = await t.call('OrderService', 'consumeApply', param);
    assert.equal(errorCode(answer), '10000');
    assert.match((answer as { message: string }).message, /cusip/);
  });

  it('the helper route refuses orders without a wallet page', async () => {
    assert.equal((await fetch(`${t.url}/sandbox/orders/nope/wallet`, { redirect: 'manual' })).status, 404);
  });
});

describe('consumeApply: order rules', () => {
  let t: TestSandbox;
  before(async () => {
    t = await startSandbox();
    await createPayer(t, 'rules-payer');
    await createMember(t, 'rules-nophone');
    await createMember(t, 'rules-seller');
  });
  after(() => t.close());
  const code = async (param: Record<string, unknown>) => errorCode(await t.call('OrderService', 'consumeApply', param));

  it('payer must exist (30001) and have a phone (30021); the payee must exist unless it is the platform (30058)', async () => {
    assert.equal(await code(consumeParam('nobody', scanAlipay(1), 1)), '30001');
    assert.equal(await code(consumeParam('rules-nophone', scanAlipay(1), 1)), '30021');
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { recieverId: 'nobody' })), '30058');
    ok(await t.call('OrderService', 'consumeApply', consumeParam('rules-payer', scanAlipay(1), 1, { recieverId: 'rules-seller' })));
  });

  it('JS methods need the acct bound with applyBindAcct when the payer has no phone (30021)', async () => {
    const wechat = (acct: string) => consumeParam('rules-nophone', { WECHAT_PUBLIC: { limitPay: '', acct, amount: 1 } }, 1);
    assert.equal(await code(wechat('oBound')), '30021');
    ok(await t.call('MemberService', 'applyBindAcct', { bizUserId: 'rules-nophone', operationType: 'set', acctType: 'weChatPublic', acct: 'oBound' }));
    assert.equal(await code(wechat('oOther')), '30021');
    ok(await t.call('OrderService', 'consumeApply', wechat('oBound')));
    // A bound official-account openid is not a mini-program one, and does not replace a phone for other methods.
    assert.equal(await code(consumeParam('rules-nophone', { WECHATPAY_MINIPROGRAM: { limitPay: '', acct: 'oBound', amount: 1 } }, 1)), '30021');
    assert.equal(await code(consumeParam('rules-nophone', scanAlipay(1), 1)), '30021');
  });

  it('a bizOrderNo is used once (40017)', async () => {
    const param = consumeParam('rules-payer', scanAlipay(1), 1);
    ok(await t.call('OrderService', 'consumeApply', param));
    assert.equal(await code(param), '40017');
  });

  it('amounts: payMethod must add up to amount (40005); fee must not exceed amount (40016)', async () => {
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(99), 100)), '40005');
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(100), 100, { fee: 101 })), '40016');
    assert.equal(await code(consumeParam('rules-payer', { GATEWAY_VSP: { amount: 50, paytype: 'B2C' }, BALANCE: [{ accountSetNo: '400142', amount: 40 }] }, 100, { frontUrl: 'http://127.0.0.1/r' })), '40005');
  });

  it('combined payment: non-combinable methods alone; one channel method plus balance-type ones', async () => {
    const balance = [{ accountSetNo: '400142', amount: 50 }];
    assert.equal(await code(consumeParam('rules-payer', { SCAN_WEIXIN: { amount: 50, limitPay: '' }, BALANCE: balance }, 100)), '10000');
    assert.equal(await code(consumeParam('rules-payer', { QUICKPAY_VSP: { bankCardNo: 'AB', amount: 50 }, COUPON: { amount: 50 } }, 100)), '10000');
    assert.equal(
      await code(consumeParam('rules-payer', { GATEWAY_VSP: { amount: 50, paytype: 'B2C' }, ALLINPAY_WALLET_H5: { amount: '50' } }, 100, { frontUrl: 'http://127.0.0.1/r' })),
      '10000',
    );
    const combined = consumeParam('rules-payer', { GATEWAY_VSP: { amount: 600, paytype: 'B2C' }, BALANCE: [{ accountSetNo: '400142', amount: 100 }], COUPON: { amount: 200 } }, 900, {
      frontUrl: 'http://127.0.0.1/r',
    });
    assert.deepEqual(Object.keys(ok(await t.call('OrderService', 'consumeApply', combined))).sort(), ['bizOrderNo', 'orderNo']);
    ok(await t.call('OrderService', 'consumeApply', consumeParam('rules-payer', { BALANCE: balance, COUPON: { amount: 50 } }, 100)));
  });

  it('validateType must suit every method (40027)', async () => {
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { validateType: 0 })), '40027', 'QR methods take no validateType');
    assert.equal(await code(consumeParam('rules-payer', { ORDER_VSPPAY: { amount: 1 } }, 1, { validateType: 1 })), '40027');
    assert.equal(await code(consumeParam('rules-payer', { CODEPAY_VSP: { amount: 1, authcode: '134567890123456789', limitPay: '' } }, 1, { validateType: 1 })), '40027');
    assert.equal(await code(consumeParam('rules-payer', { BALANCE: [{ accountSetNo: '400142', amount: 1 }] }, 1, { validateType: 0 })), '40027');
    assert.equal(await code(consumeParam('rules-payer', { QUICKPAY_VSP: { bankCardNo: 'AB', amount: 1 } }, 1, { validateType: 2 })), '40027');
    assert.equal(await code(consumeParam('rules-payer', { GATEWAY_VSP: { amount: 1, paytype: 'B2C' } }, 1, { validateType: 2, frontUrl: 'http://127.0.0.1/r' })), '40027', 'gateway alone: not the password');
    assert.equal(await code(consumeParam('rules-payer', { ALLINPAY_WALLET_H5: { amount: '1' } }, 1, { validateType: 2, frontUrl: 'http://127.0.0.1/r' })), '40027');
    ok(await t.call('OrderService', 'consumeApply', consumeParam('rules-payer', { GATEWAY_VSP: { amount: 1, paytype: 'B2C' }, COUPON: { amount: 1 } }, 2, { validateType: 2, frontUrl: 'http://127.0.0.1/r' })));
  });

  it('front methods need frontUrl (10001)', async () => {
    assert.equal(await code(consumeParam('rules-payer', { GATEWAY_VSP: { amount: 1, paytype: 'B2C' } }, 1)), '10001');
  });

  it('orderExpireDatetime: future, ≤ 24 h, ≤ 60 min for channel-passed methods, ≥ 1 min for wallet H5 (20015)', async () => {
    const at = (minutes: number) => formatCstTimestamp(new Date(t.clock().getTime() + minutes * 60_000));
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { orderExpireDatetime: at(61) })), '20015');
    assert.equal(await code(consumeParam('rules-payer', { WECHAT_PUBLIC: { limitPay: '', acct: 'o', amount: 1 } }, 1, { orderExpireDatetime: at(61) })), '20015');
    ok(await t.call('OrderService', 'consumeApply', consumeParam('rules-payer', scanAlipay(1), 1, { orderExpireDatetime: at(60) })));
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { orderExpireDatetime: at(-1) })), '20015');
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { orderExpireDatetime: '2026-02-30 10:00:00' })), '20015');
    ok(await t.call('OrderService', 'consumeApply', consumeParam('rules-payer', { QQ_WALLET: { amount: 1 } }, 1, { orderExpireDatetime: at(24 * 60) })));
    assert.equal(await code(consumeParam('rules-payer', { QQ_WALLET: { amount: 1 } }, 1, { orderExpireDatetime: at(24 * 60 + 1) })), '20015');
    const walletH5 = (minutes: number) => consumeParam('rules-payer', { ALLINPAY_WALLET_H5: { amount: '1' } }, 1, { orderExpireDatetime: at(minutes), frontUrl: 'http://127.0.0.1/r' });
    assert.equal(await code({ ...walletH5(0), orderExpireDatetime: formatCstTimestamp(new Date(t.clock().getTime() + 30_000)) }), '20015');
    ok(await t.call('OrderService', 'consumeApply', walletH5(1)));
    assert.equal(await code(consumeParam('rules-payer', scanAlipay(1), 1, { orderExpireDatetime: '2026-03-02T10:00:00' })), '10000');
  });
});

describe('consumeApply: the per-payer daily limit', () => {
  it('refuses the 11th order of a CST day; failed orders do not count; the next day starts afresh', async () => {
    const t = await startSandbox();
    try {
      await createPayer(t, 'limit-payer');
      const place = () => t.call('OrderService', 'consumeApply', consumeParam('limit-payer', scanAlipay(1), 1));
      const first = ok(await place());
      for (let i = 2; i <= 10; i++) ok(await place());
      const refused = await place();
      assert.equal(errorCode(refused), YUNST_UNCODED_MESSAGES.consumeDailyLimit.code);
      assert.equal((refused as { message: string }).message, YUNST_UNCODED_MESSAGES.consumeDailyLimit.zh);
      // A failed order frees its place.
      const failedOrder = t.sandbox.state.orders.get(String(first.bizOrderNo))!;
      await postForm(`${t.url}/sandbox/wallet/${failedOrder.walletToken}`, { action: 'fail' });
      ok(await place());
      assert.equal(errorCode(await place()), YUNST_UNCODED_MESSAGES.consumeDailyLimit.code);
      // 10:00 CST + 14 h is the next CST day.
      t.clock.advance(14 * 60 * 60_000);
      ok(await place());
    } finally {
      await t.close();
    }
  });

  it('dailyOrderLimit: false disables it', async () => {
    const t = await startSandbox({ dailyOrderLimit: false });
    try {
      await createPayer(t, 'nolimit-payer');
      for (let i = 1; i <= 11; i++) ok(await t.call('OrderService', 'consumeApply', consumeParam('nolimit-payer', scanAlipay(1), 1)));
    } finally {
      await t.close();
    }
  });
});
