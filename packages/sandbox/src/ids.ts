import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import { formatCstTimestamp } from '@tsy/yunst';

/** `n` random decimal digits (leading zeros allowed). */
export function randomDigits(n: number): string {
  let out = '';
  while (out.length < n) out += String(randomInt(0, 1_000_000_000)).padStart(9, '0');
  return out.slice(0, n);
}

/** A 6-digit SMS code (spec §6.16). */
export const newSmsCode = (): string => randomDigits(6);

/** An unguessable token for page links (wallet pages, cashier sessions). */
export const newToken = (): string => randomBytes(16).toString('base64url');

/** YunST `userId` values are UUIDs (spec §3.3 example). */
export const newUserId = (): string => randomUUID();

/** `yyyyMMddHHmmss` in CST, the prefix of channel-style serial numbers. */
export function cstCompact(instant: Date): string {
  return formatCstTimestamp(instant).replace(/\D/g, '');
}
