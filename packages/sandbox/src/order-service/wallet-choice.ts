import { addMs } from '../clock.js';
import type { SandboxContext } from '../context.js';
import { behaviourOf, payInWallet } from '../pay-methods/index.js';
import type { ChannelOutcome } from '../pay-methods/behaviour.js';
import type { SandboxOrder } from '../state/orders.js';
import { settle } from './settle.js';

/**
 * What the payer can do in the simulated wallet (the wallet page and the JS bridge sheet), applied the same way whichever
 * one they used: pay (the channel answers, success is notified), fail (failed, not notified — spec §3.7), processing (in
 * progress, succeeding by itself after `codePayPendingMs`, like a pending code payment). Cancelling changes nothing.
 */
export type WalletChoice = 'pay' | 'fail' | 'processing';

export const SIMULATED_FAILURE = '支付失败(模拟渠道失败)';

export function chooseInWallet(ctx: SandboxContext, order: SandboxOrder, choice: WalletChoice): ChannelOutcome {
  switch (choice) {
    case 'pay':
      return payInWallet(ctx, order);
    case 'fail': {
      const outcome: ChannelOutcome = { payStatus: 'fail', message: SIMULATED_FAILURE };
      settle(ctx, order, outcome, {}, false);
      return outcome;
    }
    case 'processing': {
      const outcome: ChannelOutcome = { payStatus: 'pending', settleAt: addMs(ctx.now(), ctx.config.codePayPendingMs) };
      settle(ctx, order, outcome, behaviourOf(order).channelDetails(order, ctx.now()), false);
      return outcome;
    }
  }
}
