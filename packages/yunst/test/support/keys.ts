import { generateKeyPairSync } from 'node:crypto';
import type { MerchantKey, PlatformKey } from '../../src/index.js';

/** A fresh RSA pair as the two sides see it: the signer holds the private half, the verifier the public half. */
export function rsaPair(bits = 2048): { signer: MerchantKey; verifier: PlatformKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: bits });
  return { signer: { privateKey }, verifier: { publicKey } };
}
