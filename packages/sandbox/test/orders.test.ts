// Code payment, POS order mode, custody collection, and getOrderDetail's §6.9 statuses.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { formatCstTimestamp, verifyNotification } from '@tsy/yunst';
import {
  consumeParam,
  createMember,
  createPayer,
  errorCode,
  nextBizOrderNo,
  ok,
  platformKey,
  postForm,
  startReceiver,
  startSandbox,
  type TestSandbox,
} from './support/sandbox.js';

describe('orders', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  before(async () => {
    t = await startSandbox({ codePayPendingMs: 5000 });
    receiver = await startReceiver([200]);
    await createPayer(t, 'o-payer');
    await createMember(t, 'o-seller-1');
    await createMember(t, 'o-seller-2');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const codePay = async (authcode: string) => {
    const param = consumeParam('o-payer', { CODEPAY_VSP: { amount: 88, authcode, limitPay: '' } }, 88, { backUrl: receiver.url });
    return { bizOrderNo: String(param.bizOrderNo), answer: ok(await t.call('OrderService', 'consumeApply', param)) };
  };
  const detail = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo }));
  const notified = (bizOrderNo: string) => {
    const index = receiver.received.findIndex((r) => r.fields.rps?.includes(`"bizOrderNo":"${bizOrderNo}"`));
    return index >= 0;
  };

  it('CODEPAY_VSP: WeChat, Alipay and UnionPay codes pay at once (payStatus success, notified)', async () => {
    const cases: [string, string][] = [
      ['134567890123456789', 'VSP501'],
      ['2812345678901234567', 'VSP511'],
      ['6212345678901234567', 'VSP551'],
    ];
    for (const [authcode, trxcode] of cases) {
      const { bizOrderNo, answer } = await codePay(authcode);
      assert.equal(answer.payStatus, 'success', authcode);
      assert.equal(answer.bizUserId, 'o-payer');
      const value = await detail(bizOrderNo);
      assert.equal(value.orderStatus, 4);
      assert.equal(value.payInterfacetrxcode, trxcode);
    }
    const first = verifyNotification((await receiver.nth(3)).body, platformKey);
    assert.equal(first.value.status, 'OK');
  });

  it('CODEPAY_VSP: a code ending 9999 fails, a non-wallet code fails as invalid; neither is notified', async () => {
    const failed = await codePay('134567890123459999');
    assert.equal(failed.answer.payStatus, 'fail');
    assert.ok(failed.answer.payFailMessage);
    const invalid = await codePay('999912345678');
    assert.equal(invalid.answer.payStatus, 'fail');
    assert.equal(invalid.answer.payFailMessage, '无效的付款码');
    assert.equal((await detail(invalid.bizOrderNo)).orderStatus, 3);
    assert.equal((await detail(invalid.bizOrderNo)).errorMessage, '无效的付款码');
    assert.equal(t.sandbox.state.notifications.get(failed.bizOrderNo), undefined);
    assert.equal(t.sandbox.state.notifications.get(invalid.bizOrderNo), undefined);
  });

  it('CODEPAY_VSP: a code ending 0000 is pending (99), then succeeds and is notified', async () => {
    const { bizOrderNo, answer } = await codePay('284567890123450000');
    assert.equal(answer.payStatus, 'pending');
    assert.equal((await detail(bizOrderNo)).orderStatus, 99);
    t.clock.advance(5000);
    const value = await detail(bizOrderNo);
    assert.equal(value.orderStatus, 4);
    assert.equal(value.payInterfacetrxcode, 'VSP511');
    await t.sandbox.state.notifications.get(bizOrderNo)!.settled;
    assert.ok(notified(bizOrderNo));
  });

  it('ORDER_VSPPAY: a 6-digit payCode the POS page takes; the order succeeds and is notified', async () => {
    const param = consumeParam('o-payer', { ORDER_VSPPAY: { amount: 500 } }, 500, { backUrl: receiver.url, summary: 'POS 收款' });
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    assert.match(String(answer.payCode), /^\d{6}$/);
    assert.match(await (await fetch(`${t.url}/sandbox/pos`)).text(), /payCode/);
    assert.match(await (await postForm(`${t.url}/sandbox/pos`, { payCode: '000000' === answer.payCode ? '000001' : '000000' })).text(), /没有待支付的订单/);
    assert.match(await (await postForm(`${t.url}/sandbox/pos`, { payCode: String(answer.payCode) })).text(), /收款成功/);
    const value = await detail(String(param.bizOrderNo));
    assert.equal(value.orderStatus, 4);
    assert.ok(value.termrefnum && value.channelPaytime, 'VSP order-POS payments carry termrefnum and channelPaytime');
    await t.sandbox.state.notifications.get(String(param.bizOrderNo))!.settled;
    assert.ok(notified(String(param.bizOrderNo)));
    assert.match(await (await postForm(`${t.url}/sandbox/pos`, { payCode: String(answer.payCode) })).text(), /没有待支付的订单/, 'paid once');
  });

  it('agentCollectApply: recieverList + fee must make the amount (40020); payees must exist (30058)', async () => {
    const collect = (recieverList: { bizUserId: string; amount: number }[], extra: Record<string, unknown> = {}) =>
      t.call('OrderService', 'agentCollectApply', {
        bizOrderNo: nextBizOrderNo(),
        payerId: 'o-payer',
        recieverList,
        tradeCode: '3001',
        amount: 1000,
        fee: 10,
        backUrl: receiver.url,
        payMethod: { SCAN_WEIXIN: { amount: 1000, limitPay: '' } },
        industryCode: '1910',
        industryName: '其他',
        source: 1,
        ...extra,
      });
    const answer = ok(await collect([{ bizUserId: 'o-seller-1', amount: 600 }, { bizUserId: 'o-seller-2', amount: 390 }]));
    assert.match(String(answer.payInfo), /\/sandbox\/wallet\//);
    assert.equal(errorCode(await collect([{ bizUserId: 'o-seller-1', amount: 600 }, { bizUserId: 'o-seller-2', amount: 400 }])), '40020');
    assert.equal(errorCode(await collect([{ bizUserId: 'nobody', amount: 990 }])), '30058');
    assert.equal(errorCode(await collect([{ bizUserId: 'o-seller-1', amount: 990 }], { tradeCode: undefined })), '10001');
    assert.equal(errorCode(await collect([])), '10001');
    // fee is optional for collections (default 0).
    ok(await collect([{ bizUserId: 'o-seller-1', amount: 1000 }], { fee: undefined }));
  });

  it('getOrderDetail: unknown order 40000; closed (6) once its expiry has passed', async () => {
    assert.equal(errorCode(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: 'nope' })), '40000');
    const param = consumeParam('o-payer', { SCAN_WEIXIN: { amount: 1, limitPay: '' } }, 1, {
      orderExpireDatetime: formatCstTimestamp(new Date(t.clock().getTime() + 10 * 60_000)),
    });
    ok(await t.call('OrderService', 'consumeApply', param));
    assert.equal((await detail(String(param.bizOrderNo))).orderStatus, 1);
    t.clock.advance(10 * 60_000);
    const value = await detail(String(param.bizOrderNo));
    assert.equal(value.orderStatus, 6);
    assert.equal(value.payDatetime, undefined);
  });
});
