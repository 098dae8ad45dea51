/**
 * The wire contract of the checkout API (`@tsy/bff` serves it, `@tsy/widgets` reads it): JSON shapes only, no runtime
 * code, so the widgets never import server code and the two sides cannot drift apart.
 */

export type PaymentState = 'pending' | 'success' | 'failed' | 'expired' | 'closed';
export type ClientEnvironment = 'desktop' | 'mobile' | 'wechat' | 'alipay';
export type UnusableReason = 'open_in_wechat' | 'open_in_alipay' | 'open_on_mobile' | 'desktop_only' | 'app_only' | 'payer_account_missing';

/** What the page does next for a payment (shared/design/flows.md). */
export type PaymentAction =
  | { readonly type: 'qr'; readonly payInfo: string }
  | { readonly type: 'wechat-jsapi'; readonly params: Record<string, unknown> }
  | { readonly type: 'alipay-jsapi'; readonly tradeNO: string }
  | { readonly type: 'redirect'; readonly url: string }
  | { readonly type: 'form-post'; readonly action: string; readonly fields: Readonly<Record<string, string>> }
  | { readonly type: 'sms'; readonly phone: string | null; readonly resendAfter: number }
  | { readonly type: 'pos-code'; readonly payCode: string }
  | { readonly type: 'app-params'; readonly orderNo: string; readonly payInfo?: string; readonly weChatAPPInfo?: unknown }
  | { readonly type: 'none' };

export interface MethodView {
  readonly method: string;
  readonly usable: boolean;
  readonly reason?: UnusableReason;
  readonly wallet?: 'wechat' | 'alipay' | 'unionpay' | 'qq';
}

export interface CurrentPayment {
  readonly bizOrderNo: string;
  readonly state: PaymentState;
  readonly action: PaymentAction | null;
  readonly expiresAt: string;
  readonly method: string;
}

export interface OrderView {
  readonly merchantOrderId: string;
  /** fen */
  readonly amount: number;
  readonly currency: 'CNY';
  readonly subject: string;
  readonly paid: boolean;
  readonly paidBizOrderNo: string | null;
  readonly serverTime: string;
  readonly environment: ClientEnvironment;
  readonly methods: readonly MethodView[];
  readonly payer: { readonly phoneBound: boolean | null; readonly phone: string | null };
  readonly currentPayment: CurrentPayment | null;
}

export interface PaymentView {
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly state: PaymentState;
  readonly method: string;
  /** fen */
  readonly amount: number;
  readonly expiresAt: string;
  readonly action: PaymentAction | null;
  readonly failure: { readonly code: string | null; readonly message: string | null } | null;
  readonly serverTime: string;
}

/** One `event: state` message of the payment's SSE stream. */
export interface PaymentStateMessage {
  readonly bizOrderNo: string;
  readonly state: PaymentState;
  readonly at: string;
  readonly message?: string;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly yunstCode?: string; readonly bizOrderNo?: string; readonly details?: unknown };
}
