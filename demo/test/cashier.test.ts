// The counter's server side against the real sandbox: staff sessions, amounts, and the walk-in payers rotated under the
// platform's 10-a-day limit (spec §4.2.1 note 5) — the sandbox enforces the limit, so a wrong rotation would fail here.
import { startSandbox, testKeySet, type RunningSandbox } from '@tsy/testing';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startDemoMerchant, type DemoMerchant } from '../server/app.js';
import { parseCounterAmount } from '../server/cashier.js';
import { DEMO_SYSID, settingsFrom } from '../server/dev.js';
import { StaffSessions } from '../server/staff.js';
import { chooseWalkInPayer, walkInPayerId } from '../server/walk-in-payers.js';
import { Shopper } from './support/shopper.js';

const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-cashier-test-'));
after(() => rmSync(temp, { recursive: true, force: true }));

describe('counter amounts and staff PINs', () => {
  test('an amount is yuan with at most two decimals, ¥0.01–50,000.00, turned into fen exactly', () => {
    assert.equal(parseCounterAmount('12.3'), 1230);
    assert.equal(parseCounterAmount('0.01'), 1);
    assert.equal(parseCounterAmount(' 50000.00 '), 5_000_000);
    assert.equal(parseCounterAmount('19.99'), 1999, 'no floating-point rounding');
    for (const bad of ['0', '0.00', '50000.01', '1.234', '-1', '1e3', '', 'abc', '１２']) assert.equal(parseCounterAmount(bad), undefined, bad);
    assert.equal(parseCounterAmount(12), undefined, 'a number is not taken: the page sends what the staff typed');
  });

  test('the PIN must be digits; a wrong or missing one never matches; without a PIN nobody signs in', () => {
    assert.throws(() => new StaffSessions('12a456'), /6–12 digits/);
    assert.throws(() => new StaffSessions('2468'), /6–12 digits/, 'four digits are too few to keep out a guesser');
    const staff = new StaffSessions('246813');
    assert.equal(staff.pinMatches('246813'), true);
    for (const wrong of ['246814', '2468130', '', undefined, 246813, ['246813']]) assert.equal(staff.pinMatches(wrong), false, String(wrong));
    assert.equal(new StaffSessions(undefined).pinMatches('246813'), false);
  });

  test('settings: TSY_DEMO_STAFF_PIN (6–12 digits) and TSY_DEMO_WALKIN_POOL (1–99)', () => {
    assert.equal(settingsFrom({ TSY_DEMO_STAFF_PIN: '864209' }).staffPin, '864209');
    assert.equal(settingsFrom({ TSY_DEMO_WALKIN_POOL: '5' }).walkInPoolSize, 5);
    assert.throws(() => settingsFrom({ TSY_DEMO_STAFF_PIN: '12' }), /6–12 digits/);
    assert.throws(() => settingsFrom({ TSY_DEMO_WALKIN_POOL: '0' }), /1–99/);
    assert.equal(settingsFrom({}).staffPin, undefined);
  });

  test('walk-in payers: the fewest counted today; a member stops at 9 (one of the 10 kept); failed payments do not count', () => {
    const now = new Date('2026-03-02T04:00:00Z');
    const today = now.toISOString();
    const yesterday = '2026-03-01T04:00:00Z';
    const sale = (member: number, payments: Record<string, string> = {}, createdAt = today) => ({ payerBizUserId: walkInPayerId(member), createdAt, payments });
    assert.equal(chooseWalkInPayer([], 3, now)?.bizUserId, 'demo-walkin-01');
    assert.equal(chooseWalkInPayer([sale(0)], 3, now)?.bizUserId, 'demo-walkin-02');
    const nine = Array.from({ length: 9 }, () => sale(0));
    assert.equal(chooseWalkInPayer(nine, 1, now), undefined, 'member 1 is full at 9');
    assert.equal(chooseWalkInPayer(nine.map((s) => ({ ...s, createdAt: yesterday })), 1, now)?.bizUserId, 'demo-walkin-01', 'a new CST day starts afresh');
    const eight = Array.from({ length: 8 }, () => sale(0, { P1: 'failed' }));
    assert.equal(chooseWalkInPayer(eight, 1, now)?.bizUserId, 'demo-walkin-01', 'a sale whose payments failed still counts once');
    assert.equal(chooseWalkInPayer([...eight, sale(0, { P2: 'success', P3: 'success' })], 1, now), undefined, 'two payments of one sale count twice');
  });
});

