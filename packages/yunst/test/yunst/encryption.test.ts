// Field encryption (spec §3.5): RSA PKCS#1 v1.5, upper-case hex — round trips, limits, bad ciphertext, OpenSSL interop.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { constants, generateKeyPairSync, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  YunstCryptoError,
  decryptField,
  encryptField,
  loadMerchantKey,
  loadPlatformKey,
  type MerchantKey,
  type PlatformKey,
} from '../../src/index.js';
import { vectorPath } from '../support/paths.js';

const OPENSSL = process.env.OPENSSL ?? 'openssl';
const opensslMissing = spawnSync(OPENSSL, ['version']).status !== 0 ? 'openssl is not installed' : false;

interface Pair {
  readonly name: string;
  readonly bits: number;
  readonly merchant: MerchantKey;
  readonly platform: PlatformKey;
}

function generated(bits: number): Pair {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { name: `generated RSA-${bits}`, bits, merchant: { privateKey }, platform: { publicKey } };
}

// The vector merchant key (legacy .pfx, RSA-1024) with its published certificate: the other side encrypts with the .cer.
const vector: Pair = {
  name: 'vector RSA-1024 (.pfx + .cer)',
  bits: 1024,
  merchant: loadMerchantKey(vectorPath('merchant-2006041448410260378.pfx'), 'qidingdong123'),
  platform: loadPlatformKey(vectorPath('merchant-2006041448410260378.cer')),
};
const rsa2048 = generated(2048);
const pairs = [vector, rsa2048];

/** A ciphertext whose decrypted block is exactly `block` (raw RSA with the public key): malformed padding on purpose. */
function rawCiphertext(pair: Pair, block: Buffer): string {
  return publicEncrypt({ key: pair.platform.publicKey, padding: constants.RSA_NO_PADDING }, block).toString('hex').toUpperCase();
}

