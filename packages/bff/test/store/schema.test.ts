// Both dialects of store/migrations.ts give the same schema: every migration applied to a fresh SQLite file and a fresh
// PostgreSQL database, then tables, columns (normalised type, NOT NULL), primary keys, unique constraints and indexes
// (with their WHERE) and CHECK constraints read back from each catalog and compared.
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { startPostgres, type RunningPostgres } from '../../../testing/src/postgres.js';
import { MIGRATIONS } from '../../src/store/migrations.js';
import { PostgresStore } from '../../src/store/postgres/postgres-store.js';

interface Schema {
  /** table → column → `type not-null`. */
  columns: Record<string, Record<string, string>>;
  /** table → sorted `primary(cols)`, `unique(cols) where …`. */
  keys: Record<string, string[]>;
  /** table → sorted checks, each as the columns and literals it names. */
  checks: Record<string, string[]>;
}

/** The one type both databases agree on: integer (INTEGER, integer, bigint) or text. */
function normaliseType(type: string): string {
  const t = type.toLowerCase();
  if (/int/.test(t)) return 'integer';
  if (/char|text|clob/.test(t)) return 'text';
  return t;
}

/** A WHERE or CHECK reduced to what it names: its words (columns, keywords) and literals, without the dialect's spelling. */
function normaliseExpression(expression: string): string {
  const literals = [...expression.matchAll(/'([^']*)'/g)].map((m) => `'${m[1]}'`);
  const rest = expression
    .replace(/'[^']*'/g, ' ')
    .replace(/::\w+(\[\])?/g, ' ')
    .toLowerCase();
  const words = [...rest.matchAll(/[a-z_][a-z0-9_]*|\d+|[<>=!]+/g)]
    .map((m) => m[0])
    // PostgreSQL writes `x IN (…)` as `x = ANY (ARRAY[…])`, `IS NOT NULL` the same way; CHECK/WHERE are the wrappers.
    .filter((word) => !['check', 'where', 'any', 'array', 'in', 'text'].includes(word))
    .map((word) => (word === '=' ? '' : word))
    .filter(Boolean);
  return [...words, ...literals.sort()].join(' ');
}

function sqliteSchema(file: string): Schema {
  const db = new Database(file);
  try {
    db.pragma('foreign_keys = ON');
    for (const migration of MIGRATIONS) db.exec(migration.sqlite);
    const schema: Schema = { columns: {}, keys: {}, checks: {} };
    const tables = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string; sql: string }[];
    for (const { name, sql } of tables) {
      const columns = db.prepare(`PRAGMA table_info(${name})`).all() as { name: string; type: string; notnull: number; pk: number }[];
      schema.columns[name] = Object.fromEntries(columns.map((c) => [c.name, `${normaliseType(c.type)} ${c.notnull || c.pk ? 'not null' : 'null'}`]));
      const primary = columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name);
      const keys = [`primary(${primary.join(',')})`];
      const indexes = db.prepare(`PRAGMA index_list(${name})`).all() as { name: string; unique: number; origin: string; partial: number }[];
      for (const index of indexes.filter((i) => i.unique && i.origin !== 'pk')) {
        const cols = (db.prepare(`PRAGMA index_info(${index.name})`).all() as { name: string }[]).map((c) => c.name);
        const indexSql = (db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?").get(index.name) as { sql: string | null } | undefined)?.sql ?? '';
        const where = /\bWHERE\b([\s\S]*)$/i.exec(indexSql)?.[1];
        keys.push(`unique(${cols.join(',')})${where ? ` where ${normaliseExpression(where)}` : ''}`);
      }
      schema.keys[name] = keys.sort();
      schema.checks[name] = checksOf(sql).map(normaliseExpression).sort();
    }
    return schema;
  } finally {
    db.close();
  }
}

