/**
 * Per-call cost of the YunST crypto on the hot path: signing a request, verifying a response or a notification,
 * encrypting and decrypting a field — with the platform's legacy RSA-1024 vector key/certificate and with a generated
 * RSA-2048 key set. Keys are loaded once, before and outside every measured loop; loading is timed separately to show
 * why it must never happen per call.
 *
 * Run: `pnpm run bench` in packages/bff (or `pnpm bench` at the root).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptField,
  encryptField,
  encodeFormBody,
  loadMerchantKey,
  loadPlatformKey,
  signRequest,
  signSource,
  verifyNotification,
  verifyResponse,
  writeKeySet,
  type MerchantKey,
  type PlatformKey,
} from '../src/index.js';

const TARGET_SECONDS = 1;
const WARMUP_SECONDS = 0.2;

const vectorFile = (name: string) => fileURLToPath(new URL(`../test/vectors/${name}`, import.meta.url));

interface KeyLoad {
  readonly what: string;
  readonly ms: number;
}
const loads: KeyLoad[] = [];

/** Runs `load` once and records how long it took. */
function timedLoad<T>(what: string, load: () => T): T {
  const start = process.hrtime.bigint();
  const value = load();
  loads.push({ what, ms: Number(process.hrtime.bigint() - start) / 1e6 });
  return value;
}

interface Material {
  readonly label: string;
  /** The merchant side: signs requests, decrypts fields. */
  readonly merchant: MerchantKey;
  /** What the merchant encrypts fields for (the platform certificate). */
  readonly platform: PlatformKey;
  /** What the merchant verifies platform messages with. */
  readonly platformVerify: PlatformKey;
  /** The merchant certificate: the platform encrypts fields for the merchant with it. */
  readonly merchantCertificate: PlatformKey;
  readonly responseBody: string;
  readonly notificationBody: string;
}

const req = readFileSync(vectorFile('sample-req.json'), 'utf8');
const sysid = '2006041448410260378';
const timestamp = '2026-11-26 14:00:00';

function vectorMaterial(): Material {
  const merchant = timedLoad('vector merchant .pfx (legacy RC2-40/3DES, RSA-1024; 50000/100000 iterations)', () =>
    loadMerchantKey(vectorFile('merchant-2006041448410260378.pfx'), 'qidingdong123'),
  );
  const platform = timedLoad('vector platform-test.cer (RSA-1024)', () => loadPlatformKey(vectorFile('platform-test.cer')));
  return {
    label: 'vector RSA-1024',
    merchant,
    platform,
    platformVerify: platform,
    merchantCertificate: loadPlatformKey(vectorFile('merchant-2006041448410260378.cer')),
    responseBody: readFileSync(vectorFile('response-agentCollectApply-WECHATPAY_MINIPROGRAM.json'), 'utf8').replace(/\r?\n$/, ''),
    notificationBody: readFileSync(vectorFile('notification-signContract.form'), 'utf8').replace(/\r?\n$/, ''),
  };
}

function generatedMaterial(dir: string): Material {
  const set = timedLoad('writeKeySet: generate + write an RSA-2048 key set (legacy .pfx)', () => writeKeySet(dir));
  const merchant = timedLoad('generated merchant.pfx (legacy RC2-40/3DES, RSA-2048; 2048 iterations)', () => loadMerchantKey(set.merchantPfx, set.password));
  const platform = timedLoad('generated platform.cer (RSA-2048)', () => loadPlatformKey(set.platformCer));
  // Messages as the platform would send them, signed with the generated platform key.
  const platformSigner = loadMerchantKey(set.platformKey);
  const signedValue = '{"bizOrderNo":"P20261126140000001","payStatus":"success","amount":100,"orderNo":"1234567890"}';
  const responseBody = JSON.stringify({ sysid, sign: signSource(signedValue, platformSigner), signedValue, status: 'OK' });
  const rps = '{"service":"OrderService","method":"pay","status":"OK","returnValue":{"bizOrderNo":"P20261126140000001","amount":100}}';
  const notificationBody = encodeFormBody({ sysid, rps, timestamp, v: '2.0', sign: signSource(sysid + rps + timestamp, platformSigner) });
  return {
    label: 'generated RSA-2048',
    merchant,
    platform,
    platformVerify: platform,
    merchantCertificate: loadPlatformKey(set.merchantCer),
    responseBody,
    notificationBody,
  };
}

