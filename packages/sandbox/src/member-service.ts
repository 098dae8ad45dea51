import type { YUNST_METHODS } from '@tsy/yunst';
import type { z } from 'zod';
import type { RequestContext } from './context.js';
import { SoaError } from './soa/errors.js';
import { isValidAt } from './state/sms.js';
import type { SandboxMember } from './state/members.js';

type Param<M extends keyof typeof YUNST_METHODS.MemberService> = z.output<(typeof YUNST_METHODS.MemberService)[M]['param']>;

function memberOf(ctx: RequestContext, bizUserId: string): SandboxMember {
  const member = ctx.members.get(bizUserId);
  if (!member) throw SoaError.of('30001', bizUserId);
  return member;
}

/** createMember (spec §4.1.1): a bizUserId is unique under the application (30000). */
export function createMember(ctx: RequestContext, param: Param<'createMember'>): Record<string, unknown> {
  const member = ctx.members.create({ bizUserId: param.bizUserId, memberType: param.memberType, source: param.source, createdAt: ctx.now() });
  if (!member) throw SoaError.of('30000', param.bizUserId);
  ctx.config.log(`createMember ${member.bizUserId}`);
  return { userId: member.userId, bizUserId: member.bizUserId };
}

/**
 * sendVerificationCode (spec §4.1.2): type 9 sends a bind code to the phone to be bound (refused if the member already has
 * a phone, 30024); type 6 an unbind code to the member's bound phone (30021 if that is not the member's phone).
 */
export function sendVerificationCode(ctx: RequestContext, param: Param<'sendVerificationCode'>): Record<string, unknown> {
  const member = memberOf(ctx, param.bizUserId);
  if (param.verificationCodeType === 9 && member.phone) throw SoaError.of('30024', member.bizUserId);
  if (param.verificationCodeType === 6 && member.phone !== param.phone) throw SoaError.of('30021', `${member.bizUserId} 未绑定该手机`);
  ctx.sms.send({
    phone: param.phone,
    purpose: param.verificationCodeType === 9 ? 'bindPhone' : 'unbindPhone',
    bizUserId: member.bizUserId,
    sentAt: ctx.now(),
  });
  return { bizUserId: member.bizUserId, phone: param.phone };
}

/** bindPhone (spec §4.1.3): checks the latest bind code sent to that phone for that member (20011 if wrong or expired). */
export function bindPhone(ctx: RequestContext, param: Param<'bindPhone'>): Record<string, unknown> {
  const member = memberOf(ctx, param.bizUserId);
  if (member.phone) throw SoaError.of('30024', member.bizUserId);
  const now = ctx.now();
  const sent = ctx.sms.latest({ purpose: 'bindPhone', bizUserId: member.bizUserId, phone: param.phone });
  if (!sent || !isValidAt(sent, now) || sent.code !== param.verificationCode) throw SoaError.of('20011');
  sent.usedAt = now;
  member.phone = param.phone;
  ctx.config.log(`bindPhone ${member.bizUserId}`);
  return { bizUserId: member.bizUserId, phone: member.phone };
}

/** applyBindAcct (spec §4.1.23): binds a WeChat openid / Alipay user_id; a member may bind several. */
export function applyBindAcct(ctx: RequestContext, param: Param<'applyBindAcct'>): Record<string, unknown> {
  const member = memberOf(ctx, param.bizUserId);
  ctx.members.bindAcct(member, param.acctType, param.acct);
  return { bizUserId: member.bizUserId, result: 'OK' };
}