/** The CHECK (…) clauses of a CREATE TABLE statement (SQLite keeps columns added later in it too), parentheses balanced. */
function checksOf(sql: string): string[] {
  const checks: string[] = [];
  const code = sql.replace(/--[^\n]*/g, '');
  for (const match of code.matchAll(/\bCHECK\s*\(/gi)) {
    let depth = 1;
    let i = match.index + match[0].length;
    const start = i;
    for (; i < code.length && depth > 0; i++) {
      if (code[i] === '(') depth++;
      else if (code[i] === ')') depth--;
    }
    checks.push(code.slice(start, i - 1));
  }
  return checks;
}

async function postgresSchema(url: string): Promise<Schema> {
  // Migrated as the store does it at open.
  await (await PostgresStore.open({ url })).close();
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const schema: Schema = { columns: {}, keys: {}, checks: {} };
    const columns = await client.query<{ table_name: string; column_name: string; data_type: string; is_nullable: string }>(
      "SELECT table_name, column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'tsy_schema_version' ORDER BY table_name, ordinal_position",
    );
    for (const c of columns.rows) {
      (schema.columns[c.table_name] ??= {})[c.column_name] = `${normaliseType(c.data_type)} ${c.is_nullable === 'NO' ? 'not null' : 'null'}`;
    }
    const indexes = await client.query<{ table_name: string; is_primary: boolean; is_unique: boolean; cols: string[]; predicate: string | null }>(
      `SELECT t.relname AS table_name, i.indisprimary AS is_primary, i.indisunique AS is_unique,
              ARRAY(SELECT a.attname FROM unnest(i.indkey) WITH ORDINALITY AS k(attnum, n) JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum ORDER BY k.n)::text[] AS cols,
              pg_get_expr(i.indpred, i.indrelid) AS predicate
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace s ON s.oid = t.relnamespace
       WHERE s.nspname = 'public' AND t.relname <> 'tsy_schema_version' AND i.indisunique`,
    );
    for (const index of indexes.rows) {
      const key = index.is_primary ? `primary(${index.cols.join(',')})` : `unique(${index.cols.join(',')})${index.predicate ? ` where ${normaliseExpression(index.predicate)}` : ''}`;
      (schema.keys[index.table_name] ??= []).push(key);
    }
    for (const keys of Object.values(schema.keys)) keys.sort();
    const checks = await client.query<{ table_name: string; definition: string }>(
      `SELECT t.relname AS table_name, pg_get_constraintdef(c.oid) AS definition
       FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid JOIN pg_namespace s ON s.oid = t.relnamespace
       WHERE s.nspname = 'public' AND c.contype = 'c'`,
    );
    for (const table of Object.keys(schema.columns)) schema.checks[table] = [];
    for (const check of checks.rows) schema.checks[check.table_name]!.push(normaliseExpression(check.definition));
    for (const list of Object.values(schema.checks)) list.sort();
    return schema;
  } finally {
    await client.end();
  }
}

describe('the schema of both stores', () => {
  let cluster: RunningPostgres;
  const dir = mkdtempSync(join(tmpdir(), 'tsy-schema-'));
  before(async () => {
    cluster = await startPostgres();
  });
  after(async () => {
    await cluster?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('is the same in SQLite and PostgreSQL after every migration: tables, columns, NOT NULL, keys, checks', async () => {
    const sqlite = sqliteSchema(join(dir, 'schema.sqlite'));
    const postgres = await postgresSchema(await cluster.createDatabase());
    assert.deepEqual(Object.keys(postgres.columns).sort(), Object.keys(sqlite.columns).sort(), 'the same tables');
    for (const table of Object.keys(sqlite.columns)) {
      assert.deepEqual(postgres.columns[table], sqlite.columns[table], `${table}: columns`);
      assert.deepEqual(postgres.keys[table], sqlite.keys[table], `${table}: primary and unique keys`);
      assert.deepEqual(postgres.checks[table], sqlite.checks[table], `${table}: checks`);
    }
    // The comparison itself sees what it compares.
    assert.ok(sqlite.keys.payments!.some((key) => key.startsWith('unique(merchant_order_id,idempotency_key) where')));
    assert.ok(sqlite.checks.payments!.some((check) => check.includes("'agentCollect'")));
    assert.equal(sqlite.columns.payment_events!.lease_owner, 'text null');
  });

  it('two instances opening a new PostgreSQL database at once migrate it once', async () => {
    const url = await cluster.createDatabase();
    const stores = await Promise.all(Array.from({ length: 4 }, () => PostgresStore.open({ url, poolSize: 2 })));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      assert.deepEqual((await client.query('SELECT version FROM tsy_schema_version')).rows, [{ version: MIGRATIONS.length }]);
      assert.equal((await client.query('SELECT count(*)::integer AS n FROM install_secret')).rows[0].n, 1);
    } finally {
      await client.end();
      await Promise.all(stores.map((store) => store.close()));
    }
  });
});
