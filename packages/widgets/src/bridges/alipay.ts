import { BRIDGE_TIMEOUT_MS, waitForBridge } from './wait.js';

/** The part of Alipay's in-app bridge the checkout uses (Alipay's `tradePay` JSAPI). */
export interface AlipayJSBridge {
  call(name: 'tradePay', params: { tradeNO: string }, callback: (result: { resultCode?: string; memo?: string }) => void): void;
}

/**
 * What Alipay's cashier answered, by `resultCode`: `9000` paid, `8000` processing and `6004` unknown all mean "the money
 * may have moved" — the page shows "confirming" until the BFF says; `6001` the payer cancelled; `6002` a network error;
 * `4000` and anything else a failure the BFF still decides about (the payment stays pending). `missing`: no bridge.
 */
export type AlipayPayResult =
  | { readonly result: 'confirming' | 'cancel' | 'network'; readonly resultCode: string }
  | { readonly result: 'fail'; readonly resultCode: string; readonly detail: string }
  | { readonly result: 'missing' };

declare global {
  interface Window {
    AlipayJSBridge?: AlipayJSBridge;
  }
}

/** `window.AlipayJSBridge`, now or after `AlipayJSBridgeReady` on the document; `undefined` after `timeoutMs`. */
export function alipayBridge(win: Window = window, timeoutMs = BRIDGE_TIMEOUT_MS): Promise<AlipayJSBridge | undefined> {
  return waitForBridge(win, 'AlipayJSBridgeReady', () => (typeof win.AlipayJSBridge?.call === 'function' ? win.AlipayJSBridge : undefined), timeoutMs);
}

/** Alipay's `tradePay` answer as a result. */
export function alipayResult(answer: { resultCode?: unknown; memo?: unknown } | undefined): Exclude<AlipayPayResult, { result: 'missing' }> {
  const resultCode = typeof answer?.resultCode === 'string' ? answer.resultCode : String(answer?.resultCode ?? '');
  if (resultCode === '9000' || resultCode === '8000' || resultCode === '6004') return { result: 'confirming', resultCode };
  if (resultCode === '6001') return { result: 'cancel', resultCode };
  if (resultCode === '6002') return { result: 'network', resultCode };
  return { result: 'fail', resultCode, detail: typeof answer?.memo === 'string' ? answer.memo : '' };
}

/** Opens Alipay's cashier for the platform's `tradeNO`; resolves with its answer, or `missing` when no bridge appears in time. */
export async function requestAlipayPay(tradeNO: string, win: Window = window, timeoutMs = BRIDGE_TIMEOUT_MS): Promise<AlipayPayResult> {
  const bridge = await alipayBridge(win, timeoutMs);
  if (!bridge) return { result: 'missing' };
  return new Promise((resolve) => bridge.call('tradePay', { tradeNO }, (answer) => resolve(alipayResult(answer))));
}
