import type { ActionType, PaymentAction, WechatJsapiParams } from '@tsy/contract';
import type { CheckoutMethod } from '../config/config.js';
import { YunstFormatError, type YunstResult } from '@tsy/yunst';
import { methodInfo } from './methods.js';

/** What the page does next (the contract's `PaymentAction`; flows.md: one widget flow per type), derived only from the verified apply answer. */
export type { PaymentAction };

/**
 * What is stored of an action. A front-page form is stored as which page it is for, never as a signed form: the platform
 * allows 10 minutes of clock skew, so the form is signed afresh each time it is handed out.
 */
export type StoredAction =
  | Exclude<PaymentAction, { type: 'form-post' | 'redirect' | 'sms' }>
  /** When the next code may be asked for is the payment's (renewed by each resend), added when the action is shown. */
  | { readonly type: 'sms'; readonly phone: string | null }
  | { readonly type: 'form-post'; readonly page: FrontPage }
  /** Where the payer comes back to and which hosts are allowed are the configuration's, added when the action is shown. */
  | { readonly type: 'redirect'; readonly url: string };
export type FrontPage = 'gateway' | 'password';

/**
 * The phone step's pause between codes (the payment's SMS step takes the configured `limits.paymentSms.resendSeconds`): the platform
 * refuses a resend within 10 s (spec §4.2.25), and a message usually needs longer than that to arrive.
 */
export const SMS_RESEND_AFTER_SECONDS = 60;

/** 138****5678: enough for the payer to recognise the number, not enough to leak it. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return null;
  return phone.length >= 7 ? `${phone.slice(0, 3)}****${phone.slice(-4)}` : '****';
}

type ApplyAnswer = YunstResult<'OrderService', 'consumeApply'>;

export interface ActionContext {
  readonly method: CheckoutMethod;
  readonly validateType: 0 | 1 | 2 | undefined;
  readonly payerPhone: string | null;
}

/** The next step for a verified apply answer; an answer without what its method must return is a YunstFormatError. */
export function actionFor(answer: ApplyAnswer, ctx: ActionContext): StoredAction {
  if (ctx.validateType === 2) return { type: 'form-post', page: 'password' };
  const info = methodInfo(ctx.method);
  switch (info.outcome) {
    case 'payInfo-qr':
      return { type: 'qr', payInfo: required(answer.payInfo, 'payInfo') };
    case 'payInfo-wechat-jsapi':
      return { type: 'wechat-jsapi', params: wechatJsapiParams(answer.payInfoJson) };
    case 'payInfo-alipay-tradeNO':
      return { type: 'alipay-jsapi', tradeNO: required(answer.payInfo, 'payInfo') };
    case 'payInfo-mweb-url':
    case 'payInfo-link':
      return { type: 'redirect', url: required(answer.payInfo, 'payInfo') };
    case 'front':
      return { type: 'form-post', page: 'gateway' };
    case 'payCode':
      return { type: 'pos-code', payCode: required(answer.payCode, 'payCode') };
    case 'payStatus':
      // QUICKPAY_VSP answers validateType 1 instead of a payStatus when it wants an SMS code (spec §5.2 case B) — only when
      // the apply allowed one; a method sent without it (CODEPAY_VSP: 0) never turns into an SMS step.
      if (answer.validateType === 1 && ctx.validateType === 1) return { type: 'sms', phone: maskPhone(ctx.payerPhone) };
      return { type: 'none' };
    case 'sms':
      return { type: 'sms', phone: maskPhone(ctx.payerPhone) };
    case 'payInfo-miniprogram':
    case 'payInfo-alipay-app':
    case 'weChatAPPInfo':
    case 'orderNo':
      return {
        type: 'app-params',
        orderNo: answer.orderNo,
        ...(answer.payInfo === undefined ? {} : { payInfo: answer.payInfo }),
        ...(answer.weChatAPPInfoJson === undefined ? {} : { weChatAPPInfo: answer.weChatAPPInfoJson }),
      };
  }
}

const WECHAT_JSAPI_FIELDS = ['appId', 'timeStamp', 'nonceStr', 'package', 'signType', 'paySign'] as const;

/**
 * `getBrandWCPayRequest` takes exactly six strings; the page passes them on unchanged, so an answer without one of them (or
 * with a number for `timeStamp`) is the platform's malformed answer, found here rather than in WeChat.
 */
function wechatJsapiParams(json: Record<string, unknown> | undefined): WechatJsapiParams {
  if (!json) throw new YunstFormatError('the apply answer’s payInfo is not the WeChat JSAPI JSON');
  const params: Record<string, string> = {};
  for (const field of WECHAT_JSAPI_FIELDS) {
    const value = json[field];
    if (typeof value !== 'string' || value === '') throw new YunstFormatError(`the WeChat JSAPI payInfo has no string ${field}`);
    params[field] = value;
  }
  return params as unknown as WechatJsapiParams;
}

/**
 * The action types a payment of this method can lead to — what {@link actionFor} can answer for it — so a page can tell
 * beforehand whether it can finish the payment (MethodView.actions).
 */
export function possibleActions(method: CheckoutMethod, validateType: 0 | 1 | 2 | undefined): ActionType[] {
  if (validateType === 2) return ['form-post'];
  switch (methodInfo(method).outcome) {
    case 'payInfo-qr':
      return ['qr'];
    case 'payInfo-wechat-jsapi':
      return ['wechat-jsapi'];
    case 'payInfo-alipay-tradeNO':
      return ['alipay-jsapi'];
    case 'payInfo-mweb-url':
    case 'payInfo-link':
      return ['redirect'];
    case 'front':
      return ['form-post'];
    case 'payCode':
      return ['pos-code'];
    case 'payStatus':
      return validateType === 1 ? ['sms', 'none'] : ['none'];
    case 'sms':
      return ['sms'];
    case 'payInfo-miniprogram':
    case 'payInfo-alipay-app':
    case 'weChatAPPInfo':
    case 'orderNo':
      return ['app-params'];
  }
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new YunstFormatError(`the apply answer has no ${name}`);
  return value;
}
