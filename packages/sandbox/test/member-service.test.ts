// MemberService (spec §4.1.1–§4.1.3, §4.1.23): members, SMS codes from the inbox, phone binding, payment accounts.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createMember, errorCode, inbox, nextPhone, ok, startSandbox, type TestSandbox } from './support/sandbox.js';

describe('MemberService', () => {
  let t: TestSandbox;
  before(async () => (t = await startSandbox()));
  after(() => t.close());

  it('createMember returns a uuid userId; the same bizUserId again is 30000', async () => {
    const value = ok(await t.call('MemberService', 'createMember', { bizUserId: 'm-dup', memberType: 3, source: 1 }));
    assert.equal(value.bizUserId, 'm-dup');
    assert.match(String(value.userId), /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(errorCode(await t.call('MemberService', 'createMember', { bizUserId: 'm-dup', memberType: 2, source: 2 })), '30000');
  });

  it('refuses the reserved platform id and Chinese characters in bizUserId', async () => {
    assert.equal(errorCode(await t.call('MemberService', 'createMember', { bizUserId: '#yunBizUserId_B2C#', memberType: 3, source: 1 })), '10000');
    assert.equal(errorCode(await t.call('MemberService', 'createMember', { bizUserId: '买家1', memberType: 3, source: 1 })), '10000');
  });

  it('binds a phone with the code from the SMS inbox', async () => {
    await createMember(t, 'm-bind');
    const phone = nextPhone();
    const sent = ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-bind', phone, verificationCodeType: 9 }));
    assert.deepEqual(sent, { bizUserId: 'm-bind', phone });
    const messages = await inbox(t, phone);
    assert.equal(messages.length, 1);
    assert.equal(messages[0]!.purpose, 'bindPhone');
    assert.match(messages[0]!.code, /^\d{6}$/);
    assert.equal(messages[0]!.sentAt, t.clock().toISOString());
    assert.deepEqual(ok(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-bind', phone, verificationCode: messages[0]!.code })), { bizUserId: 'm-bind', phone });
    assert.equal(t.sandbox.state.members.get('m-bind')?.phone, phone);
    // Bound already: a second bind (or bind code) is 30024.
    assert.equal(errorCode(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-bind', phone, verificationCodeType: 9 })), '30024');
    assert.equal(errorCode(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-bind', phone, verificationCode: messages[0]!.code })), '30024');
  });

  it('refuses a wrong code, an expired code (3 minutes) and a code sent to another phone with 20011', async () => {
    await createMember(t, 'm-wrong');
    const phone = nextPhone();
    ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-wrong', phone, verificationCodeType: 9 }));
    const [message] = await inbox(t, phone);
    const wrong = message!.code === '000000' ? '111111' : '000000';
    assert.equal(errorCode(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-wrong', phone, verificationCode: wrong })), '20011');
    assert.equal(errorCode(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-wrong', phone: nextPhone(), verificationCode: message!.code })), '20011');
    t.clock.advance(3 * 60_000);
    assert.equal(errorCode(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-wrong', phone, verificationCode: message!.code })), '20011');
    // A new code works; only the latest counts.
    ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-wrong', phone, verificationCodeType: 9 }));
    const [fresh] = await inbox(t, phone);
    ok(await t.call('MemberService', 'bindPhone', { bizUserId: 'm-wrong', phone, verificationCode: fresh!.code }));
  });

  it('an unknown member is 30001; an unbind code goes only to the bound phone', async () => {
    assert.equal(errorCode(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'nobody', phone: nextPhone(), verificationCodeType: 9 })), '30001');
    assert.equal(errorCode(await t.call('MemberService', 'bindPhone', { bizUserId: 'nobody', phone: nextPhone(), verificationCode: '123456' })), '30001');
    await createMember(t, 'm-unbind');
    assert.equal(errorCode(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-unbind', phone: nextPhone(), verificationCodeType: 6 })), '30021');
  });

  it('inbox JSON is newest first, filtered by phone, also by Accept: application/json', async () => {
    await createMember(t, 'm-inbox');
    const phone = nextPhone();
    ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-inbox', phone, verificationCodeType: 9 }));
    t.clock.advance(1000);
    ok(await t.call('MemberService', 'sendVerificationCode', { bizUserId: 'm-inbox', phone, verificationCodeType: 9 }));
    const response = await fetch(`${t.url}/sandbox/sms?phone=${phone}`, { headers: { Accept: 'application/json' } });
    assert.match(response.headers.get('content-type') ?? '', /json/);
    const messages = (await response.json()) as { sentAt: string; phone: string }[];
    assert.equal(messages.length, 2);
    assert.ok(messages.every((m) => m.phone === phone));
    assert.ok(messages[0]!.sentAt > messages[1]!.sentAt);
    const page = await fetch(`${t.url}/sandbox/sms`);
    assert.match(page.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await page.text(), /短信收件箱 \/ SMS inbox/);
  });

  it('applyBindAcct binds several payment accounts and answers result OK', async () => {
    await createMember(t, 'm-acct');
    const bind = (acctType: string, acct: string) => t.call('MemberService', 'applyBindAcct', { bizUserId: 'm-acct', operationType: 'set', acctType, acct });
    assert.deepEqual(ok(await bind('weChatPublic', 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o')), { bizUserId: 'm-acct', result: 'OK' });
    ok(await bind('aliPayService', '2088102146225135'));
    assert.equal(t.sandbox.state.members.get('m-acct')?.accts.length, 2);
    assert.equal(errorCode(await bind('weChatApp', 'x')), '10000');
    assert.equal(errorCode(await t.call('MemberService', 'applyBindAcct', { bizUserId: 'nobody', operationType: 'set', acctType: 'weChatPublic', acct: 'o1' })), '30001');
  });
});
