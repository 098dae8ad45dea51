import { createRequire } from 'node:module';
import type Forge from 'node-forge';

const require = createRequire(import.meta.url);
let loaded: typeof Forge | undefined;

/**
 * node-forge, loaded on first use: only reading or writing a PKCS#12 file needs it (~0.5 MB of JavaScript), so a process
 * that signs with PEM keys, or verifies only, never loads it. node-forge is CommonJS, so a synchronous require keeps
 * `loadMerchantKey` synchronous.
 */
export function forge(): typeof Forge {
  return (loaded ??= require('node-forge') as typeof Forge);
}
