// Fault mode: every kind does over real HTTP what it says, decisions replay from the seed, and without `faults: true`
// none of it exists.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  YunstFormatError,
  YunstSignatureError,
  YunstTransportError,
  createYunstClient,
  verifyNotification,
  verifyResponse,
  verifySource,
} from '@tsy/yunst';
import { runSandboxCli } from '../src/cli.js';
import { FAULT_KINDS, type FaultRule, type SandboxOptions } from '../src/index.js';
import { SYSID, consumeParam, createPayer, errorCode, merchantKey, ok, platformKey, postForm, startReceiver, startSandbox, type TestSandbox } from './support/sandbox.js';

const cleanup: (() => Promise<void>)[] = [];
after(async () => {
  for (const close of cleanup.reverse()) await close();
});

async function faultSandbox(options: Partial<SandboxOptions> = {}): Promise<TestSandbox> {
  const t = await startSandbox({ faults: true, ...options });
  cleanup.push(t.close);
  await createPayer(t, 'f-payer');
  return t;
}

async function receiver() {
  const r = await startReceiver([200]);
  cleanup.push(r.close);
  return r;
}

const put = (t: TestSandbox, body: unknown, contentType = 'application/json') =>
  fetch(`${t.url}/sandbox/faults`, { method: 'PUT', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });

async function setRules(t: TestSandbox, rules: FaultRule[], seed = 7): Promise<void> {
  const response = await put(t, { seed, rules });
  assert.equal(response.status, 200, await response.clone().text());
}

/** One signed `/service/soa` call, the answer left as it came. */
const raw = (t: TestSandbox, method: string, param: Record<string, unknown>, service = 'OrderService') =>
  fetch(`${t.url}/service/soa`, { method: 'POST', body: new URLSearchParams({ ...t.signed(service, method, param) }) });

const client = (t: TestSandbox, timeoutMs = 5000) =>
  createYunstClient({ sysid: SYSID, merchantKey, platformKey, soaUrl: `${t.url}/service/soa`, timeoutMs, clock: t.clock });

const walletParam = (backUrl = 'http://127.0.0.1:9/notify') => consumeParam('f-payer', { SCAN_WEIXIN: { amount: 1, limitPay: '' } }, 1, { backUrl });

/** An order paid in the simulated wallet: its notification goes to `backUrl`. */
async function paidOrder(t: TestSandbox, backUrl?: string): Promise<string> {
  const param = walletParam(backUrl);
  const payInfo = String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo);
  const paid = await postForm(payInfo, { action: 'pay' });
  assert.ok(paid.status < 400, `wallet page answered ${paid.status}`);
  return String(param.bizOrderNo);
}

