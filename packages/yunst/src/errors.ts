import type { z } from 'zod';
import { YUNST_UNCODED_MESSAGES, describeYunstErrorCode } from './error-codes.js';

/** Base of every error the YunST protocol core throws. */
export class YunstError extends Error {
  override name = 'YunstError';
}

/** A signature that is missing or does not verify: the message must not be trusted. */
export class YunstSignatureError extends YunstError {
  override name = 'YunstSignatureError';
}

/** A response or notification that is not shaped as the spec says (not JSON, unknown status, failed schema). */
export class YunstFormatError extends YunstError {
  override name = 'YunstFormatError';
}

/** The platform could not be reached or did not answer in time: the outcome of the call is unknown. */
export class YunstTransportError extends YunstError {
  override name = 'YunstTransportError';
  constructor(
    message: string,
    readonly kind: 'timeout' | 'network' | 'http',
    readonly httpStatus?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The platform answered `status: error`. Such answers cannot be verified (spec §3.3), so `verified` is always false:
 * treat the code as a reason to stop, never as proof of anything.
 */
export class YunstPlatformError extends YunstError {
  override name = 'YunstPlatformError';
  readonly verified = false as const;
  /** The spec's English text for the code (the platform's own `message` is usually Chinese). */
  readonly messageEn: string | undefined;
  constructor(
    readonly errorCode: string,
    readonly platformMessage: string,
    readonly service?: string,
    readonly method?: string,
  ) {
    // A message the spec gives without a code of its own is translated by its text, not by the borrowed code.
    const uncoded = Object.values(YUNST_UNCODED_MESSAGES).find((entry) => entry.zh === platformMessage);
    const en = uncoded?.en ?? describeYunstErrorCode(errorCode, 'en');
    super(`YunST ${service ? `${service}.${method} ` : ''}error ${errorCode}: ${platformMessage}${en ? ` (${en})` : ''}`);
    this.messageEn = en;
  }
}

/** Plaintext or ciphertext that RSA PKCS#1 v1.5 cannot handle with the given key. */
export class YunstCryptoError extends YunstError {
  override name = 'YunstCryptoError';
}

/** A param that does not satisfy the spec: refused before anything is signed or sent. */
export class YunstParamError extends YunstError {
  override name = 'YunstParamError';
  constructor(
    readonly service: string,
    readonly method: string,
    readonly issues: readonly z.core.$ZodIssue[],
  ) {
    super(`${service}.${method}: invalid param: ${issues.map((issue) => `${issue.path.join('.') || '(param)'}: ${issue.message}`).join('; ')}`);
  }
}
