import { payMethodAmount } from '@tsy/yunst';
import { settle } from '../order-service/settle.js';
import { sendPaySms } from '../order-service/pay-sms.js';
import type { SandboxOrder } from '../state/orders.js';
import { SUCCESS, type ChannelOutcome, type PayMethodBehaviour } from './behaviour.js';
import { cardChannelDetails } from './channel-details.js';

/*
 * Methods confirmed with an SMS code through back-end `pay` (§4.2.8) or with the payment password (§4.2.10): BALANCE,
 * COUPON, REALNAMEPAY(_BATCH), QUICKPAY_TLT, and QUICKPAY_VSP. The apply answers `orderNo` and, for SMS confirmation, sends
 * the code to the payer's bound phone.
 */

const applySmsConfirm: PayMethodBehaviour['apply'] = ({ ctx, order }) => {
  if (order.confirm === 'sms') sendPaySms(ctx, order);
  return {};
};

/** BALANCE, COUPON: account funds; no channel reports anything. */
export const accountPay: PayMethodBehaviour = {
  apply: applySmsConfirm,
  channelDetails: () => ({}),
};

/** REALNAMEPAY(_BATCH): in the test environment the SMS code 111111 is accepted (spec §5.2). */
export const realNamePay: PayMethodBehaviour = {
  apply: applySmsConfirm,
  testSmsCode: '111111',
  channelDetails: cardChannelDetails,
};

/** QUICKPAY_TLT test amounts (spec §5.2; digest §7.1 — "10 yuan" is printed twice, the second read as 11). */
const QUICKPAY_TLT_FAILURES: Readonly<Record<number, string>> = {
  1000: '发卡行不支持此交易',
  1100: '交易失败',
  1200: '协议号不一致',
  1300: '协议号不一致',
  1400: '余额不足',
  1500: '协议已解约,扣款失败',
};

export const tltQuickPay: PayMethodBehaviour = {
  apply: applySmsConfirm,
  confirmOutcome: (order: SandboxOrder): ChannelOutcome => {
    const message = QUICKPAY_TLT_FAILURES[payMethodAmount('QUICKPAY_TLT', order.payMethod.QUICKPAY_TLT)];
    return message ? { payStatus: 'fail', message } : SUCCESS;
  },
  channelDetails: cardChannelDetails,
};

/**
 * QUICKPAY_VSP: with SMS (validateType 1, the default) the answer carries `validateType: 1` and `pay` follows; without
 * (validateType 0) the apply is the payment and answers `payStatus` (spec §5.2 cases A and B).
 */
export const vspQuickPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    if (order.confirm === 'sms') {
      sendPaySms(ctx, order);
      return { validateType: 1 };
    }
    settle(ctx, order, SUCCESS, cardChannelDetails(order, ctx.now()), false);
    return { payStatus: 'success', bizUserId: order.payerId };
  },
  channelDetails: cardChannelDetails,
};
