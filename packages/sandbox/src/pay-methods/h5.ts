import { MINUTE } from '../clock.js';
import type { PayMethodBehaviour } from './behaviour.js';
import { inWalletApp } from './scan.js';

/** WECHATPAY_H5_OPEN: `payInfo` is WeChat's `mweb_url`, valid 5 minutes (spec §5.2); here a link to the wallet page. */
export const wechatH5Pay: PayMethodBehaviour = {
  apply: ({ walletUrl }) => ({ payInfo: `${walletUrl}?h5=1` }),
  walletLinkValidityMs: 5 * MINUTE,
  channelDetails: inWalletApp,
};
