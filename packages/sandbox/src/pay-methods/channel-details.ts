import type { PayMethodInfo } from '@tsy/yunst';
import { randomBytes } from 'node:crypto';
import { cstCompact, randomDigits } from '../ids.js';
import type { ChannelDetails, SandboxOrder } from '../state/orders.js';

type Wallet = NonNullable<PayMethodInfo['wallet']>;

/** VSP `trxcode` of a wallet payment (spec §4.2.15). */
const TRXCODE: Record<Wallet, string> = { wechat: 'VSP501', alipay: 'VSP511', unionpay: 'VSP551', qq: 'VSP505' };

/** `621700****4586`, as the platform shows card numbers (spec §4.2.15 `acct`). */
export function maskCardNo(cardNo: string): string {
  return `${cardNo.slice(0, 6)}****${cardNo.slice(-4)}`;
}

/** A payer id as the wallet would report it: WeChat openid, Alipay user_id, or a masked card. */
function simulatedAcct(wallet: Wallet | undefined): string {
  switch (wallet) {
    case 'wechat':
      return `oSbx${randomBytes(18).toString('base64url')}`;
    case 'alipay':
      return `2088${randomDigits(12)}`;
    case 'qq':
      return `qq${randomDigits(10)}`;
    default:
      return maskCardNo(`621700${randomDigits(13)}`);
  }
}

/** The channel serial (`payInterfaceOutTradeNo`, VSP trxid style). */
export const channelSerial = (now: Date): string => `${cstCompact(now)}${randomDigits(8)}`;

/** A payment made in a wallet app: the payer's own `acct` when the method sent one, else a simulated one. */
export function walletChannelDetails(order: SandboxOrder, wallet: Wallet | undefined, now: Date): ChannelDetails {
  const sent = (order.payMethod[order.primaryMethod] as { acct?: string } | undefined)?.acct;
  return {
    acct: sent ?? simulatedAcct(wallet),
    payInterfaceOutTradeNo: channelSerial(now),
    ...(wallet && { payInterfacetrxcode: TRXCODE[wallet] }),
  };
}

/** A bank-card payment: the masked card number the order was applied with. */
export function cardChannelDetails(order: SandboxOrder, now: Date): ChannelDetails {
  return { ...(order.maskedCardNo && { acct: order.maskedCardNo }), payInterfaceOutTradeNo: channelSerial(now) };
}

/** VSP `trxcode` of a refund of a wallet payment (spec §4.2.15: VSP503 WeChat, VSP507 QQ, VSP513 Alipay, VSP553 UnionPay). */
const REFUND_TRXCODE: Readonly<Record<string, string>> = { VSP501: 'VSP503', VSP505: 'VSP507', VSP511: 'VSP513', VSP551: 'VSP553' };

/** A refund that went back along the original channel: to the same payer account, with a serial of its own. */
export function refundChannelDetails(original: SandboxOrder, now: Date): ChannelDetails {
  const trxcode = original.channel.payInterfacetrxcode && REFUND_TRXCODE[original.channel.payInterfacetrxcode];
  return {
    ...(original.channel.acct !== undefined && { acct: original.channel.acct }),
    payInterfaceOutTradeNo: channelSerial(now),
    ...(trxcode && { payInterfacetrxcode: trxcode }),
  };
}
