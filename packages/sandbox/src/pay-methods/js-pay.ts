import { createHash, randomBytes, sign } from 'node:crypto';
import type { RequestContext } from '../context.js';
import { cstCompact, randomDigits } from '../ids.js';
import type { SandboxOrder } from '../state/orders.js';
import type { PayMethodBehaviour } from './behaviour.js';
import { inWalletApp } from './scan.js';

/** A stable, WeChat-shaped appid (`wx` + 16 hex) for methods that send none. */
function sandboxAppId(sysid: string): string {
  return `wx${createHash('sha256').update(sysid).digest('hex').slice(0, 16)}`;
}

/** The appid a WeChat method names: `subAppid` (VSP), `subAppId` / `wxAppId` (native). */
function appIdOf(ctx: RequestContext, order: SandboxOrder): string {
  const value = order.payMethod[order.primaryMethod] as { subAppid?: string; subAppId?: string; wxAppId?: string };
  return value.subAppid ?? value.subAppId ?? value.wxAppId ?? sandboxAppId(ctx.config.sysid);
}

export const prepayId = (now: Date): string => `wx${cstCompact(now)}${randomBytes(9).toString('hex')}`;

/**
 * The parameters of WeChat's `getBrandWCPayRequest` / `wx.requestPayment`, in the shape the platform returns them (see the
 * real mini-program answer in shared/vectors): `paySign` is an RSA-SHA256 signature over WeChat's v3 message, made here with
 * the platform key since the sandbox has no WeChat merchant key.
 */
export function wechatJsapiPayInfo(ctx: RequestContext, order: SandboxOrder, forBridge = false): string {
  const appId = appIdOf(ctx, order);
  const timeStamp = String(Math.floor(ctx.now().getTime() / 1000));
  const nonceStr = randomBytes(16).toString('hex');
  const id = prepayId(ctx.now());
  // Only official-account (JSAPI) prepay ids are for WeixinJSBridge; a mini-program's is for wx.requestPayment.
  if (forBridge) ctx.orders.attachBridgeRef(order, { wallet: 'wechat', prepayId: id, appId });
  const pkg = `prepay_id=${id}`;
  const paySign = sign('sha256', Buffer.from(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`), ctx.config.platformSigningKey.privateKey).toString('base64');
  return JSON.stringify({ appId, timeStamp, nonceStr, package: pkg, signType: 'RSA', paySign });
}

/** WECHAT_PUBLIC(_ORG), WECHATPAY_PUBLIC_OPEN: JSAPI parameters as a JSON text. */
export const wechatJsPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => ({ payInfo: wechatJsapiPayInfo(ctx, order, true) }),
  channelDetails: inWalletApp,
};

/** ALIPAY_SERVICE(_ORG): the Alipay `tradeNO` (28 digits, like `2016102521001004455008259156`). */
export const alipayJsPay: PayMethodBehaviour = {
  apply: ({ ctx, order }) => {
    const tradeNO = `${cstCompact(ctx.now()).slice(0, 8)}2200${randomDigits(16)}`;
    ctx.orders.attachBridgeRef(order, { wallet: 'alipay', tradeNO });
    return { payInfo: tradeNO };
  },
  channelDetails: inWalletApp,
};

/** QQ_WALLET(_ORG): a link the payer navigates to — the simulated wallet page. */
export const qqWalletPay: PayMethodBehaviour = {
  apply: ({ walletUrl }) => ({ payInfo: walletUrl }),
  channelDetails: inWalletApp,
};
