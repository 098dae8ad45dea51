import { aTimeout, expect, waitUntil } from '@open-wc/testing';
import type { ReactiveController } from 'lit';
import { CountdownController } from './countdown-controller.js';

/** A host without an element: counts updates, and disconnects on demand. */
function host() {
  const controllers: ReactiveController[] = [];
  return {
    updates: 0,
    addController: (controller: ReactiveController) => void controllers.push(controller),
    removeController: () => {},
    requestUpdate() {
      this.updates++;
    },
    updateComplete: Promise.resolve(true),
    disconnect: () => controllers.forEach((controller) => controller.hostDisconnected?.()),
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe('CountdownController', () => {
  it('counts in server time: a client clock 10 minutes wrong either way changes nothing', () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    const serverNow = clock + 10 * 60_000; // the client is 10 minutes behind
    const countdown = new CountdownController(host(), undefined, () => clock);
    countdown.start(iso(serverNow + 90_000), iso(serverNow), clock);
    expect(countdown.remaining).to.equal(90);
    clock += 30_500;
    expect(countdown.remaining).to.equal(60);
    countdown.stop();

    const ahead = new CountdownController(host(), undefined, () => clock);
    ahead.start(iso(clock - 10 * 60_000 + 45_000), iso(clock - 10 * 60_000), clock); // the client is 10 minutes ahead
    expect(ahead.remaining).to.equal(45);
    ahead.stop();
  });

  it('applies the offset measured when the answer arrived, not when counting starts', () => {
    let clock = 1_000_000;
    const countdown = new CountdownController(host(), undefined, () => clock);
    const receivedAt = clock;
    clock += 5000; // the host started counting 5 s after the payment arrived
    countdown.start(iso(2_000_000 + 60_000), iso(2_000_000), receivedAt);
    expect(countdown.remaining).to.equal(55);
    countdown.stop();
  });

  it('without a readable deadline counts nothing and never expires', async () => {
    let expired = 0;
    const countdown = new CountdownController(host(), () => expired++);
    countdown.start('', '');
    expect(countdown.remaining).to.equal(0);
    expect(countdown.running).to.equal(false);
    await aTimeout(50);
    expect(expired).to.equal(0);
  });

  it('expires on time (not up to a second late) and updates the host once per second', async () => {
    const h = host();
    let expiredAt = 0;
    const countdown = new CountdownController(h, () => (expiredAt = Date.now()));
    const started = Date.now();
    countdown.start(iso(started + 2300), iso(started));
    expect(countdown.remaining).to.equal(3);
    await waitUntil(() => expiredAt > 0, 'expired', { timeout: 4000 });
    expect(expiredAt - started).to.be.within(2280, 2500);
    // 3 → 2 → 1 → 0: the first reading plus one update per change, not one per animation frame.
    expect(h.updates).to.equal(4);
    expect(countdown.remaining).to.equal(0);
    expect(countdown.running).to.equal(false);
  });

  it('an expired deadline expires at once; the host disconnecting stops the count', async () => {
    let expired = 0;
    const past = new CountdownController(host(), () => expired++);
    past.start(iso(Date.now() - 1000), iso(Date.now()));
    expect(expired).to.equal(1);

    const h = host();
    const countdown = new CountdownController(h, () => expired++);
    countdown.start(iso(Date.now() + 1500), iso(Date.now()));
    expect(countdown.running).to.equal(true);
    h.disconnect();
    expect(countdown.running).to.equal(false);
    await aTimeout(1800);
    expect(expired).to.equal(1);
  });
});
