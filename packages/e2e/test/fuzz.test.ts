// Property-based fuzzing (fast-check) of every route of the BFF's router over raw HTTP, against the real stack with real
// orders and payments: wrong types, huge and unicode strings, prototype keys, malformed %-encoding, unknown charsets and
// content encodings, invalid JSON, wrong content types, duplicated and huge headers, odd methods. Whatever arrives: never a
// 5xx, an API error is `{error: {code, message}}`, no stack trace or file path in a body, the platform's callback answers
// text it understands, a browser's return lands on the result page — and afterwards the payments are as they were.
// Replay a run with TSY_FUZZ_SEED=<seed> (printed); TSY_FUZZ_RUNS sets the runs per route.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { NO_RECONCILIATION, startCheckoutStack, walletAction, type CheckoutStack } from '@tsy/testing';
import { api, bindPayerPhone, eventually } from '../src/harness.js';
import { rawRequest, type RawAnswer, type RawRequest } from '../src/raw-http.js';
import { tally } from '../src/tally.js';

const SEED = Number(process.env.TSY_FUZZ_SEED ?? 20_260_110);
/** Per route: 12 routes × 250 = 3,000 requests, ~15–35 s on the shared 2-core machine. */
const RUNS = Number(process.env.TSY_FUZZ_RUNS ?? 250);
/** Development: count every wrong answer instead of stopping at (and shrinking) the first. */
const KEEP_GOING = process.env.TSY_FUZZ_KEEP_GOING === '1';
const samples: string[] = [];

const METHODS = { SCAN_WEIXIN: {}, SCAN_ALIPAY: {}, BALANCE: { accountSetNo: '400193' }, CODEPAY_VSP: {}, GATEWAY_VSP: { paytype: 'B2C' }, QUICKPAY_VSP: {} } as const;

let stack: CheckoutStack;
const logs: string[] = [];

/** The fixtures the fuzz aims at, so the payment routes are reached with payments that exist, of each kind of action. */
interface Fixtures {
  readonly payers: readonly string[];
  /** merchantOrderId → its payer. */
  readonly orders: ReadonlyMap<string, string>;
  /** bizOrderNo → its payer. */
  readonly payments: ReadonlyMap<string, string>;
}
let fixtures: Fixtures;
/** Each fixture payment's state and event count before the fuzz. */
let before_: Map<string, { state: string; events: number }>;

const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'hasOwnProperty', 'toString', 'valueOf', '__defineGetter__', 'isPrototypeOf'];
const BAD_PERCENT = ['%', '%ff', '%FF%FE', '%C0%AE', '%E0%A4%A', '%zz', '%%', '%u0041', '%00', '%2e%2e%2f', '%2F', '%ED%A0%80', '%F4%90%80%80', '%c3%28'];

async function snapshot(): Promise<Map<string, { state: string; events: number }>> {
  const store = stack.merchant.router.services.context.store;
  const out = new Map<string, { state: string; events: number }>();
  for (const bizOrderNo of fixtures.payments.keys()) {
    const payment = await store.getPayment(bizOrderNo);
    out.set(bizOrderNo, { state: payment!.state, events: (await store.listPaymentEvents(bizOrderNo, 0)).length });
  }
  return out;
}

before(async () => {
  stack = await startCheckoutStack({
    methods: METHODS,
    reconciliation: NO_RECONCILIATION,
    config: { timeoutMs: 2000 },
    log: (level, message, fields) => logs.push(JSON.stringify({ level, message, ...fields })),
  });
  const { merchant, sandbox } = stack;
  const run = `fz${process.pid}`;
  const payers = ['a', 'b', 'c', 'd'].map((name) => `${run}-${name}`);
  for (const [i, payer] of payers.entries()) await bindPayerPhone(merchant.url, sandbox.url, payer, `1391100000${i}`);
  const orders = new Map<string, string>();
  const payments = new Map<string, string>();
  const order = (payer: string, amount: number) => {
    const id = `SO-${run}-${orders.size + 1}`;
    merchant.orders.set(id, { amount, subject: '龙井茶 Longjing tea', payer: { bizUserId: payer } });
    orders.set(id, payer);
    return id;
  };
  const pay = async (payer: string, method: string) => {
    const created = await api(merchant.url, `/api/checkout/orders/${order(payer, 1234)}/payments`, { body: { method }, headers: { 'x-test-payer': payer } });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    payments.set(created.body.bizOrderNo, payer);
    return created.body;
  };
  order(payers[0]!, 999); // an order without a payment
  await pay(payers[0]!, 'SCAN_WEIXIN'); // a QR, pending
  await pay(payers[1]!, 'BALANCE'); // an SMS code to confirm, pending
  await pay(payers[2]!, 'GATEWAY_VSP'); // a front-page form, pending
  const paid = await pay(payers[3]!, 'SCAN_WEIXIN');
  assert.equal(await walletAction(paid.action.payInfo, 'pay'), 200);
  await eventually(async () => (await stack.merchant.router.services.context.store.getPayment(paid.bizOrderNo))?.state === 'success', 5000, 'the paid fixture');
  fixtures = { payers, orders, payments };
  before_ = await snapshot();
});
after(async () => {
  await stack?.close();
});

