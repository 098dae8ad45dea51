// Conformance against real platform material in ../shared/vectors (see its README): these are the ground truth.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import {
  YunstSignatureError,
  loadMerchantKey,
  loadPlatformKey,
  md5Base64,
  parseFormBody,
  signRequest,
  verifyNotification,
  verifyResponse,
  verifySource,
} from '../../src/index.js';
import { vectorPath } from '../support/paths.js';

const platform = loadPlatformKey(vectorPath('platform-test.cer'));
const merchant = loadMerchantKey(vectorPath('merchant-2006041448410260378.pfx'), 'qidingdong123');
const responseBody = readFileSync(vectorPath('response-agentCollectApply-WECHATPAY_MINIPROGRAM.json'), 'utf8').replace(/\n$/, '');
const notificationBody = readFileSync(vectorPath('notification-signContract.form'), 'utf8').replace(/\n$/, '');

/** Every single-character change of `text` at a spread of positions. */
function tamperings(text: string, count = 25): string[] {
  const out: string[] = [];
  for (let k = 0; k < count; k++) {
    const i = Math.floor((k * (text.length - 1)) / (count - 1));
    const c = text[i]!;
    out.push(text.slice(0, i) + (c === 'a' ? 'b' : 'a') + text.slice(i + 1));
  }
  return out;
}

describe('vector: legacy merchant .pfx and the expected signature', () => {
  const req = readFileSync(vectorPath('sample-req.json'), 'utf8');
  const sysid = '2006041448410260378';
  const timestamp = '2026-11-26 14:00:00';

  it('loads the RC2-40/3DES PKCS#12 with its certificate, and the certificate matches the published .cer', () => {
    assert.equal(merchant.privateKey.asymmetricKeyDetails?.modulusLength, 1024);
    const published = loadPlatformKey(vectorPath('merchant-2006041448410260378.cer'));
    assert.ok(merchant.certificate, 'the .pfx carries the certificate');
    assert.equal(merchant.certificate.fingerprint256, published.certificate?.fingerprint256);
  });

  it('reproduces Base64(MD5(source)) and the signature byte for byte', () => {
    assert.equal(md5Base64(sysid + req + timestamp), 'kDuHu00utF6e91RehB8o9A==');
    assert.equal(
      signRequest({ sysid, req, timestamp }, merchant),
      'EPgpG6bfdPy/Pu/0ircnd99LLksPS7axP8GXgqWIT8vJvBzMqzZWaYnKv6FG8t7Bmf3tPLtFgSb5ryrWLHvFo/u+75cRFONJ1mFyw4fGlx45Q4k3VKZ9CZNU+zOz9L3t4TiLYh9irWHCKe2/vMbUxE0lmH0xV/u2z9IoVSgRT6g=',
    );
  });

  it('a signature over any other req does not match', () => {
    const expected = signRequest({ sysid, req, timestamp }, merchant);
    assert.notEqual(signRequest({ sysid, req: req.replace('+', ' '), timestamp }, merchant), expected);
    assert.notEqual(signRequest({ sysid, req: `${req}\n`, timestamp }, merchant), expected);
  });

  it('a wrong password is a clear error naming the file', () => {
    assert.throws(
      () => loadMerchantKey(vectorPath('merchant-2006041448410260378.pfx'), 'wrong'),
      (error: Error) => /merchant-2006041448410260378\.pfx: wrong password/.test(error.message),
    );
  });
});