describe('the counter against the sandbox', () => {
  let running: RunningSandbox;
  let merchant: DemoMerchant;
  let server: Server;
  let base: string;
  const lines: string[] = [];
  const keys = testKeySet();

  before(async () => {
    running = await startSandbox({ keys, sysid: DEMO_SYSID, notificationTimeScale: 0.001 });
    server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    merchant = await startDemoMerchant({
      server,
      dataDir: join(temp, 'data'),
      sysid: DEMO_SYSID,
      keys,
      sandboxUrl: running.url,
      sandboxSoaUrl: running.soaUrl,
      publicBaseUrl: base,
      resultUrl: `${base}/checkout/result`,
      staffPin: '135791',
      walkInPoolSize: 2,
      log: (line) => lines.push(line),
    });
  });
  after(async () => {
    await merchant.close();
    await running.close();
  });

  const code = async () => ((await (await fetch(`${running.url}/sandbox/payment-codes?format=json&wallet=wechat&outcome=success`)).json()) as { code: string }[])[0]!.code;

  test('only staff make counter sales and see them; each is paid by a walk-in member, rotated; the pool ends before the platform refuses', { timeout: 120_000 }, async () => {
    const stranger = new Shopper(base);
    assert.equal((await stranger.call('POST', '/api/cashier/orders', { amount: '1.00' })).status, 401);
    assert.equal((await stranger.call('POST', '/api/cashier/session', { pin: '97531' })).status, 401);

    const staff = new Shopper(base);
    assert.equal((await staff.call('POST', '/api/cashier/session', { pin: '135791' })).status, 200);
    assert.deepEqual((await staff.call('GET', '/api/cashier/session')).body, { signedIn: true });
    assert.equal((await staff.call('POST', '/api/cashier/orders', { amount: '0' })).body.error.code, 'invalid_amount');

    const payers: string[] = [];
    for (let i = 0; i < 18; i++) {
      const sale = await staff.call('POST', '/api/cashier/orders', { amount: '1.00' });
      assert.equal(sale.status, 201, JSON.stringify(sale.body));
      const id: string = sale.body.order.id;
      if (i === 0) {
        assert.equal((await stranger.call('GET', `/api/checkout/orders/${id}`)).status, 404, 'a counter sale is nobody else’s');
        const view = await staff.call('GET', `/api/checkout/orders/${id}`);
        assert.deepEqual(view.body.methods.map((m: { method: string }) => m.method), ['CODEPAY_VSP']);
        assert.equal(view.body.amount, 100);
      }
      const paid = await staff.call('POST', `/api/checkout/orders/${id}/payments`, { method: 'CODEPAY_VSP', authcode: await code() });
      assert.equal(paid.status, 201, `sale ${i + 1}: ${JSON.stringify(paid.body)}`);
      assert.equal(paid.body.state, 'success');
      payers.push(/paid by (demo-walkin-\d\d)/.exec(lines.filter((line) => line.includes(id)).join('\n'))![1]!);
    }
    assert.deepEqual(
      [payers.filter((p) => p === 'demo-walkin-01').length, payers.filter((p) => p === 'demo-walkin-02').length],
      [9, 9],
      'two members, nine sales each, alternating',
    );
    const full = await staff.call('POST', '/api/cashier/orders', { amount: '1.00' });
    assert.equal(full.status, 503);
    assert.equal(full.body.error.code, 'walk_in_pool_exhausted');

    // The shop's own orders never offer the counter's method.
    const shopper = new Shopper(base);
    const order = await shopper.call('POST', '/api/shop/orders', { items: [{ productId: 'sticker', quantity: 1 }] });
    const methods = (await shopper.call('GET', `/api/checkout/orders/${order.body.order.id}`)).body.methods.map((m: { method: string }) => m.method);
    assert.ok(methods.includes('SCAN_WEIXIN') && !methods.includes('CODEPAY_VSP'), methods.join(','));

    assert.deepEqual((await staff.call('DELETE', '/api/cashier/session')).body, { signedIn: false });
    assert.equal((await staff.call('POST', '/api/cashier/orders', { amount: '1.00' })).status, 401, 'signed out');
  });
});