interface Route {
  readonly template: string;
  /** The methods the router takes on it. */
  readonly methods: readonly string[];
  readonly reads: 'json' | 'form' | 'none';
  readonly param?: 'order' | 'payment';
}

const ROUTES: readonly Route[] = [
  { template: '/api/checkout/orders/:id', methods: ['GET'], reads: 'none', param: 'order' },
  { template: '/api/checkout/orders/:id/payments', methods: ['POST'], reads: 'json', param: 'order' },
  { template: '/api/checkout/payments/:id', methods: ['GET'], reads: 'none', param: 'payment' },
  { template: '/api/checkout/payments/:id/events', methods: ['GET'], reads: 'none', param: 'payment' },
  { template: '/api/checkout/payments/:id/confirm', methods: ['POST'], reads: 'json', param: 'payment' },
  { template: '/api/checkout/payments/:id/sms', methods: ['POST'], reads: 'none', param: 'payment' },
  { template: '/api/checkout/payments/:id/gateway', methods: ['POST'], reads: 'none', param: 'payment' },
  { template: '/api/checkout/payer/phone/code', methods: ['POST'], reads: 'json' },
  { template: '/api/checkout/payer/phone', methods: ['POST'], reads: 'json' },
  { template: '/yunst/notify', methods: ['POST'], reads: 'form' },
  { template: '/yunst/return', methods: ['GET'], reads: 'none' },
  { template: '/yunst/return', methods: ['POST'], reads: 'form' },
];

// ---- arbitraries ------------------------------------------------------------------------------------------------------

/** `arbitrary` with probability `p`, else null. */
const sometimes = <T>(p: number, arbitrary: fc.Arbitrary<T>): fc.Arbitrary<T | null> =>
  fc.oneof({ weight: Math.round(p * 100), arbitrary }, { weight: Math.round((1 - p) * 100), arbitrary: fc.constant(null) });

/** Printable text of any script, without the control characters that would end a header line. */
const text = (maxLength = 40) => fc.string({ unit: 'grapheme', maxLength }).map((s) => s.replace(/[\u0000-\u001f\u007f]/g, ''));
const huge = fc.integer({ min: 2_000, max: 9_000 }).chain((n) => fc.constantFrom('A', '9', '龙', '💳', '%41').map((unit) => unit.repeat(Math.ceil(n / unit.length))));
const protoKey = fc.constantFrom(...PROTO_KEYS);
const badPercent = fc.constantFrom(...BAD_PERCENT);

