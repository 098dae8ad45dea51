// PaymentStatusController against the real BFF and sandbox (test-support/stack.mjs), through its fault-injecting proxy
// where a test needs a worse network (a refused stream, slow answers) and counters kept server-side.
import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import { CheckoutApi } from '../api/checkout-api.js';
import type { PaymentState, Settlement } from '../api/types.js';
import { PaymentStatusController, type PaymentStatusOptions } from './payment-status-controller.js';
import { createPayment, faultyBff, newOrder, paymentNow, pendingPayment, wallet, type ProxyStats } from '../test-support/stack.js';

/** The real BFF behind the proxy, as a CheckoutApi. */
function bff(faults: Parameters<typeof faultyBff>[1] = {}) {
  const run = faultyBff('status', faults);
  return { api: new CheckoutApi(run.api, () => 'zh-CN'), stats: run.stats };
}

/** A host without an element, and a controller on it that records every state. */
function watcher(options: Partial<PaymentStatusOptions> = {}) {
  const controllers: ReactiveController[] = [];
  const states: [PaymentState, string | undefined, Settlement | undefined][] = [];
  const host = {
    addController: (controller: ReactiveController) => void controllers.push(controller),
    removeController: () => {},
    requestUpdate: () => {},
    updateComplete: Promise.resolve(true),
  };
  const controller = new PaymentStatusController(host, { onState: (state, message, settlement) => states.push([state, message, settlement]), ...options });
  return { controller, states, disconnect: () => controllers.forEach((c) => c.hostDisconnected?.()) };
}

describe('PaymentStatusController', () => {
  it('follows the SSE stream: current state on connect, then the final one with its settlement; closes the stream and never polls', async () => {
    const proxy = bff();
    const { bizOrderNo } = await pendingPayment();
    const { controller, states } = watcher();
    controller.watch(proxy.api, bizOrderNo);
    await waitUntil(() => states.length === 1, 'current state on connect', { timeout: 3000 });
    await wallet(bizOrderNo, 'pay');
    await waitUntil(() => controller.state === 'success', 'success', { timeout: 5000 });
    expect(states).to.deep.equal([
      ['pending', undefined, undefined],
      ['success', undefined, 'paid'],
    ]);
    await waitUntil(async () => (await proxy.stats()).openStreams === 0, 'stream closed', { timeout: 2000 });
    const stats = await proxy.stats();
    expect(stats.streams).to.equal(1);
    expect(stats.gets).to.have.length(0);
    expect(controller.bizOrderNo).to.equal(undefined);
  });

  it('passes on the failure message of the stream', async () => {
    const proxy = bff();
    const { bizOrderNo } = await pendingPayment();
    const { controller, states } = watcher();
    controller.watch(proxy.api, bizOrderNo);
    await wallet(bizOrderNo, 'fail');
    await waitUntil(() => controller.state === 'failed', 'failed', { timeout: 5000 });
    const message = (await paymentNow(bizOrderNo)).failure?.message;
    expect(message, 'the platform gave a reason').to.be.a('string').and.not.equal('');
    expect(states.at(-1)).to.deep.equal(['failed', message, undefined]);
  });

  it('falls back to polling when the stream answers with an HTTP error', async () => {
    const proxy = bff({ sse: 500 });
    const { bizOrderNo } = await pendingPayment();
    const { controller, states } = watcher();
    controller.watch(proxy.api, bizOrderNo);
    await waitUntil(async () => (await proxy.stats()).gets.length > 0, 'polling', { timeout: 3000 });
    await wallet(bizOrderNo, 'pay');
    await waitUntil(() => controller.state === 'success', 'success by polling', { timeout: 6000 });
    const stats = await proxy.stats();
    expect(stats.streams).to.equal(1);
    expect(stats.gets.length).to.be.greaterThan(0);
    expect(states.at(-1)).to.deep.equal(['success', undefined, 'paid']);
  });

  it('polls every 2 s while young, every 10 s after the first minute (clock injected), one request at a time', async function () {
    this.timeout(20_000);
    // Read when watching starts and after each answer: the payment turns a minute old after the first answer.
    let readings = 0;
    const proxy = bff();
    const { bizOrderNo } = await pendingPayment();
    const { controller } = watcher({ useEventSource: false, now: () => (readings++ < 2 ? 0 : 61_000) });
    const watchedAt = Date.now();
    controller.watch(proxy.api, bizOrderNo);
    await waitUntil(async () => (await proxy.stats()).gets.length === 2, 'second poll', { timeout: 4000, interval: 50 });
    await aTimeout(3000);
    expect((await proxy.stats()).gets, 'no poll 2 s later once slow').to.have.length(2);
    await waitUntil(async () => (await proxy.stats()).gets.length === 3, 'third poll', { timeout: 9000, interval: 100 });
    controller.stop();
    const { gets, maxInFlight } = await proxy.stats();
    const [first, second, third] = gets as [ProxyStats['gets'][0], ProxyStats['gets'][0], ProxyStats['gets'][0]];
    expect(first.start - watchedAt, 'the first poll at once').to.be.below(300);
    expect(second.start - first.end).to.be.within(1900, 2400);
    expect(third.start - second.end).to.be.within(9900, 10_500);
    expect(maxInFlight).to.equal(1);
  });

  it('stop() cancels the request in flight and polls no more; so does the host disconnecting', async () => {
    const proxy = bff({ delay: 500 });
    const { bizOrderNo } = await pendingPayment();
    const { controller, states } = watcher({ useEventSource: false });
    controller.watch(proxy.api, bizOrderNo);
    await waitUntil(async () => (await proxy.stats()).inFlight === 1, 'in flight', { timeout: 2000, interval: 20 });
    controller.stop();
    await aTimeout(2800);
    expect((await proxy.stats()).gets).to.have.length(1);
    expect(states, 'the cancelled answer is not reported').to.deep.equal([]);

    const other = bff();
    const second = watcher();
    second.controller.watch(other.api, bizOrderNo);
    await waitUntil(async () => (await other.stats()).openStreams === 1, 'stream open', { timeout: 2000 });
    second.disconnect();
    await waitUntil(async () => (await other.stats()).openStreams === 0, 'stream closed', { timeout: 2000 });
  });

  it('a new watch replaces the old one: only the new payment is reported', async () => {
    const slow = bff({ delay: 400 });
    const fresh = bff();
    const order = await newOrder();
    const old = await createPayment(order);
    await wallet(old.bizOrderNo, 'pay');
    await waitUntil(async () => (await paymentNow(old.bizOrderNo)).state === 'success', 'the old one paid', { timeout: 5000 });
    const current = await pendingPayment();
    const { controller, states } = watcher({ useEventSource: false });
    controller.watch(slow.api, old.bizOrderNo);
    controller.watch(fresh.api, current.bizOrderNo);
    await waitUntil(async () => (await fresh.stats()).gets.length === 1 && (await fresh.stats()).inFlight === 0, 'new polled', { timeout: 3000 });
    await aTimeout(600);
    expect(states.map(([state]) => state)).to.deep.equal(['pending']);
    expect(controller.bizOrderNo).to.equal(current.bizOrderNo);
    controller.stop();
  });
});
