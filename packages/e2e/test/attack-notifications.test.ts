// Forged, tampered, unsigned, stale and replayed notifications and page returns, counted: every variant is refused or
// changes nothing, never a 5xx. The platform's own notifications go to a closed port here, so every message the BFF sees
// is one this test sent, and the sandbox's state is the truth the BFF's must match.
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { formatCstTimestamp, loadMerchantKey, signSource, type MerchantKey } from '@tsy/yunst';
import { NO_RECONCILIATION, startCheckoutStack, type CheckoutStack } from '@tsy/testing';
import { SYSID, addOrder, api, bindPayerPhone, testKeys, walletAction, walletUrlOf } from '../src/harness.js';
import { tally } from '../src/tally.js';

const PAYER = `attacker-target-${process.pid}`;
const HOUR = 60 * 60 * 1000;
let stack: CheckoutStack;
let platform: MerchantKey;
const stranger: MerchantKey = { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey };

interface Target {
  readonly bizOrderNo: string;
  readonly orderNo: string;
  readonly amount: number;
}

interface Fields {
  bizOrderNo: string;
  orderNo: string;
  amount: number;
  status?: string;
  method?: string;
  service?: string;
  buyerBizUserId?: string;
  at?: Date;
}

/** The rps of an order notification (spec §4.2.15). */
function rpsOf(fields: Fields): string {
  return JSON.stringify({
    service: fields.service ?? 'OrderService',
    method: fields.method ?? 'pay',
    status: fields.status ?? 'OK',
    returnValue: {
      orderNo: fields.orderNo,
      bizOrderNo: fields.bizOrderNo,
      amount: fields.amount,
      payDatetime: formatCstTimestamp(fields.at),
      buyerBizUserId: fields.buyerBizUserId ?? PAYER,
    },
  });
}

/** A message as the platform signs it: sign over sysid + rps + timestamp; `tamper` runs after signing. */
function signed(fields: Fields, key: MerchantKey = platform, tamper?: (body: Record<string, string>) => void): Record<string, string> {
  const rps = rpsOf(fields);
  const timestamp = formatCstTimestamp(fields.at);
  const body: Record<string, string> = { sysid: SYSID, rps, timestamp, v: '2.0', sign: signSource(SYSID + rps + timestamp, key) };
  tamper?.(body);
  return body;
}

const resign = (body: Record<string, string>) => (body.sign = signSource(body.sysid! + body.rps! + body.timestamp!, platform));
const form = (body: Record<string, string>) => new URLSearchParams(body).toString();

