// Per-call cost of the YunST crypto on the hot path (signing a request, verifying an answer or a notification,
// encrypting and decrypting a field) next to the bare node:crypto operation on the same key and the same bytes, in the
// same process and run: the ratio is what the protocol's wrapping (MD5 + Base64 of the source, parsing the envelope,
// hex, the padding check) costs on top of the RSA operation itself. Keys are loaded once, outside every loop; loading
// is timed on its own to show why it must never happen per call.
import { constants, privateDecrypt, publicEncrypt, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  decryptField,
  encodeFormBody,
  encryptField,
  loadMerchantKey,
  loadPlatformKey,
  md5Base64,
  signRequest,
  signSource,
  verifyNotification,
  verifyResponse,
  writeKeySet,
  type MerchantKey,
  type PlatformKey,
} from '@tsy/yunst';
import { fixed, type Section } from '../document.js';
import type { BenchContext } from '../run.js';

const vectorFile = (name: string) => fileURLToPath(new URL(`../../../yunst/test/vectors/${name}`, import.meta.url));
const sysid = '2006041448410260378';
const timestamp = '2026-11-26 14:00:00';

interface Material {
  readonly label: string;
  readonly merchant: MerchantKey;
  /** What the merchant encrypts fields for, and verifies the platform's messages with. */
  readonly platform: PlatformKey;
  /** The merchant certificate: the platform encrypts fields for the merchant with it. */
  readonly merchantCertificate: PlatformKey;
  readonly responseBody: string;
  readonly notificationBody: string;
}

interface KeyLoad {
  readonly what: string;
  readonly ms: number;
}

function timed<T>(loads: KeyLoad[], what: string, load: () => T): T {
  const start = process.hrtime.bigint();
  const value = load();
  loads.push({ what, ms: Number(process.hrtime.bigint() - start) / 1e6 });
  return value;
}

function vectorMaterial(loads: KeyLoad[]): Material {
  const merchant = timed(loads, 'vector merchant .pfx (legacy RC2-40/3DES, RSA-1024; 50,000/100,000 iterations)', () => loadMerchantKey(vectorFile('merchant-2006041448410260378.pfx'), 'qidingdong123'));
  const platform = timed(loads, 'vector platform-test.cer (RSA-1024)', () => loadPlatformKey(vectorFile('platform-test.cer')));
  return {
    label: 'vector RSA-1024',
    merchant,
    platform,
    merchantCertificate: loadPlatformKey(vectorFile('merchant-2006041448410260378.cer')),
    responseBody: readFileSync(vectorFile('response-agentCollectApply-WECHATPAY_MINIPROGRAM.json'), 'utf8').replace(/\r?\n$/, ''),
    notificationBody: readFileSync(vectorFile('notification-signContract.form'), 'utf8').replace(/\r?\n$/, ''),
  };
}

function generatedMaterial(loads: KeyLoad[], dir: string): Material {
  const set = timed(loads, 'writeKeySet: generate and write an RSA-2048 key set (legacy .pfx)', () => writeKeySet(dir));
  const merchant = timed(loads, 'generated merchant.pfx (legacy RC2-40/3DES, RSA-2048; 2,048 iterations)', () => loadMerchantKey(set.merchantPfx, set.password));
  const platform = timed(loads, 'generated platform.cer (RSA-2048)', () => loadPlatformKey(set.platformCer));
  const platformSigner = loadMerchantKey(set.platformKey);
  const signedValue = '{"bizOrderNo":"P20261126140000001","payStatus":"success","amount":100,"orderNo":"1234567890"}';
  const rps = '{"service":"OrderService","method":"pay","status":"OK","returnValue":{"bizOrderNo":"P20261126140000001","amount":100}}';
  return {
    label: 'generated RSA-2048',
    merchant,
    platform,
    merchantCertificate: loadPlatformKey(set.merchantCer),
    responseBody: JSON.stringify({ sysid, sign: signSource(signedValue, platformSigner), signedValue, status: 'OK' }),
    notificationBody: encodeFormBody({ sysid, rps, timestamp, v: '2.0', sign: signSource(sysid + rps + timestamp, platformSigner) }),
  };
}

let sink = 0;

/** Warms `fn` up, sizes N so the measured loop takes about `seconds`, then times N calls: µs per call. */
function perCall(fn: () => unknown, seconds: number): { iterations: number; microseconds: number } {
  const warmup = seconds / 5;
  let calls = 0;
  const warmStart = process.hrtime.bigint();
  let elapsed = 0n;
  while (elapsed < BigInt(Math.round(warmup * 1e9)) || calls < 5) {
    sink += String(fn()).length;
    calls++;
    elapsed = process.hrtime.bigint() - warmStart;
  }
  const iterations = Math.max(10, Math.round((seconds * 1e9) / (Number(elapsed) / calls)));
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink += String(fn()).length;
  return { iterations, microseconds: Number(process.hrtime.bigint() - start) / iterations / 1e3 };
}

interface Pair {
  readonly operation: string;
  readonly raw: string;
  readonly yunst: () => unknown;
  readonly bare: () => unknown;
}

