// The SQLite store's rate-limit counter across processes (four, each its own SQLite connection on one file, hitting one
// key at once never count more than the limit) and on disk. The counter's rules, on both stores: test/store/store-contract.test.ts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-rate-store-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const T0 = new Date('2030-01-01T00:00:00.000Z');
const at = (ms: number) => new Date(T0.getTime() + ms);

describe('store.hitRateLimit', () => {
  it('ended windows are removed by the next hit, and counts are on disk: a reopened store goes on counting', async () => {
    const file = join(dir, 'reopen.sqlite');
    const store = new SqliteStore({ file });
    await store.hitRateLimit({ key: 'old', limit: 5, windowMs: 1000, now: at(0) });
    await store.hitRateLimit({ key: 'kept', limit: 5, windowMs: 60_000, now: at(0) });
    await store.hitRateLimit({ key: 'kept', limit: 5, windowMs: 60_000, now: at(2000) });
    assert.deepEqual(store.db.prepare('SELECT key FROM rate_limits ORDER BY key').pluck().all(), ['kept']);
    await store.close();
    const again = new SqliteStore({ file });
    assert.deepEqual(await again.hitRateLimit({ key: 'kept', limit: 5, windowMs: 60_000, now: at(3000) }), { allowed: true, count: 3, retryAfterMs: 57_000 });
    await again.close();
  });

  it('four processes hitting one key at once are allowed exactly the limit, each count handed out once', async () => {
    const file = join(dir, 'concurrent.sqlite');
    await new SqliteStore({ file }).close();
    const limit = 57;
    const instances = Array.from({ length: 4 }, () => {
      const child = spawn(process.execPath, ['--import', 'tsx', new URL('./rate-limit-worker.ts', import.meta.url).pathname, file, 'flood', String(limit), '40', T0.toISOString()], {
        stdio: ['pipe', 'pipe', 'inherit'],
      });
      const lines = createInterface({ input: child.stdout });
      const next = () => new Promise<string>((resolve, reject) => lines.once('line', resolve).once('close', () => reject(new Error('the instance ended early'))));
      return { child, ready: next(), next };
    });
    await Promise.all(instances.map((instance) => instance.ready));
    const results = instances.map((instance) => instance.next());
    for (const instance of instances) instance.child.stdin.write('go\n');
    const outcome = (await Promise.all(results)).map((line) => JSON.parse(line) as { counts: number[] });
    const counts = outcome.flatMap((result) => result.counts).sort((a, b) => a - b);
    assert.equal(counts.length, limit, '160 hits, the limit allowed');
    assert.deepEqual(counts, Array.from({ length: limit }, (_, i) => i + 1), 'no count handed out twice');
    assert.ok(outcome.filter((result) => result.counts.length > 0).length >= 2, `the instances did race: ${JSON.stringify(outcome.map((result) => result.counts.length))}`);
  });
});
