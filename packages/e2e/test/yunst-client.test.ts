// The typed YunST client (`@tsy/yunst`) against the sandbox over real HTTP: every implemented method round trips,
// and the sandbox's refusals come back as typed errors carrying the spec's codes.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import {
  YunstParamError,
  YunstPlatformError,
  createYunstClient,
  encryptField,
  endpointsAt,
  loadMerchantKey,
  loadPlatformKey,
  type YunstClient,
  type YunstClientOptions,
} from '@tsy/yunst';
import { SYSID, latestSmsCode, startSandbox, testKeys, walletAction, walletUrlOf, type RunningSandbox } from '../src/harness.js';

let sandbox: RunningSandbox;
let client: YunstClient;
let options: YunstClientOptions;
const run = `${process.pid}${Date.now() % 100000}`;
const backUrl = 'https://shop.example.com/yunst/notify';

before(async () => {
  sandbox = await startSandbox();
  const keys = testKeys();
  options = {
    sysid: SYSID,
    merchantKey: loadMerchantKey(keys.merchantPfx, keys.password),
    platformKey: loadPlatformKey(keys.platformCer),
    soaUrl: endpointsAt(sandbox.url).soaUrl,
    timeoutMs: 5000,
  };
  client = createYunstClient(options);
});
after(() => sandbox.close());

async function memberWithPhone(name: string, phone: string): Promise<string> {
  const bizUserId = `${name}-${run}`;
  const created = await client.call('MemberService', 'createMember', { bizUserId, memberType: 3, source: 2 });
  assert.equal(created.bizUserId, bizUserId);
  assert.ok(created.userId);
  const sent = await client.call('MemberService', 'sendVerificationCode', { bizUserId, phone, verificationCodeType: 9 });
  assert.equal(sent.phone, phone);
  const bound = await client.call('MemberService', 'bindPhone', { bizUserId, phone, verificationCode: await latestSmsCode(sandbox.url, phone) });
  assert.equal(bound.phone, phone);
  return bizUserId;
}

const apply = (payerId: string, bizOrderNo: string, payMethod: Record<string, unknown>, amount = 100) => ({
  bizOrderNo,
  payerId,
  recieverId: '#yunBizUserId_B2C#',
  amount,
  fee: 0,
  backUrl,
  payMethod,
  industryCode: '1910',
  industryName: '其他',
  source: 2 as const,
});

