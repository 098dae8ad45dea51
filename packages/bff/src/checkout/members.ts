import { YunstPlatformError } from '@tsy/yunst';
import type { MemberRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';
import { CheckoutError, fromYunstError } from './errors.js';

/**
 * Payers are YunST members (spec §4.1): the platform only lets members with a bound phone — or a bound openid/user_id for
 * JS methods (§4.1.23) — create orders. The members table mirrors what the platform knows about each payer.
 */
export class Members {
  constructor(private readonly ctx: CheckoutContext) {}

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

  async sendPhoneCode(bizUserId: string, phone: string, source: 1 | 2): Promise<void> {
    await this.ensure(bizUserId, source);
    try {
      await this.ctx.yunst.call('MemberService', 'sendVerificationCode', { bizUserId, phone, verificationCodeType: 9 });
    } catch (error) {
      throw fromYunstError(error);
    }
  }

  async bindPhone(bizUserId: string, phone: string, verificationCode: string, source: 1 | 2): Promise<MemberRecord> {
    await this.ensure(bizUserId, source);
    try {
      await this.ctx.yunst.call('MemberService', 'bindPhone', { bizUserId, phone, verificationCode });
    } catch (error) {
      throw fromYunstError(error);
    }
    return this.ctx.store.upsertMember({ bizUserId, phone });
  }
}