const until = async (condition: () => boolean, what: string, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('fault mode off (the default)', () => {
  it('has no injector and no control API: /sandbox/faults is 404 like any unknown path, and calls answer normally', async () => {
    const t = await startSandbox();
    cleanup.push(t.close);
    assert.equal(t.sandbox.faults, undefined);
    for (const method of ['GET', 'PUT', 'DELETE']) {
      const response = await fetch(`${t.url}/sandbox/faults`, {
        method,
        headers: { 'content-type': 'application/json' },
        ...(method === 'PUT' && { body: JSON.stringify({ seed: 1, rules: [{ kind: 'garbage', probability: 1 }] }) }),
      });
      assert.equal(response.status, 404, `${method} /sandbox/faults`);
    }
    assert.equal((await fetch(`${t.url}/sandbox/faults/orders`)).status, 404);
    assert.equal((await fetch(`${t.url}/sandbox/no-such-page`)).status, 404);

    // The PUT above changed nothing: every answer verifies, every notification is sent once, on schedule.
    await createPayer(t, 'f-payer');
    const r = await receiver();
    const bizOrderNos = [];
    for (let i = 0; i < 5; i++) bizOrderNos.push(await paidOrder(t, r.url));
    for (const bizOrderNo of bizOrderNos) {
      const answer = verifyResponse(await (await raw(t, 'getOrderDetail', { bizOrderNo })).text(), platformKey);
      assert.equal(ok(answer).orderStatus, 4);
      await t.sandbox.state.notifications.get(bizOrderNo)!.settled;
      assert.equal(t.sandbox.state.notifications.get(bizOrderNo)!.fault, undefined);
    }
    assert.equal(r.received.length, 5);
    assert.deepEqual(r.received.map((entry) => verifyNotification(entry.body, platformKey).value.returnValue).map((v) => (v as { bizOrderNo: string }).bizOrderNo).sort(), [...bizOrderNos].sort());
    // The order truth accessor needs no fault mode (it is not over HTTP).
    assert.equal(t.sandbox.orderState(bizOrderNos[0]!)?.status, 'success');
  });

  it('the CLI enables it only with --faults', async () => {
    const keys = mkdtempSync(join(tmpdir(), 'tsy-sandbox-faults-cli-'));
    cleanup.push(async () => rmSync(keys, { recursive: true, force: true }));
    const quiet = { stdout: { write: () => true }, env: { TSY_SANDBOX_FAULTS: '1' } };
    const plain = (await runSandboxCli(['--port', '0', '--keys', keys], quiet))!;
    cleanup.push(plain.close);
    assert.equal((await fetch(`${plain.url}/sandbox/faults`)).status, 404, 'no environment variable turns it on');
    let output = '';
    const faulty = (await runSandboxCli(['--port', '0', '--keys', keys, '--faults'], { stdout: { write: (text: string) => (output += text) } }))!;
    cleanup.push(faulty.close);
    assert.equal((await fetch(`${faulty.url}/sandbox/faults`)).status, 200);
    assert.match(output, /FAULT MODE/);
  });
});

describe('fault control API', () => {
  it('PUT sets seed and rules, GET reports them with zero counts, DELETE turns every rule off', async () => {
    const t = await faultSandbox();
    const rules: FaultRule[] = [{ kind: 'timeout', method: 'consumeApply', probability: 0.5, delayMs: 100, phase: 'before' }, { kind: 'duplicate', probability: 1 }];
    const response = await put(t, { seed: 12345, rules });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { seed: 12345, rules });
    const report = (await (await fetch(`${t.url}/sandbox/faults`)).json()) as { seed: number; rules: FaultRule[]; counts: Record<string, number>; injected: unknown[] };
    assert.equal(report.seed, 12345);
    assert.deepEqual(report.rules, rules);
    assert.deepEqual(Object.keys(report.counts).sort(), [...FAULT_KINDS].sort());
    assert.ok(Object.values(report.counts).every((n) => n === 0));
    assert.deepEqual(report.injected, []);
    assert.deepEqual(t.sandbox.faults!.report().rules, rules, 'the same state programmatically');

    const cleared = await fetch(`${t.url}/sandbox/faults`, { method: 'DELETE' });
    assert.equal(cleared.status, 200);
    assert.deepEqual(((await cleared.json()) as { rules: unknown[] }).rules, []);
    assert.deepEqual(t.sandbox.faults!.report().rules, []);
  });

  it('refuses bad bodies with 400 SANDBOX_FAULTS_BAD_REQUEST naming the problem, and keeps the rules it had', async () => {
    const t = await faultSandbox();
    const kept: FaultRule[] = [{ kind: 'garbage', probability: 0.25 }];
    await setRules(t, kept, 99);
    const bad: [unknown, RegExp][] = [
      ['{"seed": 1, "rules": [', /not JSON/],
      ['[1, 2]', /body/],
      [{ rules: [] }, /seed/],
      [{ seed: -1, rules: [] }, /seed/],
      [{ seed: 1.5, rules: [] }, /seed/],
      [{ seed: 1 }, /rules/],
      [{ seed: 1, rules: [{ kind: 'explode', probability: 1 }] }, /rules\.0\.kind/],
      [{ seed: 1, rules: [{ kind: 'garbage', probability: 2 }] }, /rules\.0\.probability/],
      [{ seed: 1, rules: [{ kind: 'garbage' }] }, /rules\.0\.probability/],
      [{ seed: 1, rules: [{ kind: 'garbage', probability: 1, method: 'payNow' }] }, /rules\.0\.method.*consumeApply/],
      [{ seed: 1, rules: [{ kind: 'garbage', probability: 1, phase: 'during' }] }, /rules\.0\.phase/],
      [{ seed: 1, rules: [{ kind: 'drop', probability: 1, method: 'pay' }] }, /takes no method/],
      [{ seed: 1, rules: [{ kind: 'duplicate', probability: 1, phase: 'after' }] }, /takes no phase/],
      [{ seed: 1, rules: [{ kind: 'staleDetail', probability: 1, method: 'pay' }] }, /getOrderDetail only/],
      [{ seed: 1, rules: [{ kind: 'badSign', probability: 1, delayMs: 10 }] }, /takes no delayMs/],
      [{ seed: 1, rules: [{ kind: 'slow', probability: 1, delayMs: -5 }] }, /delayMs/],
      [{ seed: 1, rules: [{ kind: 'slow', probability: 1, times: 0 }] }, /times/],
      [{ seed: 1, rules: [{ kind: 'slow', probability: 1, colour: 'red' }] }, /colour/],
      [{ seed: 1, rules: [], extra: true }, /extra/],
    ];
    for (const [body, reason] of bad) {
      const response = await put(t, body);
      const text = await response.text();
      assert.equal(response.status, 400, `${JSON.stringify(body)} → ${response.status} ${text}`);
      const answer = JSON.parse(text) as { code: string; message: string };
      assert.equal(answer.code, 'SANDBOX_FAULTS_BAD_REQUEST');
      assert.match(answer.message, reason, JSON.stringify(body));
      assert.match(answer.message, /故障设置无效/);
    }
    assert.deepEqual(t.sandbox.faults!.report(), { seed: 99, rules: kept, counts: t.sandbox.faults!.report().counts, injected: [] });
    assert.throws(() => t.sandbox.faults!.set({ seed: 1, rules: [{ kind: 'garbage', probability: 3 }] }), /rules\.0\.probability/);
    assert.deepEqual(t.sandbox.faults!.report().rules, kept);
  });
});

