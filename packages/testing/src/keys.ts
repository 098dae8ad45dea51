import { writeKeySet, type KeySetPaths } from '@tsy/yunst';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The sandbox's application number (any digits do; this one is the platform's own sample). */
export const TEST_SYSID = '1902271423530473681';

/** The files of a key set the stack needs: the merchant's PKCS#12 and certificate, the platform's key and certificate. */
export type StackKeys = Pick<KeySetPaths, 'merchantPfx' | 'password' | 'merchantCer' | 'platformKey' | 'platformCer'>;
/** What the merchant (the BFF) holds: its own key and the platform's certificate. */
export type MerchantKeys = Pick<StackKeys, 'merchantPfx' | 'password' | 'platformCer'>;
/** What the sandbox (the platform) holds: the merchant's certificate and its own signing key. */
export type PlatformKeys = Pick<StackKeys, 'merchantCer' | 'platformKey'>;

let shared: KeySetPaths | undefined;

/**
 * One key set for the whole process, in a temporary folder removed when the process exits: generating RSA keys and a
 * PKCS#12 takes about half a second, and every stack of a test run may share them.
 */
export function testKeySet(): KeySetPaths {
  if (!shared) {
    const dir = mkdtempSync(join(tmpdir(), 'tsy-keys-'));
    shared = writeKeySet(dir);
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return shared;
}
