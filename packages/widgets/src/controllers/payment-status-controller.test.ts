// PaymentStatusController against the test BFF of web-test-runner.config.mjs (/__test-bff: the BFF's GET payment and SSE
// contract, with counters kept server-side).
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import { CheckoutApi } from '../api/checkout-api.js';
import type { PaymentState } from '../api/types.js';
import { PaymentStatusController, type PaymentStatusOptions } from './payment-status-controller.js';
import { testBff as scenarioOf, type RunStats } from '../test-support/test-bff.js';

/** A fresh scenario of the test BFF, as a CheckoutApi. */
function testBff(scenario: Record<string, string | number> = {}) {
  const run = scenarioOf('status', scenario);
  return { api: new CheckoutApi(run.api, () => 'zh-CN'), stats: run.stats };
}

/** A host without an element, and a controller on it that records every state. */
function watcher(options: Partial<PaymentStatusOptions> = {}) {
  const controllers: ReactiveController[] = [];
  const states: [PaymentState, string | undefined][] = [];
  const host = {
    addController: (controller: ReactiveController) => void controllers.push(controller),
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  const controller = new PaymentStatusController(host, { onState: (state, message) => states.push([state, message]), ...options });
  return { controller, states, disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()) };
}

describe('PaymentStatusController', () => {
  it('follows the SSE stream: current state on connect, then the final one; closes the stream and never polls', async () => {
    const bff = testBff({ final: 'success', after: 300 });
    const { controller, states } = watcher();
    controller.watch(bff.api, 'B-SSE');
    await waitUntil(() => controller.state === 'success', 'success', { timeout: 3000 });
    expect(states.map(([state]) => state)).to.deep.equal(['pending', 'success']);
    await waitUntil(async () => (await bff.stats()).openStreams === 0, 'stream closed', { timeout: 2000 });
    const stats = await bff.stats();
    expect(stats.streams).to.equal(1);
    expect(stats.gets).to.have.length(0);
    expect(controller.bizOrderNo).to.equal(undefined);
  });

  it('passes on the failure message of the stream', async () => {
    const bff = testBff({ final: 'failed', after: 0, message: '余额不足' });
    const { controller, states } = watcher();
    controller.watch(bff.api, 'B-FAIL');
    await waitUntil(() => controller.state === 'failed', 'failed', { timeout: 3000 });
    expect(states.at(-1)).to.deep.equal(['failed', '余额不足']);
  });

  it('falls back to polling when the stream answers with an HTTP error', async () => {
    const bff = testBff({ sse: 500, final: 'success', after: 200 });
    const { controller, states } = watcher();
    controller.watch(bff.api, 'B-FALLBACK');
    await waitUntil(() => controller.state === 'success', 'success by polling', { timeout: 5000 });
    const stats = await bff.stats();
    expect(stats.streams).to.equal(1);
    expect(stats.gets.length).to.be.greaterThan(0);
    expect(states.at(-1)![0]).to.equal('success');
  });

  it('polls every 2 s while young, every 10 s after the first minute (clock injected), one request at a time', async function () {
    this.timeout(20_000);
    // Read when watching starts and after each answer: the payment turns a minute old after the first answer.
    let readings = 0;
    const bff = testBff();
    const { controller } = watcher({ useEventSource: false, now: () => (readings++ < 2 ? 0 : 61_000) });
    const watchedAt = Date.now();
    controller.watch(bff.api, 'B-SLOW');
    await waitUntil(async () => (await bff.stats()).gets.length === 2, 'second poll', { timeout: 3000, interval: 50 });
    await aTimeout(3000);
    expect((await bff.stats()).gets, 'no poll 2 s later once slow').to.have.length(2);
    await waitUntil(async () => (await bff.stats()).gets.length === 3, 'third poll', { timeout: 9000, interval: 100 });
    controller.stop();
    const { gets, maxInFlight } = await bff.stats();
    const [first, second, third] = gets as [RunStats['gets'][0], RunStats['gets'][0], RunStats['gets'][0]];
    expect(first.start - watchedAt, 'the first poll at once').to.be.below(300);
    expect(second.start - first.end).to.be.within(1900, 2400);
    expect(third.start - second.end).to.be.within(9900, 10_500);
    expect(maxInFlight).to.equal(1);
  });

  it('stop() cancels the request in flight and polls no more; so does the host disconnecting', async () => {
    const bff = testBff({ delay: 500 });
    const { controller } = watcher({ useEventSource: false });
    controller.watch(bff.api, 'B-STOP');
    await waitUntil(async () => (await bff.stats()).inFlight === 1, 'in flight', { timeout: 2000, interval: 20 });
    controller.stop();
    await aTimeout(2800);
    expect((await bff.stats()).gets).to.have.length(1);

    const other = testBff();
    const second = watcher();
    second.controller.watch(other.api, 'B-DISCONNECT');
    await waitUntil(async () => (await other.stats()).openStreams === 1, 'stream open', { timeout: 2000 });
    second.disconnect();
    await waitUntil(async () => (await other.stats()).openStreams === 0, 'stream closed', { timeout: 2000 });
  });

  it('a new watch replaces the old one: only the new payment is reported', async () => {
    const slow = testBff({ delay: 400, final: 'success', after: 0 });
    const fresh = testBff();
    const { controller, states } = watcher({ useEventSource: false });
    controller.watch(slow.api, 'B-OLD');
    controller.watch(fresh.api, 'B-NEW');
    await waitUntil(async () => (await fresh.stats()).gets.length === 1 && (await fresh.stats()).inFlight === 0, 'new polled', { timeout: 2000 });
    await aTimeout(600);
    expect(states.map(([state]) => state)).to.deep.equal(['pending']);
    expect(controller.bizOrderNo).to.equal('B-NEW');
    controller.stop();
  });
});