describe('vector: synchronous response (agentCollectApply, WECHATPAY_MINIPROGRAM)', () => {
  it('verifies over the raw signedValue and exposes the nested payInfo string', () => {
    const result = verifyResponse(responseBody, platform);
    assert.equal(result.status, 'OK');
    assert.equal(result.verified, true);
    if (result.status !== 'OK') return;
    assert.equal(result.value.bizOrderNo, 'P20200408151314390');
    assert.equal(JSON.parse(result.value.payInfo as string).appId, 'wxd9b2267890ad0c2c');
  });

  it('does not verify over sysid + signedValue', () => {
    const { sysid, sign, signedValue } = JSON.parse(responseBody) as Record<string, string>;
    assert.equal(verifySource(signedValue!, sign!, platform), true);
    assert.equal(verifySource(sysid! + signedValue!, sign!, platform), false);
  });

  it('fails when any character of signedValue changes', () => {
    const envelope = JSON.parse(responseBody) as Record<string, string>;
    for (const signedValue of tamperings(envelope.signedValue!)) {
      assert.throws(() => verifyResponse(JSON.stringify({ ...envelope, signedValue }), platform), YunstSignatureError);
    }
  });

  it('a success without sign, or with a changed sign, is an error — never accepted', () => {
    const envelope = JSON.parse(responseBody) as Record<string, string>;
    const { sign, ...unsigned } = envelope;
    assert.throws(() => verifyResponse(JSON.stringify(unsigned), platform), YunstSignatureError);
    const flipped = sign!.startsWith('A') ? `B${sign!.slice(1)}` : `A${sign!.slice(1)}`;
    assert.throws(() => verifyResponse(JSON.stringify({ ...envelope, sign: flipped }), platform), YunstSignatureError);
    assert.throws(() => verifyResponse(JSON.stringify({ status: 'OK', sign }), platform), YunstSignatureError);
  });

  it('an error response stays an unverified failure with its code and message', () => {
    const result = verifyResponse('{"sign":"blkupOxNHisC","errorCode":"30000","message":"所属应用下已经存在此用户","status":"error"}', platform);
    assert.deepEqual(result, { status: 'error', verified: false, errorCode: '30000', message: '所属应用下已经存在此用户' });
  });

  it('a forged signedValue attached to an error response is still rejected', () => {
    const envelope = JSON.parse(responseBody) as Record<string, string>;
    const forged = { ...envelope, status: 'error', signedValue: envelope.signedValue!.replace('900013801', '900013802') };
    assert.throws(() => verifyResponse(JSON.stringify(forged), platform), YunstSignatureError);
  });
});

describe('vector: notification (MemberService.signContract)', () => {
  it('form-decodes (+ is a space) and verifies over sysid + rps + timestamp', () => {
    const result = verifyNotification(notificationBody, platform);
    assert.equal(result.timestamp, '2020-06-17 14:52:43');
    assert.equal(result.value.method, 'signContract');
  });

  it('accepts fields a framework already decoded, and checks the expected sysid', () => {
    assert.equal(verifyNotification(parseFormBody(notificationBody), platform, { sysid: '1902271423530473681' }).sysid, '1902271423530473681');
    assert.throws(() => verifyNotification(notificationBody, platform, { sysid: '1' }), YunstSignatureError);
  });

  it('fails when + is not decoded (decodeURIComponent)', () => {
    const wrong: Record<string, string> = {};
    for (const pair of notificationBody.split('&')) {
      const [name, value] = pair.split('=') as [string, string];
      wrong[name] = decodeURIComponent(value);
    }
    assert.equal(wrong.timestamp, '2020-06-17+14:52:43');
    assert.throws(() => verifyNotification(wrong, platform), YunstSignatureError);
  });

  it('fails over the wrong source (rps alone, or sysid + rps)', () => {
    const { sysid, rps, sign } = parseFormBody(notificationBody) as Record<string, string>;
    assert.equal(verifySource(rps!, sign!, platform), false);
    assert.equal(verifySource(sysid! + rps!, sign!, platform), false);
  });

  it('fails when any character of rps changes, or a field is missing', () => {
    const fields = parseFormBody(notificationBody);
    for (const rps of tamperings(fields.rps!)) assert.throws(() => verifyNotification({ ...fields, rps }, platform), YunstSignatureError);
    for (const name of ['sysid', 'rps', 'timestamp', 'sign']) {
      const { [name]: _dropped, ...rest } = fields;
      assert.throws(() => verifyNotification(rest, platform), YunstSignatureError);
    }
  });
});