/** A path segment: mostly a real id, else what an attacker would put there. */
function segment(real: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...real).map(encodeURIComponent) },
    { weight: 1, arbitrary: text().map(encodeURIComponent) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('', ...real), badPercent, fc.constantFrom('', 'x', '%41')).map((parts) => parts.join('')) },
    { weight: 1, arbitrary: protoKey },
    { weight: 1, arbitrary: huge.map((s) => encodeURIComponent(s).slice(0, 6_000)) },
    // Not percent-encoded at all: raw UTF-8 in the request line (Node's parser may refuse it).
    { weight: 1, arbitrary: text(12).filter((s) => !/[\s?#/]/.test(s)) },
  );
}

const queryKey = fc.oneof(
  protoKey,
  protoKey.map((key) => `${key}[polluted]`),
  fc.constant('constructor[prototype][polluted]'),
  fc.constant('a[__proto__][b]'),
  badPercent,
  text(10).map(encodeURIComponent),
  fc.constantFrom('sign', 'rps', 'sysid', 'timestamp', 'signedValue', 'bizOrderNo', 'state'),
);
const queryValue = fc.oneof(text(20).map(encodeURIComponent), badPercent, fc.constantFrom('', '1', '%7B%22__proto__%22%3A1%7D', '{"__proto__":{"x":1}}'), huge.map((s) => s.slice(0, 3_000)));
const query = sometimes(0.4, fc.array(fc.tuple(queryKey, queryValue), { maxLength: 5 }).map((pairs) => `?${pairs.map(([k, v]) => `${k}=${v}`).join('&')}`));

const CONTENT_TYPES = {
  json: ['application/json', 'application/json; charset=utf-8', 'application/json; charset="UTF-8"'],
  form: ['application/x-www-form-urlencoded', 'application/x-www-form-urlencoded; charset=utf-8'],
  other: [
    'application/json; charset=latin1',
    'application/json; charset=utf-16le',
    'application/json; charset=x-nonsense',
    'application/json; charset=',
    'application/json;;;',
    'application/x-www-form-urlencoded; charset=gbk',
    'text/plain',
    'text/plain; charset=utf-8',
    'multipart/form-data; boundary=----x',
    'application/xml',
    'application/vnd.api+json',
    '*/*',
    'json',
    '',
    ';',
    'application/json, text/plain',
  ],
};

/** A body for a JSON route: valid shapes with wrong types, prototype keys, invalid JSON, huge, compressed. */
const anyValue = fc.oneof(fc.jsonValue({ maxDepth: 3 }), text(), huge.map((s) => s.slice(0, 5_000)), fc.constantFrom(null, true, 0, -1, 1e308, [], {}, '0', '123456', '13911000001'));
/** A value of the right kind now and then, of any kind otherwise (wrong types, huge, unicode). */
const mostly = <T>(right: fc.Arbitrary<T>) => fc.oneof({ weight: 3, arbitrary: right }, { weight: 1, arbitrary: anyValue });
const digits = (n: number) => fc.stringMatching(new RegExp(`^\\d{${n}}$`));
const phoneNumber = fc.oneof(fc.constantFrom('13911000000', '13911000001'), fc.stringMatching(/^1[3-9]\d{9}$/));
/** Extra fields a browser has no business sending (an amount, a payee) and prototype keys. */
const extras = fc.dictionary(fc.oneof(fc.constantFrom('amount', 'payee', 'fee', 'bizOrderNo', 'payerId', 'sysid'), protoKey), anyValue, { maxKeys: 2 });

/** The body each JSON route takes, its values mostly of the right kind. */
const SHAPES: Readonly<Record<string, fc.Arbitrary<Record<string, unknown>>>> = {
  '/api/checkout/orders/:id/payments': fc.oneof(
    fc.record({ method: mostly(fc.constantFrom('SCAN_WEIXIN', 'SCAN_ALIPAY', 'BALANCE', 'GATEWAY_VSP', 'WECHAT_PUBLIC', 'scan_weixin')) }),
    // Codes and cards that are no payment code and would not pay: a fuzz run pays nothing.
    fc.record({ method: fc.constant('CODEPAY_VSP'), authcode: mostly(fc.oneof(fc.constantFrom('', '0000', 'abc'), digits(3))) }),
    fc.record({ method: fc.constant('QUICKPAY_VSP'), bankCardNo: mostly(fc.oneof(fc.constantFrom('6228480402637874214'), digits(20))) }),
    fc.record({ method: fc.constant('GATEWAY_VSP'), gateid: mostly(digits(4)) }),
  ),
  '/api/checkout/payments/:id/confirm': fc.record({ verificationCode: mostly(digits(6)) }),
  '/api/checkout/payer/phone/code': fc.record({ phone: mostly(phoneNumber) }),
  '/api/checkout/payer/phone': fc.record({ phone: mostly(phoneNumber), verificationCode: mostly(digits(6)) }),
};

const protoObject = fc
  .tuple(protoKey, anyValue, fc.constantFrom('method', 'phone', 'verificationCode', 'polluted'))
  .map(([key, value, field]) => `{"${key}":{"${field}":${JSON.stringify(value) ?? 'null'},"prototype":{"polluted":true}},"${field}":${JSON.stringify(value) ?? 'null'}}`);
const jsonBody = fc.oneof(
  fc.oneof(...Object.values(SHAPES)).map((fields) => JSON.stringify(fields)),
  protoObject,
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '',
    '{',
    '{"method":',
    "{'method':'SCAN_WEIXIN'}",
    '{"method":"SCAN_WEIXIN",}',
    '{"a":NaN}',
    '{"a":1e999}',
    '[]',
    'null',
    '"string"',
    '\uFEFF{"method":"SCAN_WEIXIN"}',
    '{"method":"SCAN_WEIXIN"}{"method":"BALANCE"}',
    '{"__proto__":null}',
    '{"constructor":{"prototype":{"isAdmin":true}}}',
    `${'['.repeat(5_000)}${']'.repeat(5_000)}`,
    `{"x":"${'a'.repeat(20_000)}"}`,
  ),
  text(200),
);
/** A body for the platform's form routes: its fields with any value, rps of any JSON (prototype keys too), broken %-encoding. */
const formBody = fc.oneof(
  fc
    .record(
      {
        sysid: fc.oneof(fc.constantFrom('1902271423530473681', ''), text(20)),
        rps: fc.oneof(
          fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
          protoObject,
          fc.constantFrom('{"service":"OrderService","method":"pay","status":"OK","returnValue":{"bizOrderNo":"x","amount":1}}', '{"__proto__":{"status":"OK"}}'),
          text(),
        ),
        timestamp: fc.oneof(fc.constantFrom('2026-01-10 12:00:00', '1970-01-01 00:00:00', '9999-12-31 23:59:59'), text(20)),
        sign: fc.oneof(fc.base64String({ maxLength: 400 }), text(20)),
        signedValue: fc.oneof(fc.constantFrom('{"bizOrderNo":"x"}', '{"__proto__":{}}'), text()),
      },
      { requiredKeys: [] },
    )
    .map((fields) => new URLSearchParams(fields as Record<string, string>).toString()),
  fc.array(fc.tuple(queryKey, queryValue), { maxLength: 6 }).map((pairs) => pairs.map(([k, v]) => `${k}=${v}`).join('&')),
  fc.constantFrom('', '=', '&&&', 'a=%', 'rps=%E0%A4%A&sign=%zz', `rps=${'x'.repeat(70_000)}`),
  text(200),
);

