import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  PAY_METHOD_INFO,
  PAY_METHOD_KEYS,
  YUNST_METHODS,
  agentCollectApplyParam,
  applyResult,
  consumeApplyParam,
  getOrderDetailResult,
  payMethodAmount,
  payMethodSchema,
  payParam,
  refundParam,
  refundResult,
} from '../../src/index.js';

const consume = {
  payerId: 'buyer-1',
  recieverId: '#yunBizUserId_B2C#',
  bizOrderNo: 'T1',
  amount: 100,
  fee: 0,
  backUrl: 'https://shop.example.com/yunst/notify',
  payMethod: { SCAN_WEIXIN: { amount: 100, limitPay: '' } },
  industryCode: '1910',
  industryName: '其他',
  source: 2,
};

describe('param schemas', () => {
  it('reads the spec where the sandbox’s own tables found the schema looser or stricter', () => {
    const parses = (value: unknown) => consumeApplyParam.safeParse(value).success;
    assert.equal(parses({ ...consume, payerId: '#yunBizUserId_B2C#' }), false, 'the placeholder is a payee, never a payer (§4.2.4)');
    assert.equal(parses({ ...consume, recieverId: '#someOtherPlaceholder#' }), false, 'only #yunBizUserId_B2C# as a payee');
    assert.equal(parses({ ...consume, summary: '🍵'.repeat(20) }), true, '20 characters, however many UTF-16 units');
    assert.equal(parses({ ...consume, summary: '🍵'.repeat(21) }), false);
    const agent = { ...consume, recieverId: undefined, recieverList: [{ bizUserId: '#yunBizUserId_B2C#', amount: 100 }], tradeCode: '3001' };
    delete (agent as Record<string, unknown>).recieverId;
    assert.equal(agentCollectApplyParam.safeParse(agent).success, false, 'a custody payee is a member (§5.8)');
    const method = (value: unknown) => payMethodSchema.safeParse(value).success;
    assert.equal(method({ GATEWAY_VSP: { amount: 100, paytype: 'B2C,B2B', gateid: '0102' } }), false, 'a bank needs one paytype (§5.2)');
    assert.equal(method({ GATEWAY_VSP: { amount: 100, paytype: 'B2C', gateid: '0102' } }), true);
    assert.equal(method({ QUICKPAY_TLT: { amount: 100, bankCardNo: 'AB12', validate: 'CD34' } }), false, 'a credit card sends validate and cvv2 together');
    assert.equal(method({ QUICKPAY_TLT: { amount: 100, bankCardNo: 'AB12', validate: 'CD34', cvv2: 'EF56' } }), true);
    assert.equal(method({ QUICKPAY_VSP: { amount: 100, bankCardNo: 'ABC' } }), false, 'encrypted hex is whole bytes');
  });

  it('accepts a spec-shaped consumeApply, with the API’s own spellings', () => {
    assert.equal(consumeApplyParam.safeParse(consume).success, true);
    assert.equal(consumeApplyParam.safeParse({ ...consume, receiverId: 'x' }).success, false, 'receiverId is not the API spelling');
  });

  it('refuses what the platform refuses: # in URLs, long summary, limitPay left out, unknown method', () => {
    const bad = [
      { ...consume, backUrl: 'https://shop.example.com/notify#x' },
      { ...consume, summary: '一二三四五六七八九十一二三四五六七八九十一' },
      { ...consume, payMethod: { SCAN_WEIXIN: { amount: 100 } } },
      { ...consume, payMethod: { SCAN_WECHAT: { amount: 100, limitPay: '' } } },
      { ...consume, payMethod: {} },
      { ...consume, amount: 1.5 },
      { ...consume, amount: 2 ** 53 },
    ];
    for (const param of bad) assert.equal(consumeApplyParam.safeParse(param).success, false, JSON.stringify(param));
  });

  it('GATEWAY_VSP takes paytype as the value table spells it, not the example’s payType', () => {
    assert.equal(payMethodSchema.safeParse({ GATEWAY_VSP: { amount: 1, paytype: 'B2C' } }).success, true);
    assert.equal(payMethodSchema.safeParse({ GATEWAY_VSP: { amount: 1, payType: 'B2C' } }).success, false);
  });

  it('agentCollectApply needs recieverList and tradeCode', () => {
    const { recieverId: _r, ...rest } = consume;
    const collect = { ...rest, recieverList: [{ bizUserId: 'seller-1', amount: 100 }], tradeCode: '3001' };
    assert.equal(agentCollectApplyParam.safeParse(collect).success, true);
    assert.equal(agentCollectApplyParam.safeParse({ ...collect, tradeCode: undefined }).success, false);
    assert.equal(agentCollectApplyParam.safeParse({ ...collect, recieverList: [] }).success, false);
  });

  it('pay refuses loopback consumerIp as the platform does', () => {
    const pay = { bizUserId: 'b', bizOrderNo: 'T1', verificationCode: '123456' };
    assert.equal(payParam.safeParse({ ...pay, consumerIp: '203.0.113.7' }).success, true);
    assert.equal(payParam.safeParse({ ...pay, consumerIp: '127.0.0.1' }).success, false);
    assert.equal(payParam.safeParse({ ...pay, consumerIp: 'localhost' }).success, false);
  });

  it('every payMethod key has its metadata and a schema; BALANCE amounts sum', () => {
    for (const key of PAY_METHOD_KEYS) assert.ok(PAY_METHOD_INFO[key], key);
    assert.equal(payMethodAmount('BALANCE', [{ accountSetNo: '1', amount: 30 }, { accountSetNo: '2', amount: 12 }]), 42);
    assert.equal(payMethodAmount('ALLINPAY_WALLET_H5', { amount: '250' }), 250);
    assert.ok(Object.keys(YUNST_METHODS.OrderService).includes('resendPaySMS'));
  });
});

