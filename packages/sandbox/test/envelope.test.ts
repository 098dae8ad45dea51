// /service/soa envelope checks (spec §3.1–§3.4) in the platform's order, and signed answers.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { YUNST_UNCODED_MESSAGES, buildSignedRequest, formatCstTimestamp, signRequest, verifyResponse, verifySource } from '@tsy/yunst';
import { SYSID, errorCode, merchantKey, ok, platformKey, startSandbox, type TestSandbox } from './support/sandbox.js';

const createMember = { bizUserId: 'env-member', memberType: 3, source: 1 };

describe('/service/soa envelope', () => {
  let t: TestSandbox;
  before(async () => (t = await startSandbox()));
  after(() => t.close());

  it('answers a good request with a signedValue that verifies with the platform key, and carries sysid', async () => {
    const fields = t.signed('MemberService', 'createMember', createMember);
    const response = await fetch(`${t.url}/service/soa`, { method: 'POST', body: new URLSearchParams({ ...fields }) });
    const body = await response.text();
    const envelope = JSON.parse(body) as Record<string, string>;
    assert.equal(envelope.status, 'OK');
    assert.equal(envelope.sysid, SYSID);
    const verified = verifyResponse(body, platformKey);
    assert.equal(verified.status, 'OK');
    assert.equal((verified as { value: Record<string, unknown> }).value.bizUserId, 'env-member');
    assert.match(String((verified as { value: Record<string, unknown> }).value.userId), /^[0-9a-f-]{36}$/);
  });

  it('takes GET with the query string too, as the spec example does', async () => {
    const fields = t.signed('MemberService', 'createMember', { ...createMember, bizUserId: 'env-get' });
    const response = await fetch(`${t.url}/service/soa?${new URLSearchParams({ ...fields })}`);
    assert.equal(ok(verifyResponse(await response.text(), platformKey)).bizUserId, 'env-get');
  });

  it('signs error answers over {errorCode, message}', async () => {
    const fields = t.signed('MemberService', 'createMember', createMember);
    const response = await fetch(`${t.url}/service/soa`, { method: 'POST', body: new URLSearchParams({ ...fields, sign: 'AAAA' }) });
    const envelope = JSON.parse(await response.text()) as Record<string, string>;
    assert.equal(envelope.status, 'error');
    assert.equal(envelope.errorCode, '20019');
    assert.equal(envelope.message, '签名验证失败');
    assert.ok(verifySource(JSON.stringify({ errorCode: envelope.errorCode, message: envelope.message }), envelope.sign!, platformKey));
  });

  for (const field of ['sysid', 'sign', 'timestamp', 'v', 'req']) {
    it(`refuses a request without ${field} with 10001`, async () => {
      const answer = await t.call('MemberService', 'createMember', createMember, {
        tamper: (fields) => Object.fromEntries(Object.entries(fields).filter(([name]) => name !== field)),
      });
      assert.equal(errorCode(answer), '10001');
      assert.match((answer as { message: string }).message, new RegExp(field));
    });
  }

  it('refuses an unknown sysid with 20000 before looking at the signature', async () => {
    const answer = await t.call('MemberService', 'createMember', createMember, { sysid: '1000000000000000001' });
    assert.equal(errorCode(answer), '20000');
  });

  it('refuses v other than 2.0 with 10000', async () => {
    assert.equal(errorCode(await t.call('MemberService', 'createMember', createMember, { tamper: (f) => ({ ...f, v: '1.0' }) })), '10000');
  });

  it('refuses a timestamp more than 10 minutes off the sandbox clock, or not yyyy-MM-dd HH:mm:ss', async () => {
    const stale = formatCstTimestamp(new Date(t.clock().getTime() - 10 * 60_000 - 1000));
    const ahead = formatCstTimestamp(new Date(t.clock().getTime() + 11 * 60_000));
    for (const timestamp of [stale, ahead, '2026-03-0210:00:00', '2026-02-31 10:00:00']) {
      const answer = await t.call('MemberService', 'createMember', createMember, { timestamp });
      assert.equal(errorCode(answer), YUNST_UNCODED_MESSAGES.staleTimestamp.code, timestamp);
      assert.equal((answer as { message: string }).message, YUNST_UNCODED_MESSAGES.staleTimestamp.zh);
    }
    const nineMinutes = formatCstTimestamp(new Date(t.clock().getTime() - 9 * 60_000));
    ok(await t.call('MemberService', 'createMember', { ...createMember, bizUserId: 'env-skew' }, { timestamp: nineMinutes }));
  });

  it('refuses a bad signature with 20019: another key, or a req changed after signing', async () => {
    const other = buildSignedRequest({ sysid: SYSID, service: 'MemberService', method: 'createMember', param: createMember, timestamp: formatCstTimestamp(t.clock()) }, merchantKey);
    assert.equal(errorCode(await t.call('MemberService', 'createMember', createMember, { tamper: (f) => ({ ...f, sign: other.sign.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) }) })), '20019');
    assert.equal(errorCode(await t.call('MemberService', 'createMember', createMember, { tamper: (f) => ({ ...f, req: f.req!.replace('env-member', 'env-membex') }) })), '20019');
  });

  /** Sends `req` exactly as given, correctly signed. */
  const sendRawReq = (req: string) =>
    t.call('MemberService', 'createMember', {}, {
      tamper: (f) => ({ ...f, req, sign: signRequest({ sysid: SYSID, req, timestamp: f.timestamp! }, merchantKey) }),
    });

  it('refuses a correctly signed req that is not a JSON object with 10000', async () => {
    assert.equal(errorCode(await sendRawReq('{"service":"MemberService",')), '10000');
    assert.equal(errorCode(await sendRawReq('["MemberService"]')), '10000');
  });

  it('refuses a req without service, method or param with 10001', async () => {
    for (const [req, field] of [
      [{ method: 'createMember', param: createMember }, 'service'],
      [{ service: 'MemberService', param: createMember }, 'method'],
      [{ service: 'MemberService', method: 'createMember' }, 'param'],
    ] as const) {
      const answer = await sendRawReq(JSON.stringify(req));
      assert.equal(errorCode(answer), '10001');
      assert.equal((answer as { message: string }).message, `参数不能为空: ${field}`);
    }
  });

  it('refuses an unknown service with 10002 and an unknown method with 10003', async () => {
    assert.equal(errorCode(await t.call('AccountService', 'createMember', createMember)), '10002');
    assert.equal(errorCode(await t.call('MemberService', 'deleteMember', createMember)), '10003');
    assert.equal(errorCode(await t.call('OrderService', 'signalAgentPay', {})), '10003');
  });

  it('maps param problems to 10001 (missing), 10004 (too long) and 10000 (invalid), naming the field', async () => {
    const missing = await t.call('MemberService', 'createMember', { memberType: 3, source: 1 });
    assert.equal(errorCode(missing), '10001');
    assert.equal((missing as { message: string }).message, '参数不能为空: bizUserId');

    const empty = await t.call('MemberService', 'createMember', { bizUserId: '', memberType: 3, source: 1 });
    assert.equal(errorCode(empty), '10001');

    const long = await t.call('MemberService', 'createMember', { bizUserId: 'x'.repeat(65), memberType: 3, source: 1 });
    assert.equal(errorCode(long), '10004');
    assert.match((long as { message: string }).message, /bizUserId/);

    const invalid = await t.call('MemberService', 'createMember', { bizUserId: 'ok', memberType: 4, source: 1 });
    assert.equal(errorCode(invalid), '10000');
    assert.match((invalid as { message: string }).message, /memberType/);

    const unknownKey = await t.call('MemberService', 'createMember', { bizUserId: 'ok', memberType: 3, source: 1, nickname: 'x' });
    assert.equal(errorCode(unknownKey), '10000');
    assert.match((unknownKey as { message: string }).message, /nickname/);

    const nested = await t.call('OrderService', 'consumeApply', {
      payerId: 'p', recieverId: 'r', bizOrderNo: 'b', amount: 1, fee: 0, backUrl: 'http://127.0.0.1/n',
      payMethod: { GATEWAY_VSP: { amount: 1, payType: 'B2C' } }, industryCode: '1910', industryName: '其他', source: 2,
    });
    assert.equal(errorCode(nested), '10001', 'paytype is missing (the spelling payType is also refused)');
    assert.match((nested as { message: string }).message, /payMethod\.GATEWAY_VSP\.paytype/);
  });
});
