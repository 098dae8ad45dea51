import type { PayMethodKey } from '@tsy/yunst';
import type { SandboxContext } from '../context.js';
import { settle } from '../order-service/settle.js';
import type { SandboxOrder } from '../state/orders.js';
import { SUCCESS, type ChannelOutcome, type PayMethodBehaviour } from './behaviour.js';
import { alipayAppPay, miniProgramPay, mobileBankAppPay, wechatAppPay } from './app.js';
import { codePay } from './code-pay.js';
import { frontPagePay, installmentPay } from './front-page.js';
import { wechatH5Pay } from './h5.js';
import { alipayJsPay, qqWalletPay, wechatJsPay } from './js-pay.js';
import { posOrderPay } from './pos-order.js';
import { scanToPay } from './scan.js';
import { accountPay, realNamePay, tltQuickPay, vspQuickPay } from './sms-confirm.js';

/** What the sandbox does for each payMethod key. */
export const PAY_METHOD_BEHAVIOUR: { readonly [K in PayMethodKey]: PayMethodBehaviour } = {
  SCAN_WEIXIN: scanToPay,
  SCAN_WEIXIN_ORG: scanToPay,
  SCAN_ALIPAY: scanToPay,
  SCAN_ALIPAY_ORG: scanToPay,
  SCAN_UNIONPAY: scanToPay,
  SCAN_UNIONPAY_ORG: scanToPay,
  WECHATPAY_SCAN_OPEN: scanToPay,
  WECHAT_PUBLIC: wechatJsPay,
  WECHAT_PUBLIC_ORG: wechatJsPay,
  WECHATPAY_PUBLIC_OPEN: wechatJsPay,
  ALIPAY_SERVICE: alipayJsPay,
  ALIPAY_SERVICE_ORG: alipayJsPay,
  QQ_WALLET: qqWalletPay,
  QQ_WALLET_ORG: qqWalletPay,
  WECHATPAY_H5_OPEN: wechatH5Pay,
  WECHATPAY_MINIPROGRAM: miniProgramPay,
  WECHATPAY_MINIPROGRAM_ORG: miniProgramPay,
  WECHATPAY_APP_OPEN: wechatAppPay,
  ALIPAY_APP_OPEN: alipayAppPay,
  MOBILEAPPPAY_VSP: mobileBankAppPay,
  CODEPAY_VSP: codePay,
  CODEPAY_VSP_ORG: codePay,
  ORDER_VSPPAY: posOrderPay,
  GATEWAY_VSP: frontPagePay,
  ALLINPAY_WALLET_H5: frontPagePay,
  InstallmentPayment_H5: installmentPay,
  QUICKPAY_VSP: vspQuickPay,
  QUICKPAY_TLT: tltQuickPay,
  REALNAMEPAY: realNamePay,
  REALNAMEPAY_BATCH: realNamePay,
  BALANCE: accountPay,
  COUPON: accountPay,
};

/** The order's flow is decided by its primary method (the channel one when combined). */
export const behaviourOf = (order: SandboxOrder): PayMethodBehaviour => PAY_METHOD_BEHAVIOUR[order.primaryMethod];

/** The payer confirmed in the simulated wallet app or at the POS. */
export function payInWallet(ctx: SandboxContext, order: SandboxOrder): ChannelOutcome {
  const behaviour = behaviourOf(order);
  const outcome = behaviour.walletOutcome?.(order) ?? SUCCESS;
  settle(ctx, order, outcome, behaviour.channelDetails(order, ctx.now()), false);
  return outcome;
}

/** A confirm step (SMS `pay`, a front page) went through: the channel answers. */
export function payConfirmed(ctx: SandboxContext, order: SandboxOrder): ChannelOutcome {
  const behaviour = behaviourOf(order);
  const outcome = behaviour.confirmOutcome?.(order) ?? SUCCESS;
  settle(ctx, order, outcome, behaviour.channelDetails(order, ctx.now()), true);
  return outcome;
}