describe('encryptField / decryptField', () => {
  for (const pair of pairs) {
    const bytes = pair.bits / 8;

    it(`${pair.name}: round trips ASCII, Chinese and empty text`, () => {
      for (const text of ['6222021001123456789', '123', '张三 工商银行 6222 0210 0112 3456 789', '', 'a&b=c+d/e%20']) {
        assert.equal(decryptField(encryptField(text, pair.platform), pair.merchant), text);
      }
    });

    it(`${pair.name}: output is upper-case hex of the key length, and randomised`, () => {
      const a = encryptField('6222021001123456789', pair.platform);
      const b = encryptField('6222021001123456789', pair.platform);
      assert.match(a, new RegExp(`^[0-9A-F]{${bytes * 2}}$`));
      assert.notEqual(a, b, 'PKCS#1 v1.5 type-2 padding is random');
      assert.equal(decryptField(a.toLowerCase(), pair.merchant), '6222021001123456789');
    });

    it(`${pair.name}: takes at most ${bytes - 11} bytes, counted in UTF-8`, () => {
      const max = bytes - 11;
      assert.equal(decryptField(encryptField('x'.repeat(max), pair.platform), pair.merchant), 'x'.repeat(max));
      assert.throws(
        () => encryptField('x'.repeat(max + 1), pair.platform),
        (error: unknown) =>
          error instanceof YunstCryptoError && error.message.includes(`the text is ${max + 1} bytes`) && error.message.includes(`at most ${max}`),
      );
      // 3 bytes per Chinese character: fewer characters than bytes.
      const chinese = '张'.repeat(Math.floor(max / 3) + 1);
      assert.throws(() => encryptField(chinese, pair.platform), (error: unknown) => error instanceof YunstCryptoError && /at most/.test(error.message));
      assert.equal(decryptField(encryptField('张'.repeat(Math.floor(max / 3)), pair.platform), pair.merchant), '张'.repeat(Math.floor(max / 3)));
    });

    it(`${pair.name}: malformed ciphertext is a YunstCryptoError`, () => {
      const good = encryptField('6222021001123456789', pair.platform);
      for (const hex of [good.slice(2), `${good}00`, `${good.slice(0, -2)}ZZ`, '', 'ABC']) {
        assert.throws(() => decryptField(hex, pair.merchant), YunstCryptoError, `hex of length ${hex.length}`);
      }
    });

    it(`${pair.name}: a block without valid PKCS#1 v1.5 type-2 padding is a YunstCryptoError`, () => {
      const message = Buffer.from('6222021001123456789');
      const block = (head: number[], padding: Buffer) => Buffer.concat([Buffer.from(head), padding, Buffer.from([0]), message]);
      const nonZero = (n: number) => Buffer.from(randomBytes(n).map((b) => b || 1));
      const psLength = bytes - 3 - message.length;
      const valid = block([0x00, 0x02], nonZero(psLength));
      assert.equal(decryptField(rawCiphertext(pair, valid), pair.merchant), '6222021001123456789', 'the control block decrypts');

      const corrupted = [
        block([0x00, 0x01], Buffer.alloc(psLength, 0xff)), // type 1 (signature) padding
        block([0x00, 0x03], nonZero(psLength)), // unknown block type
        Buffer.concat([Buffer.from([0x00, 0x02]), nonZero(bytes - 2)]), // no separator
        Buffer.concat([Buffer.from([0x00, 0x02]), nonZero(5), Buffer.from([0]), nonZero(bytes - 8)]), // padding string < 8 bytes
      ];
      for (const [i, bad] of corrupted.entries()) {
        assert.equal(bad.length, bytes);
        assert.throws(() => decryptField(rawCiphertext(pair, bad), pair.merchant), YunstCryptoError, `corrupted block #${i}`);
      }
    });

    it(
      `${pair.name}: a ciphertext not below the modulus is a YunstCryptoError`,
      // Also what a ciphertext for another key of the same size gives about half the time.
      () => {
        assert.throws(() => decryptField('FF'.repeat(bytes), pair.merchant), YunstCryptoError);
      },
    );

  }

  it('works in a normal Node process, without --security-revert (node:crypto alone refuses PKCS#1 v1.5 decryption)', () => {
    const flags = [...process.execArgv, process.env.NODE_OPTIONS ?? ''].join(' ');
    assert.doesNotMatch(flags, /security-revert/);
    const hex = encryptField('6222021001123456789', rsa2048.platform);
    // Node 20.11+ (CVE-2023-46809) refuses RSA_PKCS1_PADDING private decryption unless OpenSSL does implicit rejection;
    // decryptField must work either way.
    let nodeRefuses = false;
    try {
      privateDecrypt({ key: rsa2048.merchant.privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(hex, 'hex'));
    } catch (error) {
      nodeRefuses = /RSA_PKCS1_PADDING is no longer supported/.test((error as Error).message);
    }
    if (!nodeRefuses) console.log('# note: this Node accepts RSA_PKCS1_PADDING private decryption (implicit rejection)');
    assert.equal(decryptField(hex, rsa2048.merchant), '6222021001123456789');
  });
});

describe('interop with OpenSSL pkeyutl (PKCS#1 v1.5)', { skip: opensslMissing }, () => {
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'tsy-yunst-encryption-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  function openssl(args: string[]): Buffer {
    const result = spawnSync(OPENSSL, args);
    if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr.toString()}`);
    return result.stdout;
  }

  for (const pair of pairs) {
    const text = '6222 0210 0112 3456 789 张三';

    it(`${pair.name}: ciphertext from \`openssl pkeyutl -encrypt -pubin\` decrypts with decryptField`, () => {
      const publicPem = join(tmp, `${pair.bits}-public.pem`);
      writeFileSync(publicPem, pair.platform.publicKey.export({ type: 'spki', format: 'pem' }));
      const plain = join(tmp, 'plain.txt');
      writeFileSync(plain, text);
      const ciphertext = openssl(['pkeyutl', '-encrypt', '-pubin', '-inkey', publicPem, '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', plain]);
      assert.equal(ciphertext.length, pair.bits / 8);
      assert.equal(decryptField(ciphertext.toString('hex').toUpperCase(), pair.merchant), text);
    });

    it(`${pair.name}: encryptField output decrypts with \`openssl pkeyutl -decrypt\``, () => {
      const privatePem = join(tmp, `${pair.bits}-private.pem`);
      writeFileSync(privatePem, pair.merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
      const encrypted = join(tmp, 'encrypted.bin');
      writeFileSync(encrypted, Buffer.from(encryptField(text, pair.platform), 'hex'));
      const decrypted = openssl(['pkeyutl', '-decrypt', '-inkey', privatePem, '-pkeyopt', 'rsa_padding_mode:pkcs1', '-in', encrypted]);
      assert.equal(decrypted.toString('utf8'), text);
      assert.equal(readFileSync(encrypted).length, pair.bits / 8);
    });
  }
});
