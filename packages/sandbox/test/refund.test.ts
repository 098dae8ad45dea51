// OrderService.refund (spec §4.2.16): refund orders over real HTTP, their notifications, and getOrderDetail of both orders.
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import { PLATFORM_BIZ_USER_ID, YunstPlatformError, createYunstClient, orderNotificationRps, verifyNotification } from '@tsy/yunst';
import {
  SYSID,
  START,
  consumeParam,
  createMember,
  createPayer,
  errorCode,
  inbox,
  merchantKey,
  nextBizOrderNo,
  ok,
  platformKey,
  postForm,
  startReceiver,
  startSandbox,
  type TestSandbox,
} from './support/sandbox.js';

const HOUR = 3_600_000;
const INITIAL_BALANCE = 1_000_000;
const scan = (amount: number) => ({ SCAN_WEIXIN: { amount, limitPay: '' } });
const balance = (amount: number) => ({ BALANCE: [{ accountSetNo: '400142', amount }] });

describe('refund', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let phone: string;
  before(async () => {
    t = await startSandbox({ dailyOrderLimit: false, initialBalance: INITIAL_BALANCE });
    receiver = await startReceiver([200]);
    phone = await createPayer(t, 'r-payer');
    await createPayer(t, 'r-other');
    await createMember(t, 'r-seller-1');
    await createMember(t, 'r-seller-2');
    await createMember(t, 'r-stranger');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });
  // Every test starts at 10:00 CST, whatever the one before did to the clock.
  beforeEach(() => t.clock.set(START));

  /** A consumption order paid in the simulated WeChat app. */
  const paidScan = async (amount: number, fee = 0) => {
    const param = consumeParam('r-payer', scan(amount), amount, { fee, backUrl: receiver.url });
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    const paid = await postForm(String(answer.payInfo), { action: 'pay' });
    assert.equal(paid.status, 200);
    return { bizOrderNo: String(param.bizOrderNo), orderNo: String(answer.orderNo), payInfo: String(answer.payInfo) };
  };
  /** A consumption order paid from the payer's balance (SMS code from the inbox). */
  const paidFromBalance = async (payMethod: Record<string, unknown>, amount: number) => {
    const param = consumeParam('r-payer', payMethod, amount, { backUrl: receiver.url });
    const answer = ok(await t.call('OrderService', 'consumeApply', param));
    const code = (await inbox(t, phone)).find((m) => m.bizOrderNo === param.bizOrderNo)!.code;
    assert.equal(ok(await t.call('OrderService', 'pay', { bizUserId: 'r-payer', bizOrderNo: param.bizOrderNo, verificationCode: code, consumerIp: '203.0.113.9' })).payStatus, 'success');
    return { bizOrderNo: String(param.bizOrderNo), orderNo: String(answer.orderNo) };
  };
  const refund = (oriBizOrderNo: string, amount: number, extra: Record<string, unknown> = {}) => {
    const bizOrderNo = nextBizOrderNo();
    return { bizOrderNo, answer: t.call('OrderService', 'refund', { bizOrderNo, oriBizOrderNo, bizUserId: 'r-payer', amount, backUrl: receiver.url, ...extra }) };
  };
  const refundOk = async (oriBizOrderNo: string, amount: number, extra: Record<string, unknown> = {}) => {
    const { bizOrderNo, answer } = refund(oriBizOrderNo, amount, extra);
    return { bizOrderNo, answer: ok(await answer) };
  };
  const refundCode = async (oriBizOrderNo: string, amount: number, extra: Record<string, unknown> = {}) => errorCode(await refund(oriBizOrderNo, amount, extra).answer);
  const detail = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo }));
  /** The verified notification of an order, once its first attempt has been answered. */
  const notificationOf = async (bizOrderNo: string) => {
    const notification = t.sandbox.state.notifications.get(bizOrderNo);
    assert.ok(notification, `${bizOrderNo} was notified`);
    await notification.settled;
    const received = receiver.received.filter((r) => r.fields.rps === notification.rps);
    assert.equal(received.length, 1, 'delivered once (HTTP 200)');
    const verified = verifyNotification(received[0]!.body, platformKey, { sysid: SYSID });
    return orderNotificationRps.parse(JSON.parse(verified.rps));
  };

  it('WeChat scan, full refund D0: pending, then success after refundD0Ms, notified (signed, method pay) and the original reads 5', async () => {
    const original = await paidScan(1000);
    const { bizOrderNo, answer } = await refundOk(original.bizOrderNo, 1000, { refundType: 'D0', extendInfo: 'order 42' });
    assert.deepEqual(Object.keys(answer).sort(), ['amount', 'bizOrderNo', 'extendInfo', 'orderNo', 'payStatus']);
    assert.equal(answer.payStatus, 'pending');
    assert.equal(answer.bizOrderNo, bizOrderNo);
    assert.equal(answer.amount, 1000);
    assert.match(String(answer.orderNo), /^\d{20}$/);
    assert.notEqual(answer.orderNo, original.orderNo);

    const pending = await detail(bizOrderNo);
    assert.equal(pending.orderStatus, 99);
    assert.equal(pending.oriOrderNo, original.orderNo);
    assert.equal(pending.oriBizOrderNo, original.bizOrderNo);
    assert.equal(pending.refundWhereabouts, 2);
    assert.equal(pending.payDatetime, undefined);
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 4, 'a pending refund leaves the original at 4');
    assert.equal(t.sandbox.state.notifications.get(bizOrderNo), undefined, 'nothing is notified while pending');

    t.clock.advance(4999);
    assert.equal(t.sandbox.refundState(bizOrderNo)?.status, 'pending');
    t.clock.advance(1); // refundD0Ms (5000) after the refund: moving the clock settles it, nobody has to look
    const rps = await notificationOf(bizOrderNo);
    assert.equal(rps.service, 'OrderService');
    assert.equal(rps.method, 'pay');
    assert.equal(rps.status, 'OK');
    const paidAcct = (await detail(original.bizOrderNo)).acct;
    assert.deepEqual(
      { ...rps.returnValue, payInterfaceOutTradeNo: undefined },
      {
        orderNo: answer.orderNo,
        bizOrderNo,
        oriOrderNo: original.orderNo,
        oriBizOrderNo: original.bizOrderNo,
        amount: 1000,
        payDatetime: '2026-03-02 10:00:05',
        buyerBizUserId: 'r-payer',
        refundWhereabouts: 2,
        acct: paidAcct,
        payInterfacetrxcode: 'VSP503',
        payInterfaceOutTradeNo: undefined,
        extendInfo: 'order 42',
      },
    );
    const done = await detail(bizOrderNo);
    assert.equal(done.orderStatus, 4);
    assert.equal(done.payDatetime, '2026-03-02 10:00:05');
    assert.equal(done.buyerBizUserId, 'r-payer');
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 5, '交易成功-发生退款');
    assert.equal(t.sandbox.orderState(original.bizOrderNo)?.refundedAmount, 1000);
    assert.equal(await refundCode(original.bizOrderNo, 1), '40020', 'nothing left to refund');
    // The payer's app lists the refund under the payment.
    assert.match(await (await fetch(original.payInfo)).text(), /data-testid="wallet-refunds"[\s\S]*已退款/);
  });

  it('D1 (the default): pending until D+1 14:30 CST on the sandbox clock, then success and notified', async () => {
    t.clock.set(new Date('2026-03-05T15:30:00Z')); // 23:30 CST on 5 March
    const original = await paidScan(800);
    const { bizOrderNo, answer } = await refundOk(original.bizOrderNo, 800);
    assert.equal(answer.payStatus, 'pending');
    assert.equal(t.sandbox.refundState(bizOrderNo)?.refundType, 'D1');
    assert.equal(t.sandbox.refundState(bizOrderNo)?.settleAt, '2026-03-06T06:30:00.000Z', '14:30 CST on 6 March');
    t.clock.set(new Date('2026-03-06T06:29:59Z'));
    assert.equal((await detail(bizOrderNo)).orderStatus, 99);
    assert.equal(t.sandbox.state.notifications.get(bizOrderNo), undefined);
    t.clock.advance(1000);
    const rps = await notificationOf(bizOrderNo);
    assert.equal(rps.status, 'OK');
    assert.equal(rps.returnValue.payDatetime, '2026-03-06 14:30:00');
    assert.equal((await detail(bizOrderNo)).orderStatus, 4);
  });

  it('D1 from the morning: the next day 14:30, not the same day', async () => {
    const original = await paidScan(50);
    const { bizOrderNo } = await refundOk(original.bizOrderNo, 50, { refundType: 'D1' });
    t.clock.advance(5 * HOUR); // 15:00 CST the same day: still D+0
    assert.equal((await detail(bizOrderNo)).orderStatus, 99);
    t.clock.set(new Date(START.getTime() + 28.5 * HOUR)); // 14:30 CST on 3 March
    assert.equal((await detail(bizOrderNo)).orderStatus, 4);
  });

  it('BALANCE: success at once in the answer, the balance given back, refundWhereabouts 1, notified; refundType does not delay it', async () => {
    const member = t.sandbox.state.members.get('r-payer')!;
    const before = member.balance;
    const original = await paidFromBalance(balance(300), 300);
    assert.equal(member.balance, before - 300);
    const { bizOrderNo, answer } = await refundOk(original.bizOrderNo, 300, { refundType: 'D1' });
    assert.equal(answer.payStatus, 'success');
    assert.equal(member.balance, before, 'the 300 fen are back');
    const value = await detail(bizOrderNo);
    assert.equal(value.orderStatus, 4);
    assert.equal(value.refundWhereabouts, 1);
    assert.equal(value.payDatetime, '2026-03-02 10:00:00');
    assert.equal(value.acct, undefined, 'no channel took part');
    const rps = await notificationOf(bizOrderNo);
    assert.equal(rps.status, 'OK');
    assert.equal(rps.returnValue.refundWhereabouts, 1);
    assert.equal(rps.returnValue.oriBizOrderNo, original.bizOrderNo);
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 5);
  });

  it('without backUrl a refund is never notified ("如果不填,则不通知")', async () => {
    const original = await paidFromBalance(balance(20), 20);
    const { bizOrderNo } = await refundOk(original.bizOrderNo, 20, { backUrl: undefined });
    assert.equal((await detail(bizOrderNo)).orderStatus, 4);
    assert.equal(t.sandbox.state.notifications.get(bizOrderNo), undefined);
  });

  it('COUPON goes back through couponAmount (to the platform, not the payer balance); left out, the refund is 40020', async () => {
    const member = t.sandbox.state.members.get('r-payer')!;
    const original = await paidFromBalance({ COUPON: { amount: 100 } }, 100);
    assert.equal(await refundCode(original.bizOrderNo, 100), '40020');
    const before = member.balance;
    const { answer } = await refundOk(original.bizOrderNo, 100, { couponAmount: 100 });
    assert.equal(answer.payStatus, 'success');
    assert.equal(answer.couponAmount, 100);
    assert.equal(member.balance, before);
  });

  it('note 11 A: partial refunds without feeAmount add up to at most amount − fee, pending ones counted', async () => {
    const original = await paidScan(1000, 100);
    assert.equal(await refundCode(original.bizOrderNo, 901), '40020');
    const first = await refundOk(original.bizOrderNo, 500, { refundType: 'D0' });
    assert.equal(first.answer.payStatus, 'pending');
    assert.equal(await refundCode(original.bizOrderNo, 401, { refundType: 'D0' }), '40020', 'the pending 500 counts');
    const second = await refundOk(original.bizOrderNo, 400, { refundType: 'D0', feeAmount: 0 });
    assert.equal(second.answer.feeAmount, 0, 'a sent feeAmount is echoed');
    assert.equal(await refundCode(original.bizOrderNo, 1), '40020', 'the 100 fen fee stays with the platform');
    t.clock.advance(5000);
    assert.equal((await detail(first.bizOrderNo)).orderStatus, 4);
    assert.equal((await detail(second.bizOrderNo)).orderStatus, 4);
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 5);
    assert.equal(t.sandbox.orderState(original.bizOrderNo)?.refundedAmount, 900);
  });

  it('note 11 B: with feeAmount, amount ≤ the amount and feeAmount ≤ the fee still unrefunded', async () => {
    const original = await paidScan(1000, 100);
    assert.equal(await refundCode(original.bizOrderNo, 1001, { feeAmount: 50 }), '40020');
    assert.equal(await refundCode(original.bizOrderNo, 500, { feeAmount: 101 }), '40020');
    const first = await refundOk(original.bizOrderNo, 600, { feeAmount: 50, refundType: 'D0' });
    assert.equal(first.answer.feeAmount, 50);
    // Left: amount 400, fee 50. A keeps the 50: at most 350.
    assert.equal(await refundCode(original.bizOrderNo, 351), '40020');
    await refundOk(original.bizOrderNo, 350, { refundType: 'D0' });
    await refundOk(original.bizOrderNo, 50, { feeAmount: 50, refundType: 'D0' });
    assert.equal(await refundCode(original.bizOrderNo, 1, { feeAmount: 1 }), '40020', 'all 1000 and the whole fee are refunded');
    // feeAmount over the refund itself is refused by the parameter checks.
    assert.equal(await refundCode(original.bizOrderNo, 10, { feeAmount: 11 }), '10000');
  });

  it('refuses: duplicate bizOrderNo 40017, unknown original 40000, wrong payer 40022, unpaid 40041, a refund of a refund 40039, refundType D2 40023', async () => {
    const original = await paidFromBalance(balance(200), 200);
    const first = await refundOk(original.bizOrderNo, 50);
    const again = (bizOrderNo: string) =>
      t.call('OrderService', 'refund', { bizOrderNo, oriBizOrderNo: original.bizOrderNo, bizUserId: 'r-payer', amount: 10 });
    assert.equal(errorCode(await again(first.bizOrderNo)), '40017', 'a refund bizOrderNo taken by a refund');
    assert.equal(errorCode(await again(original.bizOrderNo)), '40017', 'a refund bizOrderNo taken by a payment');
    assert.equal(errorCode(await t.call('OrderService', 'consumeApply', consumeParam('r-payer', scan(1), 1, { bizOrderNo: first.bizOrderNo }))), '40017', 'and the other way round');
    assert.equal(await refundCode('no-such-order', 10), '40000');
    assert.equal(await refundCode(original.bizOrderNo, 10, { bizUserId: 'r-other' }), '40022');
    assert.equal(await refundCode(original.bizOrderNo, 10, { bizUserId: PLATFORM_BIZ_USER_ID }), '40022');
    const unpaid = consumeParam('r-payer', scan(100), 100);
    ok(await t.call('OrderService', 'consumeApply', unpaid));
    assert.equal(await refundCode(String(unpaid.bizOrderNo), 100), '40041');
    assert.equal(await refundCode(first.bizOrderNo, 10), '40039');
    assert.equal(await refundCode(original.bizOrderNo, 10, { refundType: 'D2' }), '40023');
    assert.equal(await refundCode(original.bizOrderNo, 0), '10000');
    assert.equal(await refundCode(original.bizOrderNo, 10, { extra: 1 }), '10000');
    // Refused refunds left nothing behind: 150 fen are still refundable.
    assert.equal(await refundCode(original.bizOrderNo, 151), '40020');
    assert.equal((await refundOk(original.bizOrderNo, 150)).answer.payStatus, 'success');
  });

  it('a failed payment and a closed order are not paid (40041); a query-mode POS order (ORDER_VSPPAY) is refunded through the API (note 5)', async () => {
    const failed = consumeParam('r-payer', scan(100), 100);
    const payInfo = String(ok(await t.call('OrderService', 'consumeApply', failed)).payInfo);
    await postForm(payInfo, { action: 'fail' });
    assert.equal(await refundCode(String(failed.bizOrderNo), 100), '40041');

    const pos = consumeParam('r-payer', { ORDER_VSPPAY: { amount: 500 } }, 500);
    const payCode = String(ok(await t.call('OrderService', 'consumeApply', pos)).payCode);
    assert.match(await (await postForm(`${t.url}/sandbox/pos`, { payCode })).text(), /收款成功/);
    assert.equal((await detail(String(pos.bizOrderNo))).orderStatus, 4);
    assert.equal((await refundOk(String(pos.bizOrderNo), 500)).answer.payStatus, 'pending');
  });

  it('custody collection: a partial refund needs refundList (10001) naming payees (40022) within their shares (40020); the rest in full without it', async () => {
    const param = {
      bizOrderNo: nextBizOrderNo(),
      payerId: 'r-payer',
      recieverList: [
        { bizUserId: 'r-seller-1', amount: 600 },
        { bizUserId: 'r-seller-2', amount: 390 },
      ],
      tradeCode: '3001',
      amount: 1000,
      fee: 10,
      backUrl: receiver.url,
      payMethod: scan(1000),
      industryCode: '1910',
      industryName: '其他',
      source: 1,
    };
    const payInfo = String(ok(await t.call('OrderService', 'agentCollectApply', param)).payInfo);
    await postForm(payInfo, { action: 'pay' });
    const ori = param.bizOrderNo;
    assert.equal(await refundCode(ori, 500), '10001', 'partial without refundList');
    assert.equal(await refundCode(ori, 500, { refundList: [{ bizUserId: 'r-stranger', amount: 500 }] }), '40022', 'not a payee');
    assert.equal(await refundCode(ori, 500, { refundList: [{ bizUserId: 'nobody', amount: 500 }] }), '30001');
    assert.equal(await refundCode(ori, 391, { refundList: [{ bizUserId: 'r-seller-2', amount: 391 }] }), '40020', 'over the payee share');
    assert.equal(await refundCode(ori, 500, { refundList: [{ bizUserId: 'r-seller-1', amount: 400 }] }), '10000', 'refundList must make amount − feeAmount');
    assert.equal(await refundCode(ori, 500, { refundList: [{ bizUserId: 'r-seller-1', amount: 500, accountSetNo: '200087' }] }), '10000', 'nothing was paid out');
    const part = await refundOk(ori, 505, { feeAmount: 5, refundType: 'D0', refundList: [{ bizUserId: 'r-seller-1', amount: 500 }] });
    assert.equal(part.answer.payStatus, 'pending');
    // Left: r-seller-1 100, r-seller-2 390, fee 5. A full refund of that needs no refundList.
    assert.equal(await refundCode(ori, 489), '10001');
    const rest = await refundOk(ori, 495, { feeAmount: 5, refundType: 'D0' });
    assert.equal(rest.answer.payStatus, 'pending');
    t.clock.advance(5000);
    assert.equal((await detail(rest.bizOrderNo)).orderStatus, 4);
    assert.equal(t.sandbox.orderState(ori)?.refundedAmount, 1000);
    assert.equal(await refundCode(ori, 1, { feeAmount: 1 }), '40020');
    // A consumption refund takes no refundList.
    const consume = await paidScan(100);
    assert.equal(await refundCode(consume.bizOrderNo, 100, { refundList: [{ bizUserId: 'r-seller-1', amount: 100 }] }), '10000');
  });

  it('test amount 16 yuan to the balance: payStatus fail at once, not notified, nothing moved, not counted', async () => {
    const member = t.sandbox.state.members.get('r-payer')!;
    const original = await paidFromBalance(balance(2000), 2000);
    const before = member.balance;
    const { bizOrderNo, answer } = await refundOk(original.bizOrderNo, 1600);
    assert.equal(answer.payStatus, 'fail');
    assert.equal(answer.payFailMessage, '原交易不存在,退款失败');
    assert.equal(member.balance, before);
    const value = await detail(bizOrderNo);
    assert.equal(value.orderStatus, 3);
    assert.equal(value.errorMessage, '原交易不存在,退款失败');
    assert.equal(value.oriBizOrderNo, original.bizOrderNo);
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(t.sandbox.state.notifications.get(bizOrderNo), undefined);
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 4);
    // The failed refund does not count: all 2000 can still be refunded.
    assert.equal((await refundOk(original.bizOrderNo, 2000)).answer.payStatus, 'success');
    assert.equal(member.balance, before + 2000);
  });

  it('test amount 17 yuan along the channel: pending, then failed (3) and notified with status error', async () => {
    const original = await paidScan(2000);
    const { bizOrderNo, answer } = await refundOk(original.bizOrderNo, 1700, { refundType: 'D0' });
    assert.equal(answer.payStatus, 'pending');
    t.clock.advance(5000);
    const rps = await notificationOf(bizOrderNo);
    assert.equal(rps.method, 'pay');
    assert.equal(rps.status, 'error');
    assert.equal(rps.errorCode, '9300');
    assert.equal(rps.message, '退款金额超过原金额,退款失败');
    assert.equal(rps.returnValue.bizOrderNo, bizOrderNo);
    assert.equal(rps.returnValue.oriBizOrderNo, original.bizOrderNo);
    assert.equal(rps.returnValue.refundWhereabouts, 2);
    assert.equal(rps.returnValue.payDatetime, undefined);
    const value = await detail(bizOrderNo);
    assert.equal(value.orderStatus, 3);
    assert.equal(value.errorMessage, '退款金额超过原金额,退款失败');
    assert.equal((await detail(original.bizOrderNo)).orderStatus, 4);
    assert.equal(t.sandbox.refundState(bizOrderNo)?.status, 'failed');
  });

  it('through the @tsy/yunst client: refund answers parse with its result schema; a refusal is a YunstPlatformError', async () => {
    const client = createYunstClient({ sysid: SYSID, merchantKey, platformKey, soaUrl: `${t.url}/service/soa`, clock: t.clock });
    const original = await paidScan(300);
    const bizOrderNo = nextBizOrderNo();
    const answer = await client.call('OrderService', 'refund', { bizOrderNo, oriBizOrderNo: original.bizOrderNo, bizUserId: 'r-payer', amount: 300, refundType: 'D0', backUrl: receiver.url });
    assert.equal(answer.payStatus, 'pending');
    assert.equal(answer.bizOrderNo, bizOrderNo);
    await assert.rejects(
      client.call('OrderService', 'refund', { bizOrderNo: nextBizOrderNo(), oriBizOrderNo: original.bizOrderNo, bizUserId: 'r-payer', amount: 1 }),
      (error: unknown) => error instanceof YunstPlatformError && error.errorCode === '40020',
    );
    const value = await client.call('OrderService', 'getOrderDetail', { bizOrderNo });
    assert.equal(value.orderStatus, 99);
    assert.equal(value.oriBizOrderNo, original.bizOrderNo);
  });
});

