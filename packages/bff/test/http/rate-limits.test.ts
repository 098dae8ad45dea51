// The rate limits and lockouts over real HTTP against the real sandbox, one manual clock for both (windows pass by moving
// it, never by sleeping). Clients are told apart by address: the app trusts its loopback proxy, so each request names
// its client in X-Forwarded-For, as a real proxy would. Every refusal is a 429 with Retry-After and a stable code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createManualClock, type ManualClock } from '@tsy/sandbox';
import type { BffConfigInput } from '../../src/index.js';
import { addOrder, api, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

const LIMITS = {
  paymentCreation: { perIp: { count: 4, windowSeconds: 600 }, perPayer: { count: 3, windowSeconds: 3600 } },
  phoneCodes: { perPhone: { count: 2, windowSeconds: 3600 }, perIp: { count: 3, windowSeconds: 3600 } },
  phoneBinding: { wrongCodesPerPhone: 5, lockoutSeconds: 900, perIp: { count: 12, windowSeconds: 900 } },
  paymentSms: { codesPerPayment: 5, resendsPerPayment: 2, resendSeconds: 60 },
  openStreamsPerClient: 2,
  openAttemptsPerOrder: 2,
} satisfies BffConfigInput['limits'];

let clock: ManualClock;
let sandbox: Sandbox;
let merchant: Merchant;
const dataDir = mkdtempSync(join(tmpdir(), 'tsy-bff-limits-'));

const start = () =>
  startMerchant({
    sandboxUrl: sandbox.url,
    clock,
    dataDir,
    configureApp: (app) => app.set('trust proxy', 'loopback'),
    config: { limits: LIMITS, methods: { SCAN_WEIXIN: {}, SCAN_ALIPAY: {}, BALANCE: { accountSetNo: '400193' } } },
  });

before(async () => {
  clock = createManualClock(new Date());
  sandbox = await startSandbox({ clock });
  merchant = await start();
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

let seq = 0;
/** A client address of its own (TEST-NET-2). */
const newIp = () => `198.51.100.${++seq}`;
const client = (ip: string, payer?: string) => ({ 'x-forwarded-for': ip, ...(payer ? { 'x-test-payer': payer } : {}) });
const phoneOf = (n: number) => `1370000${String(n).padStart(4, '0')}`;
const inbox = (phone: string) => sandbox.state.sms.list(phone);

const sendCode = (phone: string, payer: string, ip: string) => api(merchant.url, '/api/checkout/payer/phone/code', { body: { phone }, headers: client(ip, payer) });
const bind = (phone: string, payer: string, ip: string, verificationCode: string) =>
  api(merchant.url, '/api/checkout/payer/phone', { body: { phone, verificationCode }, headers: client(ip, payer) });

/** A payer with a bound phone, set up from an address of its own so no test's counters are touched. */
async function payerWithPhone(): Promise<string> {
  const n = ++seq;
  const payer = `limits-${process.pid}-${n}`;
  const ip = newIp();
  assert.equal((await sendCode(phoneOf(n), payer, ip)).status, 200);
  const bound = await bind(phoneOf(n), payer, ip, inbox(phoneOf(n))[0]!.code);
  assert.equal(bound.status, 200, bound.text);
  return payer;
}

const create = (order: string, ip: string, payer: string, options: { method?: string; key?: string } = {}) =>
  api(merchant.url, `/api/checkout/orders/${order}/payments`, {
    body: { method: options.method ?? 'SCAN_WEIXIN' },
    headers: { ...client(ip, payer), 'idempotency-key': options.key ?? `limits-${++seq}` },
  });
const orderOf = (payer: string) => addOrder(merchant, { payer: { bizUserId: payer } });

/** A 429 with the code, a Retry-After header and the same seconds in the body; returns the seconds. */
function assertLimited(answer: Awaited<ReturnType<typeof api>>, code: string): number {
  assert.equal(answer.status, 429, answer.text);
  assert.equal(answer.body.error.code, code);
  const header = answer.headers.get('retry-after');
  assert.match(header ?? '', /^[1-9]\d*$/, 'Retry-After: whole seconds, at least 1');
  assert.equal(answer.body.error.retryAfterSeconds, Number(header));
  assert.ok(answer.body.error.message, 'a message');
  return Number(header);
}

describe('payment creation', () => {
  it('per payer: 3 attempts, then 429 rate_limited; the refusal takes nothing of the address, whose other payers go on', async () => {
    const ip = newIp();
    const [p, q, r] = [await payerWithPhone(), await payerWithPhone(), await payerWithPhone()];
    for (let i = 0; i < 3; i++) assert.equal((await create(orderOf(p), ip, p)).status, 201);
    const refused = await create(orderOf(p), ip, p);
    assert.equal(assertLimited(refused, 'rate_limited'), 3600, 'until the payer’s window ends');
    assert.deepEqual(refused.body.error.details, { scope: 'payer' });
    const zh = await api(merchant.url, `/api/checkout/orders/${orderOf(p)}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { ...client(ip, p), 'accept-language': 'zh-CN' } });
    assert.match(zh.body.error.message, /请稍后再试/);
    assert.equal((await create(orderOf(q), ip, q)).status, 201, 'the address’s 4th attempt: the payer’s refusals did not count for it');
    const byIp = await create(orderOf(r), ip, r);
    assert.equal(assertLimited(byIp, 'rate_limited'), 600);
    assert.deepEqual(byIp.body.error.details, { scope: 'ip' });
  });

  it('per address: 4 attempts across payers, then 429; the same payer from another address goes on', async () => {
    const ip = newIp();
    const payers = [await payerWithPhone(), await payerWithPhone(), await payerWithPhone(), await payerWithPhone(), await payerWithPhone()];
    for (const payer of payers.slice(0, 4)) assert.equal((await create(orderOf(payer), ip, payer)).status, 201);
    const last = payers[4]!;
    assert.equal(assertLimited(await create(orderOf(last), ip, last), 'rate_limited'), 600);
    assert.equal((await create(orderOf(last), newIp(), last)).status, 201);
  });

  it('an idempotent replay is no new attempt: replays count for neither limit', async () => {
    const ip = newIp();
    const payer = await payerWithPhone();
    const order = orderOf(payer);
    const first = await create(order, ip, payer, { key: 'replayed' });
    assert.equal(first.status, 201);
    for (let i = 0; i < 6; i++) {
      const again = await create(order, ip, payer, { key: 'replayed' });
      assert.deepEqual([again.status, again.body.bizOrderNo], [201, first.body.bizOrderNo]);
    }
    assert.equal((await create(orderOf(payer), ip, payer)).status, 201);
    assert.equal((await create(orderOf(payer), ip, payer)).status, 201, 'the payer’s 3rd new attempt');
    assertLimited(await create(orderOf(payer), ip, payer), 'rate_limited');
  });

  it('the window passing lets the payer in again, not a second sooner', async () => {
    const ip = newIp();
    const payer = await payerWithPhone();
    for (let i = 0; i < 3; i++) assert.equal((await create(orderOf(payer), ip, payer)).status, 201);
    assert.equal(assertLimited(await create(orderOf(payer), ip, payer), 'rate_limited'), 3600);
    clock.advance(3599_000);
    assert.equal(assertLimited(await create(orderOf(payer), newIp(), payer), 'rate_limited'), 1);
    clock.advance(1000);
    assert.equal((await create(orderOf(payer), newIp(), payer)).status, 201);
  });

  it('the counters hold across a restart: the router closed and opened again on the same database still refuses', async () => {
    const ip = newIp();
    const payer = await payerWithPhone();
    for (let i = 0; i < 3; i++) assert.equal((await create(orderOf(payer), ip, payer)).status, 201);
    await merchant.close();
    merchant = await start();
    assert.equal(assertLimited(await create(orderOf(payer), newIp(), payer), 'rate_limited'), 3600);
  });
});

describe('open attempts per order', () => {
  it('2 open at once, the 3rd 429 too_many_open_payments until the earliest expires; a replay still answers; an expired one frees its place', async () => {
    const payer = await payerWithPhone();
    const order = orderOf(payer);
    const ip = newIp();
    const a = await create(order, ip, payer, { key: 'open-a' });
    assert.equal(a.status, 201);
    clock.advance(60_000);
    assert.equal((await create(order, ip, payer, { key: 'open-b', method: 'SCAN_ALIPAY' })).status, 201);
    const third = await create(order, ip, payer, { key: 'open-c' });
    assert.equal(assertLimited(third, 'too_many_open_payments'), 30 * 60 - 60, 'until the first attempt expires');
    const replay = await create(order, ip, payer, { key: 'open-a' });
    assert.deepEqual([replay.status, replay.body.bizOrderNo], [201, a.body.bizOrderNo], 'a replay is no new attempt');
    clock.advance((30 * 60 - 60) * 1000);
    // The payer's third attempt: the refused one took none of their three.
    const later = await create(order, newIp(), payer, { key: 'open-c' });
    assert.equal(later.status, 201, later.text);
  });
});

describe('phone codes', () => {
  it('2 per phone whoever asks: the 3rd 429 phone_code_limited, and the platform sends nothing', async () => {
    const phone = phoneOf(++seq);
    assert.equal((await sendCode(phone, `pc-a-${seq}`, newIp())).status, 200);
    assert.equal((await sendCode(phone, `pc-b-${seq}`, newIp())).status, 200);
    const refused = await sendCode(phone, `pc-c-${seq}`, newIp());
    assert.equal(assertLimited(refused, 'phone_code_limited'), 3600);
    assert.deepEqual(refused.body.error.details, { scope: 'phone' });
    assert.equal(inbox(phone).length, 2, 'two messages, not three');
  });

  it('3 per address over any phones: the 4th 429; that phone from another address is sent', async () => {
    const ip = newIp();
    const phones = [phoneOf(++seq), phoneOf(++seq), phoneOf(++seq), phoneOf(++seq)];
    for (const phone of phones.slice(0, 3)) assert.equal((await sendCode(phone, `pc-ip-${phone}`, ip)).status, 200);
    const refused = await sendCode(phones[3]!, `pc-ip-${phones[3]}`, ip);
    assert.equal(assertLimited(refused, 'phone_code_limited'), 3600);
    assert.deepEqual(refused.body.error.details, { scope: 'ip' });
    assert.equal(inbox(phones[3]!).length, 0);
    assert.equal((await sendCode(phones[3]!, `pc-ip-${phones[3]}`, newIp())).status, 200);
  });
});

describe('phone binding', () => {
  it('5 wrong codes lock the phone: the right code is refused too (429 phone_binding_locked) until the lockout ends', async () => {
    const n = ++seq;
    const phone = phoneOf(n);
    const payer = `bind-${process.pid}-${n}`;
    const ip = newIp();
    assert.equal((await sendCode(phone, payer, ip)).status, 200);
    const code = inbox(phone)[0]!.code;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) {
      const answer = await bind(phone, payer, ip, wrong);
      assert.deepEqual([answer.status, answer.body.error.code], [422, 'yunst.20011'], answer.text);
    }
    const locked = await bind(phone, payer, newIp(), code);
    assert.equal(assertLimited(locked, 'phone_binding_locked'), 900);
    assert.equal(inbox(phone)[0]!.usedAt, undefined, 'the right code never reached the platform');
    // The platform sent that code for this payer: another payer's binding of the phone is not locked by these guesses.
    assert.equal((await bind(phone, `another-${payer}`, newIp(), code)).status, 422);
    clock.advance(899_000);
    assert.equal(assertLimited(await bind(phone, payer, ip, code), 'phone_binding_locked'), 1);
    clock.advance(1000);
    // The first code expired meanwhile (3 minutes): a new one binds.
    assert.equal((await sendCode(phone, payer, ip)).status, 200);
    const bound = await bind(phone, payer, ip, inbox(phone)[0]!.code);
    assert.equal(bound.status, 200, bound.text);
  });

  it('another payer’s wrong codes do not lock the phone’s owner out', async () => {
    const n = ++seq;
    const phone = phoneOf(n);
    const owner = `bind-owner-${process.pid}-${n}`;
    assert.equal((await sendCode(phone, owner, newIp())).status, 200);
    const code = inbox(phone)[0]!.code;
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 6; i++) await bind(phone, `bind-stranger-${process.pid}-${n}`, newIp(), wrong);
    const bound = await bind(phone, owner, newIp(), code);
    assert.equal(bound.status, 200, bound.text);
  });

  it('one client guessing across payers is stopped per IP (phoneBinding.perIp), whatever payer it names', async () => {
    const ip = newIp();
    let refused: Awaited<ReturnType<typeof api>> | undefined;
    for (let p = 0; p < 4 && !refused; p++) {
      const n = ++seq;
      const phone = phoneOf(n);
      const payer = `bind-guess-${process.pid}-${n}`;
      assert.equal((await sendCode(phone, payer, newIp())).status, 200);
      const code = inbox(phone)[0]!.code;
      for (let i = 1; i <= 4 && !refused; i++) {
        const answer = await bind(phone, payer, ip, String((Number(code) + i) % 1_000_000).padStart(6, '0'));
        if (answer.status === 429) refused = answer;
        else assert.equal(answer.status, 422, answer.text);
      }
    }
    assert.ok(refused, 'the 13th wrong code from one IP is refused');
    assertLimited(refused, 'phone_binding_locked');
    assert.equal(refused.body.error.details.scope, 'ip');
  });

  it('wrong codes short of the limit, then the right one: bound', async () => {
    const n = ++seq;
    const phone = phoneOf(n);
    const payer = `bind-ok-${process.pid}-${n}`;
    const ip = newIp();
    await sendCode(phone, payer, ip);
    const code = inbox(phone)[0]!.code;
    for (let i = 1; i <= 4; i++) assert.equal((await bind(phone, payer, ip, String((Number(code) + i) % 1_000_000).padStart(6, '0'))).status, 422);
    assert.equal((await bind(phone, payer, ip, code)).status, 200);
  });
});

describe('payment SMS', () => {
  const smsPayment = async () => {
    const payer = await payerWithPhone();
    const created = await create(orderOf(payer), newIp(), payer, { method: 'BALANCE' });
    assert.equal(created.status, 201, created.text);
    const bizOrderNo: string = created.body.bizOrderNo;
    return { payer, bizOrderNo, messages: () => sandbox.state.sms.list().filter((m) => m.bizOrderNo === bizOrderNo) };
  };

  it('2 resends per payment: the 3rd 429 sms_resends_exhausted, Retry-After until the payment expires, nothing sent', async () => {
    const { payer, bizOrderNo, messages } = await smsPayment();
    const resend = () => api(merchant.url, `/api/checkout/payments/${bizOrderNo}/sms`, { method: 'POST', headers: client(newIp(), payer) });
    for (let i = 0; i < 2; i++) {
      clock.advance(60_000);
      assert.equal((await resend()).status, 200);
    }
    clock.advance(60_000);
    assert.equal(messages().length, 3);
    assert.equal(assertLimited(await resend(), 'sms_resends_exhausted'), 30 * 60 - 180);
    assert.equal(messages().length, 3, 'no message sent');
  });

  it('out of tries, 429 sms_attempts_exhausted carries Retry-After too (the payment’s expiry)', async () => {
    const { payer, bizOrderNo, messages } = await smsPayment();
    const code = messages()[0]!.code;
    const confirm = (verificationCode: string) => api(merchant.url, `/api/checkout/payments/${bizOrderNo}/confirm`, { body: { verificationCode }, headers: client(newIp(), payer) });
    for (let i = 1; i <= 5; i++) assert.equal((await confirm(String((Number(code) + i) % 1_000_000).padStart(6, '0'))).body.error.code, 'sms_code_wrong');
    clock.advance(10_000);
    assert.equal(assertLimited(await confirm(code), 'sms_attempts_exhausted'), 30 * 60 - 10);
  });
});

describe('event streams', () => {
  it('2 open per address, the 3rd 429 too_many_streams; a closed stream frees its place; another address is not held back', async () => {
    const payer = await payerWithPhone();
    const created = await create(orderOf(payer), newIp(), payer);
    const url = `${merchant.url}/api/checkout/payments/${created.body.bizOrderNo}/events`;
    const ip = newIp();
    const open = async (from: string) => {
      const controller = new AbortController();
      const response = await fetch(url, { headers: { ...client(from, payer), 'accept-language': 'en' }, signal: controller.signal });
      return { response, close: () => controller.abort() };
    };
    const first = await open(ip);
    const second = await open(ip);
    assert.deepEqual([first.response.status, second.response.status], [200, 200]);
    const third = await open(ip);
    assert.equal(third.response.status, 429);
    const body = (await third.response.json()) as { error: { code: string; retryAfterSeconds: number } };
    assert.equal(body.error.code, 'too_many_streams');
    assert.match(third.response.headers.get('retry-after') ?? '', /^[1-9]\d*$/);
    assert.equal(body.error.retryAfterSeconds, Number(third.response.headers.get('retry-after')));
    const elsewhere = await open(newIp());
    assert.equal(elsewhere.response.status, 200);
    first.close();
    let again: Awaited<ReturnType<typeof open>> | undefined;
    // The server learns of the closed connection a moment later: ask until it has.
    for (let i = 0; i < 50 && again?.response.status !== 200; i++) {
      if (again) await new Promise((resolve) => setTimeout(resolve, 20));
      again = await open(ip);
    }
    assert.equal(again!.response.status, 200, 'the closed stream’s place was freed');
    for (const stream of [second, elsewhere, again!]) stream.close();
  });
});
