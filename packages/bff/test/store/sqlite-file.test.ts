// What only the SQLite store does: its file. The Store contract of both stores is store-contract.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { newPayment } from './support.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite store file', () => {
  it('creates its file with WAL and the schema, and reopens it intact', async () => {
    const file = join(dir, 'reopen.sqlite');
    const store = new SqliteStore({ file });
    await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
    await store.insertPayment(newPayment());
    assert.equal(store.db.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(store.db.pragma('user_version', { simple: true }), MIGRATIONS.length);
    await store.close();
    const again = new SqliteStore({ file });
    assert.equal((await again.getPayment('P1'))?.amount, 1234);
    await again.close();
  });
});