/** Headers of a request: content type and encoding, language, payer, keys; sometimes duplicated, sometimes huge. */
function headersFor(route: Route): fc.Arbitrary<{ headers: [string, string][]; encoding: string | undefined }> {
  const own = route.reads === 'form' ? CONTENT_TYPES.form : CONTENT_TYPES.json;
  const payer = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...fixtures.payers) },
    { weight: 1, arbitrary: fc.constantFrom('fz-nobody', `${fixtures.payers[0]}x`) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );
  const headerValue = fc.oneof(text(60), fc.constantFrom('', ' ', 'en', 'zh', '*', 'null'));
  return fc
    .record({
      contentType: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...own) }, { weight: 3, arbitrary: fc.constantFrom(...CONTENT_TYPES.other) }, { weight: 1, arbitrary: fc.constant(undefined) }),
      encoding: sometimes(0.25, fc.constantFrom('gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip', 'GZIP', 'compress', 'zstd', '')),
      compress: fc.boolean(),
      language: sometimes(0.5, fc.oneof(fc.constantFrom('en', 'zh-CN,zh;q=0.9', 'en-US;q=0.1, zh;q=0.2', 'fr', '*', ';q=', 'en;q=abc'), text(30))),
      payer,
      idempotencyKey: sometimes(0.3, fc.oneof(fc.stringMatching(/^[\w.:-]{1,100}$/), text(30), huge.map((s) => s.slice(0, 4_000)))),
      lastEventId: sometimes(0.3, fc.oneof(fc.constantFrom('0', '-1', '1e309', '99999999999999999999', 'NaN', '0x10', ' 3'), text(10))),
      userAgent: sometimes(0.4, fc.oneof(fc.constantFrom('Mozilla/5.0 (iPhone) MicroMessenger/8.0', 'AlipayClient/10', 'curl/8'), text(80))),
      origin: sometimes(0.3, fc.constantFrom('same', 'https://evil.example', 'null', 'http://127.0.0.1')),
      forwarded: sometimes(0.2, fc.constantFrom('1.2.3.4', 'not-an-ip', '::1, 8.8.8.8', '[::ffff:1.2.3.4]')),
      duplicates: fc.array(fc.tuple(fc.constantFrom('content-type', 'accept-language', 'idempotency-key', 'last-event-id', 'user-agent', 'cookie', 'origin', 'content-encoding', 'accept'), headerValue), { maxLength: 3 }),
      pad: sometimes(0.15, fc.integer({ min: 1_000, max: 12_000 })),
    })
    .map((h) => {
      const headers: [string, string][] = [];
      if (h.contentType !== undefined) headers.push(['Content-Type', h.contentType]);
      if (h.encoding !== undefined && h.encoding !== null) headers.push(['Content-Encoding', h.encoding]);
      if (h.language !== null) headers.push(['Accept-Language', h.language]);
      if (h.payer !== undefined) headers.push(['X-Test-Payer', h.payer]);
      if (h.idempotencyKey !== null) headers.push(['Idempotency-Key', h.idempotencyKey]);
      if (h.lastEventId !== null) headers.push(['Last-Event-ID', h.lastEventId]);
      if (h.userAgent !== null) headers.push(['User-Agent', h.userAgent]);
      if (h.origin !== null) headers.push(['Origin', h.origin === 'same' ? stack.merchant.url : h.origin]);
      if (h.forwarded !== null) headers.push(['X-Forwarded-For', h.forwarded]);
      for (const duplicate of h.duplicates) headers.push(duplicate);
      if (h.pad !== null) headers.push(['X-Fuzz-Pad', 'p'.repeat(h.pad)]);
      // A gzip label on gzip bytes now and then, so a compressed body is read through, not only refused.
      return { headers, encoding: h.encoding === 'gzip' && h.compress ? 'gzip-real' : (h.encoding ?? undefined) };
    });
}

