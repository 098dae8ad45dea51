import type { RequestContext } from '../context.js';
import type { ChannelDetails, SandboxOrder } from '../state/orders.js';

/** What the channel answers when a payment is attempted. `pending` without `settleAt` stays in progress. */
export type ChannelOutcome =
  | { readonly payStatus: 'success' }
  | { readonly payStatus: 'fail'; readonly message: string }
  | { readonly payStatus: 'pending'; readonly settleAt?: Date };

export const SUCCESS: ChannelOutcome = { payStatus: 'success' };

export interface ApplyArgs {
  readonly ctx: RequestContext;
  readonly order: SandboxOrder;
  /** The simulated wallet page of a `wallet` order. */
  readonly walletUrl: string | undefined;
}

/** What the sandbox does for one payMethod key (spec §5.2 explanation table; digest §4.3, §8). */
export interface PayMethodBehaviour {
  /** The apply answer's method-specific fields (payInfo, payCode, payStatus…) and the side effects of applying. */
  readonly apply: (args: ApplyArgs) => Record<string, unknown>;
  /** How long the wallet link itself works (WeChat H5 `mweb_url`: 5 minutes); default: as long as the order. */
  readonly walletLinkValidityMs?: number;
  /** The channel's answer when the payer confirms in the simulated wallet app or at the POS (test-amount magic). */
  readonly walletOutcome?: (order: SandboxOrder) => ChannelOutcome;
  /** The channel's answer to a confirmed SMS/password payment (QUICKPAY_TLT test amounts). */
  readonly confirmOutcome?: (order: SandboxOrder) => ChannelOutcome;
  /** A code the test environment accepts besides the one sent (REALNAMEPAY: 111111, spec §5.2). */
  readonly testSmsCode?: string;
  /** What the channel reports about a successful payment. */
  readonly channelDetails: (order: SandboxOrder, now: Date) => ChannelDetails;
}
