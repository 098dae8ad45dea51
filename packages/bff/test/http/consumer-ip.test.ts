// Where consumerIp comes from is said, not silent: outside sandbox mode the fallback must be configured; the router says
// once which `trust proxy` decides `req.ip` and what private addresses become; the config's trustProxy is not applied to
// a mounted router (the host app's setting is), and the router says so when they differ.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Request } from 'express';
import { ConfigError, parseBffConfig } from '../../src/config/config.js';
import { clientIp } from '../../src/http/client-info.js';
import { api, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

const base = {
  sysid: '1902271423530473681',
  merchantKey: { pemFile: '/keys/merchant.pem' },
  platformCertFile: '/keys/platform.cer',
  publicBaseUrl: 'https://shop.example.com',
};

describe('config: fallbackConsumerIp', () => {
  for (const environment of ['test', 'production'] as const) {
    it(`is required when environment is "${environment}", with a problem line saying why`, () => {
      assert.throws(
        () => parseBffConfig({ ...base, environment }),
        (error: unknown) => error instanceof ConfigError && error.problems.some((problem) => /^fallbackConsumerIp: required when environment is "(test|production)"/.test(problem)),
      );
      assert.equal(parseBffConfig({ ...base, environment, fallbackConsumerIp: '198.51.100.7' }).fallbackConsumerIp, '198.51.100.7');
    });
  }

  it('defaults to the documentation address in sandbox mode only', () => {
    assert.equal(parseBffConfig({ ...base, environment: 'sandbox', sandboxUrl: 'http://127.0.0.1:1' }).fallbackConsumerIp, '203.0.113.10');
  });

  it('refuses loopback as a fallback', () => {
    assert.throws(() => parseBffConfig({ ...base, environment: 'test', fallbackConsumerIp: '127.0.0.1' }), ConfigError);
  });
});

describe('router: where consumerIp comes from', () => {
  let sandbox: Sandbox;
  const merchants: Merchant[] = [];
  before(async () => {
    sandbox = await startSandbox();
  });
  after(async () => {
    for (const merchant of merchants) await merchant.close();
    await sandbox?.close();
  });

  it('says once, at the first request, the host app’s trust proxy and what private addresses become', async () => {
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, configureApp: (app) => app.set('trust proxy', 'loopback') });
    merchants.push(merchant);
    // The store it opened is said at once (createStore); of consumerIp, nothing before the router knows its app.
    assert.deepEqual(merchant.logs.map((line) => line.message), ['store: SQLite (one instance)']);
    await api(merchant.url, '/api/checkout/orders/SO-NOPE');
    await api(merchant.url, '/api/checkout/payments/TSY-NOPE');
    const lines = merchant.logs.filter((line) => /consumerIp/.test(line.message));
    assert.equal(lines.length, 1, JSON.stringify(merchant.logs));
    assert.equal(lines[0]!.level, 'info');
    assert.equal(lines[0]!.message, 'consumerIp from req.ip (trust proxy: "loopback"); private/loopback addresses become 203.0.113.10 (the sandbox default)');
  });

  it('a config trustProxy the host app does not share is not applied, and the router warns', async () => {
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, config: { trustProxy: 1 } });
    merchants.push(merchant);
    await api(merchant.url, '/yunst/return');
    assert.ok(merchant.logs.some((line) => /consumerIp from req\.ip \(trust proxy: false\)/.test(line.message)), JSON.stringify(merchant.logs));
    assert.ok(merchant.logs.some((line) => line.level === 'warn' && /config\.trustProxy \(1\) is not applied to a mounted router/.test(line.message)));
    // The host app's setting (default: trust nothing) is what decides req.ip.
    assert.equal(merchant.app.get('trust proxy'), false);
  });
});

describe('clientIp: the client the limits count', () => {
  const of = (ip: string) => clientIp({ ip, socket: {} } as unknown as Request);
  it('is an IPv4 address as it is, without the ::ffff: of a dual-stack socket', () => {
    assert.equal(of('198.51.100.7'), '198.51.100.7');
    assert.equal(of('::ffff:198.51.100.7'), '198.51.100.7');
  });
  it('is the /64 of an IPv6 address, however it is written: one subscriber holds a whole /64', () => {
    assert.equal(of('2001:db8:1:2:3:4:5:6'), '2001:db8:1:2::/64');
    assert.equal(of('2001:DB8:0001:0002:ffff::9'), '2001:db8:1:2::/64');
    assert.equal(of('2001:db8:1::'), '2001:db8:1:0::/64');
    assert.notEqual(of('2001:db8:1:3::1'), of('2001:db8:1:2::1'));
  });
});

describe('router: trust proxy true', () => {
  it('is warned about: any client then writes req.ip through X-Forwarded-For', async () => {
    const sandbox = await startSandbox();
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, configureApp: (app) => app.set('trust proxy', true) });
    try {
      await api(merchant.url, '/api/checkout/orders/SO-NOPE');
      assert.ok(merchant.logs.some((line) => line.level === 'warn' && /`trust proxy` is true/.test(line.message)), JSON.stringify(merchant.logs));
    } finally {
      await merchant.close();
      await sandbox.close();
    }
  });
});
