// Floods every limited route of the BFF over real HTTP, all requests of a flood at once, and counts what got through:
// nothing beyond its limit, every 429 with Retry-After, no 5xx. A control floods one route with its limit raised, so the
// "beyond the limit" counter is seen to count. One manual clock for the sandbox and the merchants: time passes only
// when a test moves it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { BffConfigInput } from '@tsy/bff';
import { createManualClock, type ManualClock } from '@tsy/sandbox';
import { NO_RECONCILIATION, TEST_PAYER_HEADER, latestSmsCode, startMerchant, startSandbox, type RunningMerchant, type RunningSandbox } from '@tsy/testing';
import { addOrder, cleanup, tempDir } from '../src/harness.js';
import { tally } from '../src/tally.js';

const FLOOD = 30;
const RAISED = { count: 100_000 };
/** Limits none of the floods reaches: each merchant lowers only the one its flood is about. */
const OPEN: NonNullable<BffConfigInput['limits']> = {
  paymentCreation: { perIp: RAISED, perPayer: RAISED },
  phoneCodes: { perPhone: RAISED, perIp: RAISED },
  phoneBinding: { wrongCodesPerPhone: 100_000 },
  paymentSms: { codesPerPayment: 100_000, resendsPerPayment: 100_000, resendSeconds: 10 },
  openStreamsPerClient: 100_000,
  openAttemptsPerOrder: 100_000,
};

let clock: ManualClock;
let sandbox: RunningSandbox;
const merchants: RunningMerchant[] = [];
const dirs: string[] = [];

before(async () => {
  clock = createManualClock(new Date());
  sandbox = await startSandbox({ clock, dailyOrderLimit: false });
});
after(async () => {
  await Promise.all(merchants.map((merchant) => merchant.close()));
  await sandbox?.close();
  dirs.forEach(cleanup);
});

async function merchantWith(limits: NonNullable<BffConfigInput['limits']>): Promise<RunningMerchant> {
  const dataDir = tempDir('tsy-e2e-limits-');
  dirs.push(dataDir);
  const merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    dataDir,
    clock,
    methods: { SCAN_WEIXIN: {}, BALANCE: { accountSetNo: '400193' } },
    reconciliation: NO_RECONCILIATION,
    config: { limits: { ...OPEN, ...limits } },
  });
  merchants.push(merchant);
  return merchant;
}

interface Answer {
  readonly status: number;
  readonly retryAfter: string | null;
  readonly code: string | undefined;
  readonly body: any;
}

async function call(url: string, init: { method?: string; body?: unknown; payer?: string; stream?: boolean } = {}): Promise<Answer & { close(): void }> {
  const controller = new AbortController();
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', 'accept-language': 'en', ...(init.payer ? { [TEST_PAYER_HEADER]: init.payer } : {}) },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
    signal: controller.signal,
  });
  let body: any;
  if (!(init.stream && response.status === 200)) {
    const text = await response.text();
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  return { status: response.status, retryAfter: response.headers.get('retry-after'), code: body?.error?.code, body, close: () => controller.abort() };
}

const totals = { sent: 0, beyond: 0, withoutRetryAfter: 0, serverErrors: 0 };

/**
 * Sends the requests at once; counts what passed (`passed` says which answers the limit let through) beyond `limit`, 429s
 * without Retry-After, and 5xx. Every 429 must carry the flood's code.
 */
async function flood(what: string, limit: number, requests: (() => Promise<Answer & { close(): void }>)[], options: { code: string; passed?: (answer: Answer) => boolean }) {
  const answers = await Promise.all(requests.map((request) => request()));
  const passed = options.passed ?? ((answer: Answer) => answer.status >= 200 && answer.status < 300);
  const through = answers.filter(passed).length;
  const limited = answers.filter((answer) => answer.status === 429);
  totals.sent += answers.length;
  totals.beyond += Math.max(0, through - limit);
  totals.withoutRetryAfter += limited.filter((answer) => !/^[1-9]\d*$/.test(answer.retryAfter ?? '')).length;
  totals.serverErrors += answers.filter((answer) => answer.status >= 500).length;
  assert.equal(through, limit, `${what}: ${JSON.stringify(answers.map((answer) => [answer.status, answer.code]))}`);
  assert.equal(limited.length, answers.length - through, `${what}: every other answer a 429`);
  assert.deepEqual([...new Set(limited.map((answer) => answer.code))], limited.length ? [options.code] : [], what);
  return answers;
}

