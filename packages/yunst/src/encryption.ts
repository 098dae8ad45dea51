import { constants, privateDecrypt, publicEncrypt } from 'node:crypto';
import { YunstCryptoError } from './errors.js';
import { modulusBytes, type MerchantKey, type PlatformKey } from './keys.js';

/** PKCS#1 v1.5 type-2 padding takes at least 11 bytes of the block (RFC 8017 §7.2.1). */
const PKCS1_OVERHEAD = 11;

/**
 * Encrypts a sensitive field (`bankCardNo`, `validate`, `cvv2`, …) for the platform: RSA PKCS#1 v1.5 with the platform
 * public key, upper-case hex (spec §3.5).
 */
export function encryptField(plaintext: string, platform: PlatformKey): string {
  const data = Buffer.from(plaintext, 'utf8');
  const max = modulusBytes(platform.publicKey) - PKCS1_OVERHEAD;
  if (data.length > max) {
    throw new YunstCryptoError(`the text is ${data.length} bytes; RSA PKCS#1 v1.5 with this ${max + PKCS1_OVERHEAD}-byte key takes at most ${max}`);
  }
  return publicEncrypt({ key: platform.publicKey, padding: constants.RSA_PKCS1_PADDING }, data).toString('hex').toUpperCase();
}

/**
 * Decrypts a field the platform encrypted with the merchant public key.
 *
 * Node 20 refuses PKCS#1 v1.5 private decryption (CVE-2023-46809, the Marvin timing attack) unless the process runs with
 * `--security-revert`. The platform still uses that padding, so the raw RSA operation runs in node:crypto and the padding is
 * removed here. The Marvin concern is an oracle that answers arbitrary ciphertexts; this function is only fed fields of
 * signature-verified platform messages, and it reports every padding problem with the same error.
 */
export function decryptField(hex: string, merchant: MerchantKey): string {
  const size = modulusBytes(merchant.privateKey);
  if (!/^(?:[0-9A-Fa-f]{2})+$/.test(hex) || hex.length !== size * 2) {
    throw new YunstCryptoError(`the ciphertext must be ${size * 2} hex digits for this ${size * 8}-bit key`);
  }
  let block: Buffer;
  try {
    block = privateDecrypt({ key: merchant.privateKey, padding: constants.RSA_NO_PADDING }, Buffer.from(hex, 'hex'));
  } catch {
    // A ciphertext not below the modulus (made for another key): the same answer as any other padding problem.
    throw new YunstCryptoError('decryption failed');
  }
  // EM = 0x00 || 0x02 || PS (>= 8 non-zero bytes) || 0x00 || M
  let separator = -1;
  for (let i = 2; i < block.length; i++) {
    if (block[i] === 0 && separator < 0) separator = i;
  }
  if (block[0] !== 0x00 || block[1] !== 0x02 || separator < 2 + 8) throw new YunstCryptoError('decryption failed');
  return block.subarray(separator + 1).toString('utf8');
}
