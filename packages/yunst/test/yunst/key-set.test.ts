// writeKeySet / exportPkcs12: generated key sets load with the core's loaders, and the .pfx has the promised layout
// (checked with OpenSSL and by the object identifiers in the DER).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  KEY_SET_FILES,
  PKCS12_OIDS,
  createSelfSignedCertificate,
  exportPkcs12,
  loadMerchantKey,
  loadPlatformKey,
  merchantKeyFromPkcs12,
  signRequest,
  verifySource,
  writeKeySet,
  type KeySetPaths,
} from '../../src/index.js';

const OPENSSL = process.env.OPENSSL ?? 'openssl';
const opensslMissing = spawnSync(OPENSSL, ['version']).status !== 0 ? 'openssl is not installed' : false;

function openssl(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(OPENSSL, args, { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** DER encoding of an OBJECT IDENTIFIER (tag, length, value), to find it in a file. */
function oidDer(dotted: string): Buffer {
  const [a, b, ...rest] = dotted.split('.').map(Number) as [number, number, ...number[]];
  const bytes: number[] = [];
  for (const arc of [a * 40 + b, ...rest]) {
    const groups = [arc & 0x7f];
    for (let n = arc >>> 7; n > 0; n >>>= 7) groups.unshift((n & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return Buffer.from([0x06, bytes.length, ...bytes]);
}

let tmp: string;
let legacy: KeySetPaths;
let modern: KeySetPaths;

before(() => {
  tmp = mkdtempSync(join(tmpdir(), 'tsy-yunst-keyset-'));
  legacy = writeKeySet(join(tmp, 'legacy', 'created', 'on', 'demand'));
  modern = writeKeySet(join(tmp, 'modern'), { modern: true });
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('writeKeySet', () => {
  it('writes the five files under the directory it creates, and returns their paths and the password', () => {
    for (const set of [legacy, modern]) {
      assert.equal(set.merchantPfx, join(set.dir, KEY_SET_FILES.merchantPfx));
      assert.equal(set.merchantPfxPassword, join(set.dir, 'merchant.pfx.password'));
      assert.equal(set.merchantCer, join(set.dir, 'merchant.cer'));
      assert.equal(set.platformKey, join(set.dir, 'platform.key'));
      assert.equal(set.platformCer, join(set.dir, 'platform.cer'));
      for (const path of [set.merchantPfx, set.merchantPfxPassword, set.merchantCer, set.platformKey, set.platformCer]) {
        assert.ok(statSync(path).size > 0, path);
      }
    }
    assert.equal(legacy.format, 'legacy');
    assert.equal(modern.format, 'modern');
  });

  it('the password file holds exactly the password, with no trailing newline; passwords differ per set', () => {
    for (const set of [legacy, modern]) {
      const content = readFileSync(set.merchantPfxPassword, 'utf8');
      assert.equal(content, set.password);
      assert.doesNotMatch(content, /\s/);
      assert.match(content, /^[0-9a-f]{32}$/);
    }
    assert.notEqual(legacy.password, modern.password);
  });

  it('keys and the password file are readable by the owner only', { skip: process.platform === 'win32' && 'POSIX modes' }, () => {
    for (const set of [legacy, modern]) {
      for (const path of [set.merchantPfx, set.merchantPfxPassword, set.platformKey]) assert.equal(statSync(path).mode & 0o077, 0, path);
    }
  });

  it('loadMerchantKey / loadPlatformKey read every file; the keys are distinct RSA-2048 keys', () => {
    for (const set of [legacy, modern]) {
      const merchant = loadMerchantKey(set.merchantPfx, readFileSync(set.merchantPfxPassword, 'utf8'));
      const merchantCer = loadPlatformKey(set.merchantCer);
      const platformPrivate = loadMerchantKey(set.platformKey);
      const platform = loadPlatformKey(set.platformCer);
      for (const key of [merchant.privateKey, platformPrivate.privateKey]) assert.equal(key.asymmetricKeyDetails?.modulusLength, 2048);
      assert.notEqual(merchantCer.certificate?.fingerprint256, platform.certificate?.fingerprint256);
      assert.equal(
        createPublicKey(merchant.privateKey).export({ type: 'spki', format: 'der' }).equals(createPublicKey(platformPrivate.privateKey).export({ type: 'spki', format: 'der' })),
        false,
      );
    }
  });

  it('the merchant certificate matches the merchant key (in the .pfx and in merchant.cer), the platform certificate the platform key', () => {
    for (const set of [legacy, modern]) {
      const merchant = loadMerchantKey(set.merchantPfx, set.password);
      assert.ok(merchant.certificate, 'the .pfx carries the certificate');
      const merchantCer = new X509Certificate(readFileSync(set.merchantCer));
      assert.equal(merchant.certificate.fingerprint256, merchantCer.fingerprint256);
      assert.ok(merchantCer.checkPrivateKey(merchant.privateKey));
      const platformCer = new X509Certificate(readFileSync(set.platformCer));
      assert.ok(platformCer.checkPrivateKey(loadMerchantKey(set.platformKey).privateKey));
      assert.equal(platformCer.checkPrivateKey(merchant.privateKey), false);
      assert.ok(merchantCer.verify(merchantCer.publicKey), 'self-signed');
      assert.match(merchantCer.subject, /CN=tsy-yunst sandbox merchant/);
      assert.match(platformCer.subject, /CN=tsy-yunst sandbox platform/);
    }
  });

  it('a signature made with the merchant .pfx verifies with merchant.cer, and one made with platform.key with platform.cer', () => {
    const fields = { sysid: '1', req: '{"service":"s","method":"m","param":{}}', timestamp: '2026-11-26 14:00:00' };
    for (const set of [legacy, modern]) {
      const source = fields.sysid + fields.req + fields.timestamp;
      assert.ok(verifySource(source, signRequest(fields, loadMerchantKey(set.merchantPfx, set.password)), loadPlatformKey(set.merchantCer)));
      assert.ok(verifySource(source, signRequest(fields, loadMerchantKey(set.platformKey)), loadPlatformKey(set.platformCer)));
      assert.equal(verifySource(source, signRequest(fields, loadMerchantKey(set.platformKey)), loadPlatformKey(set.merchantCer)), false);
    }
  });

  it('a wrong password is a KeyFileError naming the file', () => {
    for (const set of [legacy, modern]) {
      assert.throws(
        () => loadMerchantKey(set.merchantPfx, `${set.password}x`),
        (error: Error) => error.name === 'KeyFileError' && error.message.startsWith(`${set.merchantPfx}: wrong password`),
      );
    }
  });
});

describe('the .pfx layout', () => {
  it('legacy: RC2-40 certificate bag, 3DES shrouded key bag, SHA-1 MAC (by OID); no PBES2/AES', () => {
    const der = readFileSync(legacy.merchantPfx);
    for (const oid of [PKCS12_OIDS.pbeWithSHAAnd40BitRc2Cbc, PKCS12_OIDS.pbeWithSHAAnd3KeyTripleDesCbc, PKCS12_OIDS.encryptedData, PKCS12_OIDS.pkcs8ShroudedKeyBag, PKCS12_OIDS.sha1]) {
      assert.ok(der.includes(oidDer(oid)), oid);
    }
    for (const oid of [PKCS12_OIDS.pbes2, PKCS12_OIDS.aes256Cbc, PKCS12_OIDS.sha256]) assert.equal(der.includes(oidDer(oid)), false, oid);
    assert.deepEqual(oidDer('1.2.840.113549.1.12.1.6'), Buffer.from('060a2a864886f70d010c0106', 'hex'));
  });

  it('modern: PBES2 with AES-256-CBC and HMAC-SHA-256, SHA-256 MAC (by OID); no RC2/3DES', () => {
    const der = readFileSync(modern.merchantPfx);
    for (const oid of [PKCS12_OIDS.pbes2, PKCS12_OIDS.pbkdf2, PKCS12_OIDS.aes256Cbc, PKCS12_OIDS.hmacWithSHA256, PKCS12_OIDS.sha256, PKCS12_OIDS.encryptedData]) {
      assert.ok(der.includes(oidDer(oid)), oid);
    }
    for (const oid of [PKCS12_OIDS.pbeWithSHAAnd40BitRc2Cbc, PKCS12_OIDS.pbeWithSHAAnd3KeyTripleDesCbc]) assert.equal(der.includes(oidDer(oid)), false, oid);
  });

  describe('as OpenSSL 3 sees it', { skip: opensslMissing }, () => {
    const info = (set: KeySetPaths, ...extra: string[]) =>
      openssl(['pkcs12', '-info', ...extra, '-nokeys', '-in', set.merchantPfx, '-passin', `file:${set.merchantPfxPassword}`]);

    it('legacy: `-legacy -info` reports RC2-40 for the certificates, 3DES for the key, a SHA-1 MAC', () => {
      const run = info(legacy, '-legacy');
      assert.equal(run.status, 0, run.stderr);
      const report = run.stdout + run.stderr;
      assert.match(report, /PKCS7 Encrypted data: pbeWithSHA1And40BitRC2-CBC/);
      assert.match(report, /Shrouded Keybag: pbeWithSHA1And3-KeyTripleDES-CBC/);
      assert.match(report, /MAC: sha1/);
      assert.match(run.stdout, /subject=CN ?= ?tsy-yunst sandbox merchant/);
    });

    it('legacy: plain OpenSSL 3 (no -legacy) refuses it, as it refuses the platform-issued file', () => {
      const run = info(legacy);
      assert.notEqual(run.status, 0);
      assert.match(run.stderr, /RC2-40-CBC|unsupported/i);
    });

    it('modern: plain OpenSSL 3 reads it (PBES2, AES-256-CBC, SHA-256 MAC)', () => {
      const run = info(modern);
      assert.equal(run.status, 0, run.stderr);
      const report = run.stdout + run.stderr;
      assert.match(report, /PBES2, PBKDF2, AES-256-CBC/);
      assert.match(report, /MAC: sha256/);
      assert.match(run.stdout, /BEGIN CERTIFICATE/);
    });

    it('OpenSSL extracts the same private key as loadMerchantKey', () => {
      for (const [set, extra] of [
        [legacy, ['-legacy']],
        [modern, []],
      ] as const) {
        const run = openssl(['pkcs12', ...extra, '-in', set.merchantPfx, '-nocerts', '-nodes', '-passin', `file:${set.merchantPfxPassword}`]);
        assert.equal(run.status, 0, run.stderr);
        const pem = /-----BEGIN PRIVATE KEY-----[\s\S]+?-----END PRIVATE KEY-----/.exec(run.stdout)?.[0];
        assert.ok(pem);
        const ours = loadMerchantKey(set.merchantPfx, set.password).privateKey;
        assert.deepEqual(createPublicKey(pem).export({ type: 'spki', format: 'der' }), createPublicKey(ours).export({ type: 'spki', format: 'der' }));
      }
    });
  });

  it('node:tls reads the modern .pfx and refuses the legacy one (why the core parses .pfx with node-forge)', () => {
    assert.doesNotThrow(() => createSecureContext({ pfx: readFileSync(modern.merchantPfx), passphrase: modern.password }));
    assert.throws(() => createSecureContext({ pfx: readFileSync(legacy.merchantPfx), passphrase: legacy.password }));
  });
});

describe('exportPkcs12', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = createSelfSignedCertificate(privateKey, publicKey, 'export test');

  it('round trips through merchantKeyFromPkcs12 in both formats, with the iteration count asked for', () => {
    for (const format of ['legacy', 'modern'] as const) {
      const pfx = exportPkcs12(privateKey, certificate, 'Pa55 w0rd!', { format, iterations: 1000, friendlyName: '商户 merchant' });
      const loaded = merchantKeyFromPkcs12(pfx, 'Pa55 w0rd!');
      assert.throws(() => merchantKeyFromPkcs12(pfx, 'Pa55 w0rd'), /wrong password/);
      assert.equal(loaded.certificate?.fingerprint256, certificate.fingerprint256);
      assert.deepEqual(
        createPublicKey(loaded.privateKey).export({ type: 'spki', format: 'der' }),
        publicKey.export({ type: 'spki', format: 'der' }),
      );
      // The MAC iteration count is the last INTEGER of the file: 1000 = 02 02 03 e8.
      assert.deepEqual(pfx.subarray(-4), Buffer.from('020203e8', 'hex'));
    }
  });

  it('refuses a certificate that does not belong to the key', () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 });
    assert.throws(() => exportPkcs12(other.privateKey, certificate, 'pw'), /does not belong/);
  });
});
