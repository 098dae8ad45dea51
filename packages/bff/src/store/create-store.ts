import { join } from 'node:path';
import type { BffConfig } from '../config/config.js';
import type { Log } from '../checkout/context.js';
import { PostgresStore } from './postgres/postgres-store.js';
import { SqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './types.js';

/** The URL without its password (and without a password in the query): fit for a log line. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    for (const key of [...parsed.searchParams.keys()]) if (/pass|secret|key/i.test(key)) parsed.searchParams.set(key, '***');
    return parsed.toString();
  } catch {
    return '(a database URL that does not parse)';
  }
}

/**
 * The store the configuration names: `store` when set, else SQLite at `<dataDir>/tsy-checkout.sqlite`. Returned at once;
 * PostgreSQL's migrations run in the background and every call waits for them (a failure surfaces on the first call).
 */
export function createStore(config: Pick<BffConfig, 'store' | 'dataDir'>, options: { clock?: () => Date; log?: Log } = {}): Store {
  const log = options.log ?? (() => undefined);
  const store = config.store ?? { kind: 'sqlite' as const, file: join(config.dataDir, 'tsy-checkout.sqlite') };
  if (store.kind === 'postgres') {
    log('info', 'store: PostgreSQL', { url: redactDatabaseUrl(store.url), poolSize: store.poolSize });
    const postgres = new PostgresStore({ url: store.url, poolSize: store.poolSize, ...(options.clock ? { clock: options.clock } : {}), log });
    postgres.ready.catch((error: unknown) => log('error', 'PostgreSQL store could not be opened', { url: redactDatabaseUrl(store.url), error: error instanceof Error ? error.message : String(error) }));
    return postgres;
  }
  log('info', 'store: SQLite (one instance)', { file: store.file });
  return new SqliteStore({ file: store.file, ...(options.clock ? { clock: options.clock } : {}) });
}
