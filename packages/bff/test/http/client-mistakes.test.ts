// Client mistakes the HTTP layer meets before any checkout code runs — a path that is not percent-encoded UTF-8, a
// charset other than UTF-8, a Content-Encoding that is unknown or whose bytes do not decode — are the client's: a 4xx with
// a stable code and a zh/en message, never a 5xx, never a stack trace in the log. Every route, GET and POST.
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { STACK_FRAME, logText, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly text: string;
}

/** A raw HTTP request: the path and the body bytes exactly as given (fetch would normalise both). */
function send(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer): Promise<Answer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, method, path, headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Every route of the router, with `:id` where a path parameter goes. */
const ROUTES = [
  '/api/checkout/orders/:id',
  '/api/checkout/orders/:id/payments',
  '/api/checkout/payments/:id',
  '/api/checkout/payments/:id/events',
  '/api/checkout/payments/:id/confirm',
  '/api/checkout/payments/:id/sms',
  '/api/checkout/payments/:id/gateway',
  '/api/checkout/payer/phone/code',
  '/api/checkout/payer/phone',
  '/yunst/notify',
  '/yunst/return',
];
const BAD_PATH_ENCODINGS = ['%ff', '%', 'a%', '%C0%AE', '%E0%A4%A', '%zz'];

const json = Buffer.from('{"method":"SCAN_WEIXIN","phone":"13600000001"}');
const form = Buffer.from('sysid=1&rps=%7B%7D&timestamp=2026-01-01+00%3A00%3A00&sign=x');
const BAD_BODIES: { what: string; headers: Record<string, string>; body: Buffer; status: number; code: string }[] = [
  { what: 'JSON in latin-9', headers: { 'content-type': 'application/json; charset=latin-9' }, body: json, status: 415, code: 'unsupported_charset' },
  { what: 'JSON in utf-16', headers: { 'content-type': 'application/json; charset=utf-16' }, body: json, status: 415, code: 'unsupported_charset' },
  // Not the IANA name: refused alike by the JSON and the form routes.
  { what: 'JSON in "utf8"', headers: { 'content-type': 'application/json; charset=utf8' }, body: json, status: 415, code: 'unsupported_charset' },
  { what: 'JSON in a made-up charset', headers: { 'content-type': 'application/json; charset=x-nonsense' }, body: json, status: 415, code: 'unsupported_charset' },
  { what: 'form in utf-16', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-16' }, body: form, status: 415, code: 'unsupported_charset' },
  { what: 'form in gbk', headers: { 'content-type': 'application/x-www-form-urlencoded; charset=gbk' }, body: form, status: 415, code: 'unsupported_charset' },
  { what: 'gzip that is not gzip', headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' }, body: json, status: 400, code: 'bad_content_encoding' },
  { what: 'deflate that is not deflate', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'deflate' }, body: form, status: 400, code: 'bad_content_encoding' },
  { what: 'truncated br', headers: { 'content-type': 'application/json', 'content-encoding': 'br' }, body: brotliCompressSync(json).subarray(0, 8), status: 400, code: 'bad_content_encoding' },
  { what: 'truncated gzip form', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'gzip' }, body: gzipSync(form).subarray(0, 12), status: 400, code: 'bad_content_encoding' },
  { what: 'x-unknown encoding', headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, body: json, status: 415, code: 'unsupported_encoding' },
  { what: 'x-unknown encoding on a form', headers: { 'content-type': 'application/x-www-form-urlencoded', 'content-encoding': 'x-unknown' }, body: form, status: 415, code: 'unsupported_encoding' },
];
/** Routes that read a body: the rest ignore one. */
const READS_JSON = new Set(['/api/checkout/orders/:id/payments', '/api/checkout/payments/:id/confirm', '/api/checkout/payer/phone/code', '/api/checkout/payer/phone']);
const READS_FORM = new Set(['/yunst/notify', '/yunst/return']);

let sandbox: Sandbox;
let merchant: Merchant;
before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({ sandboxUrl: sandbox.url });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

/** A JSON error body as the API promises it; also: nothing that looks like a stack or an internal message. */
function assertErrorBody(answer: Answer, code: string, language: 'en' | 'zh', what: string): void {
  assert.match(String(answer.headers['content-type']), /^application\/json/, what);
  const body = JSON.parse(answer.text) as { error: { code: string; message: string } };
  assert.equal(body.error.code, code, what);
  assert.equal(typeof body.error.message, 'string', what);
  assert.match(body.error.message, language === 'zh' ? /[\u4e00-\u9fff]/ : /^[\x20-\x7e’]+$/, `${what}: message in ${language}`);
  assert.doesNotMatch(answer.text, STACK_FRAME, what);
}

