import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
// By path, not as @tsy/testing: that package depends on @tsy/bff, and a dependency back would make the workspace a cycle.
import { startPostgres, type RunningPostgres } from '../../../testing/src/postgres.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { NewPayment, Store } from '../../src/store/types.js';

/** One database of a kind; `open()` gives another store instance on it (another process would open the same). */
export interface StoreKind {
  readonly name: 'sqlite' | 'postgres';
  /** A fresh, empty database: a function opening store instances on it. */
  database(): Promise<() => Promise<Store>>;
}

/**
 * Both stores, for a suite run against each. PostgreSQL is a real cluster started for the file (and stopped after it): a
 * machine without PostgreSQL fails these tests, it does not skip them.
 */
export function storeKinds(): { sqlite: StoreKind; postgres: StoreKind & { cluster(): RunningPostgres } } {
  const dir = mkdtempSync(join(tmpdir(), 'tsy-store-contract-'));
  let cluster: RunningPostgres | undefined;
  const opened: Store[] = [];
  let files = 0;
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await Promise.allSettled(opened.map((store) => store.close()));
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const track = (store: Store) => (opened.push(store), store);
  return {
    sqlite: {
      name: 'sqlite',
      async database() {
        const file = join(dir, `store-${++files}.sqlite`);
        return async () => track(new SqliteStore({ file }));
      },
    },
    postgres: {
      name: 'postgres',
      cluster: () => cluster!,
      async database() {
        const url = await cluster!.createDatabase();
        return async () => track(await PostgresStore.open({ url, poolSize: 4 }));
      },
    },
  };
}

export function newPayment(overrides: Partial<NewPayment> = {}): NewPayment {
  return {
    bizOrderNo: 'P1',
    merchantOrderId: 'SO-1',
    kind: 'consume',
    method: 'SCAN_WEIXIN',
    payMethodKey: 'SCAN_WEIXIN',
    amount: 1234,
    fee: 0,
    payerBizUserId: 'buyer',
    expiresAt: '2030-01-01T00:00:00.000Z',
    expiresAtCst: '2030-01-01 08:00:00',
    environment: 'sandbox',
    sysid: '1',
    idempotencyKey: null,
    ...overrides,
  };
}

/** A store with merchant order SO-1 (1234 fen) and its payment P1, plus an opener of more instances on its database. */
export async function storeWithPayment(kind: StoreKind): Promise<{ store: Store; open: () => Promise<Store> }> {
  const open = await kind.database();
  const store = await open();
  await store.upsertMerchantOrder({ merchantOrderId: 'SO-1', amount: 1234, currency: 'CNY', subject: 'tea', payerBizUserId: 'buyer' });
  await store.insertPayment(newPayment());
  return { store, open };
}