describe('answer faults on /service/soa', () => {
  it('slow: the answer comes after delayMs — a client with a shorter timeout gives up, one with a longer gets the valid answer', async () => {
    const t = await faultSandbox();
    await setRules(t, [{ kind: 'slow', method: 'consumeApply', probability: 1, delayMs: 400 }]);
    const lost = walletParam();
    await assert.rejects(client(t, 100).call('OrderService', 'consumeApply', lost as never), (error: unknown) => error instanceof YunstTransportError && error.kind === 'timeout');
    const answered = walletParam();
    const result = await client(t, 5000).call('OrderService', 'consumeApply', answered as never);
    assert.equal(result.bizOrderNo, answered.bizOrderNo);
    // phase after (the default): both were processed, the first one's answer just came too late.
    assert.equal(t.sandbox.orderState(String(lost.bizOrderNo))?.status, 'unpaid');
    assert.equal(t.sandbox.faults!.report().counts.slow, 2);
  });

  it('timeout: no answer, the connection is cut; phase after creates the order, phase before does not', async () => {
    const t = await faultSandbox();
    await setRules(t, [{ kind: 'timeout', method: 'consumeApply', probability: 1, delayMs: 150 }]);
    const processed = walletParam();
    await assert.rejects(raw(t, 'consumeApply', processed), TypeError, 'fetch fails: the socket is destroyed without an answer');
    assert.equal(t.sandbox.orderState(String(processed.bizOrderNo))?.status, 'unpaid', 'phase after: the order exists');

    await setRules(t, [{ kind: 'timeout', method: 'consumeApply', probability: 1, delayMs: 5000, phase: 'before' }]);
    const notProcessed = walletParam();
    await assert.rejects(client(t, 100).call('OrderService', 'consumeApply', notProcessed as never), (error: unknown) => error instanceof YunstTransportError && error.kind === 'timeout');
    assert.equal(t.sandbox.orderState(String(notProcessed.bizOrderNo)), undefined, 'phase before: no order');
    assert.deepEqual(t.sandbox.faults!.report().injected.map((f) => [f.kind, f.method, f.bizOrderNo, f.phase]), [['timeout', 'consumeApply', notProcessed.bizOrderNo, 'before']]);
  });

  it('error5xx: an HTML 502/503 page; phase before (the default) is not processed, phase after is', async () => {
    const t = await faultSandbox();
    await setRules(t, [{ kind: 'error5xx', method: 'consumeApply', probability: 1 }]);
    const before = walletParam();
    const response = await raw(t, 'consumeApply', before);
    assert.ok([502, 503].includes(response.status), String(response.status));
    assert.match(response.headers.get('content-type') ?? '', /text\/html/);
    assert.match(await response.text(), /<h1>50[23] /);
    assert.equal(t.sandbox.orderState(String(before.bizOrderNo)), undefined);
    await assert.rejects(client(t).call('OrderService', 'consumeApply', walletParam() as never), (error: unknown) => error instanceof YunstTransportError && error.kind === 'http');

    await setRules(t, [{ kind: 'error5xx', method: 'consumeApply', probability: 1, phase: 'after' }]);
    const afterParam = walletParam();
    assert.ok((await raw(t, 'consumeApply', afterParam)).status >= 500);
    assert.equal(t.sandbox.orderState(String(afterParam.bizOrderNo))?.status, 'unpaid');
  });

  it('garbage: HTTP 200 with a body that is not JSON (HTML or the answer cut in half); the call was processed', async () => {
    const t = await faultSandbox();
    await setRules(t, [{ kind: 'garbage', method: 'consumeApply', probability: 1 }]);
    const details = new Set<string>();
    for (let i = 0; i < 8; i++) {
      const param = walletParam();
      const response = await raw(t, 'consumeApply', param);
      assert.equal(response.status, 200);
      const body = await response.text();
      assert.throws(() => JSON.parse(body), SyntaxError, body);
      assert.throws(() => verifyResponse(body, platformKey), YunstFormatError);
      assert.equal(t.sandbox.orderState(String(param.bizOrderNo))?.status, 'unpaid');
    }
    for (const fault of t.sandbox.faults!.report().injected) details.add(fault.detail!);
    assert.deepEqual([...details].sort(), ['HTML instead of JSON', 'truncated JSON'], 'both shapes of garbage occur');
  });

  it('badSign: a well-formed signed answer whose sign does not verify with the platform key; before/after decide whether the order exists', async () => {
    const t = await faultSandbox();
    for (const phase of ['after', 'before'] as const) {
      await setRules(t, [{ kind: 'badSign', method: 'consumeApply', probability: 1, phase }]);
      const param = walletParam();
      const body = (await (await raw(t, 'consumeApply', param)).json()) as { status: string; signedValue: string; sign: string; sysid: string };
      assert.equal(body.status, 'OK');
      assert.equal(body.sysid, SYSID);
      assert.match(body.sign, /^[A-Za-z0-9+/]+={0,2}$/);
      assert.equal(JSON.parse(body.signedValue).bizOrderNo !== undefined || JSON.parse(body.signedValue).orderNo !== undefined, true);
      assert.equal(verifySource(body.signedValue, body.sign, platformKey), false);
      assert.throws(() => verifyResponse(JSON.stringify(body), platformKey), YunstSignatureError);
      assert.equal(t.sandbox.orderState(String(param.bizOrderNo)) !== undefined, phase === 'after', phase);
    }
    await assert.rejects(client(t).call('OrderService', 'consumeApply', walletParam() as never), YunstSignatureError);
  });

  it('noSign: the answer lacks sign; the client refuses it', async () => {
    const t = await faultSandbox();
    await setRules(t, [{ kind: 'noSign', method: 'getOrderDetail', probability: 1 }]);
    const bizOrderNo = await paidOrder(t);
    const body = (await (await raw(t, 'getOrderDetail', { bizOrderNo })).json()) as Record<string, unknown>;
    assert.equal(body.status, 'OK');
    assert.equal(typeof body.signedValue, 'string');
    assert.equal('sign' in body, false);
    await assert.rejects(client(t).call('OrderService', 'getOrderDetail', { bizOrderNo }), YunstSignatureError);
    // Other methods are untouched by a rule for getOrderDetail.
    ok(await t.call('OrderService', 'consumeApply', walletParam()));
  });

  it('staleDetail: getOrderDetail says unpaid for a paid order and "does not exist" for an unpaid one, correctly signed', async () => {
    const t = await faultSandbox();
    const paid = await paidOrder(t);
    const unpaid = walletParam();
    ok(await t.call('OrderService', 'consumeApply', unpaid));
    await setRules(t, [{ kind: 'staleDetail', probability: 1 }]);
    const stale = ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: paid }));
    assert.equal(stale.orderStatus, 1);
    assert.equal(stale.payDatetime, undefined);
    assert.equal(t.sandbox.orderState(paid)?.status, 'success', 'the truth is unchanged');
    assert.equal(errorCode(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: String(unpaid.bizOrderNo) })), '40000');
    assert.equal(errorCode(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: 'NEVER-CREATED' })), '40000');
    // A stale rule does not touch other methods, and a call it could not change is not counted.
    ok(await t.call('OrderService', 'consumeApply', walletParam()));
    assert.deepEqual(t.sandbox.faults!.report().injected.map((f) => f.detail), ['success → unpaid', 'unpaid → does not exist']);

    await fetch(`${t.url}/sandbox/faults`, { method: 'DELETE' });
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: paid })).orderStatus, 4);
  });

  it('filters: method, bizOrderNo and times limit where a rule fires', async () => {
    const t = await faultSandbox();
    const target = await paidOrder(t);
    const other = await paidOrder(t);
    await setRules(t, [{ kind: 'error5xx', method: 'getOrderDetail', bizOrderNo: target, probability: 1, times: 2 }]);
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await raw(t, 'getOrderDetail', { bizOrderNo: target })).status);
    statuses.push((await raw(t, 'getOrderDetail', { bizOrderNo: other })).status);
    assert.ok(statuses[0]! >= 500 && statuses[1]! >= 500);
    assert.deepEqual(statuses.slice(2), [200, 200]);
    assert.equal(t.sandbox.faults!.report().counts.error5xx, 2);
  });
});

