import { createPublicKey, verify } from 'node:crypto';
import type { SandboxContext } from '../context.js';
import { chooseInWallet } from '../order-service/wallet-choice.js';
import type { SandboxOrder } from '../state/orders.js';
import { refusalOf, sheetOf, type BridgeSheet } from './sheet.js';

/** The `res` WeixinJSBridge hands the `getBrandWCPayRequest` callback. */
export interface BrandWCPayResult {
  readonly err_msg: 'get_brand_wcpay_request:ok' | 'get_brand_wcpay_request:cancel' | 'get_brand_wcpay_request:fail';
  readonly err_desc?: string;
}

export type WeixinOutcome = 'pay' | 'cancel' | 'fail';

const PARAMS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

const failed = (err_desc: string): BrandWCPayResult => ({ err_msg: 'get_brand_wcpay_request:fail', err_desc });

/**
 * Checks `getBrandWCPayRequest` parameters as WeChat does before it shows its cashier: all six present and strings,
 * `package` naming a prepay id this sandbox issued for that `appId`, `signType` RSA and `paySign` verifying over
 * `appId\ntimeStamp\nnonceStr\npackage\n` (the sandbox signs with the platform key, see js-pay.ts), and the order still
 * payable. The page's parameters arrive as it passed them, so a number or a JSON text instead of an object fails here.
 */
export function checkBrandWCPayRequest(ctx: SandboxContext, params: unknown): { order: SandboxOrder } | { fail: BrandWCPayResult } {
  const record = (typeof params === 'object' && params !== null && !Array.isArray(params) ? params : {}) as Record<string, unknown>;
  for (const name of PARAMS) {
    const value = record[name];
    if (value === undefined || value === null || value === '') return { fail: failed(`调用支付JSAPI缺少参数:${name} / missing parameter ${name}`) };
    if (typeof value !== 'string') return { fail: failed(`调用支付JSAPI参数错误:${name} 必须是字符串 / ${name} must be a string`) };
  }
  const { appId, timeStamp, nonceStr, package: pkg, signType, paySign } = record as Record<(typeof PARAMS)[number], string>;
  const prepayId = /^prepay_id=(.+)$/.exec(pkg)?.[1];
  if (!prepayId) return { fail: failed('package 格式错误,应为 prepay_id=*** / package must be prepay_id=…') };
  const order = ctx.orders.byPrepayId(prepayId);
  if (!order || order.bridgeRef?.wallet !== 'wechat') return { fail: failed('prepay_id 无效 / unknown prepay_id') };
  if (order.bridgeRef.appId !== appId) return { fail: failed('appId 与下单时的 appid 不一致 / appId is not the one the prepay id was issued for') };
  if (signType !== 'RSA') return { fail: failed('signType 错误,应为 RSA / signType must be RSA') };
  const publicKey = createPublicKey(ctx.config.platformSigningKey.privateKey);
  const message = Buffer.from(`${appId}\n${timeStamp}\n${nonceStr}\n${pkg}\n`);
  if (!verify('sha256', message, publicKey, Buffer.from(paySign, 'base64'))) return { fail: failed('支付验证签名失败 / paySign does not verify') };
  const refusal = refusalOf(ctx, order);
  if (refusal) return { fail: failed(refusal) };
  return { order };
}

/** The sheet for valid parameters, or the `:fail` the callback gets at once. */
export function weixinSheet(ctx: SandboxContext, params: unknown): { sheet: BridgeSheet } | { res: BrandWCPayResult } {
  const checked = checkBrandWCPayRequest(ctx, params);
  return 'fail' in checked ? { res: checked.fail } : { sheet: sheetOf(ctx, checked.order, 'wechat') };
}

/** The payer's choice on the sheet, applied as the wallet page applies it; the answer is what the callback gets. */
export function weixinChoose(ctx: SandboxContext, params: unknown, outcome: WeixinOutcome): BrandWCPayResult {
  const checked = checkBrandWCPayRequest(ctx, params);
  if ('fail' in checked) return checked.fail;
  const { order } = checked;
  if (outcome === 'cancel') return { err_msg: 'get_brand_wcpay_request:cancel' };
  const result = chooseInWallet(ctx, order, outcome);
  ctx.config.log(`jsbridge weixin ${order.bizOrderNo} ${outcome} → ${result.payStatus}`);
  if (result.payStatus === 'fail') return failed(result.message);
  return { err_msg: 'get_brand_wcpay_request:ok' };
}
