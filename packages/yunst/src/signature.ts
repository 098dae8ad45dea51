import { createHash, sign as rsaSign, verify as rsaVerify } from 'node:crypto';
import { parseFormBody } from './form-encoding.js';
import type { MerchantKey, PlatformKey } from './keys.js';
import { YunstFormatError, YunstSignatureError } from './errors.js';

/**
 * spec §3.4: the value that is RSA-signed is not the source string itself but the Base64 text of its MD5 digest
 * (the platform's Java sample signs `md5Base64.getBytes("utf8")`).
 */
export function md5Base64(source: string): string {
  return createHash('md5').update(source, 'utf8').digest('base64');
}

/** Base64(SHA1withRSA(key, UTF-8 bytes of Base64(MD5(source)))). */
export function signSource(source: string, key: MerchantKey): string {
  return rsaSign('sha1', Buffer.from(md5Base64(source), 'utf8'), key.privateKey).toString('base64');
}

/** Verifies a platform signature over `source`; a malformed `sign` is simply a failed verification. */
export function verifySource(source: string, sign: string, key: PlatformKey): boolean {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(sign)) return false;
  return rsaVerify('sha1', Buffer.from(md5Base64(source), 'utf8'), key.publicKey, Buffer.from(sign, 'base64'));
}

/** The request signature: over `sysid + req + timestamp`, where `req` is byte for byte the string that is sent. */
export function signRequest(fields: { sysid: string; req: string; timestamp: string }, key: MerchantKey): string {
  return signSource(fields.sysid + fields.req + fields.timestamp, key);
}

/** A verified success response: `signedValue` is the exact string the signature covers, `value` its parse. */
export interface VerifiedSuccess {
  readonly status: 'OK';
  readonly verified: true;
  readonly signedValue: string;
  readonly sign: string;
  readonly value: Record<string, unknown>;
}

/**
 * An error response. The spec (§3.3) gives it a `sign` but no `signedValue` and never says what the `sign` covers, so it
 * cannot be verified: it is kept as a failure with its code and message, and nothing can turn it into a success.
 */
export interface UnverifiedFailure {
  readonly status: 'error';
  readonly verified: false;
  readonly errorCode: string;
  readonly message: string;
}

export type VerifiedResponse = VerifiedSuccess | UnverifiedFailure;

function parseJsonObject(text: string, what: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new YunstFormatError(`${what} is not JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new YunstFormatError(`${what} is not a JSON object`);
  return parsed as Record<string, unknown>;
}

/**
 * Verifies a synchronous `/service/soa` answer. The signature is checked over the raw `signedValue` string before `status`
 * is believed and before `signedValue` is parsed; a success without a valid signature throws.
 */
export function verifyResponse(body: string, platform: PlatformKey): VerifiedResponse {
  const envelope = parseJsonObject(body, 'the response');
  const { status, signedValue, sign } = envelope;
  if (signedValue !== undefined) {
    if (typeof signedValue !== 'string') throw new YunstFormatError('signedValue is not a string');
    if (typeof sign !== 'string' || sign === '') throw new YunstSignatureError('the response carries signedValue but no sign');
    if (!verifySource(signedValue, sign, platform)) throw new YunstSignatureError('the signature over signedValue does not verify');
  }
  if (status === 'OK') {
    if (typeof signedValue !== 'string') throw new YunstSignatureError('a success response without signedValue cannot be verified');
    return { status: 'OK', verified: true, signedValue, sign: sign as string, value: parseJsonObject(signedValue, 'signedValue') };
  }
  if (status === 'error') {
    return {
      status: 'error',
      verified: false,
      errorCode: typeof envelope.errorCode === 'string' ? envelope.errorCode : String(envelope.errorCode ?? ''),
      message: typeof envelope.message === 'string' ? envelope.message : '',
    };
  }
  throw new YunstFormatError(`unknown response status ${JSON.stringify(status)}`);
}

/** A verified notification or page return: `rps` is the exact string the signature covers. */
export interface VerifiedNotification {
  readonly sysid: string;
  readonly timestamp: string;
  readonly v: string | undefined;
  readonly sign: string;
  readonly rps: string;
  readonly value: Record<string, unknown>;
}

/**
 * Verifies an asynchronous notification or a front-page return (spec §3.4: over `sysid + rps + timestamp`). `body` is the
 * raw `application/x-www-form-urlencoded` text, or fields a framework has already decoded — never decode twice.
 */
export function verifyNotification(
  body: string | Readonly<Record<string, string | undefined>>,
  platform: PlatformKey,
  options: { sysid?: string } = {},
): VerifiedNotification {
  const fields = typeof body === 'string' ? parseFormBody(body) : body;
  for (const name of ['sysid', 'rps', 'timestamp', 'sign'] as const) {
    if (typeof fields[name] !== 'string' || fields[name] === '') throw new YunstSignatureError(`the notification has no ${name}`);
  }
  const { sysid, rps, timestamp, sign, v } = fields as Record<string, string>;
  if (!verifySource(sysid! + rps! + timestamp!, sign!, platform)) {
    throw new YunstSignatureError('the signature over sysid + rps + timestamp does not verify');
  }
  if (options.sysid !== undefined && sysid !== options.sysid) {
    throw new YunstSignatureError(`the notification is for sysid ${sysid}, not ${options.sysid}`);
  }
  return { sysid: sysid!, timestamp: timestamp!, v, sign: sign!, rps: rps!, value: parseJsonObject(rps!, 'rps') };
}
