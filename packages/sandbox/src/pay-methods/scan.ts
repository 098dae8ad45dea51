import { PAY_METHOD_INFO } from '@tsy/yunst';
import type { SandboxOrder } from '../state/orders.js';
import type { PayMethodBehaviour } from './behaviour.js';
import { walletChannelDetails } from './channel-details.js';

/** The wallet app a payment happens in reports the payer and its serial. */
export const inWalletApp = (order: SandboxOrder, now: Date) => walletChannelDetails(order, PAY_METHOD_INFO[order.primaryMethod].wallet, now);

/**
 * QR payments the merchant shows (正扫: SCAN_WEIXIN, SCAN_ALIPAY, SCAN_UNIONPAY and their _ORG twins, WECHATPAY_SCAN_OPEN).
 * The real `payInfo` is a `weixin://` / `https://qr.alipay.com/` text; the sandbox's is the http URL of its simulated wallet
 * page, so scanning the QR with a phone camera opens a page that plays the payer's app.
 */
export const scanToPay: PayMethodBehaviour = {
  apply: ({ walletUrl }) => ({ payInfo: walletUrl }),
  channelDetails: inWalletApp,
};
