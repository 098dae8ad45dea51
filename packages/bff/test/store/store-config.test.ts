// Which store the configuration names: `store` (or TSY_DATABASE_URL) wins over `dataDir`; a bad one is a ConfigError that
// does not repeat the URL; the URL is logged without its password.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigError, loadBffConfig, parseBffConfig } from '../../src/config/config.js';
import { createStore, redactDatabaseUrl } from '../../src/store/create-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-store-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const base = {
  sysid: '1902271423530473681',
  merchantKey: { pemFile: 'merchant.pem' },
  platformCertFile: 'platform.cer',
  sandboxUrl: 'http://127.0.0.1:9',
  publicBaseUrl: 'http://127.0.0.1:8787',
};
const env = { TSY_SYSID: base.sysid, TSY_MERCHANT_KEY_PEM: 'merchant.pem', TSY_PLATFORM_CERT: 'platform.cer', TSY_SANDBOX_URL: base.sandboxUrl, TSY_PUBLIC_BASE_URL: base.publicBaseUrl };

describe('store configuration', () => {
  it('defaults to none (SQLite in dataDir); a postgres store has a pool of 10 unless told', () => {
    assert.equal(parseBffConfig(base).store, undefined);
    assert.deepEqual(parseBffConfig({ ...base, store: { kind: 'postgres', url: 'postgres://u:p@db/tsy' } }).store, { kind: 'postgres', url: 'postgres://u:p@db/tsy', poolSize: 10 });
    assert.deepEqual(parseBffConfig({ ...base, store: { kind: 'sqlite', file: '/var/lib/tsy/x.sqlite' } }).store, { kind: 'sqlite', file: '/var/lib/tsy/x.sqlite' });
  });

  it('refuses a store it cannot use, without repeating the URL (it may hold a password)', () => {
    for (const store of [{ kind: 'postgres', url: 'mysql://u:s3cret@db/x' }, { kind: 'postgres', url: 'postgres://db/x', poolSize: 0 }, { kind: 'redis' }]) {
      assert.throws(
        () => parseBffConfig({ ...base, store }),
        (error: unknown) => error instanceof ConfigError && /store/.test(error.message) && !error.message.includes('s3cret'),
      );
    }
  });

  it('TSY_DATABASE_URL and TSY_DATABASE_POOL_SIZE name a PostgreSQL store, over the file’s store', () => {
    assert.deepEqual(loadBffConfig({ ...env, TSY_DATABASE_URL: 'postgres://u:p@db/tsy', TSY_DATABASE_POOL_SIZE: '25' }, undefined).store, { kind: 'postgres', url: 'postgres://u:p@db/tsy', poolSize: 25 });
    const file = join(dir, 'tsy.json');
    writeFileSync(file, JSON.stringify({ store: { kind: 'sqlite', file: 'db/tsy.sqlite' } }));
    assert.deepEqual(loadBffConfig({ ...env }, file).store, { kind: 'sqlite', file: join(dir, 'db/tsy.sqlite') }, 'relative to the file');
    assert.deepEqual(loadBffConfig({ ...env, TSY_DATABASE_URL: 'postgres://db/tsy' }, file).store, { kind: 'postgres', url: 'postgres://db/tsy', poolSize: 10 });
  });

  it('createStore: `store` wins over dataDir; without it, SQLite in dataDir', async () => {
    const configured = createStore({ dataDir: join(dir, 'unused'), store: { kind: 'sqlite', file: join(dir, 'chosen.sqlite') } });
    assert.ok(configured instanceof SqliteStore);
    assert.equal(configured.db.name, join(dir, 'chosen.sqlite'));
    await configured.close();
    const lines: string[] = [];
    const fallback = createStore({ dataDir: join(dir, 'data'), store: undefined }, { log: (_level, message, fields) => lines.push(`${message} ${JSON.stringify(fields)}`) });
    assert.equal((fallback as SqliteStore).db.name, join(dir, 'data', 'tsy-checkout.sqlite'));
    assert.deepEqual(lines, [`store: SQLite (one instance) ${JSON.stringify({ file: join(dir, 'data', 'tsy-checkout.sqlite') })}`]);
    await fallback.close();
  });

  it('a database URL in the log has no password', () => {
    assert.equal(redactDatabaseUrl('postgres://tsy:s3cret@db.internal:5432/tsy'), 'postgres://tsy:***@db.internal:5432/tsy');
    assert.equal(redactDatabaseUrl('postgres://db/tsy?sslmode=require&password=s3cret'), 'postgres://db/tsy?sslmode=require&password=***');
    assert.equal(redactDatabaseUrl('postgres://db/tsy'), 'postgres://db/tsy');
    assert.doesNotMatch(redactDatabaseUrl('postgres://u:s3cret@[bad'), /s3cret/);
  });
});