describe('refund (§4.2.16)', () => {
  const refund = { bizOrderNo: 'R1', oriBizOrderNo: 'T1', bizUserId: 'buyer-1', amount: 100 };
  const parses = (value: unknown) => refundParam.safeParse(value).success;
  it('accepts a full refund and the platform as payer', () => {
    assert.equal(parses(refund), true);
    assert.equal(parses({ ...refund, bizUserId: '#yunBizUserId_B2C#' }), true, 'rule: the platform as the original payer');
    assert.equal(parses({ ...refund, refundType: 'D0', feeAmount: 10, couponAmount: 0 }), true);
  });
  it('refuses what the platform refuses: D2, feeAmount or couponAmount above amount, a refundList not adding up', () => {
    assert.equal(parses({ ...refund, refundType: 'D2' }), false);
    assert.equal(parses({ ...refund, amount: 0 }), false, 'a refund of nothing');
    assert.equal(parses({ ...refund, feeAmount: 101 }), false);
    assert.equal(parses({ ...refund, couponAmount: 101 }), false);
    assert.equal(parses({ ...refund, feeAmount: 10, refundList: [{ bizUserId: 'shop-1', amount: 90 }] }), true, 'amount − feeAmount');
    assert.equal(parses({ ...refund, feeAmount: 10, refundList: [{ bizUserId: 'shop-1', amount: 100 }] }), false);
    assert.equal(parses({ ...refund, refundList: [] }), false, 'an empty list is not a list');
    assert.equal(parses({ ...refund, refundList: Array.from({ length: 101 }, () => ({ bizUserId: 'shop-1', amount: 1 })) }), false, 'at most 100');
    assert.equal(parses({ ...refund, unknown: 1 }), false);
  });
  it('reads the answer with or without payStatus', () => {
    assert.equal(refundResult.safeParse({ orderNo: 'O1', bizOrderNo: 'R1', amount: 100 }).success, true);
    assert.equal(refundResult.safeParse({ payStatus: 'pending', orderNo: 'O1', bizOrderNo: 'R1', amount: 100, feeAmount: 0 }).success, true);
    assert.equal(refundResult.safeParse({ payStatus: 'done', orderNo: 'O1', bizOrderNo: 'R1', amount: 100 }).success, false);
  });
});

describe('result schemas', () => {
  it('parses nested payInfo JSON and keeps the raw text', () => {
    const payInfo = '{"appId":"wx1","timeStamp":"1","nonceStr":"n","package":"prepay_id=1","signType":"RSA","paySign":"s"}';
    const parsed = applyResult.parse({ orderNo: '1', bizOrderNo: 'T1', payInfo });
    assert.equal(parsed.payInfo, payInfo);
    assert.equal(parsed.payInfoJson?.appId, 'wx1');
    assert.equal(applyResult.parse({ orderNo: '1', bizOrderNo: 'T1', payInfo: 'weixin://wxpay/bizpayurl?pr=x' }).payInfoJson, undefined);
  });

  it('getOrderDetail accepts only the §6.9 statuses', () => {
    const base = { orderNo: '1', bizOrderNo: 'T1', amount: 1, buyerBizUserId: 'b' };
    assert.equal(getOrderDetailResult.parse({ ...base, orderStatus: 4 }).orderStatus, 4);
    assert.equal(getOrderDetailResult.parse({ ...base, orderStatus: '99' }).orderStatus, 99);
    assert.equal(getOrderDetailResult.safeParse({ ...base, orderStatus: 2 }).success, false);
  });
});