/** A request as a widget would send it, with the body's values varied: what reaches the services and the platform. */
function wellFormed(route: Route): fc.Arbitrary<RawRequest> {
  const targets: [string, string][] = route.param === 'order' ? [...fixtures.orders] : route.param === 'payment' ? [...fixtures.payments] : fixtures.payers.map((payer) => ['', payer]);
  const shape = SHAPES[route.template];
  return fc
    .record({
      method: fc.constantFrom(...route.methods),
      target: fc.constantFrom(...targets),
      body: shape ? fc.tuple(shape, sometimes(0.2, extras)).map(([fields, more]) => JSON.stringify({ ...more, ...fields })) : fc.constant(undefined),
      language: fc.constantFrom('en', 'zh-CN,zh;q=0.9'),
      key: sometimes(0.3, fc.stringMatching(/^[\w.:-]{1,40}$/)),
    })
    .map(({ method, target: [id, payer], body, language, key }) => ({
      method,
      path: route.template.replace(':id', encodeURIComponent(id)),
      headers: [
        ['Content-Type', route.reads === 'form' ? 'application/x-www-form-urlencoded' : 'application/json'],
        ['Accept-Language', language],
        ['X-Test-Payer', payer],
        ['Origin', stack.merchant.url],
        ...(key === null ? [] : ([['Idempotency-Key', key]] as const)),
      ],
      ...(body === undefined ? {} : { body: Buffer.from(body) }),
    }));
}

const ODD_METHODS = ['PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS', 'TRACE', 'PROPFIND', 'MKCOL', 'PURGE', 'M-SEARCH', 'LINK', 'SEARCH', 'GET', 'POST', 'FOO', 'get'];

function requestFor(route: Route): fc.Arbitrary<RawRequest> {
  return fc.oneof({ weight: 1, arbitrary: wellFormed(route) }, { weight: 2, arbitrary: wild(route) });
}

/** Anything at all: each part of the request drawn on its own. */
function wild(route: Route): fc.Arbitrary<RawRequest> {
  const ids = route.param === 'order' ? [...fixtures.orders.keys()] : [...fixtures.payments.keys()];
  const body = route.reads === 'json' ? jsonBody : route.reads === 'form' ? formBody : sometimes(0.3, fc.oneof(jsonBody, formBody));
  return fc
    .record({
      method: fc.oneof({ weight: 8, arbitrary: fc.constantFrom(...route.methods) }, { weight: 2, arbitrary: fc.constantFrom(...ODD_METHODS) }),
      id: route.param ? segment(ids) : fc.constant(''),
      query,
      head: headersFor(route),
      body,
      chunked: fc.boolean(),
    })
    .map(({ method, id, query: search, head, body: content, chunked }) => {
      let bytes = content === null || content === undefined ? undefined : Buffer.from(content, 'utf8');
      if (bytes && head.encoding === 'gzip-real') bytes = gzipSync(bytes);
      return { method, path: route.template.replace(':id', id) + (search ?? ''), headers: head.headers, ...(bytes ? { body: bytes, chunked: chunked && bytes.length % 3 === 0 } : {}) };
    });
}

