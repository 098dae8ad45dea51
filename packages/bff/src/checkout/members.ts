import { YunstPlatformError } from '@tsy/yunst';
import type { MemberRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError } from './errors.js';
import type { RateLimits } from './rate-limits.js';

/**
 * Payers are YunST members (spec §4.1): the platform only lets members with a bound phone — or a bound openid/user_id for
 * JS methods (§4.1.23) — create orders. The members table mirrors what the platform knows about each payer.
 */
export class Members {
  constructor(
    private readonly ctx: CheckoutContext,
    private readonly limits: RateLimits,
  ) {}

  /** The member, created on the platform on first use (individual, spec §6.1 type 3). */
  async ensure(bizUserId: string, source: 1 | 2): Promise<MemberRecord> {
    const known = await this.ctx.store.getMember(bizUserId);
    if (known) return known;
    try {
      const created = await this.ctx.yunst.call('MemberService', 'createMember', { bizUserId, memberType: 3, source });
      return await this.ctx.store.upsertMember({ bizUserId, userId: created.userId });
    } catch (error) {
      // 30000: the member exists already (created by the merchant's own systems); its phone is unknown to us.
      if (error instanceof YunstPlatformError && error.errorCode === '30000') return this.ctx.store.upsertMember({ bizUserId });
      throw fromYunstError(error);
    }
  }

  /** Binds the payer's openid/user_id so JS methods may use it as `acct` (spec §4.1.23); once per acct. */
  async ensureAcct(bizUserId: string, acctType: 'weChatPublic' | 'weChatMiniProgram' | 'aliPayService', acct: string): Promise<void> {
    const bound = await this.ctx.store.listMemberAccts(bizUserId);
    if (bound.some((entry) => entry.acctType === acctType && entry.acct === acct)) return;
    try {
      const answer = await this.ctx.yunst.call('MemberService', 'applyBindAcct', { bizUserId, operationType: 'set', acctType, acct });
      if (answer.result !== 'OK') {
        throw new CheckoutError(422, 'payer_account_bind_failed', { zh: '支付账户绑定失败', en: 'Binding the payer’s payment account failed' });
      }
    } catch (error) {
      throw fromYunstError(error);
    }
    await this.ctx.store.addMemberAcct({ bizUserId, acctType, acct });
  }

  /** A bind code to `phone`, within the limits per phone and per client IP (`ip`): each is an SMS the merchant pays for. */
  async sendPhoneCode(bizUserId: string, phone: string, source: 1 | 2, ip: string): Promise<void> {
    const notSent = await this.limits.phoneCode(ip, phone);
    await this.ensure(bizUserId, source);
    try {
      await this.ctx.yunst.call('MemberService', 'sendVerificationCode', { bizUserId, phone, verificationCodeType: 9 });
    } catch (error) {
      // The platform refused it (no SMS went out); without an answer one may have, and the count stays.
      if (error instanceof YunstPlatformError) await notSent();
      throw fromYunstError(error);
    }
  }

  /**
   * Binds `phone` with the code sent to it. Each code takes one of the phone's tries first; only a wrong one (20011) keeps
   * it, so a phone's code cannot be guessed through this BFF, and once locked even the right code waits for the lockout.
   */
  async bindPhone(bizUserId: string, phone: string, verificationCode: string, source: 1 | 2, ip: string): Promise<MemberRecord> {
    await this.ensure(bizUserId, source);
    const giveBack = await this.limits.bindingAttempt(ip, bizUserId, phone);
    try {
      await this.ctx.yunst.call('MemberService', 'bindPhone', { bizUserId, phone, verificationCode });
    } catch (error) {
      // Refused for another reason, the code was not judged; without an answer it may have been, and the try stays taken.
      if (error instanceof YunstPlatformError && error.errorCode !== '20011') await giveBack();
      throw fromYunstError(error);
    }
    await giveBack();
    return this.ctx.store.upsertMember({ bizUserId, phone });
  }
}
