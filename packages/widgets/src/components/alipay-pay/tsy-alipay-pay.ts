import type { PaymentView } from '../../api/types.js';
import { requestAlipayPay } from '../../bridges/alipay.js';
import { WalletFlow, type WalletAnswer } from '../../internal/wallet-flow.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import { alipayPayStyles } from './tsy-alipay-pay.styles.js';

/**
 * @summary Alipay in-app (`alipay-jsapi`): opens Alipay's cashier with the platform's `tradeNO` (`tradePay`) and follows
 * the payment on the BFF. `9000`, `8000` and `6004` show "confirming" until the BFF says (the money may have moved);
 * `6001` cancelled and `6002` network error offer "pay again"; `4000` and any other code show the reason and leave the
 * payment to the BFF.
 *
 * Outside Alipay the bridge never comes: after `bridge-timeout` ms the payer is told to open the page in Alipay. Inside
 * WeChat the "open in browser" guide is shown instead.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a final state (the checkout asks the BFF again).
 * @event tsy-flow-error - `{code: 'invalid_action', message}` when the action has no `tradeNO`.
 *
 * @csspart base - The wrapper.
 * @csspart status - The status line (opening, confirming, cancelled, failed, network error, open in Alipay).
 * @csspart actions - The row with "pay again".
 * @csspart pay-again - Opens Alipay's cashier again for the same payment.
 * @csspart guide - The "open in browser" guide (inside WeChat).
 *
 * @cssprop --tsy-color-primary - Buttons, and the spinner (default there: Alipay blue).
 */
export class TsyAlipayPay extends WalletFlow {
  static override styles = [tokens, flowStyles, alipayPayStyles];
  protected readonly app = 'alipay';

  protected missingField(payment: PaymentView): string | undefined {
    const action = payment.action;
    return action?.type === 'alipay-jsapi' && typeof action.tradeNO === 'string' && action.tradeNO ? undefined : 'tradeNO';
  }

  protected async openWallet(payment: PaymentView, win: Window): Promise<WalletAnswer> {
    const action = payment.action as Extract<PaymentView['action'], { type: 'alipay-jsapi' }>;
    const answer = await requestAlipayPay(action.tradeNO, win, this.bridgeTimeout);
    switch (answer.result) {
      case 'confirming':
        return { status: 'confirming' };
      case 'cancel':
        return { status: 'cancelled' };
      case 'network':
        return { status: 'network' };
      case 'missing':
        return { status: 'missing' };
      case 'fail':
        return { status: 'failed', detail: answer.detail || answer.resultCode };
    }
  }
}
