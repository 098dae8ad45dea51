import type { BffConfig } from '../config/config.js';
import type { PaymentPatch, PaymentRecord } from '../store/types.js';
import { CheckoutError, retryAfterSeconds } from './errors.js';

/**
 * The rules of the SMS confirm step (the store only keeps their numbers). The platform answers `20011` both for a wrong
 * code and for one past its validity, so the BFF keeps when it had the code sent and tells the two apart itself.
 */

/** A payment's SMS code is valid 3 minutes (spec §6.16, validateType 1: 通商云发送并验证短信验证码,有效期3分钟). */
export const SMS_CODE_VALIDITY_MS = 3 * 60_000;

/** A send, as stored (a PaymentPatch). */
export interface SmsSend extends PaymentPatch {
  readonly smsSentAt: string;
  readonly smsCodeExpiresAt: string;
  readonly smsResendAt: string;
}

const at = (ms: number) => new Date(ms).toISOString();

/**
 * What a send at `sentAt` (taken before the platform was called, so the BFF's idea of the expiry is never later than the
 * platform's) makes of the payment. A resend within the code's validity sends the same code again and keeps its expiry
 * (spec §4.2.25: 验证码在有效期内,发原验证码); after it, a new code valid from now.
 */
export function smsSent(config: BffConfig, sentAt: Date, previous?: Pick<PaymentRecord, 'smsCodeExpiresAt' | 'smsSentAt'>): SmsSend {
  const now = sentAt.getTime();
  const stillValid = previous?.smsCodeExpiresAt && Date.parse(previous.smsCodeExpiresAt) > now;
  return {
    smsSentAt: stillValid && previous.smsSentAt ? previous.smsSentAt : at(now),
    smsCodeExpiresAt: stillValid ? previous.smsCodeExpiresAt! : at(now + SMS_CODE_VALIDITY_MS),
    smsResendAt: at(now + config.limits.paymentSms.resendSeconds * 1000),
  };
}

/** When the payer may ask for another code: stored, or (a payment from before it was stored) the interval after creation. */
export function resendAt(config: BffConfig, payment: PaymentRecord): string {
  return payment.smsResendAt ?? at(Date.parse(payment.createdAt) + config.limits.paymentSms.resendSeconds * 1000);
}

/** The code the payment has now is past its validity (unknown for a payment from before it was stored: not expired). */
export function codeExpired(payment: PaymentRecord, now: Date): boolean {
  return payment.smsCodeExpiresAt !== null && Date.parse(payment.smsCodeExpiresAt) <= now.getTime();
}

export const resendTooSoon = (bizOrderNo: string, next: string, now: Date) =>
  new CheckoutError(
    429,
    'sms_resend_too_soon',
    { zh: '验证码发送过于频繁,请稍后再试', en: 'A new code can be sent a little later' },
    { bizOrderNo, retryAfterSeconds: Math.max(1, Math.ceil((Date.parse(next) - now.getTime()) / 1000)), details: { resendAt: next, serverTime: now.toISOString() } },
  );

export const codeExpiredError = (bizOrderNo: string) =>
  new CheckoutError(422, 'sms_code_expired', { zh: '验证码已过期,请重新获取', en: 'The code has expired; ask for a new one' }, { bizOrderNo, yunstCode: '20011' });

export const wrongCode = (bizOrderNo: string, attemptsLeft: number) =>
  new CheckoutError(
    422,
    'sms_code_wrong',
    attemptsLeft > 0
      ? { zh: `验证码错误,还可尝试 ${attemptsLeft} 次`, en: `Wrong code; ${attemptsLeft} ${attemptsLeft === 1 ? 'try' : 'tries'} left` }
      : { zh: '验证码错误次数过多,请重新发起支付', en: 'Too many wrong codes; start a new payment' },
    { bizOrderNo, yunstCode: '20011', details: { attemptsLeft } },
  );

/** The payment's tries never come back: `Retry-After` is its expiry, before which nothing about it changes. */
export const smsResendsExhausted = (bizOrderNo: string, retryAfterMs: number) =>
  new CheckoutError(
    429,
    'sms_resends_exhausted',
    { zh: '验证码重发次数过多,请重新发起支付', en: 'No more codes can be sent for this payment; start a new payment' },
    { bizOrderNo, retryAfterSeconds: retryAfterSeconds(retryAfterMs) },
  );

export const attemptsExhausted = (payment: Pick<PaymentRecord, 'bizOrderNo' | 'expiresAt'>, now: Date) =>
  new CheckoutError(
    429,
    'sms_attempts_exhausted',
    { zh: '验证码错误次数过多,请重新发起支付', en: 'Too many wrong codes; start a new payment' },
    { bizOrderNo: payment.bizOrderNo, retryAfterSeconds: retryAfterSeconds(Date.parse(payment.expiresAt) - now.getTime()), details: { attemptsLeft: 0 } },
  );

export const invalidCode = () =>
  new CheckoutError(400, 'sms_code_invalid', { zh: '请输入短信验证码(数字)', en: 'Enter the digits of the SMS code' }, { details: [{ path: 'verificationCode' }] });
