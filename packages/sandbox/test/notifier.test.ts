// Order notifications (spec §3.7): at most 4 attempts at 5 s, 10 min, 1 h, 6 h after the event, until an HTTP 200.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { verifyNotification } from '@tsy/yunst';
import { NOTIFICATION_SCHEDULE_MS } from '../src/index.js';
import { consumeParam, createPayer, ok, platformKey, postForm, startReceiver, startSandbox, type TestSandbox } from './support/sandbox.js';

/** 5 s, 10 min, 1 h, 6 h → scaled to 0.25 ms, 30 ms, 180 ms, 1.08 s. */
const SCALE = 0.00005;
const offsets = NOTIFICATION_SCHEDULE_MS.map((ms) => ms * SCALE);

async function paidOrder(t: TestSandbox, backUrl: string): Promise<string> {
  const param = consumeParam('n-payer', { SCAN_WEIXIN: { amount: 1, limitPay: '' } }, 1, { backUrl });
  const payInfo = String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo);
  await postForm(payInfo, { action: 'pay' });
  return String(param.bizOrderNo);
}

describe('order notifications', () => {
  const cleanup: (() => Promise<void>)[] = [];
  after(async () => {
    for (const close of cleanup) await close();
  });

  /** A paid order whose backUrl answers with `statuses`, once its notification has settled. */
  async function notifiedOrder(statuses: number[]) {
    const t = await startSandbox({ notificationTimeScale: SCALE });
    const receiver = await startReceiver(statuses);
    cleanup.push(t.close, receiver.close);
    await createPayer(t, 'n-payer');
    const notification = t.sandbox.state.notifications.get(await paidOrder(t, receiver.url))!;
    await notification.settled;
    const sinceEvent = notification.attempts.map((a) => a.at.getTime() - notification.eventAt.getTime());
    return { receiver, notification, sinceEvent };
  }

  it('retries after non-200 answers and stops at the first 200: 500, 500, 200 → exactly 3 attempts on schedule', async () => {
    const { receiver, notification, sinceEvent } = await notifiedOrder([500, 500, 200]);
    assert.equal(notification.delivered, true);
    assert.deepEqual(notification.attempts.map((a) => [a.attempt, a.status]), [[1, 500], [2, 500], [3, 200]]);
    assert.equal(receiver.received.length, 3);
    for (let i = 0; i < 3; i++) {
      // Never early; late by at most a generous margin (timers, loaded machines).
      assert.ok(sinceEvent[i]! >= offsets[i]! - 2, `attempt ${i + 1} at ${sinceEvent[i]} ms, due at ${offsets[i]} ms`);
      assert.ok(sinceEvent[i]! < offsets[i]! + 1500, `attempt ${i + 1} at ${sinceEvent[i]} ms, due at ${offsets[i]} ms`);
    }
    // Every attempt is signed afresh and verifies; all carry the same rps.
    const bodies = receiver.received.map((r) => verifyNotification(r.body, platformKey));
    assert.ok(bodies.every((b) => b.rps === notification.rps));
    // Nothing more comes, even after the 4th attempt would have been due.
    await new Promise((resolve) => setTimeout(resolve, offsets[3]! - offsets[2]! + 200));
    assert.equal(receiver.received.length, 3);
    assert.equal(notification.attempts.length, 3);
  });

  it('an endpoint that never answers 200 gets exactly 4 attempts', async () => {
    const { receiver, notification, sinceEvent } = await notifiedOrder([503]);
    assert.equal(notification.delivered, false);
    assert.deepEqual(notification.attempts.map((a) => a.status), [503, 503, 503, 503]);
    assert.equal(receiver.received.length, 4);
    assert.ok(sinceEvent[3]! >= offsets[3]! - 2);
  });

  it('close() stops notifications still waiting for their attempt', async () => {
    const t = await startSandbox({ notificationTimeScale: 1 });
    cleanup.push(t.close);
    await createPayer(t, 'n-payer');
    const bizOrderNo = await paidOrder(t, 'http://127.0.0.1:9/never-called');
    const notification = t.sandbox.state.notifications.get(bizOrderNo)!;
    assert.equal(notification.attempts.length, 0, 'the first attempt waits 5 s');
    await t.close();
    await notification.settled;
    assert.equal(notification.finished, true);
    assert.equal(notification.attempts.length, 0);
  });
});