/** Each operation and the node:crypto call at its heart, on the same key and bytes. */
function pairs(m: Material): Pair[] {
  const req = readFileSync(vectorFile('sample-req.json'), 'utf8');
  const requestDigest = Buffer.from(md5Base64(sysid + req + timestamp), 'utf8');
  const response = JSON.parse(m.responseBody) as { signedValue: string; sign: string };
  const responseDigest = Buffer.from(md5Base64(response.signedValue), 'utf8');
  const responseSign = Buffer.from(response.sign, 'base64');
  const fields = new URLSearchParams(m.notificationBody);
  const notificationDigest = Buffer.from(md5Base64(fields.get('sysid')! + fields.get('rps')! + fields.get('timestamp')!), 'utf8');
  const notificationSign = Buffer.from(fields.get('sign')!, 'base64');
  const cardNo = '6222021001123456789';
  const cardBytes = Buffer.from(cardNo, 'utf8');
  const ciphertext = encryptField(cardNo, m.merchantCertificate);
  const cipherBytes = Buffer.from(ciphertext, 'hex');
  // Sanity: everything measured succeeds with this material.
  if (verifyResponse(m.responseBody, m.platform).status !== 'OK') throw new Error(`${m.label}: the response does not verify`);
  verifyNotification(m.notificationBody, m.platform);
  if (decryptField(ciphertext, m.merchant) !== cardNo) throw new Error(`${m.label}: decryption round trip failed`);
  if (!rsaVerify('sha1', responseDigest, m.platform.publicKey, responseSign)) throw new Error(`${m.label}: the bare verification fails`);
  return [
    { operation: 'signRequest', raw: 'crypto.sign(sha1)', yunst: () => signRequest({ sysid, req, timestamp }, m.merchant), bare: () => rsaSign('sha1', requestDigest, m.merchant.privateKey) },
    { operation: 'verifyResponse', raw: 'crypto.verify(sha1)', yunst: () => verifyResponse(m.responseBody, m.platform), bare: () => rsaVerify('sha1', responseDigest, m.platform.publicKey, responseSign) },
    { operation: 'verifyNotification', raw: 'crypto.verify(sha1)', yunst: () => verifyNotification(m.notificationBody, m.platform), bare: () => rsaVerify('sha1', notificationDigest, m.platform.publicKey, notificationSign) },
    { operation: 'encryptField', raw: 'crypto.publicEncrypt(PKCS#1)', yunst: () => encryptField(cardNo, m.platform), bare: () => publicEncrypt({ key: m.platform.publicKey, padding: constants.RSA_PKCS1_PADDING }, cardBytes) },
    { operation: 'decryptField', raw: 'crypto.privateDecrypt(none)', yunst: () => decryptField(ciphertext, m.merchant), bare: () => privateDecrypt({ key: m.merchant.privateKey, padding: constants.RSA_NO_PADDING }, cipherBytes) },
  ];
}

export async function run(ctx: BenchContext): Promise<Section[]> {
  const seconds = ctx.quick ? 0.03 : 1;
  const loads: KeyLoad[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-crypto-'));
  const rows: string[][] = [];
  let vectorSignUs = 0;
  try {
    for (const material of [vectorMaterial(loads), generatedMaterial(loads, dir)]) {
      for (const pair of pairs(material)) {
        // Alternated, so both sides of a ratio see the same state of the machine.
        const yunst = perCall(pair.yunst, seconds);
        const bare = perCall(pair.bare, seconds);
        if (pair.operation === 'signRequest' && material.label.startsWith('vector')) vectorSignUs = yunst.microseconds;
        rows.push([
          pair.operation,
          material.label,
          fixed(yunst.microseconds, 1),
          fixed(1e6 / yunst.microseconds, 0),
          pair.raw,
          fixed(bare.microseconds, 1),
          `${fixed(yunst.microseconds / bare.microseconds, 2)}×`,
        ]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  if (sink < 0) console.log(sink);
  const pfx = loads[0]!;
  return [
    {
      id: 'crypto',
      title: 'Signing and verification',
      command: 'npm run bench',
      summary: `Per call, keys already loaded; each YunST function next to the bare node:crypto operation it wraps, on the same key and the same bytes, in the same run (about ${seconds} s per cell after a warm-up). The signature is SHA1withRSA over the Base64 MD5 of the source (spec §3.4).`,
      tables: [
        { headers: ['operation', 'key', 'µs/call', 'calls/s', 'bare node:crypto', 'µs/call', 'ratio'], rows, right: [false, false, true, true, false, true, true] },
        { headers: ['loaded once per process', 'ms'], rows: loads.map((load) => [load.what, fixed(load.ms, 1)]) },
      ],
      notes: [
        'The ratio is the YunST function over the bare RSA operation: MD5 and Base64 of the source, JSON or form parsing of the message, hex and the padding check. Near 1× means the RSA operation is the cost.',
        `Loading the vector .pfx costs ${fixed(pfx.ms, 1)} ms, about ${fixed((pfx.ms * 1e3) / vectorSignUs, 0)} signatures' worth: the BFF loads its keys once at start-up.`,
      ],
    },
  ];
}
