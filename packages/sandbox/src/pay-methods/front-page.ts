import { sendPaySms } from '../order-service/pay-sms.js';
import type { PayMethodBehaviour } from './behaviour.js';
import { cardChannelDetails, channelSerial } from './channel-details.js';

/**
 * Methods confirmed on a front page (GATEWAY_VSP, ALLINPAY_WALLET_H5, InstallmentPayment_H5): the answer is only `orderNo`;
 * the merchant then posts a signed `pay` to frontTrans.do (or pwd/payOrder.html with validateType 2). Combined with
 * balance-type methods under validateType 1, an SMS code is sent to the payer (spec §5.2 gateway row, item 3).
 */
export const frontPagePay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    if (order.smsOnGateway) sendPaySms(ctx, order);
    return {};
  },
  channelDetails: (_order, now) => ({ payInterfaceOutTradeNo: channelSerial(now) }),
};

/** Installments are paid with a bound credit card: its masked number is the payer's `acct`. */
export const installmentPay: PayMethodBehaviour = { ...frontPagePay, channelDetails: cardChannelDetails };
