// Requests per second of `POST /api/checkout/orders/:id/payments` (resolveOrder → member check → store the attempt →
// sign → consumeApply at the sandbox over HTTP → verify → store the answer and its event), with SQLite on disk.
// Run: pnpm --filter @tsy/e2e run bench   (env: BENCH_SECONDS, BENCH_CONCURRENCY)
import { NO_RECONCILIATION, addOrder, api, bindPayerPhone, cleanup, startMerchant, startSandbox, tempDir } from '../src/harness.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 8);

const dir = tempDir('tsy-bench-');
const sandbox = await startSandbox({ dailyOrderLimit: false });
const merchant = await startMerchant({
  sandboxUrl: sandbox.url,
  dataDir: dir,
  // One payer from one address creates thousands of attempts: the limits a shop runs with would stop it in the warm-up.
  config: { reconciliation: NO_RECONCILIATION, limits: { paymentCreation: { perIp: { count: 1e9 }, perPayer: { count: 1e9 } } } },
});
const payer = `bench-${process.pid}`;
await bindPayerPhone(merchant.url, sandbox.url, payer, '13300000001');

async function createOne(): Promise<number> {
  const started = performance.now();
  const { status } = await api(merchant.url, `/api/checkout/orders/${addOrder(merchant, payer)}/payments`, { body: { method: 'SCAN_WEIXIN' } });
  if (status !== 201) throw new Error(`HTTP ${status}`);
  return performance.now() - started;
}

for (let i = 0; i < 50; i++) await createOne(); // warm-up: JIT, SQLite page cache, keep-alive connections

const latencies: number[] = [];
const deadline = performance.now() + seconds * 1000;
const started = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (performance.now() < deadline) latencies.push(await createOne());
  }),
);
const elapsed = (performance.now() - started) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))]!.toFixed(1);

console.log(`POST /api/checkout/orders/:id/payments (SCAN_WEIXIN) — BFF + sandbox in one Node ${process.version} process, SQLite WAL on disk`);
console.log(`concurrency ${concurrency}, ${elapsed.toFixed(1)} s, ${latencies.length} payments created`);
console.log(`throughput: ${(latencies.length / elapsed).toFixed(0)} requests/s`);
console.log(`latency ms: p50 ${pct(50)}, p95 ${pct(95)}, p99 ${pct(99)}, max ${latencies.at(-1)!.toFixed(1)}`);

await merchant.close();
await sandbox.close();
cleanup(dir);
