import { cstCompact, randomDigits } from '../ids.js';
import type { PayMethodBehaviour } from './behaviour.js';
import { channelSerial, maskCardNo } from './channel-details.js';

/**
 * ORDER_VSPPAY, POS order mode: the answer carries a 6-digit `payCode` the POS terminal enters (the sandbox's POS page is
 * /sandbox/pos). validateType must not be sent and no SMS is sent (spec §5.2).
 */
export const posOrderPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    let payCode: string;
    do payCode = randomDigits(6);
    while (ctx.orders.byPayCode(payCode));
    order.payCode = payCode;
    return { payCode };
  },
  /** A card swiped at a POS: spec §4.2.19 requires termrefnum and channelPaytime for VSP order-POS payments. */
  channelDetails: (_order, now) => ({
    acct: maskCardNo(`622848${randomDigits(13)}`),
    accttype: '00',
    termno: `SBX${randomDigits(5)}`,
    payInterfaceOutTradeNo: channelSerial(now),
    termrefnum: randomDigits(12),
    channelPaytime: cstCompact(now),
    traceno: randomDigits(6),
  }),
};