interface Result {
  readonly operation: string;
  readonly key: string;
  readonly iterations: number;
  readonly microseconds: number;
  readonly opsPerSecond: number;
}

let sink = 0;

/** Warms `fn` up, sizes N so the measured loop takes about TARGET_SECONDS, then times N calls. */
function measure(operation: string, key: string, fn: () => unknown): Result {
  let warmupCalls = 0;
  const warmupStart = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(WARMUP_SECONDS * 1e9) || warmupCalls < 5) {
    sink += String(fn()).length;
    warmupCalls++;
    elapsed = process.hrtime.bigint() - warmupStart;
  }
  const perCallNs = Number(elapsed) / warmupCalls;
  const iterations = Math.max(10, Math.round((TARGET_SECONDS * 1e9) / perCallNs));
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += String(fn()).length;
  const totalNs = Number(process.hrtime.bigint() - start);
  return { operation, key, iterations, microseconds: totalNs / iterations / 1e3, opsPerSecond: (iterations * 1e9) / totalNs };
}

function table(headers: string[], rows: string[][], right: boolean[]): string {
  const widths = headers.map((header, i) => Math.max(header.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  return [line(headers), `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`, ...rows.map(line)].join('\n');
}

const fmt = (n: number, digits: number) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });

const tmp = mkdtempSync(join(tmpdir(), 'tsy-yunst-bench-'));
try {
  const materials = [vectorMaterial(), generatedMaterial(tmp)];

  const results: Result[] = [];
  for (const m of materials) {
    const cardNo = '6222021001123456789';
    const ciphertext = encryptField(cardNo, m.merchantCertificate);
    // Sanity: everything measured succeeds with the material given.
    if (verifyResponse(m.responseBody, m.platformVerify).status !== 'OK') throw new Error(`${m.label}: the response does not verify`);
    verifyNotification(m.notificationBody, m.platformVerify);
    if (decryptField(ciphertext, m.merchant) !== cardNo) throw new Error(`${m.label}: decryption round trip failed`);

    results.push(measure('signRequest', m.label, () => signRequest({ sysid, req, timestamp }, m.merchant)));
    results.push(measure('verifyResponse', m.label, () => verifyResponse(m.responseBody, m.platformVerify)));
    results.push(measure('verifyNotification', m.label, () => verifyNotification(m.notificationBody, m.platformVerify)));
    results.push(measure('encryptField', m.label, () => encryptField(cardNo, m.platform)));
    results.push(measure('decryptField', m.label, () => decryptField(ciphertext, m.merchant)));
  }

  console.log(`YunST crypto — Node ${process.version}, ${process.platform}/${process.arch}; warm-up ${WARMUP_SECONDS} s, then ~${TARGET_SECONDS} s per row\n`);
  console.log('Key loading — once per process, never inside the loops below:\n');
  console.log(table(['loaded once', 'ms'], loads.map((load) => [load.what, fmt(load.ms, 1)]), [false, true]));
  console.log('\nPer call, keys already loaded:\n');
  console.log(
    table(
      ['operation', 'key', 'N', 'µs/call', 'ops/s'],
      results.map((r) => [r.operation, r.key, String(r.iterations), fmt(r.microseconds, 1), fmt(r.opsPerSecond, 0)]),
      [false, false, true, true, true],
    ),
  );
  const vectorSign = results.find((r) => r.operation === 'signRequest' && r.key === 'vector RSA-1024')!;
  const pfxLoad = loads[0]!;
  console.log(
    `\nLoading the vector .pfx costs ${fmt(pfxLoad.ms, 1)} ms, about ${fmt((pfxLoad.ms * 1e3) / vectorSign.microseconds, 0)} signatures' worth: ` +
      'load keys once at start-up and reuse the MerchantKey/PlatformKey objects.',
  );
  if (sink < 0) console.log(sink);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
