import { signSource, type MerchantKey } from '@tsy/yunst';
import type { SoaError } from './errors.js';

export interface OkAnswer {
  readonly status: 'OK';
  readonly signedValue: string;
  readonly sign: string;
  readonly sysid: string;
}

export interface ErrorAnswer {
  readonly status: 'error';
  readonly errorCode: string;
  readonly message: string;
  readonly sign: string;
}

/** A success: `signedValue` is serialised once and signed byte for byte as sent (spec §3.2, §3.4). */
export function okAnswer(value: Readonly<Record<string, unknown>>, sysid: string, key: MerchantKey): OkAnswer {
  const signedValue = JSON.stringify(value);
  return { status: 'OK', signedValue, sign: signSource(signedValue, key), sysid };
}

/**
 * A refusal. The spec's error example carries a `sign` but never says what it covers (§3.3); the sandbox signs the JSON text
 * of `{errorCode, message}` — in that order — so an error is at least attributable to the platform key. Clients cannot rely
 * on this (the real platform may sign something else), and the BFF core treats every error answer as unverified anyway.
 */
export function errorAnswer(error: SoaError, key: MerchantKey): ErrorAnswer {
  const { errorCode, message } = error;
  return { status: 'error', errorCode, message, sign: signSource(JSON.stringify({ errorCode, message }), key) };
}