describe('refund under fault mode', () => {
  it('answer faults apply to refund like any method: with phase after, the refund happened though its answer was broken', async () => {
    const t = await startSandbox({ faults: true, dailyOrderLimit: false });
    try {
      await createPayer(t, 'rf-payer');
      const param = consumeParam('rf-payer', scan(100), 100);
      const payInfo = String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo);
      await postForm(payInfo, { action: 'pay' });
      t.sandbox.faults!.set({ seed: 1, rules: [{ kind: 'noSign', method: 'refund', probability: 1, times: 1 }] });
      const bizOrderNo = nextBizOrderNo();
      const response = await fetch(`${t.url}/service/soa`, {
        method: 'POST',
        body: new URLSearchParams({ ...t.signed('OrderService', 'refund', { bizOrderNo, oriBizOrderNo: param.bizOrderNo, bizUserId: 'rf-payer', amount: 100, refundType: 'D0' }) }),
      });
      const body = (await response.json()) as Record<string, unknown>;
      assert.equal(body.status, 'OK');
      assert.equal(body.sign, undefined);
      assert.deepEqual(t.sandbox.faults!.report().injected.map((f) => [f.kind, f.method, f.bizOrderNo]), [['noSign', 'refund', bizOrderNo]]);
      assert.equal(t.sandbox.refundState(bizOrderNo)?.status, 'pending');
      // staleDetail: a settled refund reads one state behind (99), a pending one as not existing.
      t.sandbox.faults!.set({ seed: 1, rules: [{ kind: 'staleDetail', probability: 1 }] });
      assert.equal(errorCode(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })), '40000');
      t.clock.advance(5000);
      assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 99);
      t.sandbox.faults!.clear();
      assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 4);
      const truth = (await (await fetch(`${t.url}/sandbox/faults/orders/${bizOrderNo}`)).json()) as Record<string, unknown>;
      assert.equal(truth.status, 'success');
      assert.equal(truth.oriBizOrderNo, param.bizOrderNo);
      assert.equal(((await (await fetch(`${t.url}/sandbox/faults/refunds`)).json()) as unknown[]).length, 1);
    } finally {
      await t.close();
    }
  });
});