// ---- properties -------------------------------------------------------------------------------------------------------

/** A stack frame, a source file with its line, or a path on this machine. */
const STACK_TRACE = /\n\s+at |\bat [\w.$<>]+ \(|\b[\w-]+\.(?:ts|js|mjs|cjs):\d+|(?:file:\/\/|\/(?:work|home|root|tmp|usr)\/)[\w./-]+|node_modules/;

/** How often each route answered each status and code: what the fuzz reached (printed as a diagnostic). */
const outcomes = new Map<string, number>();
const counts = { requests: 0, fiveXx: 0, badErrorBodies: 0, stackTraces: 0, badNotifyAnswers: 0, badReturns: 0, noAnswer: 0, parserRefusals: 0 };

/** Node's HTTP parser refusing the request before any app code runs: a bare status line and no body (400, 413, 431…). */
function isParserRefusal(answer: RawAnswer): boolean {
  return answer.body.length === 0 && answer.headers['content-type'] === undefined && [400, 413, 414, 431, 501, 505].includes(answer.status);
}

function isErrorBody(answer: RawAnswer): boolean {
  if (!/^application\/json/.test(answer.headers['content-type']?.[0] ?? '')) return false;
  try {
    const { error } = JSON.parse(answer.text) as { error?: { code?: unknown; message?: unknown } };
    return (
      typeof error?.code === 'string' &&
      /^[a-z][a-z0-9_.]*$/.test(error.code) &&
      typeof error.message === 'string' &&
      // zh or en, as the client asked (errors.ts CheckoutError#toBody)
      (/[\u4e00-\u9fff]/.test(error.message) || /^[\x20-\x7e\u2018-\u201d\u2013\u2014\u2026]+$/.test(error.message))
    );
  } catch {
    return false;
  }
}

/** What is wrong with an answer (empty when nothing); counts it. */
function judge(request: RawRequest, answer: RawAnswer | undefined): string[] {
  counts.requests++;
  if (!answer || answer.status === 0) {
    counts.noAnswer++;
    return ['no answer'];
  }
  const code = /"code":"([^"]+)"/.exec(answer.text)?.[1];
  const outcome = `${request.path.split('?')[0]!.replace(/\/api\/checkout\/(orders|payments)\/[^/]+/, '/api/checkout/$1/:id')} ${answer.status}${code ? ` ${code}` : ''}`;
  outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  const wrong: string[] = [];
  if (answer.status >= 500) {
    counts.fiveXx++;
    wrong.push(`HTTP ${answer.status}`);
  }
  if (isParserRefusal(answer)) {
    counts.parserRefusals++;
    return wrong;
  }
  const head = Object.entries(answer.headers)
    .map(([name, values]) => `${name}: ${values.join(', ')}`)
    .join('\n');
  if (STACK_TRACE.test(answer.text) || STACK_TRACE.test(head)) {
    counts.stackTraces++;
    wrong.push('a stack trace or file path in the answer');
  }
  const pathname = request.path.split('?')[0]!;
  if (pathname.startsWith('/api/checkout/') && answer.status >= 400 && request.method !== 'HEAD' && !isErrorBody(answer)) {
    counts.badErrorBodies++;
    wrong.push('an API error body that is not {error: {code, message}}');
  }
  if (pathname === '/yunst/notify' && request.method === 'POST') {
    const plain = /^text\/plain/.test(answer.headers['content-type']?.[0] ?? '');
    const understood = answer.status === 200 ? answer.text === 'success' : /^[a-z][a-z0-9_.]*$/.test(answer.text) && answer.text !== 'success';
    if (!plain || !understood) {
      counts.badNotifyAnswers++;
      wrong.push('a notify answer the platform does not understand');
    }
  }
  if (pathname === '/yunst/return' && /^[A-Z-]+$/.test(request.method)) {
    const location = answer.headers.location?.[0] ?? '';
    const resultUrl = `${stack.merchant.url}/checkout/result`;
    if (answer.status !== 303 || !location.startsWith(resultUrl) || !new URL(location).searchParams.get('state')) {
      counts.badReturns++;
      wrong.push('a return that is not a 303 to the result page');
    }
  }
  return wrong;
}

