// The front confirm pages: gateway frontTrans.do (spec §4.2.9) and the password page pwd/payOrder.html (§4.2.10).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildSignedRequest, encryptField, formatCstTimestamp, orderNotificationRps, verifyNotification } from '@tsy/yunst';
import {
  SYSID,
  cashierAction,
  consumeParam,
  createPayer,
  formFields,
  inbox,
  merchantKey,
  ok,
  platformKey,
  postForm,
  startReceiver,
  startSandbox,
  type TestSandbox,
} from './support/sandbox.js';

const FRONT_URL = 'http://127.0.0.1:9/shop/return?order=42';
const JUMP_URL = 'http://127.0.0.1:9/shop/after-password';

describe('front pages', () => {
  let t: TestSandbox;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let phone: string;
  before(async () => {
    t = await startSandbox();
    receiver = await startReceiver([200]);
    phone = await createPayer(t, 'f-payer');
    await createPayer(t, 'f-other');
    await createPayer(t, 'f-locked');
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const apply = async (payMethod: Record<string, unknown>, amount: number, extra: Record<string, unknown> = {}, payerId = 'f-payer') => {
    const param = consumeParam(payerId, payMethod, amount, { backUrl: receiver.url, frontUrl: FRONT_URL, ...extra });
    ok(await t.call('OrderService', 'consumeApply', param));
    return String(param.bizOrderNo);
  };
  const payParam = (bizOrderNo: string, extra: Record<string, unknown> = {}) => ({ bizUserId: 'f-payer', bizOrderNo, consumerIp: '203.0.113.9', ...extra });
  const lockedParam = (bizOrderNo: string, extra: Record<string, unknown> = {}) => payParam(bizOrderNo, { bizUserId: 'f-locked', ...extra });
  const gatewayGet = (param: Record<string, unknown>) =>
    fetch(`${t.url}/yungateway/frontTrans.do?${new URLSearchParams({ ...t.signed('OrderService', 'pay', param) })}`);
  const status = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus;

  it('gateway by GET: the cashier page, then a 302 to frontUrl with a verifiable rps; the order succeeds and is notified', async () => {
    const bizOrderNo = await apply({ GATEWAY_VSP: { amount: 2000, paytype: 'B2C' } }, 2000);
    const page = await gatewayGet(payParam(bizOrderNo));
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /¥20\.00/);
    assert.match(html, /建设银行/);
    assert.doesNotMatch(html, /verificationCode/, 'a pure gateway payment checks no SMS code');
    const action = cashierAction(html);
    const noBank = await postForm(`${t.url}${action}`, { action: 'pay' });
    assert.match(await noBank.text(), /请选择银行/);

    const done = await postForm(`${t.url}${action}`, { action: 'pay', gateid: '105' });
    assert.equal(done.status, 302);
    const location = new URL(done.headers.get('location')!);
    assert.equal(`${location.origin}${location.pathname}`, 'http://127.0.0.1:9/shop/return');
    assert.equal(location.searchParams.get('order'), '42', 'frontUrl keeps its own query');
    const verified = verifyNotification(Object.fromEntries(location.searchParams), platformKey, { sysid: SYSID });
    orderNotificationRps.parse(verified.value);
    const rps = verified.value as { status: string; returnValue: { bizOrderNo: string; amount: number } };
    assert.equal(rps.status, 'OK');
    assert.equal(rps.returnValue.bizOrderNo, bizOrderNo);
    assert.equal(rps.returnValue.amount, 2000);
    assert.equal(await status(bizOrderNo), 4);
    const notification = verifyNotification((await receiver.nth(1)).body, platformKey);
    assert.equal((notification.value.returnValue as { bizOrderNo: string }).bizOrderNo, bizOrderNo);
    // The session is spent and the order paid: the signed request no longer opens a page.
    assert.equal((await postForm(`${t.url}${action}`, { action: 'pay', gateid: '105' })).status, 404);
    const again = await gatewayGet(payParam(bizOrderNo));
    assert.equal(again.status, 400);
    assert.match(await again.text(), /40033/, 'confirmed already');
  });

  it('gateway by POST returns through an auto-submitted form carrying the signed fields', async () => {
    const bizOrderNo = await apply({ ALLINPAY_WALLET_H5: { amount: '300' } }, 300);
    const page = await postForm(`${t.url}/yungateway/frontTrans.do`, { ...t.signed('OrderService', 'pay', payParam(bizOrderNo)) });
    const html = await page.text();
    assert.match(html, /通联钱包/);
    const done = await postForm(`${t.url}${cashierAction(html)}`, { action: 'pay' });
    assert.equal(done.status, 200);
    const returnPage = await done.text();
    assert.match(returnPage, /<form method="post" action="http:\/\/127\.0\.0\.1:9\/shop\/return\?order=42">/);
    assert.match(done.headers.get('content-security-policy') ?? '', /form-action 'self' http:\/\/127\.0\.0\.1:9/);
    const fields = formFields(returnPage);
    assert.deepEqual(Object.keys(fields).sort(), ['rps', 'sign', 'sysid', 'timestamp', 'v']);
    assert.equal((verifyNotification(fields, platformKey).value.returnValue as { bizOrderNo: string }).bizOrderNo, bizOrderNo);
  });

  it('gateway entry is verified like /service/soa; refusals are an HTML page with the code (HTTP 400)', async () => {
    const bizOrderNo = await apply({ GATEWAY_VSP: { amount: 1, paytype: 'B2B' } }, 1);
    const fields = { ...t.signed('OrderService', 'pay', payParam(bizOrderNo)) };
    const badSign = await postForm(`${t.url}/yungateway/frontTrans.do`, { ...fields, sign: fields.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) });
    assert.equal(badSign.status, 400);
    assert.match(badSign.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await badSign.text(), /20019/);
    const refusals: [Record<string, unknown>, string][] = [
      [payParam(bizOrderNo, { bizUserId: 'f-other' }), '40022'],
      [payParam('nope'), '40000'],
      [payParam(bizOrderNo, { consumerIp: '127.0.0.1' }), '10000'],
      [{ bizUserId: 'f-payer', bizOrderNo }, '10001'],
    ];
    for (const [param, code] of refusals) {
      const response = await gatewayGet(param);
      assert.equal(response.status, 400, code);
      assert.match(await response.text(), new RegExp(code));
    }
    const wrongMethod = await postForm(`${t.url}/yungateway/frontTrans.do`, { ...t.signed('OrderService', 'getOrderDetail', { bizOrderNo }) });
    assert.match(await wrongMethod.text(), /10003/);
    const sms = await apply({ BALANCE: [{ accountSetNo: '400142', amount: 1 }] }, 1);
    assert.match(await (await gatewayGet(payParam(sms))).text(), /40027/, 'not a gateway order');
    // B2B gateway lists the enterprise banks.
    assert.match(await (await gatewayGet(payParam(bizOrderNo))).text(), /B2B/);
  });

  it('gateway combined with BALANCE: an SMS code is sent and must be typed on the page', async () => {
    const bizOrderNo = await apply({ GATEWAY_VSP: { amount: 700, paytype: 'B2C', gateid: '308' }, BALANCE: [{ accountSetNo: '400142', amount: 300 }] }, 1000);
    const html = await (await gatewayGet(payParam(bizOrderNo))).text();
    assert.match(html, /name="verificationCode"/);
    assert.match(html, new RegExp(`${phone.slice(0, 3)}\\*\\*\\*\\*${phone.slice(-4)}`));
    assert.match(html, /<option value="308" selected>/);
    const sent = (await inbox(t, phone)).filter((m) => m.bizOrderNo === bizOrderNo);
    assert.equal(sent.length, 1, 'sent at apply; the page load did not send another while it is valid');
    const action = cashierAction(html);
    const wrong = await postForm(`${t.url}${action}`, { action: 'pay', gateid: '308', verificationCode: sent[0]!.code === '000000' ? '000001' : '000000' });
    assert.match(await wrong.text(), /验证码错误/);
    assert.equal(await status(bizOrderNo), 1);
    const done = await postForm(`${t.url}${action}`, { action: 'pay', gateid: '308', verificationCode: sent[0]!.code });
    assert.equal(done.status, 302);
    assert.equal(await status(bizOrderNo), 4);
  });

  it('gateway combined: a verificationCode in the request is checked at the door', async () => {
    const bizOrderNo = await apply({ GATEWAY_VSP: { amount: 5, paytype: 'B2C' }, COUPON: { amount: 5 } }, 10);
    const [message] = (await inbox(t, phone)).filter((m) => m.bizOrderNo === bizOrderNo);
    const wrong = await gatewayGet(payParam(bizOrderNo, { verificationCode: message!.code === '000000' ? '000001' : '000000' }));
    assert.equal(wrong.status, 400);
    assert.match(await wrong.text(), /20011/);
    const html = await (await gatewayGet(payParam(bizOrderNo, { verificationCode: message!.code }))).text();
    assert.doesNotMatch(html, /name="verificationCode"/);
    assert.equal((await postForm(`${t.url}${cashierAction(html)}`, { action: 'pay', gateid: '1021' })).status, 302);
  });

  it('installments: the plan and the masked credit card on the page; acct is the masked card', async () => {
    const bankCardNo = encryptField('4367484351538915', platformKey);
    const bizOrderNo = await apply({ InstallmentPayment_H5: { nper: 6, channel: 1, amount: 60000, bankCardNo } }, 60000);
    const html = await (await gatewayGet(payParam(bizOrderNo))).text();
    assert.match(html, /6 期 · 436748\*\*\*\*8915/);
    assert.equal((await postForm(`${t.url}${cashierAction(html)}`, { action: 'pay' })).status, 302);
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).acct, '436748****8915');
  });

  it('cancel on the cashier leaves the order unpaid', async () => {
    const gateway = await apply({ GATEWAY_VSP: { amount: 1, paytype: 'B2C' } }, 1);
    const html = await (await gatewayGet(payParam(gateway))).text();
    assert.match(await (await postForm(`${t.url}${cashierAction(html)}`, { action: 'cancel' })).text(), /订单仍未支付/);
    assert.equal(await status(gateway), 1);
  });

  it('password page: 123456 pays and returns to jumpUrl; a wrong password may be retried', async () => {
    const bizOrderNo = await apply({ BALANCE: [{ accountSetNo: '400142', amount: 250 }] }, 250, { validateType: 2 });
    assert.equal((await inbox(t, phone)).filter((m) => m.bizOrderNo === bizOrderNo).length, 0, 'no SMS for password confirmation');
    const smsPay = await t.call('OrderService', 'pay', { ...payParam(bizOrderNo), verificationCode: '123456' });
    assert.equal(smsPay.status === 'error' && smsPay.errorCode, '40027');

    const entry = await postForm(`${t.url}/yungateway/pwd/payOrder.html`, { ...t.signed('OrderService', 'pay', payParam(bizOrderNo, { jumpUrl: JUMP_URL })) });
    const html = await entry.text();
    assert.match(html, /type="password"/);
    const action = cashierAction(html);
    assert.match(await (await postForm(`${t.url}${action}`, { action: 'pay', password: '654321' })).text(), /还可尝试 2 次/);
    const done = await postForm(`${t.url}${action}`, { action: 'pay', password: '123456' });
    const fields = formFields(await done.text());
    const rps = verifyNotification(fields, platformKey).value as { status: string; returnValue: { bizOrderNo: string } };
    assert.equal(rps.status, 'OK');
    assert.equal(rps.returnValue.bizOrderNo, bizOrderNo);
    assert.match(done.headers.get('content-security-policy') ?? '', /form-action 'self' http:\/\/127\.0\.0\.1:9/);
    assert.equal(await status(bizOrderNo), 4);
    assert.equal(t.sandbox.state.members.get('f-payer')!.passwordFailures, 0);
  });

  it('password page: jumpUrl is needed without a gateway method; three wrong passwords lock the member (30033)', async () => {
    const bizOrderNo = await apply({ COUPON: { amount: 10 } }, 10, { validateType: 2 }, 'f-locked');
    const noJump = await postForm(`${t.url}/yungateway/pwd/payOrder.html`, { ...t.signed('OrderService', 'pay', lockedParam(bizOrderNo)) });
    assert.equal(noJump.status, 400);
    assert.match(await noJump.text(), /10001/);
    // Entered by GET: the browser returns by 302.
    const entry = await fetch(`${t.url}/yungateway/pwd/payOrder.html?${new URLSearchParams({ ...t.signed('OrderService', 'pay', lockedParam(bizOrderNo, { jumpUrl: JUMP_URL })) })}`);
    const action = cashierAction(await entry.text());
    await postForm(`${t.url}${action}`, { action: 'pay', password: '000000' });
    await postForm(`${t.url}${action}`, { action: 'pay', password: '000000' });
    const locked = await postForm(`${t.url}${action}`, { action: 'pay', password: '000000' });
    assert.equal(locked.status, 302);
    const location = new URL(locked.headers.get('location')!);
    assert.ok(location.href.startsWith(JUMP_URL));
    const rps = orderNotificationRps.parse(verifyNotification(Object.fromEntries(location.searchParams), platformKey).value);
    assert.deepEqual([rps.status, rps.errorCode], ['error', '30033']);
    assert.equal(await status(bizOrderNo), 1);
    const again = await fetch(`${t.url}/yungateway/pwd/payOrder.html?${new URLSearchParams({ ...t.signed('OrderService', 'pay', lockedParam(bizOrderNo, { jumpUrl: JUMP_URL })) })}`);
    assert.match(await again.text(), /30033/);
  });

  it('password page for a gateway order: password and bank on one page, back to frontUrl', async () => {
    const bizOrderNo = await apply({ GATEWAY_VSP: { amount: 10, paytype: 'B2C' }, BALANCE: [{ accountSetNo: '400142', amount: 10 }] }, 20, { validateType: 2 });
    assert.match(await (await gatewayGet(payParam(bizOrderNo))).text(), /40027/, 'validateType 2: not the SMS gateway');
    const fields = buildSignedRequest({ sysid: SYSID, service: 'OrderService', method: 'pay', param: payParam(bizOrderNo), timestamp: formatCstTimestamp(t.clock()) }, merchantKey);
    const html = await (await postForm(`${t.url}/yungateway/pwd/payOrder.html`, { ...fields })).text();
    assert.match(html, /name="gateid"/);
    assert.match(html, /type="password"/);
    const done = await postForm(`${t.url}${cashierAction(html)}`, { action: 'pay', password: '123456', gateid: '104' });
    assert.match(await done.text(), /action="http:\/\/127\.0\.0\.1:9\/shop\/return\?order=42"/);
    assert.equal(await status(bizOrderNo), 4);
  });
});