let seq = 0;
const phoneOf = () => `1360${String(process.pid % 1000).padStart(3, '0')}${String(++seq).padStart(4, '0')}`;

async function payerWithPhone(merchant: RunningMerchant): Promise<string> {
  const payer = `flood-${process.pid}-${++seq}`;
  const phone = phoneOf();
  assert.equal((await call(`${merchant.url}/api/checkout/payer/phone/code`, { body: { phone }, payer })).status, 200);
  assert.equal((await call(`${merchant.url}/api/checkout/payer/phone`, { body: { phone, verificationCode: await latestSmsCode(sandbox.url, phone) }, payer })).status, 200);
  return payer;
}

const createPayment = (merchant: RunningMerchant, order: string, payer: string, method = 'SCAN_WEIXIN') => () =>
  call(`${merchant.url}/api/checkout/orders/${order}/payments`, { body: { method }, payer });

describe('limits under a flood', () => {
  after(() => {
    tally('limits', {
      'requests sent': [totals.sent, 'info'],
      'allowed beyond the limit': [totals.beyond, 'zero'],
      '429 without Retry-After': [totals.withoutRetryAfter, 'zero'],
      '5xx': [totals.serverErrors, 'zero'],
    });
    assert.deepEqual([totals.beyond, totals.withoutRetryAfter, totals.serverErrors], [0, 0, 0]);
  });

  it('payment creation per payer', async () => {
    const merchant = await merchantWith({ paymentCreation: { perIp: RAISED, perPayer: { count: 5, windowSeconds: 3600 } } });
    const payer = await payerWithPhone(merchant);
    await flood('per payer', 5, Array.from({ length: FLOOD }, () => createPayment(merchant, addOrder(merchant, payer), payer)), { code: 'rate_limited' });
  });

  it('payment creation per client IP', async () => {
    const merchant = await merchantWith({ paymentCreation: { perIp: { count: 8, windowSeconds: 600 }, perPayer: RAISED } });
    const payers = await Promise.all(Array.from({ length: FLOOD }, () => payerWithPhone(merchant)));
    await flood('per IP', 8, payers.map((payer) => createPayment(merchant, addOrder(merchant, payer), payer)), { code: 'rate_limited' });
  });

  it('open attempts per order', async () => {
    const merchant = await merchantWith({ openAttemptsPerOrder: 3 });
    const payer = await payerWithPhone(merchant);
    const order = addOrder(merchant, payer);
    await flood('open attempts', 3, Array.from({ length: FLOOD }, () => createPayment(merchant, order, payer)), { code: 'too_many_open_payments' });
  });

  it('phone codes per phone, whoever asks', async () => {
    const merchant = await merchantWith({ phoneCodes: { perPhone: { count: 5, windowSeconds: 3600 }, perIp: RAISED } });
    const phone = phoneOf();
    await flood('codes per phone', 5, Array.from({ length: FLOOD }, (_, i) => () => call(`${merchant.url}/api/checkout/payer/phone/code`, { body: { phone }, payer: `asker-${seq}-${i}` })), {
      code: 'phone_code_limited',
    });
  });

  it('phone codes per client IP', async () => {
    const merchant = await merchantWith({ phoneCodes: { perPhone: RAISED, perIp: { count: 10, windowSeconds: 3600 } } });
    await flood('codes per IP', 10, Array.from({ length: FLOOD }, (_, i) => () => call(`${merchant.url}/api/checkout/payer/phone/code`, { body: { phone: phoneOf() }, payer: `asker-${seq}-${i}` })), {
      code: 'phone_code_limited',
    });
  });

  it('phone binding: wrong codes per phone, then the lockout refuses the right one', async () => {
    const merchant = await merchantWith({ phoneBinding: { wrongCodesPerPhone: 5, lockoutSeconds: 3600 } });
    const payer = `binder-${process.pid}-${++seq}`;
    const phone = phoneOf();
    await call(`${merchant.url}/api/checkout/payer/phone/code`, { body: { phone }, payer });
    const code = await latestSmsCode(sandbox.url, phone);
    const guesses = Array.from({ length: FLOOD }, (_, i) => String((Number(code) + i + 1) % 1_000_000).padStart(6, '0'));
    const checked = (answer: Answer) => answer.status === 422;
    await flood('wrong binding codes', 5, guesses.map((verificationCode) => () => call(`${merchant.url}/api/checkout/payer/phone`, { body: { phone, verificationCode }, payer })), {
      code: 'phone_binding_locked',
      passed: checked,
    });
    await flood('the right code, locked', 0, [() => call(`${merchant.url}/api/checkout/payer/phone`, { body: { phone, verificationCode: code }, payer })], { code: 'phone_binding_locked' });
  });

  it('payment SMS: codes per payment, resends at once, resends per payment', async () => {
    const merchant = await merchantWith({ paymentSms: { codesPerPayment: 5, resendsPerPayment: 3, resendSeconds: 10 } });
    const smsPayment = async () => {
      const payer = await payerWithPhone(merchant);
      const created = await createPayment(merchant, addOrder(merchant, payer), payer, 'BALANCE')();
      assert.equal(created.status, 201);
      return { payer, bizOrderNo: created.body.bizOrderNo as string };
    };
    const first = await smsPayment();
    const code = sandbox.sandbox.state.sms.list().find((message) => message.bizOrderNo === first.bizOrderNo)!.code;
    await flood(
      'SMS codes per payment',
      5,
      Array.from({ length: FLOOD }, (_, i) => () =>
        call(`${merchant.url}/api/checkout/payments/${first.bizOrderNo}/confirm`, { body: { verificationCode: String((Number(code) + i + 1) % 1_000_000).padStart(6, '0') }, payer: first.payer }),
      ),
      { code: 'sms_attempts_exhausted', passed: (answer) => answer.status === 422 },
    );

    const second = await smsPayment();
    const resend = () => call(`${merchant.url}/api/checkout/payments/${second.bizOrderNo}/sms`, { method: 'POST', payer: second.payer });
    clock.advance(10_000);
    await flood('resends at once', 1, Array.from({ length: FLOOD }, () => resend), { code: 'sms_resend_too_soon' });
    for (let i = 0; i < 2; i++) {
      clock.advance(10_000);
      await flood('a resend after the interval', 1, [resend], { code: 'sms_resends_exhausted' });
    }
    clock.advance(10_000);
    await flood('resends per payment', 0, Array.from({ length: FLOOD }, () => resend), { code: 'sms_resends_exhausted' });
  });

  it('event streams per client', async () => {
    const merchant = await merchantWith({ openStreamsPerClient: 4 });
    const payer = await payerWithPhone(merchant);
    const created = await createPayment(merchant, addOrder(merchant, payer), payer)();
    assert.equal(created.status, 201);
    const { bizOrderNo } = created.body;
    const answers = await flood('open streams', 4, Array.from({ length: FLOOD }, () => () => call(`${merchant.url}/api/checkout/payments/${bizOrderNo}/events`, { payer, stream: true })), {
      code: 'too_many_streams',
    });
    for (const answer of answers) answer.close();
  });

  it('control: the same flood with the limit raised lets everything through, and the counter sees it', async () => {
    const merchant = await merchantWith({});
    const payer = await payerWithPhone(merchant);
    const answers = await Promise.all(Array.from({ length: FLOOD }, () => createPayment(merchant, addOrder(merchant, payer), payer)()));
    const beyond = Math.max(0, answers.filter((answer) => answer.status === 201).length - 5);
    tally('limits', { 'control: allowed beyond 5 per payer, limit raised': [beyond, 'nonzero'] });
    assert.equal(beyond, FLOOD - 5);
  });
});
