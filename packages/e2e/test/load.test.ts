// A bounded load run on loopback: payment creation, then status reads, at a fixed concurrency with autocannon, against the
// BFF in this process and the sandbox in its own. No errors; memory after the run and a GC comes back near where it
// started. Throughput and latency are printed for the notes, never asserted.
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { after, before, describe, it } from 'node:test';
import autocannon from 'autocannon';
import { FLOOD_LIMITS, startMerchant, type RunningMerchant } from '@tsy/testing';
import { bindPayerPhone, tempDir, cleanup } from '../src/harness.js';
import { startSandboxProcess, type SandboxProcess } from '../src/processes.js';
import { tally } from '../src/tally.js';

const CONCURRENCY = 20;
const SECONDS = Number(process.env.TSY_LOAD_SECONDS ?? 8);
const PAYER = 'load-payer';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const settledRss = async () => {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return process.memoryUsage().rss;
};

let sandbox: SandboxProcess;
let merchant: RunningMerchant;
const dir = tempDir('tsy-load-');

before(async () => {
  sandbox = await startSandboxProcess();
  merchant = await startMerchant({
    sandboxUrl: sandbox.url,
    soaUrl: sandbox.soaUrl,
    dataDir: dir,
    config: { limits: FLOOD_LIMITS },
    // Every order of the run exists: LOAD-<n> costs n fen.
    hooks: { resolveOrder: (id) => (/^LOAD-\d+$/.test(id) ? { amount: 100 + Number(id.slice(5)), subject: 'load run', payer: { bizUserId: PAYER } } : undefined) },
  });
  await bindPayerPhone(merchant.url, sandbox.url, PAYER, '13600000200');
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
  cleanup(dir);
});

interface Figures {
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
}

async function load(options: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ connections: CONCURRENCY, duration: SECONDS, ...options });
  return {
    requests: result.requests.total,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
  };
}

describe('load', () => {
  it(`creates payments and reads them at ${CONCURRENCY} connections: no errors, memory back within 20 % after a GC`, async () => {
    // Warm up (JIT, the store's statements, key objects), then take the baseline.
    let n = 0;
    const created: string[] = [];
    // autocannon reads onResponse from the request as given, not from what setupRequest returns.
    const create = {
      setupRequest: (request: autocannon.Request) => ({
        ...request,
        method: 'POST',
        path: `/api/checkout/orders/LOAD-${++n}/payments`,
        headers: { 'content-type': 'application/json', 'x-test-payer': PAYER, origin: merchant.url },
        body: JSON.stringify({ method: 'SCAN_WEIXIN' }),
      }),
      onResponse: (status: number, body: string) => {
        if (status === 201) created.push((JSON.parse(body) as { bizOrderNo: string }).bizOrderNo);
      },
    } as autocannon.Request;
    await load({ url: merchant.url, duration: 2, requests: [create] });
    const before = await settledRss();

    const creation = await load({ url: merchant.url, requests: [create] });
    let read = 0;
    const refused = new Map<number, string>();
    const reads = await load({
      url: merchant.url,
      requests: [
        {
          setupRequest: (request: autocannon.Request) => ({ ...request, method: 'GET', path: `/api/checkout/payments/${created[read++ % created.length]}`, headers: { 'x-test-payer': PAYER } }),
          onResponse: (status: number, body: string) => void (status >= 300 && refused.set(status, body.slice(0, 200))),
        } as autocannon.Request,
      ],
    });
    if (refused.size) console.log('refused reads:', [...refused]);
    const afterRss = await settledRss();
    const growth = (afterRss - before) / before;
    const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);
    console.log(
      [
        `load: ${CONCURRENCY} connections, ${SECONDS} s each, on loopback (sandbox in its own process)`,
        `  payment creation: ${creation.requests} requests, ${creation.rps}/s, p50 ${creation.p50} ms, p99 ${creation.p99} ms, errors ${creation.errors}, non-2xx ${creation.non2xx}`,
        `  status reads:     ${reads.requests} requests, ${reads.rps}/s, p50 ${reads.p50} ms, p99 ${reads.p99} ms, errors ${reads.errors}, non-2xx ${reads.non2xx}`,
        `  RSS after warm-up and GC ${mb(before)} MB; after the run and GC ${mb(afterRss)} MB (${(growth * 100).toFixed(1)} %)`,
      ].join('\n'),
    );
    tally('load', {
      'requests': [creation.requests + reads.requests, 'info'],
      'errors and timeouts': [creation.errors + reads.errors, 'zero'],
      'non-2xx answers': [creation.non2xx + reads.non2xx, 'zero'],
      'RSS growth after GC over 20 %': [growth > 0.2 ? 1 : 0, 'zero'],
    });
    assert.ok(creation.requests > 0 && reads.requests > 0);
    assert.equal(creation.errors + reads.errors, 0);
    assert.equal(creation.non2xx + reads.non2xx, 0);
    assert.ok(growth <= 0.2, `RSS grew ${(growth * 100).toFixed(1)} %`);
  });
});