describe('notification faults', () => {
  it('drop: the first attempt is not sent, the platform retry schedule delivers it later', async () => {
    const t = await faultSandbox();
    const r = await receiver();
    await setRules(t, [{ kind: 'drop', probability: 1 }]);
    const bizOrderNo = await paidOrder(t, r.url);
    const notification = t.sandbox.state.notifications.get(bizOrderNo)!;
    await notification.settled;
    assert.equal(notification.fault, 'drop');
    assert.deepEqual(notification.attempts.map((a) => [a.attempt, a.fault, a.status]), [[1, 'drop', undefined], [2, undefined, 200]]);
    assert.equal(r.received.length, 1);
    assert.equal(verifyNotification(r.received[0]!.body, platformKey).rps, notification.rps);
  });

  it('dropAll: no attempt is ever sent — only getOrderDetail knows the order is paid', async () => {
    const t = await faultSandbox({ notificationTimeScale: 0.00005 });
    const r = await receiver();
    await setRules(t, [{ kind: 'dropAll', probability: 1 }]);
    const bizOrderNo = await paidOrder(t, r.url);
    const notification = t.sandbox.state.notifications.get(bizOrderNo)!;
    await notification.settled;
    // The whole schedule (6 h × 0.00005 ≈ 1.1 s) passes without a request.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.equal(r.received.length, 0);
    assert.equal(notification.delivered, false);
    assert.equal(ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus, 4);
    // Dropped stays dropped when fault mode is turned off.
    t.sandbox.faults!.clear();
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(r.received.length, 0);
  });

  it('duplicate: the merchant endpoint receives 4 byte-identical, correctly signed bodies', async () => {
    const t = await faultSandbox();
    const r = await receiver();
    await setRules(t, [{ kind: 'duplicate', probability: 1 }]);
    const bizOrderNo = await paidOrder(t, r.url);
    const notification = t.sandbox.state.notifications.get(bizOrderNo)!;
    await notification.settled;
    assert.equal(r.received.length, 4);
    assert.equal(new Set(r.received.map((entry) => entry.body)).size, 1, 'one signature, four copies');
    assert.equal(verifyNotification(r.received[0]!.body, platformKey).rps, notification.rps);
    assert.deepEqual(notification.attempts.map((a) => [a.attempt, a.copy, a.status]), [[1, 1, 200], [1, 2, 200], [1, 3, 200], [1, 4, 200]]);
  });

  it('delay: held until delayMs has passed; clear() releases a held one at once', async () => {
    const t = await faultSandbox();
    const r = await receiver();
    await setRules(t, [{ kind: 'delay', probability: 1, delayMs: 300 }]);
    const first = await paidOrder(t, r.url);
    const notification = t.sandbox.state.notifications.get(first)!;
    assert.equal(notification.held, true);
    await notification.settled;
    assert.equal(notification.held, false);
    assert.equal(r.received.length, 1);

    await setRules(t, [{ kind: 'delay', probability: 1, delayMs: 600_000 }]);
    const second = await paidOrder(t, r.url);
    const held = t.sandbox.state.notifications.get(second)!;
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(held.held, true);
    assert.equal(r.received.length, 1, 'nothing sent while held');
    const cleared = await fetch(`${t.url}/sandbox/faults`, { method: 'DELETE' });
    assert.equal(cleared.status, 200);
    await held.settled;
    assert.equal(held.delivered, true);
    assert.equal(r.received.length, 2);
    assert.equal(t.sandbox.faults!.report().counts.delay, 1, 'the log since the last set() survives clear()');
  });

  it('reorder: held and sent in a shuffled order (seeded) once three are held; clear() releases a partial batch', async () => {
    const t = await faultSandbox();
    const r = await receiver();
    await setRules(t, [{ kind: 'reorder', probability: 1, delayMs: 600_000 }], 3);
    const paid: string[] = [];
    for (let i = 0; i < 3; i++) {
      paid.push(await paidOrder(t, r.url));
      if (i < 2) assert.equal(r.received.length, 0, 'held until the batch is full');
    }
    await Promise.all(paid.map((bizOrderNo) => t.sandbox.state.notifications.get(bizOrderNo)!.settled));
    const order = r.received.map((entry) => (verifyNotification(entry.body, platformKey).value.returnValue as { bizOrderNo: string }).bizOrderNo);
    assert.deepEqual([...order].sort(), [...paid].sort());
    assert.notDeepEqual(order, paid, 'seed 3 shuffles this batch out of payment order');

    const more = [await paidOrder(t, r.url), await paidOrder(t, r.url)];
    assert.equal(r.received.length, 3);
    t.sandbox.faults!.clear();
    await Promise.all(more.map((bizOrderNo) => t.sandbox.state.notifications.get(bizOrderNo)!.settled));
    assert.equal(r.received.length, 5);
  });

  it('unknownOrder: an extra, correctly signed notification for a bizOrderNo nobody created, to the same backUrl', async () => {
    const t = await faultSandbox();
    const r = await receiver();
    await setRules(t, [{ kind: 'unknownOrder', probability: 1 }]);
    const bizOrderNo = await paidOrder(t, r.url);
    const [fault] = t.sandbox.faults!.report().injected;
    assert.equal(fault?.kind, 'unknownOrder');
    const unknown = fault!.bizOrderNo!;
    assert.notEqual(unknown, bizOrderNo);
    await t.sandbox.state.notifications.get(bizOrderNo)!.settled;
    await t.sandbox.state.notifications.get(unknown)!.settled;
    assert.equal(r.received.length, 2);
    const about = r.received.map((entry) => verifyNotification(entry.body, platformKey).value.returnValue as { bizOrderNo: string; orderNo: string });
    assert.deepEqual(about.map((v) => v.bizOrderNo).sort(), [bizOrderNo, unknown].sort());
    assert.equal(t.sandbox.orderState(unknown), undefined, 'the sandbox has no such order');
    assert.equal(errorCode(await t.call('OrderService', 'getOrderDetail', { bizOrderNo: unknown })), '40000');
  });
});

