// One instance's share of the concurrency test in rate-limit-store.test.ts, run as its own process: its own SqliteStore
// on the shared file, hitting one counter as fast as it can once told to start (a line on stdin); prints what it was
// allowed as one JSON line.
import { createInterface } from 'node:readline';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const [file, key, limit, hits, now] = process.argv.slice(2) as [string, string, string, string, string];
const store = new SqliteStore({ file });
const lines = createInterface({ input: process.stdin });
lines.once('line', async () => {
  const counts: number[] = [];
  for (let i = 0; i < Number(hits); i++) {
    const hit = await store.hitRateLimit({ key, limit: Number(limit), windowMs: 60_000, now: new Date(now) });
    if (hit.allowed) counts.push(hit.count);
  }
  await store.close();
  process.stdout.write(`${JSON.stringify({ counts })}\n`);
  lines.close();
});
process.stdout.write('ready\n');