describe('client mistakes are 4xx, never 5xx', () => {
  it('a path parameter that is not percent-encoded UTF-8: 400 bad_path_encoding on every route that takes one', async () => {
    let checked = 0;
    for (const route of ROUTES.filter((r) => r.includes(':id'))) {
      for (const bad of BAD_PATH_ENCODINGS) {
        for (const method of ['GET', 'POST']) {
          const path = route.replace(':id', bad);
          const language = checked % 2 ? 'zh' : 'en';
          const answer = await send(merchant.url, method, path, { 'accept-language': language, 'content-type': 'application/json' }, method === 'POST' ? Buffer.from('{}') : undefined);
          const what = `${method} ${path}`;
          assert.ok(answer.status < 500, `${what}: HTTP ${answer.status} ${answer.text}`);
          // A method the route does not take never reaches the router's handlers: the host app's 404.
          if (answer.status !== 404) {
            assert.equal(answer.status, 400, what);
            assertErrorBody(answer, 'bad_path_encoding', language, what);
          }
          checked++;
        }
      }
    }
    assert.ok(checked >= 80);
    assert.doesNotMatch(logText(merchant.logs), STACK_FRAME);
    assert.doesNotMatch(logText(merchant.logs), /"stack"|URIError/);
  });

  it('an unsupported charset or a Content-Encoding that is unknown or broken: 415/400 with a stable code on every route', async () => {
    let checked = 0;
    for (const route of ROUTES) {
      for (const bad of BAD_BODIES) {
        for (const method of ['GET', 'POST']) {
          const path = route.replace(':id', 'TSY-NO-SUCH-PAYMENT');
          const language = checked % 2 ? 'zh' : 'en';
          const answer = await send(merchant.url, method, path, { 'accept-language': language, ...bad.headers }, bad.body);
          const what = `${method} ${path} with ${bad.what}`;
          assert.ok(answer.status < 500, `${what}: HTTP ${answer.status} ${answer.text}`);
          checked++;
          if (method !== 'POST') continue;
          const reads = bad.headers['content-type']!.startsWith('application/json') ? READS_JSON.has(route) : READS_FORM.has(route);
          if (!reads) continue;
          if (route === '/yunst/return') {
            // A person's browser: the result page, whatever went wrong.
            assert.equal(answer.status, 303, what);
            assert.equal(new URL(String(answer.headers.location)).searchParams.get('state'), 'unknown', what);
          } else if (route === '/yunst/notify') {
            assert.equal(answer.status, bad.status, what);
            assert.equal(answer.text, bad.code, `${what}: the platform gets the code alone`);
          } else {
            assert.equal(answer.status, bad.status, what);
            assertErrorBody(answer, bad.code, language, what);
          }
        }
      }
    }
    assert.ok(checked >= 200);
    assert.doesNotMatch(logText(merchant.logs), STACK_FRAME);
    assert.doesNotMatch(logText(merchant.logs), /"stack"/);
  });

  it('UTF-8, in any case and quoted or not, is accepted; so is no charset and a real gzip body', async () => {
    for (const charset of ['utf-8', 'UTF-8', '"utf-8"']) {
      const answer = await send(merchant.url, 'POST', '/api/checkout/orders/SO-NONE/payments', { 'accept-language': 'en', 'content-type': `application/json; charset=${charset}` }, json);
      assert.equal(answer.status, 404, `${charset}: ${answer.text}`);
      assertErrorBody(answer, 'not_found', 'en', charset);
    }
    const labelOnly = await send(merchant.url, 'GET', '/api/checkout/orders/SO-NONE', { 'accept-language': 'en', 'content-type': 'application/json; charset=latin-9' });
    assert.equal(labelOnly.status, 404, 'a charset on no body is not refused');
    const plain = await send(merchant.url, 'POST', '/api/checkout/orders/SO-NONE/payments', { 'accept-language': 'en', 'content-type': 'application/json' }, json);
    assert.equal(plain.status, 404);
    const gzipped = await send(merchant.url, 'POST', '/api/checkout/orders/SO-NONE/payments', { 'accept-language': 'en', 'content-type': 'application/json', 'content-encoding': 'gzip' }, gzipSync(json));
    assert.equal(gzipped.status, 404, 'a real gzip body is read');
  });
});
