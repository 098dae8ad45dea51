import { YUNST_ERROR_CODES, type YunstErrorCode, type YUNST_UNCODED_MESSAGES } from '@tsy/yunst';

/**
 * A refusal the platform answers with `status: error`. `message` is what the platform would say: the spec's Chinese text
 * for the code, with the offending field or reason after a colon.
 */
export class SoaError extends Error {
  override readonly name = 'SoaError';
  constructor(
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
  }

  /** An error with a §7 code; `detail` (field name, reason) follows the code's text. */
  static of(code: YunstErrorCode, detail?: string): SoaError {
    const text = YUNST_ERROR_CODES[code][0];
    return new SoaError(code, detail ? `${text}: ${detail}` : text);
  }

  /** One of the messages the spec gives without a code (the code is the one `YUNST_UNCODED_MESSAGES` chose). */
  static uncoded(entry: (typeof YUNST_UNCODED_MESSAGES)[keyof typeof YUNST_UNCODED_MESSAGES]): SoaError {
    return new SoaError(entry.code, entry.zh);
  }
}
