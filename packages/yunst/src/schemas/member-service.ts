import { z } from 'zod';
import { PLATFORM_BIZ_USER_ID, bizUserId, phone, responseObject, source } from './common.js';

/** MemberService (spec §4.1): the payer of an order must be a member with a bound phone or payment account. */

export const createMemberParam = z.strictObject({
  bizUserId: bizUserId
    .refine((value) => !/[\u3400-\u9fff]/.test(value), { message: 'must not contain Chinese characters (spec §4.1.1)' })
    .refine((value) => value !== PLATFORM_BIZ_USER_ID, { message: `${PLATFORM_BIZ_USER_ID} is reserved (spec §4.1.1)` }),
  /** spec §6.1: 2 enterprise, 3 individual. */
  memberType: z.union([z.literal(2), z.literal(3)]),
  source,
  extendParam: z.record(z.string(), z.unknown()).optional(),
});
export const createMemberResult = responseObject({ userId: z.string(), bizUserId: z.string() });

export const sendVerificationCodeParam = z.strictObject({
  bizUserId,
  phone,
  /** spec §6.6: 9 bind phone, 6 unbind phone. */
  verificationCodeType: z.union([z.literal(9), z.literal(6)]),
});
export const sendVerificationCodeResult = responseObject({ bizUserId: z.string(), phone: z.string() });

export const bindPhoneParam = z.strictObject({ bizUserId, phone, verificationCode: z.string().regex(/^\d{4,8}$/) });
export const bindPhoneResult = responseObject({ bizUserId: z.string(), phone: z.string() });

export const ACCT_TYPES = ['weChatPublic', 'weChatMiniProgram', 'aliPayService'] as const;
export const applyBindAcctParam = z.strictObject({
  bizUserId,
  operationType: z.literal('set'),
  acctType: z.enum(ACCT_TYPES),
  acct: z.string().min(1).max(128),
});
export const applyBindAcctResult = responseObject({ bizUserId: z.string(), result: z.enum(['OK', 'error']) });
