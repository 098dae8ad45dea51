import { z } from 'zod';

/**
 * Amounts are Long fen (spec §2.4). The platform allows up to 2^63−1, but a JS number is exact only to 2^53−1, so the kit
 * refuses anything above that rather than silently rounding money.
 */
export const fen = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
export const positiveFen = fen.min(1);

/** The reserved payee id of the platform itself in B2C self-operated sales (spec §4.2.4 note 2). */
export const PLATFORM_BIZ_USER_ID = '#yunBizUserId_B2C#';

export const bizUserId = z.string().min(1).max(64);
/**
 * A member id where the spec allows only a member: the platform placeholders (`#…#`) are not members (spec §4.2.4 offers
 * `#yunBizUserId_B2C#` for `recieverId` alone).
 */
export const memberBizUserId = bizUserId.refine((value) => !/^#.*#$/.test(value), { message: 'must be a member’s bizUserId, not a platform placeholder' });
/** A payee: a member, or the platform itself as `#yunBizUserId_B2C#` (spec §4.2.4 note 2) — no other placeholder. */
export const payeeBizUserId = bizUserId.refine((value) => value === '#yunBizUserId_B2C#' || !/^#.*#$/.test(value), { message: 'the only placeholder allowed is #yunBizUserId_B2C#' });

/** The spec counts lengths in characters; JavaScript's `length` counts UTF-16 units (an emoji is two). */
export const maxChars = (max: number) => z.string().refine((value) => [...value].length <= max, { message: `must be at most ${max} characters` });
export const bizOrderNo = z.string().min(1).max(64);

/** `jumpUrl`/`frontUrl`/`backUrl`: absolute http(s) URLs without `#` (spec §3.3: the fragment never reaches a server). */
export const notifyUrl = z
  .string()
  .max(512)
  .refine((value) => !value.includes('#'), { message: 'must not contain "#" (spec §3.3)' })
  .refine(
    (value) => {
      try {
        return ['http:', 'https:'].includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: 'must be an absolute http(s) URL' },
  );

/** `yyyy-MM-dd HH:mm:ss` in CST. */
export const cstDatetime = z.string().regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'must be yyyy-MM-dd HH:mm:ss');

/** Mainland mobile numbers, as `bindPhone`/`sendVerificationCode` take them. */
export const phone = z.string().regex(/^1\d{10}$/, 'must be an 11-digit mainland mobile number');

/** spec §6.5 access terminal: 1 mobile, 2 PC. */
export const source = z.union([z.literal(1), z.literal(2)]);

/** spec §6.16 validateType: 0 none, 1 SMS code, 2 payment password. */
export const validateType = z.union([z.literal(0), z.literal(1), z.literal(2)]);

/**
 * The payer's public IP for risk control. The platform refuses loopback names (spec §4.2.8), so this does too.
 */
export const consumerIp = z
  .string()
  .min(1)
  .max(64)
  .refine((value) => !['127.0.0.1', 'localhost'].includes(value.trim().toLowerCase()), {
    message: 'must be the payer’s public IP, not 127.0.0.1 or localhost (spec §4.2.8)',
  });

/** `limitPay`: `no_credit`, or an empty string for "any card" — but the field must be sent (spec §5.2). */
export const limitPay = z.enum(['no_credit', '']);

/** A response object: the fields the spec lists are checked, extra fields the platform may add are kept. */
export const responseObject = z.looseObject;
