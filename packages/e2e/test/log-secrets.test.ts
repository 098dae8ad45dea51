// Nothing secret reaches a log: a run through every route and every error path — a scan payment paid, an SMS payment with
// wrong and right codes and a resend, a card payment, a payment code, phone codes and binding with wrong and right codes,
// a gateway form, a forged notification, bad returns, client mistakes, a platform refusal — with every line of the BFF's
// `log` hook, the sandbox's `log`, and the process's stdout/stderr captured, then searched for the merchant key's password,
// key material, the SMS codes, full phone numbers, card numbers and payment codes. A known-bad line proves the search finds
// each kind.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { formatCstTimestamp, loadMerchantKey, signSource, type MerchantKey } from '@tsy/yunst';
import { NO_RECONCILIATION, startCheckoutStack, walletAction, type CheckoutStack } from '@tsy/testing';
import { SYSID, api, eventually, readStateEvents, testKeys } from '../src/harness.js';
import { rawRequest } from '../src/raw-http.js';
import { tally } from '../src/tally.js';

/** Every line anything wrote while the run went: the BFF's log hook, the sandbox's, the process's own output. */
const captured: string[] = [];
let stack: CheckoutStack;
const restoreOutput: (() => void)[] = [];

/** Tees a stream's writes into `captured` (the test runner's own output passes through untouched). */
function capture(stream: NodeJS.WriteStream): void {
  const write = stream.write.bind(stream);
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    captured.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8'));
    return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof stream.write;
  restoreOutput.push(() => (stream.write = write as typeof stream.write));
}

before(async () => {
  capture(process.stdout);
  capture(process.stderr);
  stack = await startCheckoutStack({
    methods: { SCAN_WEIXIN: {}, BALANCE: { accountSetNo: '400193' }, GATEWAY_VSP: { paytype: 'B2C' }, QUICKPAY_VSP: {}, CODEPAY_VSP: {} },
    reconciliation: NO_RECONCILIATION,
    config: { timeoutMs: 2000 },
    // The BFF's default log writes this very JSON line to stdout/stderr (checkout/index.ts): the same text is searched.
    log: (level, message, fields) => captured.push(JSON.stringify({ level, message, ...fields })),
    // A low daily limit, so the platform refuses a payment (spec §4.2.1 note 5) within the run.
    sandbox: { log: (line) => captured.push(line), dailyOrderLimit: 4 },
  });
});
after(async () => {
  await stack?.close();
  for (const restore of restoreOutput) restore();
});

// ---- what must never appear ---------------------------------------------------------------------------------------------

/** Passes the Luhn check (what makes a digit run look like a card number). */
function luhn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let digit = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
    sum += digit;
  }
  return sum % 10 === 0;
}
/** A card number: `prefix` plus its Luhn check digit. */
function cardNumber(prefix: string): string {
  for (let check = 0; check <= 9; check++) if (luhn(prefix + check)) return prefix + check;
  throw new Error('unreachable');
}

