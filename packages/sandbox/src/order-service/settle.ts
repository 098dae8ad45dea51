import { payMethodAmount } from '@tsy/yunst';
import type { SandboxContext } from '../context.js';
import type { ChannelOutcome } from '../pay-methods/behaviour.js';
import { SoaError } from '../soa/errors.js';
import type { ChannelDetails, SandboxOrder } from '../state/orders.js';

/**
 * Applies a channel's answer to an order. A success first draws the BALANCE part from the payer's simulated balance —
 * refused with 40014 账户余额不足 before anything changes. `confirmed` marks a confirm step (pay, a front page), so that a
 * second confirm is 40033.
 */
export function settle(ctx: SandboxContext, order: SandboxOrder, outcome: ChannelOutcome, channel: ChannelDetails, confirmed: boolean): void {
  switch (outcome.payStatus) {
    case 'success': {
      const payer = ctx.members.get(order.payerId);
      const fromBalance = order.payMethod.BALANCE ? payMethodAmount('BALANCE', order.payMethod.BALANCE) : 0;
      if (fromBalance > 0) {
        if (!payer || payer.balance < fromBalance) throw SoaError.of('40014');
        payer.balance -= fromBalance;
      }
      ctx.orders.succeed(order, channel, confirmed);
      return;
    }
    case 'fail':
      ctx.orders.fail(order, outcome.message, confirmed);
      return;
    case 'pending':
      ctx.orders.markInProgress(order, channel, outcome.settleAt);
      if (outcome.settleAt) {
        // Real deployments settle on time; with a manual clock the order settles when next looked at instead.
        ctx.timers.after(outcome.settleAt.getTime() - ctx.now().getTime(), () => ctx.orders.refresh(order));
      }
      return;
  }
}

/**
 * An order a confirm step may still pay: not confirmed before (40033 订单确认重复), not closed or past its expiry
 * (40003 订单已过期), still unpaid (40004 订单不是未支付状态).
 */
export function checkPayable(ctx: SandboxContext, order: SandboxOrder): void {
  if (order.confirmedAt) throw SoaError.of('40033');
  if (order.state === 'closed') throw SoaError.of('40003');
  if (order.state !== 'unpaid') throw SoaError.of('40004');
  if (ctx.now() >= order.expiresAt) throw SoaError.of('40003');
}