async function postNotify(body: string, contentType = 'application/x-www-form-urlencoded'): Promise<number> {
  const response = await fetch(`${stack.merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': contentType }, body });
  await response.arrayBuffer();
  return response.status;
}

/** A page return, as the payer's browser brings it: GET with the query, or POST with the form. */
async function pageReturn(body: string, method: 'GET' | 'POST'): Promise<{ status: number; state: string | null }> {
  const response =
    method === 'GET'
      ? await fetch(`${stack.merchant.url}/yunst/return?${body}`, { redirect: 'manual' })
      : await fetch(`${stack.merchant.url}/yunst/return`, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  return { status: response.status, state: location ? new URL(location).searchParams.get('state') : null };
}

async function pendingPayment(amount = 880): Promise<Target> {
  const order = addOrder(stack.merchant, PAYER, amount);
  const created = await api(stack.merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method: 'SCAN_WEIXIN' }, headers: { 'x-test-payer': PAYER } });
  assert.equal(created.status, 201, JSON.stringify(created.body));
  const payment = await stack.merchant.router.services.context.store.getPayment(created.body.bizOrderNo);
  return { bizOrderNo: payment!.bizOrderNo, orderNo: payment!.orderNo!, amount };
}

/** Every payment's state and event count: what an attack must leave as it found it. */
async function snapshot(targets: readonly Target[]): Promise<string[]> {
  const store = stack.merchant.router.services.context.store;
  return Promise.all(
    targets.map(async (target) => {
      const payment = await store.getPayment(target.bizOrderNo);
      return `${target.bizOrderNo}:${payment!.state}:${payment!.settlement}:${(await store.listPaymentEvents(target.bizOrderNo, 0)).length}`;
    }),
  );
}

const changedBetween = (before: readonly string[], after: readonly string[]) => before.filter((line, index) => line !== after[index]).length;

before(async () => {
  platform = loadMerchantKey(testKeys().platformKey);
  // Port 9 (discard) is closed here: the platform's notifications of this test's payments never arrive.
  stack = await startCheckoutStack({ publicBaseUrl: 'http://127.0.0.1:9', reconciliation: NO_RECONCILIATION, sandbox: { dailyOrderLimit: false } });
  await bindPayerPhone(stack.merchant.url, stack.sandbox.url, PAYER, '13600000077');
});
after(() => stack?.close());

describe('forged, tampered, stale and replayed platform messages', () => {
  it('are all refused or without effect: 0 state changes, 0 × 5xx; a genuine one (the control) does change state', async () => {
    const pending = await pendingPayment();
    const other = await pendingPayment(990);
    // A payment that is already paid, by a genuine notification: its replays must change nothing.
    const paid = await pendingPayment(770);
    const genuinePaid = form(signed(paid));
    assert.equal(await postNotify(genuinePaid), 200);
    const targets = [pending, other, paid];
    const now = Date.now();
    const p = pending;

    const tampered = (change: (body: Record<string, string>) => void) => form(signed(p, platform, change));
    const rpsEdit = (from: string, to: string) => tampered((body) => (body.rps = body.rps!.replace(from, to)));
    const notifications: Record<string, string> = {
      'signed with another key': form(signed(p, stranger)),
      'no sign': tampered((body) => delete body.sign),
      'empty sign': tampered((body) => (body.sign = '')),
      'sign not base64': tampered((body) => (body.sign = '!!not-base64!!')),
      'sign truncated': tampered((body) => (body.sign = body.sign!.slice(0, 40))),
      'sign of another message': tampered((body) => (body.sign = signed(other).sign!)),
      'no rps': tampered((body) => delete body.rps),
      'no timestamp': tampered((body) => delete body.timestamp),
      'no sysid': tampered((body) => delete body.sysid),
      'another sysid': tampered((body) => (body.sysid = '1')),
      'another sysid, re-signed': tampered((body) => ((body.sysid = '1902271423530473682'), resign(body))),
      'timestamp changed after signing': tampered((body) => (body.timestamp = formatCstTimestamp(new Date(now + 1000)))),
      'amount raised after signing': rpsEdit(`"amount":${p.amount}`, `"amount":${p.amount + 1}`),
      'amount lowered after signing': rpsEdit(`"amount":${p.amount}`, '"amount":1'),
      'bizOrderNo swapped after signing': rpsEdit(p.bizOrderNo, other.bizOrderNo),
      'buyer swapped after signing': rpsEdit(PAYER, 'someone-else'),
      'status changed after signing': rpsEdit('"status":"OK"', '"status":"ok"'),
      'whitespace added to rps': rpsEdit('"status":"OK"', '"status": "OK"'),
      'rps not JSON, re-signed': tampered((body) => ((body.rps = '{not json'), resign(body))),
      'rps a JSON array, re-signed': tampered((body) => ((body.rps = '[1,2]'), resign(body))),
      'rps without returnValue, re-signed': tampered((body) => ((body.rps = '{"service":"OrderService","method":"pay","status":"OK"}'), resign(body))),
      'rps.method refund': form(signed({ ...p, method: 'refund' })),
      'rps.service MemberService': form(signed({ ...p, service: 'MemberService' })),
      'another payer than the payment’s': form(signed({ ...p, buyerBizUserId: 'someone-else' })),
      'another platform orderNo': form(signed({ ...p, orderNo: `${p.orderNo}9` })),
      'amount as a string': tampered((body) => ((body.rps = body.rps!.replace(`"amount":${p.amount}`, `"amount":"${p.amount}"`)), resign(body))),
      'amount negative': form(signed({ ...p, amount: -p.amount })),
      'amount fractional': form(signed({ ...p, amount: p.amount + 0.5 })),
      'bizOrderNo unknown to us': form(signed({ ...p, bizOrderNo: 'TSY-NOT-OURS-1' })),
      'bizOrderNo with a path in it': form(signed({ ...p, bizOrderNo: `../${p.bizOrderNo}` })),
      // Re-signed as if the platform sent it: the amount only under __proto__ must not be read as the amount.
      'the amount only under __proto__, re-signed': tampered(
        (body) => ((body.rps = body.rps!.replace(`"amount":${p.amount},`, '').replace('"returnValue":{', `"returnValue":{"__proto__":{"amount":${p.amount}},`)), resign(body)),
      ),
      'prototype keys added after signing': rpsEdit('"returnValue":{', '"returnValue":{"constructor":{"prototype":{"amount":1}},'),
      'a literal + where the signed value had %2B': form(signed(p)).replace(/timestamp=([^&]*)\+/, 'timestamp=$1%2B'),
      // The first of a repeated field is the one read (yunst's parseFormBody): a forged one before the signed one fails the
      // signature, one after a replay is never read.
      'a forged rps before the signed one': `rps=${encodeURIComponent(rpsOf({ ...p, amount: 1 }))}&${form(signed(p))}`,
      'a forged rps after a replayed one': `${genuinePaid}&rps=${encodeURIComponent(rpsOf({ ...paid, amount: 1 }))}`,
      'sign sent twice': `${form(signed(p, stranger))}&sign=${encodeURIComponent(signed(p).sign!)}`,
      'sent as JSON instead of a form': JSON.stringify(signed(p)),
      'a failure report (status error)': form(signed({ ...p, status: 'error' })),
      'a pending report': form(signed({ ...p, status: 'pending' })),
      'success signed 2 days ago for an unpaid payment': form(signed({ ...p, at: new Date(now - 48 * HOUR) })),
      'success dated 1 hour ahead for an unpaid payment': form(signed({ ...p, at: new Date(now + HOUR) })),
      'success signed 30 days ago for an unpaid payment': form(signed({ ...other, at: new Date(now - 30 * 24 * HOUR) })),
      'replay of the paid payment’s notification (1)': genuinePaid,
      'replay of the paid payment’s notification (2)': genuinePaid,
      'replay of the paid payment’s notification (3)': genuinePaid,
      'a later, genuine notification for the paid payment': form(signed({ ...paid, at: new Date(now + 5000) })),
      'a stale one for the paid payment': form(signed({ ...paid, at: new Date(now - 48 * HOUR) })),
      'the paid payment, another amount, stale': form(signed({ ...paid, amount: 1, at: new Date(now - 48 * HOUR) })),
      'empty body': '',
      'garbage body': '%%%&&&===',
      'a body of 60 KB': `rps=${'x'.repeat(60_000)}`,
    };
    const contentTypes: Record<string, [string, string]> = {
      'text/plain content type': [form(signed(p)).replace('OK', 'ok'), 'text/plain'],
      'multipart content type': [form(signed(p, stranger)), 'multipart/form-data; boundary=x'],
    };
    const returns: Record<string, [string, 'GET' | 'POST']> = {
      'return signed with another key (GET)': [form(signed(p, stranger)), 'GET'],
      'return signed with another key (POST)': [form(signed(p, stranger)), 'POST'],
      'return without sign (GET)': [form(signed(p, platform, (body) => delete body.sign)), 'GET'],
      'return with the amount changed (POST)': [rpsEdit(`"amount":${p.amount}`, '"amount":1'), 'POST'],
      'return for another payer (GET)': [form(signed({ ...p, buyerBizUserId: 'someone-else' })), 'GET'],
      'return signed 2 days ago (GET)': [form(signed({ ...p, at: new Date(now - 48 * HOUR) })), 'GET'],
      'return: signedValue with a forged sign': [new URLSearchParams({ signedValue: JSON.stringify({ bizOrderNo: p.bizOrderNo, payStatus: 'success' }), sign: signed(p, stranger).sign! }).toString(), 'GET'],
      'return: signedValue genuinely signed, order unpaid': [
        new URLSearchParams({ signedValue: JSON.stringify({ bizOrderNo: p.bizOrderNo, payStatus: 'success' }), sign: signSource(JSON.stringify({ bizOrderNo: p.bizOrderNo, payStatus: 'success' }), platform) }).toString(),
        'GET',
      ],
      'return: signedValue not JSON': [new URLSearchParams({ signedValue: '{x', sign: signSource('{x', platform) }).toString(), 'GET'],
      'return: replay of the paid payment’s (GET)': [genuinePaid, 'GET'],
      'return: replay of the paid payment’s (POST)': [genuinePaid, 'POST'],
      'return: nothing at all': ['', 'GET'],
      'return: malformed %-encoding': ['rps=%E0%A4%A&sign=%', 'GET'],
    };

    const before = await snapshot(targets);
    const statuses = new Map<number, number>();
    const count = (status: number) => statuses.set(status, (statuses.get(status) ?? 0) + 1);
    let changes = 0;
    let misrouted = 0;
    for (const [what, body] of Object.entries(notifications)) {
      const ahead = await snapshot(targets);
      const status = await postNotify(body);
      count(status);
      const changed = changedBetween(ahead, await snapshot(targets));
      changes += changed;
      assert.ok(status < 500, `${what}: HTTP ${status}`);
      assert.equal(changed, 0, `${what}: changed a payment`);
    }
    for (const [what, [body, type]] of Object.entries(contentTypes)) {
      const status = await postNotify(body, type);
      count(status);
      assert.ok(status >= 400 && status < 500, `${what}: HTTP ${status}`);
    }
    for (const [what, [body, method]] of Object.entries(returns)) {
      const ahead = await snapshot(targets);
      const answer = await pageReturn(body, method);
      count(answer.status);
      const changed = changedBetween(ahead, await snapshot(targets));
      changes += changed;
      // A person's browser always lands on the result page: `unknown` when nothing verified, the truth otherwise.
      if (answer.status !== 303 || !['unknown', 'pending', 'success'].includes(answer.state ?? '')) misrouted++;
      assert.equal(answer.status, 303, `${what}: HTTP ${answer.status}`);
      assert.equal(changed, 0, `${what}: changed a payment`);
    }
    assert.deepEqual(await snapshot(targets), before);
    const variants = Object.keys(notifications).length + Object.keys(contentTypes).length + Object.keys(returns).length;
    assert.ok(variants >= 50, `${variants} variants`);
    const fivexx = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);

    // The control: a genuine, fresh notification for the pending payment is counted by the same counter.
    const ahead = await snapshot(targets);
    assert.equal(await postNotify(form(signed(pending))), 200);
    const controlChanges = changedBetween(ahead, await snapshot(targets));

    tally('forged notifications', {
      'variants tried': [variants, 'info'],
      'answered 4xx': [[...statuses].filter(([s]) => s >= 400 && s < 500).reduce((sum, [, n]) => sum + n, 0), 'info'],
      '5xx': [fivexx, 'zero'],
      'state changes': [changes, 'zero'],
      'returns not sent to the result page': [misrouted, 'zero'],
      'control: a genuine notification changes state': [controlChanges, 'nonzero'],
    });
    assert.equal(fivexx, 0);
    assert.equal(controlChanges, 1);
  });
});

describe('notification freshness', () => {
  it('keeps the signed time; a success signed long ago is applied only when the platform confirms it is new', async () => {
    const store = stack.merchant.router.services.context.store;
    const payment = await pendingPayment(660);
    const twoDaysAgo = new Date(Date.now() - 48 * HOUR);
    // Not paid on the platform: the old message is kept, with its time, and proves nothing.
    assert.equal(await postNotify(form(signed({ ...payment, at: twoDaysAgo }))), 200);
    assert.equal((await store.getPayment(payment.bizOrderNo))!.state, 'pending');
    const kept = await store.listNotifications(payment.bizOrderNo);
    assert.equal(kept.length, 1);
    assert.equal(kept[0]!.signedAt, new Date(Math.floor(twoDaysAgo.getTime() / 1000) * 1000).toISOString(), 'the signed timestamp is kept');

    // Paid on the platform now (its own notification goes nowhere): the same old message, sent again, is new in its facts.
    assert.equal(await walletAction(await walletUrlOf(stack.sandbox.url, payment.bizOrderNo), 'pay'), 200);
    assert.equal(await postNotify(form(signed({ ...payment, at: new Date(twoDaysAgo.getTime() + 1000) }))), 200);
    const paid = (await store.getPayment(payment.bizOrderNo))!;
    assert.equal(paid.state, 'success');
    const events = await store.listPaymentEvents(payment.bizOrderNo, 0);
    assert.deepEqual(events.map((event) => event.state), ['pending', 'success']);
    assert.match(events[1]!.evidence ?? '', /orderStatus/, 'applied on the platform’s answer (getOrderDetail), not on the old message');

    // Replays, fresh or stale, change nothing more.
    for (const at of [twoDaysAgo, new Date()]) assert.equal(await postNotify(form(signed({ ...payment, at }))), 200);
    assert.equal((await store.listPaymentEvents(payment.bizOrderNo, 0)).length, 2);
  });

  it('a fresh success is applied from the message itself', async () => {
    const store = stack.merchant.router.services.context.store;
    const payment = await pendingPayment(650);
    const body = form(signed(payment));
    assert.equal(await postNotify(body), 200);
    const events = await store.listPaymentEvents(payment.bizOrderNo, 0);
    assert.equal(events.at(-1)!.evidence, body);
    assert.equal((await store.listNotifications(payment.bizOrderNo))[0]!.resolvedAt !== null, true);
  });
});
