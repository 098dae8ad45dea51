import type { PaymentView } from '../../api/types.js';
import { checkWeixinParams, requestWeixinPay } from '../../bridges/weixin.js';
import { WalletFlow, type WalletAnswer } from '../../internal/wallet-flow.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import { wechatPayStyles } from './tsy-wechat-pay.styles.js';

/**
 * @summary WeChat JSAPI (`wechat-jsapi`): opens WeChat's pay sheet with the platform's six parameters, unchanged, and
 * follows the payment on the BFF. WeChat's `:ok` is not proof of payment: it shows "confirming" until the BFF says.
 *
 * Outside WeChat the bridge never comes: after `bridge-timeout` ms the payer is told to open the page in WeChat. Inside
 * Alipay the "open in browser" guide is shown instead. `:fail` shows WeChat's reason; the usual cause (the payment
 * directory is not registered for this page's URL) goes to the console for the merchant, not to the payer.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a final state (the checkout asks the BFF again).
 * @event tsy-flow-error - `{code: 'invalid_action', message}` when the action's params lack one of the six strings.
 *
 * @csspart base - The wrapper.
 * @csspart status - The status line (opening, confirming, cancelled, failed, open in WeChat).
 * @csspart actions - The row with "pay again".
 * @csspart pay-again - Opens WeChat's pay sheet again for the same payment.
 * @csspart guide - The "open in browser" guide (inside Alipay).
 *
 * @cssprop --tsy-color-primary - Buttons, and the spinner (default there: WeChat green).
 */
export class TsyWechatPay extends WalletFlow {
  static override styles = [tokens, flowStyles, wechatPayStyles];
  protected readonly app = 'wechat';

  protected missingField(payment: PaymentView): string | undefined {
    const action = payment.action;
    const checked = checkWeixinParams(action?.type === 'wechat-jsapi' ? action.params : undefined);
    return 'missing' in checked ? `params.${checked.missing}` : undefined;
  }

  protected async openWallet(payment: PaymentView, win: Window): Promise<WalletAnswer> {
    const action = payment.action as Extract<PaymentView['action'], { type: 'wechat-jsapi' }>;
    const answer = await requestWeixinPay(action.params, win, this.bridgeTimeout);
    if (answer.result === 'ok') return { status: 'confirming' };
    if (answer.result === 'cancel') return { status: 'cancelled' };
    if (answer.result === 'missing') return { status: 'missing' };
    if (answer.result !== 'fail') return { status: 'failed' };
    console.warn(
      `[tsy-wechat-pay] getBrandWCPayRequest failed: ${answer.detail}. Most often (chooseWXPay:fail, 当前页面的URL未注册) the WeChat Pay payment directory (支付授权目录) does not include this page's URL: ${win.location.href}`,
    );
    return { status: 'failed', detail: answer.detail };
  }
}
