// The client against a stand-in for the platform's HTTP endpoint (the real platform is unreachable here); the full
// round trips against the strict sandbox live in packages/sandbox/test.
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import {
  YunstFormatError,
  YunstParamError,
  YunstPlatformError,
  YunstSignatureError,
  YunstTransportError,
  buildGatewayPayForm,
  buildPasswordPayForm,
  createYunstClient,
  endpointsAt,
  parseFormBody,
  signSource,
  verifySource,
} from '../../src/index.js';
import { rsaPair } from '../support/keys.js';

const merchant = rsaPair();
const platform = rsaPair();
const sysid = '1902271423530473681';

type Handler = (fields: Record<string, string>, res: ServerResponse) => void;
let handler: Handler = () => {};
const received: Record<string, string>[] = [];
let server: ReturnType<typeof createServer>;
let soaUrl = '';

function answerOk(res: ServerResponse, value: object, tamper = false) {
  const signedValue = JSON.stringify(value);
  const sign = signSource(signedValue, platform.signer);
  res.setHeader('content-type', 'application/json;charset=utf-8');
  res.end(JSON.stringify({ sysid, sign, signedValue: tamper ? signedValue.replace('"1"', '"2"') : signedValue, status: 'OK' }));
}

before(async () => {
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const fields = parseFormBody(body);
      received.push(fields);
      handler(fields, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  soaUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/service/soa`;
});
after(() => {
  server.closeAllConnections();
  server.close();
});

const client = () => createYunstClient({ sysid, merchantKey: merchant.signer, platformKey: platform.verifier, soaUrl, timeoutMs: 300 });
const param = {
  payerId: 'buyer-1',
  recieverId: '#yunBizUserId_B2C#',
  bizOrderNo: 'T20261126-0001',
  amount: 1,
  fee: 0,
  backUrl: 'https://shop.example.com/yunst/notify?a=1&b=2',
  payMethod: { SCAN_WEIXIN: { amount: 1, limitPay: '' as const } },
  industryCode: '1910',
  industryName: '其他',
  source: 2 as const,
  summary: '测试 + 空格 / 斜杠',
};

describe('YunST client', () => {
  it('posts a form whose req is byte for byte the signed string, and returns the verified parse', async () => {
    handler = (fields, res) => answerOk(res, { orderNo: '1', bizOrderNo: param.bizOrderNo, payInfo: 'weixin://wxpay/bizpayurl?pr=abc' });
    const exchange = await client().exchange('OrderService', 'consumeApply', param);
    const sent = received.at(-1)!;
    assert.deepEqual(Object.keys(sent).sort(), ['req', 'sign', 'sysid', 'timestamp', 'v']);
    assert.equal(sent.v, '2.0');
    assert.match(sent.timestamp!, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    assert.equal(sent.req, exchange.request.req);
    assert.ok(sent.req!.includes('测试 + 空格 / 斜杠'), 'the + survived form encoding');
    assert.ok(verifySource(sent.sysid! + sent.req! + sent.timestamp!, sent.sign!, merchant.verifier));
    assert.equal(exchange.result.payInfo, 'weixin://wxpay/bizpayurl?pr=abc');
    assert.ok(exchange.responseBody.includes('"status":"OK"'));
  });

  it('refuses an invalid param before signing or sending anything', async () => {
    const before = received.length;
    await assert.rejects(client().call('OrderService', 'consumeApply', { ...param, backUrl: 'https://x.example/#frag' }), YunstParamError);
    assert.equal(received.length, before);
  });

  it('an error answer becomes a typed, unverified platform error with the spec’s English text', async () => {
    handler = (_fields, res) => res.end(JSON.stringify({ sign: 'AAAA', errorCode: '40017', message: '订单已经存在', status: 'error' }));
    const error = await client().call('OrderService', 'consumeApply', param).catch((e: unknown) => e);
    assert.ok(error instanceof YunstPlatformError);
    assert.equal(error.errorCode, '40017');
    assert.equal(error.platformMessage, '订单已经存在');
    assert.equal(error.messageEn, 'Order already exists');
    assert.equal(error.verified, false);
  });

  it('a tampered success is a signature error, never a result', async () => {
    handler = (_fields, res) => answerOk(res, { orderNo: '1', bizOrderNo: param.bizOrderNo }, true);
    await assert.rejects(client().call('OrderService', 'consumeApply', param), YunstSignatureError);
  });

  it('a verified answer for another bizOrderNo, or of the wrong shape, is refused', async () => {
    handler = (_fields, res) => answerOk(res, { orderNo: '1', bizOrderNo: 'SOMEONE-ELSE' });
    await assert.rejects(client().call('OrderService', 'consumeApply', param), YunstFormatError);
    handler = (_fields, res) => answerOk(res, { bizOrderNo: param.bizOrderNo });
    await assert.rejects(client().call('OrderService', 'consumeApply', param), /orderNo/);
  });

  it('HTTP failures and silence are transport errors (outcome unknown)', async () => {
    handler = (_fields, res) => {
      res.statusCode = 502;
      res.end('bad gateway');
    };
    await assert.rejects(client().call('OrderService', 'getOrderDetail', { bizOrderNo: 'T1' }), (e: unknown) => e instanceof YunstTransportError && e.kind === 'http' && e.httpStatus === 502);
    handler = () => {}; // never answers
    await assert.rejects(client().call('OrderService', 'getOrderDetail', { bizOrderNo: 'T1' }), (e: unknown) => e instanceof YunstTransportError && e.kind === 'timeout');
    const closed = createYunstClient({ sysid, merchantKey: merchant.signer, platformKey: platform.verifier, soaUrl: 'http://127.0.0.1:9/service/soa' });
    await assert.rejects(closed.call('OrderService', 'getOrderDetail', { bizOrderNo: 'T1' }), (e: unknown) => e instanceof YunstTransportError && e.kind === 'network');
  });
});

describe('front-page forms', () => {
  const endpoints = endpointsAt('http://116.228.64.55:6900');
  it('builds a signed pay form for frontTrans.do and for pwd/payOrder.html', () => {
    const gateway = buildGatewayPayForm({
      sysid,
      merchantKey: merchant.signer,
      endpoints,
      param: { bizUserId: 'buyer-1', bizOrderNo: 'T1', consumerIp: '203.0.113.7' },
      timestamp: '2026-11-26 14:00:00',
    });
    assert.equal(gateway.action, 'http://116.228.64.55:6900/yungateway/frontTrans.do');
    assert.equal(gateway.method, 'POST');
    assert.deepEqual(JSON.parse(gateway.fields.req), { service: 'OrderService', method: 'pay', param: { bizUserId: 'buyer-1', bizOrderNo: 'T1', consumerIp: '203.0.113.7' } });
    assert.ok(verifySource(sysid + gateway.fields.req + '2026-11-26 14:00:00', gateway.fields.sign, merchant.verifier));

    const password = buildPasswordPayForm({
      sysid,
      merchantKey: merchant.signer,
      endpoints,
      param: { bizUserId: 'buyer-1', bizOrderNo: 'T1', consumerIp: '203.0.113.7', jumpUrl: 'https://shop.example.com/yunst/return' },
    });
    assert.equal(password.action, 'http://116.228.64.55:6900/yungateway/pwd/payOrder.html');
    assert.ok(verifySource(sysid + password.fields.req + password.fields.timestamp, password.fields.sign, merchant.verifier));
  });

  it('refuses a jumpUrl with # or a loopback consumerIp', () => {
    assert.throws(
      () => buildPasswordPayForm({ sysid, merchantKey: merchant.signer, endpoints, param: { bizUserId: 'b', bizOrderNo: 'T1', consumerIp: '203.0.113.7', jumpUrl: 'https://x.example/#/r' } }),
      YunstParamError,
    );
    assert.throws(() => buildGatewayPayForm({ sysid, merchantKey: merchant.signer, endpoints, param: { bizUserId: 'b', bizOrderNo: 'T1', consumerIp: 'localhost' } }), YunstParamError);
  });
});
