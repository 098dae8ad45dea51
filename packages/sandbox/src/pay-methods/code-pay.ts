import type { PayMethodInfo } from '@tsy/yunst';
import { addMs } from '../clock.js';
import { settle } from '../order-service/settle.js';
import type { SandboxOrder } from '../state/orders.js';
import { SUCCESS, type ChannelOutcome, type PayMethodBehaviour } from './behaviour.js';
import { walletChannelDetails } from './channel-details.js';

type Wallet = NonNullable<PayMethodInfo['wallet']>;

/** The payment codes wallets show (付款码): which app a scanned `authcode` belongs to. */
export const AUTHCODE_PATTERNS: readonly [Wallet, RegExp][] = [
  ['wechat', /^1[0-5]\d{16}$/], // 18 digits, 10–15
  ['alipay', /^(?:2[5-9]|30)\d{14,22}$/], // 16–24 digits, 25–30
  ['unionpay', /^62\d{17}$/], // 19 digits, 62
];

const authcodeOf = (order: SandboxOrder): string => (order.payMethod[order.primaryMethod] as { authcode: string }).authcode;

export function walletOfAuthcode(authcode: string): Wallet | undefined {
  return AUTHCODE_PATTERNS.find(([, pattern]) => pattern.test(authcode))?.[0];
}

/**
 * CODEPAY_VSP(_ORG), the merchant scanning the payer's code (被扫): the apply is the payment and answers `payStatus`.
 * Sandbox test codes: a valid WeChat/Alipay/UnionPay code succeeds; one ending 0000 is `pending` and succeeds a few
 * seconds later (notified); one ending 9999 fails; anything else is not a payment code.
 */
export const codePay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    const authcode = authcodeOf(order);
    const now = ctx.now();
    let outcome: ChannelOutcome = SUCCESS;
    if (!walletOfAuthcode(authcode)) outcome = { payStatus: 'fail', message: '无效的付款码' };
    else if (authcode.endsWith('9999')) outcome = { payStatus: 'fail', message: '支付失败: 付款码已失效或用户余额不足(模拟)' };
    else if (authcode.endsWith('0000')) outcome = { payStatus: 'pending', settleAt: addMs(now, ctx.config.codePayPendingMs) };
    settle(ctx, order, outcome, codePay.channelDetails(order, now), false);
    return {
      payStatus: outcome.payStatus,
      ...(outcome.payStatus === 'fail' && { payFailMessage: outcome.message }),
      bizUserId: order.payerId,
    };
  },
  channelDetails: (order, now) => walletChannelDetails(order, walletOfAuthcode(authcodeOf(order)), now),
};
