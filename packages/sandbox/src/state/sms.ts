import { addMs, MINUTE } from '../clock.js';
import { newSmsCode } from '../ids.js';

/** SMS codes are valid 3 minutes (spec §6.16). */
export const SMS_VALIDITY_MS = 3 * MINUTE;

export type SmsPurpose = 'bindPhone' | 'unbindPhone' | 'pay';

export interface SmsMessage {
  readonly phone: string;
  readonly code: string;
  readonly purpose: SmsPurpose;
  readonly bizUserId: string;
  readonly bizOrderNo?: string;
  readonly sentAt: Date;
  /** A resend of a still-valid code keeps the first send's expiry (spec §4.2.25). */
  readonly expiresAt: Date;
  /** Set once the code has been accepted, so it cannot be used twice. */
  usedAt?: Date;
}

export type SmsMatch = Pick<SmsMessage, 'purpose' | 'bizUserId'> & { phone?: string; bizOrderNo?: string };

/**
 * The test environment delivers no SMS (spec §4.1.2: codes are read in the back office); the sandbox keeps them here and
 * shows them only in its inbox page — never in logs.
 */
export class SmsOutbox {
  readonly #messages: SmsMessage[] = [];

  /** Sends `code` (a fresh one by default) and records it. */
  send(fields: Omit<SmsMessage, 'code' | 'expiresAt' | 'usedAt'> & { code?: string; expiresAt?: Date }): SmsMessage {
    const message: SmsMessage = {
      ...fields,
      code: fields.code ?? newSmsCode(),
      expiresAt: fields.expiresAt ?? addMs(fields.sentAt, SMS_VALIDITY_MS),
    };
    this.#messages.push(message);
    return message;
  }

  /** The most recent message matching `match`. */
  latest(match: SmsMatch): SmsMessage | undefined {
    for (let i = this.#messages.length - 1; i >= 0; i--) {
      const m = this.#messages[i]!;
      if (
        m.purpose === match.purpose &&
        m.bizUserId === match.bizUserId &&
        (match.phone === undefined || m.phone === match.phone) &&
        (match.bizOrderNo === undefined || m.bizOrderNo === match.bizOrderNo)
      ) {
        return m;
      }
    }
    return undefined;
  }

  /** Newest first, optionally for one phone. */
  list(phone?: string): SmsMessage[] {
    return this.#messages.filter((m) => phone === undefined || m.phone === phone).reverse();
  }
}

export const isValidAt = (message: SmsMessage, now: Date): boolean => !message.usedAt && now < message.expiresAt;
