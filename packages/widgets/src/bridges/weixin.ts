import type { WechatJsapiParams } from '../api/types.js';
import { BRIDGE_TIMEOUT_MS, waitForBridge } from './wait.js';

/** The part of WeChat's in-app bridge the checkout uses (WeChat Pay JSAPI documentation). */
export interface WeixinJSBridge {
  invoke(name: 'getBrandWCPayRequest', params: WechatJsapiParams, callback: (res: { err_msg?: string; err_desc?: string }) => void): void;
}

/**
 * What the WeChat pay sheet answered. `ok` proves nothing (WeChat says so itself): the page shows "confirming" until the
 * BFF reports the payment; `cancel` leaves it pending; `fail` carries WeChat's description; `missing`: no bridge, so the
 * page is not inside WeChat.
 */
export type WeixinPayResult = { readonly result: 'ok' | 'cancel' | 'missing' } | { readonly result: 'fail'; readonly detail: string };

declare global {
  interface Window {
    WeixinJSBridge?: WeixinJSBridge;
  }
}

/** `window.WeixinJSBridge`, now or after `WeixinJSBridgeReady` on the document; `undefined` after `timeoutMs`. */
export function weixinBridge(win: Window = window, timeoutMs = BRIDGE_TIMEOUT_MS): Promise<WeixinJSBridge | undefined> {
  return waitForBridge(win, 'WeixinJSBridgeReady', () => (typeof win.WeixinJSBridge?.invoke === 'function' ? win.WeixinJSBridge : undefined), timeoutMs);
}

/** WeChat's `err_msg` of `getBrandWCPayRequest` as a result; an answer of any other shape is a failure with that text. */
export function weixinResult(res: { err_msg?: unknown; err_desc?: unknown } | undefined): WeixinPayResult {
  const message = typeof res?.err_msg === 'string' ? res.err_msg : '';
  if (message === 'get_brand_wcpay_request:ok') return { result: 'ok' };
  if (message === 'get_brand_wcpay_request:cancel') return { result: 'cancel' };
  const detail = typeof res?.err_desc === 'string' && res.err_desc ? res.err_desc : message;
  return { result: 'fail', detail };
}

/**
 * Opens WeChat's pay sheet with the platform's six `params`, passed on as they are (nothing added, renamed or converted:
 * they are what `paySign` signs). Resolves with the sheet's answer, or `missing` when no bridge appears in time.
 */
export async function requestWeixinPay(params: WechatJsapiParams, win: Window = window, timeoutMs = BRIDGE_TIMEOUT_MS): Promise<WeixinPayResult> {
  const bridge = await weixinBridge(win, timeoutMs);
  if (!bridge) return { result: 'missing' };
  const { appId, timeStamp, nonceStr, package: pkg, signType, paySign } = params;
  return new Promise((resolve) => bridge.invoke('getBrandWCPayRequest', { appId, timeStamp, nonceStr, package: pkg, signType, paySign }, (res) => resolve(weixinResult(res))));
}

/** The WeChat Pay parameters in `value`, if all six are non-empty strings; else the name of the first one that is not. */
export function checkWeixinParams(value: unknown): { readonly params: WechatJsapiParams } | { readonly missing: string } {
  const source = (value ?? {}) as Record<string, unknown>;
  for (const field of ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const) {
    if (typeof source[field] !== 'string' || source[field] === '') return { missing: field };
  }
  return { params: source as unknown as WechatJsapiParams };
}