describe('seeded replay', () => {
  /** A fixed sequence of calls and payments under random faults; what was injected, without the times. */
  async function run(seed: number) {
    const t = await faultSandbox({ dailyOrderLimit: false });
    const r = await receiver();
    const bizOrderNo = await paidOrder(t);
    // The run's own order numbers carry the seed; `S` stands for it so two runs compare.
    const neutral = (text: string) => text.replaceAll(bizOrderNo, 'PAID').replaceAll(`REPLAY${seed}X`, 'REPLAY-S-');
    await setRules(
      t,
      [
        { kind: 'garbage', method: 'getOrderDetail', probability: 0.3 },
        { kind: 'badSign', probability: 0.2 },
        { kind: 'noSign', probability: 0.2, phase: 'before' },
        { kind: 'error5xx', method: 'consumeApply', probability: 0.3 },
        { kind: 'drop', probability: 0.3 },
        { kind: 'duplicate', probability: 0.3 },
        { kind: 'unknownOrder', probability: 0.2 },
      ],
      seed,
    );
    for (let i = 0; i < 20; i++) await raw(t, 'getOrderDetail', { bizOrderNo });
    // More than the default 10 orders a day for one payer: dailyOrderLimit false holds in fault mode.
    for (let i = 0; i < 24; i++) {
      const param = { ...walletParam(r.url), bizOrderNo: `REPLAY${seed}X${i}` };
      const answer = await raw(t, 'consumeApply', param);
      if (answer.status === 200) await answer.text();
      const order = t.sandbox.state.orders.get(String(param.bizOrderNo));
      if (order?.walletToken) await postForm(`${t.url}/sandbox/wallet/${order.walletToken}`, { action: 'pay' });
    }
    const report = t.sandbox.faults!.report();
    const injected = report.injected.map(({ at: _at, ...rest }) => JSON.parse(neutral(JSON.stringify(rest))) as Omit<typeof rest, never>);
    assert.equal(injected.length, Object.values(report.counts).reduce((a, b) => a + b, 0));
    assert.deepEqual(injected.map((f) => f.seq), injected.map((_f, i) => i + 1));
    return { injected, settled: t.sandbox.settledOrders().length };
  }

  it('the same seed and call sequence inject the same faults; another seed others', async () => {
    const first = await run(2024);
    const again = await run(2024);
    const other = await run(77);
    assert.ok(first.injected.length > 5, `some faults fired (${first.injected.length})`);
    assert.ok(first.settled > 10, `more than 10 orders of one payer settled (${first.settled})`);
    assert.deepEqual(again.injected, first.injected);
    assert.notDeepEqual(other.injected, first.injected);
    const kinds = new Set(first.injected.map((f) => f.kind));
    for (const kind of ['garbage', 'error5xx', 'drop', 'duplicate']) assert.ok(kinds.has(kind as never), `${kind} fired in the run`);
  });
});

