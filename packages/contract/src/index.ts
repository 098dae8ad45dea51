/**
 * The wire contract of the checkout API (`@tsy/bff` serves it, `@tsy/widgets` reads it): JSON shapes only, no runtime
 * code, so the widgets never import server code and the two sides cannot drift apart.
 */

export type PaymentState = 'pending' | 'success' | 'failed' | 'expired' | 'closed';
export type ClientEnvironment = 'desktop' | 'mobile' | 'wechat' | 'alipay';
export type UnusableReason = 'open_in_wechat' | 'open_in_alipay' | 'open_on_mobile' | 'desktop_only' | 'app_only' | 'payer_account_missing';
/** Where the picker shows a method; decided by the BFF (one source for the wallet rule). */
export type MethodGroup = 'wechat' | 'alipay' | 'unionpay' | 'bank' | 'balance' | 'other';
export type Wallet = 'wechat' | 'alipay' | 'unionpay' | 'qq';

/**
 * What a verified success did to its merchant order (shared/design/flows.md). Anything but `paid` is money to refund, and
 * the payer is told so — never shown a plain success:
 * - `paid`: this payment paid the order;
 * - `double_paid`: the order was already paid by another payment;
 * - `amount_mismatch`: the order was re-priced after this payment was made;
 * - `amount_differs`: the platform reports another amount than this payment's.
 */
export type Settlement = 'paid' | 'double_paid' | 'amount_mismatch' | 'amount_differs';

/**
 * WeChat's `getBrandWCPayRequest` parameters exactly as the platform returned them in `payInfo`: six strings (`timeStamp`
 * stays a string), passed to the bridge unchanged.
 */
export interface WechatJsapiParams {
  readonly appId: string;
  readonly timeStamp: string;
  readonly nonceStr: string;
  readonly package: string;
  readonly signType: string;
  readonly paySign: string;
}

/** What the page does next for a payment (shared/design/flows.md). */
export type PaymentAction =
  | { readonly type: 'qr'; readonly payInfo: string }
  | { readonly type: 'wechat-jsapi'; readonly params: WechatJsapiParams }
  | { readonly type: 'alipay-jsapi'; readonly tradeNO: string }
  | {
      readonly type: 'redirect';
      readonly url: string;
      /**
       * The merchant's result page for this payment (with `merchantOrderId` and `bizOrderNo`): where the wallet sends the
       * payer back (WeChat H5: `redirect_url`). The return proves nothing; the page asks the BFF.
       */
      readonly returnUrl: string;
      /** Hosts (`host` or `host:port`) the page may navigate to for this payment; the BFF's configuration decides them. */
      readonly allowedHosts: readonly string[];
    }
  | { readonly type: 'form-post'; readonly action: string; readonly fields: Readonly<Record<string, string>> }
  | {
      readonly type: 'sms';
      /** Where the code went, masked (138****5678). */
      readonly phone: string | null;
      /** When the next code may be asked for (ISO, server time): kept with the payment, so a reload does not restart it. */
      readonly resendAt: string;
    }
  | { readonly type: 'pos-code'; readonly payCode: string }
  | { readonly type: 'app-params'; readonly orderNo: string; readonly payInfo?: string; readonly weChatAPPInfo?: unknown }
  | { readonly type: 'none' };

export type ActionType = PaymentAction['type'];

export interface MethodView {
  readonly method: string;
  readonly usable: boolean;
  /** Always present when `usable` is false. */
  readonly reason?: UnusableReason;
  readonly wallet?: Wallet;
  readonly group: MethodGroup;
  /**
   * The action type(s) a payment with this method can lead to (flows.md: `QUICKPAY_VSP` may answer `sms` or `none`). A page
   * offers the method only when it runs a flow for every one of them, so no platform order is made that it cannot finish.
   */
  readonly actions: readonly ActionType[];
  /**
   * A method that takes the payer's payment code (CODEPAY_VSP): the wallets whose codes the shop accepts, so the scanner
   * refuses another wallet's code before anything is sent.
   */
  readonly paymentCodeWallets?: readonly ('wechat' | 'alipay' | 'unionpay')[];
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
  /** Set once the payment succeeded: what the success did to the merchant order. */
  readonly settlement: Settlement | null;
  /** fen: what refunds of this payment have given back so far (0 when none). */
  readonly refundedAmount: number;
  /** Where the BFF found the client that asked (from its User-Agent): decides e.g. whether an "open app" link is offered. */
  readonly environment: ClientEnvironment;
  readonly serverTime: string;
}

/**
 * A refund (spec §4.2.16) as the merchant's admin API and `checkout.refunds` show it: a payment order of its own
 * (`bizOrderNo`) giving back part or all of `oriBizOrderNo` to its payer. Never shown to a browser.
 */
export interface RefundView {
  readonly bizOrderNo: string;
  readonly oriBizOrderNo: string;
  readonly merchantOrderId: string;
  /** `pending` until the platform says the money went back (`success`, final) or could not (`failed`). */
  readonly state: 'pending' | 'success' | 'failed';
  /** fen: the whole refund, `feeAmount` included. */
  readonly amount: number;
  /** fen: the part of the payment's fee given back. */
  readonly feeAmount: number;
  readonly reason: string;
  readonly failure: { readonly code: string | null; readonly message: string | null } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One `event: state` message of the payment's SSE stream. */
export interface PaymentStateMessage {
  readonly bizOrderNo: string;
  readonly state: PaymentState;
  readonly at: string;
  readonly message?: string;
  /** With `state: 'success'`: what the success did to the merchant order. */
  readonly settlement?: Settlement;
}

/** `POST /payments/:bizOrderNo/sms`: a code was sent again. */
export interface SmsResendView {
  readonly phone: string | null;
  readonly resendAt: string;
  readonly serverTime: string;
}

/**
 * `details` of the SMS step's errors: `sms_code_wrong` (`attemptsLeft`), `sms_resend_too_soon` (429 with `Retry-After`;
 * `resendAt`, `serverTime`).
 */
export interface SmsErrorDetails {
  readonly attemptsLeft?: number;
  readonly resendAt?: string;
  readonly serverTime?: string;
}

export interface ApiErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly yunstCode?: string; readonly bizOrderNo?: string; readonly retryAfterSeconds?: number; readonly details?: unknown };
}