describe('YunST client ↔ sandbox round trips', () => {
  it('MemberService: createMember, sendVerificationCode, bindPhone, applyBindAcct', async () => {
    const payer = await memberWithPhone('member', '13911110001');
    const bound = await client.call('MemberService', 'applyBindAcct', { bizUserId: payer, operationType: 'set', acctType: 'weChatPublic', acct: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o' });
    assert.equal(bound.result, 'OK');
  });

  it('consumeApply (scan) → payer pays in the wallet → getOrderDetail says 4', async () => {
    const payer = await memberWithPhone('scan', '13911110002');
    const bizOrderNo = `C-${run}-1`;
    const exchange = await client.exchange('OrderService', 'consumeApply', apply(payer, bizOrderNo, { SCAN_WEIXIN: { amount: 100, limitPay: '' } }) as never);
    assert.match(exchange.result.payInfo ?? '', /^http:\/\/.*\/sandbox\/wallet\//);
    assert.equal(exchange.result.payStatus, undefined, 'scan methods answer payInfo, not payStatus');
    assert.ok(exchange.responseBody.includes(exchange.signedValue.slice(0, 20).replace(/"/g, '\\"')));
    assert.equal((await client.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 1);
    await walletAction(exchange.result.payInfo!, 'pay');
    const detail = await client.call('OrderService', 'getOrderDetail', { bizOrderNo });
    assert.equal(detail.orderStatus, 4);
    assert.equal(detail.amount, 100);
    assert.equal(detail.buyerBizUserId, payer);
  });

  it('consumeApply (WeChat JS) parses the nested JSAPI payInfo', async () => {
    const payer = `js-${run}`;
    await client.call('MemberService', 'createMember', { bizUserId: payer, memberType: 3, source: 1 });
    await client.call('MemberService', 'applyBindAcct', { bizUserId: payer, operationType: 'set', acctType: 'weChatPublic', acct: 'openid-js' });
    const result = await client.call('OrderService', 'consumeApply', { ...apply(payer, `C-${run}-js`, { WECHAT_PUBLIC: { amount: 100, limitPay: '', acct: 'openid-js' } }), source: 1 } as never);
    for (const field of ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign']) assert.ok(result.payInfoJson?.[field], field);
  });

  it('agentCollectApply with recieverList', async () => {
    const payer = await memberWithPhone('collect', '13911110003');
    const seller = `seller-${run}`;
    await client.call('MemberService', 'createMember', { bizUserId: seller, memberType: 3, source: 2 });
    const { recieverId: _payee, fee: _fee, ...rest } = apply(payer, `A-${run}-1`, { SCAN_ALIPAY: { amount: 300, limitPay: '' } }, 300);
    const result = await client.call('OrderService', 'agentCollectApply', { ...rest, recieverList: [{ bizUserId: seller, amount: 300 }], tradeCode: '3001' } as never);
    assert.ok(result.payInfo);
  });

  it('consumeApply (BALANCE) → resendPaySMS → pay with the SMS code → payStatus success', async () => {
    const phone = '13911110004';
    const payer = await memberWithPhone('balance', phone);
    const bizOrderNo = `C-${run}-bal`;
    const applied = await client.call('OrderService', 'consumeApply', apply(payer, bizOrderNo, { BALANCE: [{ accountSetNo: '400193', amount: 100 }] }) as never);
    assert.ok(applied.orderNo);
    const code = await latestSmsCode(sandbox.url, phone);
    await assert.rejects(client.call('OrderService', 'resendPaySMS', { bizOrderNo }), (e: unknown) => e instanceof YunstPlatformError && /太频繁/.test(e.platformMessage));
    const paid = await client.call('OrderService', 'pay', { bizUserId: payer, bizOrderNo, verificationCode: code, consumerIp: '203.0.113.7' });
    assert.equal(paid.payStatus, 'success');
  });

  it('consumeApply (REALNAMEPAY) takes the card number encrypted with the platform key', async () => {
    const payer = await memberWithPhone('card', '13911110005');
    const bankCardNo = encryptField('6228481234567898346', options.platformKey);
    const applied = await client.call('OrderService', 'consumeApply', apply(payer, `C-${run}-card`, { REALNAMEPAY: { bankCardNo, amount: 100 } }) as never);
    assert.ok(applied.orderNo);
  });
});

describe('sandbox refusals as typed errors', () => {
  it('a bad signature → 20019', async () => {
    const stranger = createYunstClient({ ...options, merchantKey: { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey } });
    await assert.rejects(stranger.call('OrderService', 'getOrderDetail', { bizOrderNo: 'X' }), (e: unknown) => e instanceof YunstPlatformError && e.errorCode === '20019' && e.verified === false);
  });

  it('a stale timestamp (clock 11 minutes behind) → the spec’s message', async () => {
    const late = createYunstClient({ ...options, clock: () => new Date(Date.now() - 11 * 60_000) });
    await assert.rejects(late.call('OrderService', 'getOrderDetail', { bizOrderNo: 'X' }), (e: unknown) => e instanceof YunstPlatformError && /10分钟/.test(e.platformMessage));
  });

  it('a missing param is caught by the client; sent anyway, the sandbox answers 10001', async () => {
    await assert.rejects(client.call('OrderService', 'getOrderDetail', {} as never), YunstParamError);
    const unchecked = createYunstClient({ ...options, validateParams: false });
    await assert.rejects(unchecked.call('OrderService', 'getOrderDetail', {} as never), (e: unknown) => e instanceof YunstPlatformError && e.errorCode === '10001');
  });

  it('a duplicate bizOrderNo → 40017; an unknown one → 40000', async () => {
    const payer = await memberWithPhone('dup', '13911110006');
    const param = apply(payer, `C-${run}-dup`, { SCAN_WEIXIN: { amount: 100, limitPay: '' } });
    await client.call('OrderService', 'consumeApply', param as never);
    await assert.rejects(client.call('OrderService', 'consumeApply', param as never), (e: unknown) => e instanceof YunstPlatformError && e.errorCode === '40017' && e.messageEn === 'Order already exists');
    await assert.rejects(client.call('OrderService', 'getOrderDetail', { bizOrderNo: `NONE-${run}` }), (e: unknown) => e instanceof YunstPlatformError && e.errorCode === '40000');
  });

  it('a payer without a bound phone → 30021', async () => {
    const payer = `nophone-${run}`;
    await client.call('MemberService', 'createMember', { bizUserId: payer, memberType: 3, source: 2 });
    await assert.rejects(
      client.call('OrderService', 'consumeApply', apply(payer, `C-${run}-nophone`, { SCAN_WEIXIN: { amount: 100, limitPay: '' } }) as never),
      (e: unknown) => e instanceof YunstPlatformError && e.errorCode === '30021',
    );
  });

  it('the wallet link of an order can be found (sandbox tool), and a paid order cannot be paid again', async () => {
    const payer = await memberWithPhone('again', '13911110007');
    const bizOrderNo = `C-${run}-again`;
    await client.call('OrderService', 'consumeApply', apply(payer, bizOrderNo, { SCAN_UNIONPAY: { amount: 100, limitPay: '' } }) as never);
    const url = await walletUrlOf(sandbox.url, bizOrderNo);
    await walletAction(url, 'pay');
    const page = await (await fetch(url)).text();
    assert.match(page, /支付成功|Paid/);
    assert.doesNotMatch(page, /name="action" value="pay"/);
  });
});