describe("the sandbox's truth about orders", () => {
  it('orderState and settledOrders, and in fault mode the same over GET /sandbox/faults/orders', async () => {
    const t = await faultSandbox();
    const unpaid = walletParam();
    ok(await t.call('OrderService', 'consumeApply', unpaid));
    const paid = await paidOrder(t);
    assert.deepEqual(
      { ...t.sandbox.orderState(String(unpaid.bizOrderNo)), orderNo: undefined },
      { bizOrderNo: unpaid.bizOrderNo, orderNo: undefined, status: 'unpaid', amount: 1, payMethod: 'SCAN_WEIXIN', payMethods: ['SCAN_WEIXIN'] },
    );
    const truth = t.sandbox.orderState(paid)!;
    assert.equal(truth.status, 'success');
    assert.equal(typeof truth.payDatetime, 'string');
    assert.deepEqual(t.sandbox.settledOrders().map((o) => o.bizOrderNo), [paid]);
    assert.equal(t.sandbox.orderState('NEVER-CREATED'), undefined);

    const overHttp = await fetch(`${t.url}/sandbox/faults/orders/${paid}`);
    assert.deepEqual(await overHttp.json(), truth);
    assert.equal((await fetch(`${t.url}/sandbox/faults/orders/NEVER-CREATED`)).status, 404);
    const all = (await (await fetch(`${t.url}/sandbox/faults/orders`)).json()) as { bizOrderNo: string; status: string }[];
    assert.deepEqual(all.map((o) => [o.bizOrderNo, o.status]), [[unpaid.bizOrderNo, 'unpaid'], [paid, 'success']]);
  });
});