const describeRequest = (request: RawRequest) =>
  `${request.method} ${request.path.slice(0, 300)}${request.path.length > 300 ? '…' : ''} ${JSON.stringify(request.headers?.map(([n, v]) => [n, v.slice(0, 80)]))} body ${request.body?.subarray(0, 200).toString('utf8') ?? '(none)'}`;

describe('fuzzing every route of the BFF over raw HTTP', () => {
  it(`never a 5xx, errors in the API's shape, no stack traces, callbacks answered as the platform and a browser need (seed ${SEED}, ${RUNS} runs per route)`, async (t) => {
    t.diagnostic(`fuzz seed ${SEED} (replay: TSY_FUZZ_SEED=${SEED} TSY_FUZZ_RUNS=${RUNS})`);
    for (const [index, route] of ROUTES.entries()) {
      const details = await fc.check(
        fc.asyncProperty(requestFor(route), async (request) => {
          const answer = await rawRequest(stack.merchant.url, request);
          const wrong = judge(request, answer);
          if (wrong.length) {
            samples.push(`${wrong.join('; ')}\n  request: ${describeRequest(request)}\n  answer: HTTP ${answer?.status} ${answer?.text.slice(0, 300)}`);
            if (!KEEP_GOING) throw new Error(wrong.join('; '));
          }
        }),
        { seed: SEED + index, numRuns: RUNS },
      );
      // fast-check's own report prints the whole counterexample (bodies of 70 kB): this one is short, and replayable.
      if (details.failed) {
        assert.fail(`${route.methods.join('|')} ${route.template}: ${details.errorInstance instanceof Error ? details.errorInstance.message : String(details.errorInstance)} (seed ${details.seed}, path ${details.counterexamplePath}); shrunk: ${samples.at(-1)}`);
      }
    }
    t.diagnostic(`answers: ${[...outcomes].filter(([, n]) => n >= 3).sort(([a], [b]) => a.localeCompare(b)).map(([outcome, n]) => `${outcome} ×${n}`).join(', ')}`);
    if (samples.length) assert.fail(`${samples.length} wrong answers:\n${[...new Set(samples)].slice(0, 20).join('\n')}`);
  });

  it('afterwards the server answers as before, and no fixture payment changed state', async () => {
    const [payer] = fixtures.payers;
    const [orderId] = fixtures.orders.keys();
    const described = await api(stack.merchant.url, `/api/checkout/orders/${orderId}`, { headers: { 'x-test-payer': payer! } });
    assert.equal(described.status, 200, JSON.stringify(described.body));
    assert.equal(typeof described.body.amount, 'number');
    const after_ = await snapshot();
    let changed = 0;
    for (const [bizOrderNo, was] of before_) {
      const now = after_.get(bizOrderNo)!;
      if (now.state !== was.state || now.events !== was.events) changed++;
      const read = await api(stack.merchant.url, `/api/checkout/payments/${bizOrderNo}`, { headers: { 'x-test-payer': fixtures.payments.get(bizOrderNo)! } });
      assert.equal(read.status, 200, JSON.stringify(read.body));
    }
    assert.ok(!Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted') && ({} as Record<string, unknown>).polluted === undefined, 'no prototype pollution in the test process');
    tally('fuzz', {
      requests: [counts.requests, 'info'],
      'refused by Node’s HTTP parser (no app code ran)': [counts.parserRefusals, 'info'],
      '5xx': [counts.fiveXx, 'zero'],
      'error bodies not {error:{code,message}}': [counts.badErrorBodies, 'zero'],
      'stack traces in bodies': [counts.stackTraces, 'zero'],
      'notify answers not platform text': [counts.badNotifyAnswers, 'zero'],
      'returns not a 303 to the result page': [counts.badReturns, 'zero'],
      'requests without an answer': [counts.noAnswer, 'zero'],
      'fixture payments changed': [changed, 'zero'],
    });
    assert.equal(changed, 0, 'fuzz input changed a payment');
    assert.ok(counts.requests >= ROUTES.length * RUNS, `${counts.requests} requests`);
    assert.deepEqual([counts.fiveXx, counts.badErrorBodies, counts.stackTraces, counts.badNotifyAnswers, counts.badReturns, counts.noAnswer], [0, 0, 0, 0, 0, 0]);
    assert.equal(logs.filter((line) => line.includes('unexpected error')).length, 0, 'an error nobody anticipated was logged');
  });
});