/** Base64 windows of 32 characters at every 32nd offset: any 64-character run of the base64 text contains one. */
function base64Windows(bytes: Buffer): string[] {
  const text = bytes.toString('base64');
  const windows: string[] = [];
  for (let at = 0; at + 32 <= text.length; at += 32) windows.push(text.slice(at, at + 32));
  return windows;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** A number as a whole word: not part of a longer digit run (a code inside an order number is no hit). */
const wholeNumber = (digits: string) => new RegExp(`(?<!\\d)${escape(digits)}(?!\\d)`, 'g');

interface Secrets {
  password: string[];
  keyMaterial: string[];
  smsCodes: Set<string>;
  phones: Set<string>;
  cards: Set<string>;
  paymentCodes: Set<string>;
}

function secretsOfKeys(): Pick<Secrets, 'password' | 'keyMaterial'> {
  const keys = testKeys();
  const pfx = readFileSync(keys.merchantPfx);
  const merchantKey = loadMerchantKey(keys.merchantPfx, keys.password).privateKey;
  const platformKey = loadMerchantKey(keys.platformKey).privateKey;
  const keyMaterial = [
    ...base64Windows(pfx),
    ...[merchantKey, platformKey].flatMap((key) => [...base64Windows(key.export({ type: 'pkcs8', format: 'der' })), ...base64Windows(key.export({ type: 'pkcs1', format: 'der' }))]),
    // The PEM file's own lines (what a careless `readFileSync(...).toString()` would print).
    ...readFileSync(keys.platformKey, 'utf8')
      .split('\n')
      .filter((line) => line.length >= 32 && !line.startsWith('-----')),
  ];
  return { password: [...new Set([keys.password, readFileSync(keys.merchantPfxPassword, 'utf8').trim()])], keyMaterial };
}

/** Hits per kind of secret in `text`. */
function search(text: string, secrets: Secrets): Record<string, number> {
  const count = (pattern: string | RegExp) => (typeof pattern === 'string' ? text.split(pattern).length - 1 : (text.match(pattern) ?? []).length);
  const sum = (patterns: Iterable<string | RegExp>) => [...patterns].reduce((total, pattern) => total + count(pattern), 0);
  const digitRuns = (min: number, max: number) => [...text.matchAll(new RegExp(`(?<!\\d)\\d{${min},${max}}(?!\\d)`, 'g'))].map((match) => match[0]);
  const digitTokens = (min: number, max: number) => [...text.matchAll(new RegExp(`(?<![\\dA-Za-z])\\d{${min},${max}}(?![\\dA-Za-z])`, 'g'))].map((match) => match[0]);
  return {
    'merchant key password': sum(secrets.password),
    'key material': sum(secrets.keyMaterial),
    'SMS codes': sum([...secrets.smsCodes].map(wholeNumber)),
    'phone numbers used': sum([...secrets.phones].map(wholeNumber)),
    // Any mobile number at all, not only the ones this run used (a masked 139****0001 is not one).
    'full phone numbers': digitRuns(11, 11).filter((run) => /^1[3-9]/.test(run)).length,
    'card numbers used': sum([...secrets.cards].map(wholeNumber)),
    // Any 16–19 digit token that passes Luhn, except the application number (sysid), which is no secret. A token: not
    // inside a longer word — a bizOrderNo (TSY, a timestamp, random hex) holds a digit run that passes one time in ten. A
    // card number glued to letters is then no hit here: the card numbers this run used are still looked for anywhere.
    'Luhn-valid digit runs': digitTokens(16, 19).filter((run) => run !== SYSID && luhn(run)).length,
    'payment codes': sum([...secrets.paymentCodes].map(wholeNumber)),
  };
}

// ---- the run ------------------------------------------------------------------------------------------------------------

const run = `ls${process.pid}`;
const PHONES = ['13922220001', '13922220002', '13922220003'];
const CARD = cardNumber('622848040263787421');
/** A WeChat payment code (18 digits from 10–15); the sandbox settles it at once. */
const PAYMENT_CODE = '134512345678901234';

async function smsCodesOf(phone: string): Promise<string[]> {
  const response = await fetch(`${stack.sandbox.url}/sandbox/sms?format=json&phone=${encodeURIComponent(phone)}`);
  return ((await response.json()) as { code: string }[]).map((message) => message.code);
}

describe('logs carry no secrets', () => {
  it('a run through every route and error path writes no password, key, SMS code, phone or card number', async () => {
    const { merchant, sandbox } = stack;
    const base = merchant.url;
    const typed = new Set<string>();
    const as = (payer: string) => ({ 'x-test-payer': payer, origin: base });
    const orderFor = (payer: string, amount = 1234) => {
      const id = `SO-${run}-${merchant.orders.size + 1}`;
      merchant.orders.set(id, { amount, subject: '龙井茶 Longjing tea', payer: { bizUserId: payer } });
      return id;
    };
    const statuses: Record<string, number> = {};
    // What the browser got back: searched as the logs are (the house rule says "a log or a browser").
    const answers: string[] = [];
    const expect = async (what: string, status: number, promise: Promise<{ status: number; body: any }>) => {
      const answer = await promise;
      statuses[what] = answer.status;
      answers.push(JSON.stringify(answer.body ?? null));
      assert.equal(answer.status, status, `${what}: ${JSON.stringify(answer.body)}`);
      return answer.body;
    };
    const [a, b, c] = ['a', 'b', 'c'].map((name) => `${run}-${name}`) as [string, string, string];

    // Phone codes and binding: a malformed phone, a wrong code, the right one.
    for (const [payer, phone] of [[a, PHONES[0]!], [b, PHONES[1]!], [c, PHONES[2]!]] as const) {
      await expect('phone code', 200, api(base, '/api/checkout/payer/phone/code', { body: { phone }, headers: as(payer) }));
      const [code] = await smsCodesOf(phone);
      const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
      typed.add(wrong);
      const refused = await api(base, '/api/checkout/payer/phone', { body: { phone, verificationCode: wrong }, headers: as(payer) });
      assert.ok(refused.status >= 400 && refused.status < 500, `wrong bind code: ${JSON.stringify(refused.body)}`);
      await expect('bind', 200, api(base, '/api/checkout/payer/phone', { body: { phone, verificationCode: code }, headers: as(payer) }));
    }
    await expect('malformed phone', 400, api(base, '/api/checkout/payer/phone/code', { body: { phone: '1392222' }, headers: as(a) }));
    await expect('no payer', 401, api(base, '/api/checkout/payer/phone/code', { body: { phone: PHONES[0] } }));

    // A scan payment, paid in the wallet, followed over SSE.
    const scanOrder = orderFor(a);
    await expect('describe order', 200, api(base, `/api/checkout/orders/${scanOrder}`, { headers: as(a) }));
    const scan = await expect('scan payment', 201, api(base, `/api/checkout/orders/${scanOrder}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { ...as(a), 'idempotency-key': `${run}-scan` } }));
    const stream = readStateEvents(`${base}/api/checkout/payments/${scan.bizOrderNo}/events`, (data) => data.state === 'success', as(a));
    assert.equal(await walletAction(scan.action.payInfo, 'pay'), 200);
    assert.deepEqual((await stream).map((event) => event.data.state).at(-1), 'success');
    await expect('payment read', 200, api(base, `/api/checkout/payments/${scan.bizOrderNo}`, { headers: as(a) }));
    await expect('confirm on a scan payment', 409, api(base, `/api/checkout/payments/${scan.bizOrderNo}/confirm`, { body: { verificationCode: '123456' }, headers: as(a) }));
    typed.add('123456');
    await expect('order paid', 409, api(base, `/api/checkout/orders/${scanOrder}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: as(a) }));

    // An SMS payment (BALANCE): a malformed code, a wrong one, a resend too soon, the right one.
    const sms = await expect('sms payment', 201, api(base, `/api/checkout/orders/${orderFor(b, 2500)}/payments`, { body: { method: 'BALANCE' }, headers: as(b) }));
    const [smsCode] = await smsCodesOf(PHONES[1]!);
    const wrongSms = String((Number(smsCode) + 1) % 1_000_000).padStart(6, '0');
    typed.add(wrongSms);
    await expect('malformed code', 400, api(base, `/api/checkout/payments/${sms.bizOrderNo}/confirm`, { body: { verificationCode: 'abc' }, headers: as(b) }));
    await expect('wrong code', 422, api(base, `/api/checkout/payments/${sms.bizOrderNo}/confirm`, { body: { verificationCode: wrongSms }, headers: as(b) }));
    await expect('resend too soon', 429, api(base, `/api/checkout/payments/${sms.bizOrderNo}/sms`, { method: 'POST', headers: as(b) }));
    const confirmed = await expect('right code', 200, api(base, `/api/checkout/payments/${sms.bizOrderNo}/confirm`, { body: { verificationCode: smsCode }, headers: as(b) }));
    assert.equal(confirmed.state, 'success');

    // A card payment (its number is encrypted for the platform) confirmed by SMS, and a payment code paid at once.
    const card = await expect('card payment', 201, api(base, `/api/checkout/orders/${orderFor(c)}/payments`, { body: { method: 'QUICKPAY_VSP', bankCardNo: CARD }, headers: as(c) }));
    if (card.action?.type === 'sms') {
      const [cardCode] = await smsCodesOf(PHONES[2]!);
      await expect('card confirm', 200, api(base, `/api/checkout/payments/${card.bizOrderNo}/confirm`, { body: { verificationCode: cardCode }, headers: as(c) }));
    }
    await expect('malformed card', 400, api(base, `/api/checkout/orders/${orderFor(c)}/payments`, { body: { method: 'QUICKPAY_VSP', bankCardNo: `${CARD}0000` }, headers: as(c) }));
    await expect('payment code', 201, api(base, `/api/checkout/orders/${orderFor(c)}/payments`, { body: { method: 'CODEPAY_VSP', authcode: PAYMENT_CODE }, headers: as(c) }));
    await expect('payment code again', 409, api(base, `/api/checkout/orders/${orderFor(c)}/payments`, { body: { method: 'CODEPAY_VSP', authcode: PAYMENT_CODE }, headers: as(c) }));
    await expect('not a payment code', 400, api(base, `/api/checkout/orders/${orderFor(c)}/payments`, { body: { method: 'CODEPAY_VSP', authcode: '999999999999999999' }, headers: as(c) }));

    // A gateway payment's signed form.
    const gateway = await expect('gateway payment', 201, api(base, `/api/checkout/orders/${orderFor(a)}/payments`, { body: { method: 'GATEWAY_VSP' }, headers: as(a) }));
    await expect('gateway form', 200, api(base, `/api/checkout/payments/${gateway.bizOrderNo}/gateway`, { method: 'POST', headers: as(a) }));

    // The platform refuses: the payer is past the sandbox's daily order limit.
    let refusal: any;
    for (let i = 0; i < 6 && !refusal; i++) {
      const answer = await api(base, `/api/checkout/orders/${orderFor(a)}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: as(a) });
      if (answer.status !== 201) refusal = answer;
    }
    assert.equal(refusal?.status, 422, JSON.stringify(refusal?.body));
    assert.match(refusal.body.error.code, /^yunst\./);

    // A forged notification (signed with a stranger's key) and a tampered one; returns that verify nothing.
    const stranger: MerchantKey = { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };
    const rps = JSON.stringify({ service: 'OrderService', method: 'pay', status: 'OK', returnValue: { bizOrderNo: gateway.bizOrderNo, orderNo: 'X', amount: 1, payDatetime: formatCstTimestamp(), buyerBizUserId: a } });
    const timestamp = formatCstTimestamp();
    const forged = new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, stranger) }).toString();
    const notify = (body: string) => fetch(`${base}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body }).then(async (r) => ({ status: r.status, body: await r.text() }));
    await expect('forged notification', 400, notify(forged));
    await expect('unsigned notification', 400, notify(new URLSearchParams({ sysid: SYSID, rps, timestamp }).toString()));
    for (const search of ['', `?${forged}`, '?signedValue=%7B%22bizOrderNo%22%3A%22x%22%7D&sign=AAAA', '?rps=%ff']) {
      const back = await fetch(`${base}/yunst/return${search}`, { redirect: 'manual' });
      assert.equal(back.status, 303);
      assert.equal(new URL(back.headers.get('location')!).searchParams.get('state'), 'unknown');
    }
    const posted = await fetch(`${base}/yunst/return`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: forged, redirect: 'manual' });
    assert.equal(posted.status, 303);

    // Client mistakes the HTTP layer answers.
    const raw = (method: string, path: string, headers: [string, string][], body?: Buffer) => rawRequest(base, { method, path, headers: [['Origin', base], ['X-Test-Payer', a], ...headers], ...(body ? { body } : {}) });
    const mistakes = await Promise.all([
      raw('GET', '/api/checkout/orders/%ff', []),
      raw('POST', `/api/checkout/orders/${scanOrder}/payments`, [['Content-Type', 'application/json; charset=latin1']], Buffer.from('{"method":"SCAN_WEIXIN"}')),
      raw('POST', `/api/checkout/orders/${scanOrder}/payments`, [['Content-Type', 'application/json']], Buffer.from(`{"method":"SCAN_WEIXIN","phone":"${PHONES[0]}",`)),
      raw('POST', `/api/checkout/orders/${scanOrder}/payments`, [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], Buffer.from('not gzip')),
      raw('POST', `/api/checkout/orders/${scanOrder}/payments`, [['Content-Type', 'application/json'], ['Content-Encoding', 'x-unknown']], Buffer.from('{}')),
      raw('POST', `/api/checkout/payments/${sms.bizOrderNo}/confirm`, [['Content-Type', 'application/json'], ['Content-Encoding', 'gzip']], gzipSync(`{"verificationCode":"${smsCode}","x":"${'y'.repeat(40_000)}"}`)),
      raw('POST', '/yunst/notify', [['Content-Type', 'application/x-www-form-urlencoded'], ['Content-Encoding', 'deflate']], Buffer.from(forged)),
      // No route takes DELETE, but every method that is not GET, HEAD or OPTIONS is held to the CSRF rule first: 415.
      raw('DELETE', `/api/checkout/payments/${sms.bizOrderNo}`, []),
      raw('GET', '/api/checkout/nothing', []),
    ]);
    for (const answer of mistakes) answers.push(answer?.text ?? '');
    assert.deepEqual(
      mistakes.map((answer) => answer?.status),
      [400, 415, 400, 400, 415, 413, 400, 415, 404],
    );

    // Every SMS code the platform sent in the run, and the ones typed.
    const smsCodes = new Set<string>(typed);
    for (const phone of PHONES) for (const code of await smsCodesOf(phone)) smsCodes.add(code);
    assert.ok(smsCodes.size >= PHONES.length + 2, `${smsCodes.size} codes`);
    // Let the notifications and event deliveries of the run finish writing their lines.
    await eventually(() => merchant.events.some((event) => event.bizOrderNo === scan.bizOrderNo) || undefined, 5000, 'the scan payment’s event');

    const secrets: Secrets = { ...secretsOfKeys(), smsCodes, phones: new Set(PHONES), cards: new Set([CARD]), paymentCodes: new Set([PAYMENT_CODE]) };
    for (const restore of restoreOutput.splice(0)) restore();
    const text = captured.join('\n');
    const hits = search(text, secrets);
    const total = Object.values(hits).reduce((sum, n) => sum + n, 0);
    const answerHits = search(answers.join('\n'), secrets);
    const answerTotal = Object.values(answerHits).reduce((sum, n) => sum + n, 0);

    // The known-bad control: the same search over a line that does carry a password, a code, a phone, a card, a key.
    const [oneCode] = smsCodes;
    const leaky = JSON.stringify({ level: 'info', message: 'confirm', password: secrets.password[0], verificationCode: oneCode, phone: PHONES[0], bankCardNo: CARD, authcode: PAYMENT_CODE, key: readFileSync(testKeys().platformKey, 'utf8') });
    const control = search(leaky, secrets);
    // And the other way: an order number whose digits pass Luhn (TSY, a timestamp, hex) is not taken for a card.
    const orderNumberDigits = cardNumber('20261203011057345');
    assert.equal(search(JSON.stringify({ bizOrderNo: `TSY${orderNumberDigits}BA5CF` }), secrets)['Luhn-valid digit runs'], 0);
    assert.equal(search(JSON.stringify({ bankCardNo: orderNumberDigits }), secrets)['Luhn-valid digit runs'], 1);

    tally('logs', {
      'lines captured': [captured.length, 'info'],
      'secret hits': [total, 'zero'],
      ...Object.fromEntries(Object.entries(hits).map(([kind, n]) => [`hits: ${kind}`, [n, 'zero'] as const])),
      'answers searched': [answers.length, 'info'],
      'secret hits in answers': [answerTotal, 'zero'],
      'known-bad control line: hits': [Object.values(control).reduce((sum, n) => sum + n, 0), 'nonzero'],
    });
    // The capture is real: the run's own refusals are in it (a capture that caught nothing would find no secret either).
    for (const expected of [/notification not verified/, /return not verified/]) assert.ok(captured.some((line) => expected.test(line)), `the log has a line matching ${expected}`);
    assert.deepEqual(Object.entries(answerHits).filter(([, n]) => n > 0), [], 'no secret in an answer');
    for (const [kind, n] of Object.entries(control)) assert.ok(n > 0, `the search finds ${kind} in the known-bad line`);
    assert.ok(captured.length >= 50, `${captured.length} lines captured`);
    const where = Object.entries(hits)
      .filter(([, n]) => n > 0)
      .map(([kind]) => kind);
    assert.deepEqual(where, [], `secrets in the logs: ${where.join(', ')}`);
  });
});
