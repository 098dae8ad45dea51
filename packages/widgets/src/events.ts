import type { PaymentState, PaymentView, Settlement } from './api/types.js';

/** The states `<tsy-checkout>` reflects in its `state` attribute. */
export type CheckoutState = 'loading' | 'select' | 'processing' | 'awaiting' | 'success' | 'failed' | 'expired' | 'error';

/**
 * Every `tsy-*` event, declared once: name → detail. All bubble and are composed, so a page can listen on any ancestor,
 * across shadow roots.
 */
export interface TsyEventDetails {
  'tsy-state-change': { readonly state: CheckoutState; readonly previous: CheckoutState };
  /**
   * The BFF confirmed the payment. `settlement` says what it did to the order: only `paid` is a plain success; the others
   * (`double_paid`, `amount_mismatch`, `amount_differs`) are money to give back.
   */
  'tsy-success': { readonly bizOrderNo: string; readonly amount: number; readonly method: string; readonly settlement: Settlement };
  'tsy-fail': { readonly code: string; readonly message: string };
  'tsy-expired': { readonly bizOrderNo: string };
  'tsy-cancel': { readonly bizOrderNo: string };
  /** `<tsy-method-picker>`: the payer chose a method. */
  'tsy-method-select': { readonly method: string };
  /** `<tsy-qr-pay>`: the payment reached a state it cannot leave. */
  'tsy-payment-state': { readonly bizOrderNo: string; readonly state: PaymentState };
  /** `<tsy-phone-bind>`: the BFF confirmed the payer's phone is bound. */
  'tsy-phone-bound': Record<string, never>;
  /** `<tsy-qr-pay>`: the payer asked for a new QR after expiry. */
  'tsy-refresh': Record<string, never>;
  /**
   * A flow element (`<tsy-wechat-pay>`, `<tsy-alipay-pay>`, …) cannot run its action: its data is incomplete
   * (`invalid_action`) or it is refused (`redirect_host_refused`, …). `<tsy-checkout>` shows the error and fires `tsy-fail`.
   */
  'tsy-flow-error': { readonly code: string; readonly message: string };
  /**
   * `<tsy-redirect-pay>`, `<tsy-form-post>`: the page is about to leave for the payment page (`GET` a redirect, `POST` a
   * form). Cancelable: `preventDefault()` keeps the page (to save state first, or to stop it); the flow then shows a
   * button that goes on by hand.
   */
  'tsy-before-redirect': { readonly url: string; readonly method: 'GET' | 'POST' };
  /**
   * `<tsy-code-scanner>`: a payer's payment code was read and passed the check (the wallet's length and prefix, and the
   * wallets accepted), once per code: through the webcam, a barcode gun, or typed.
   */
  'tsy-code-scanned': { readonly code: string; readonly wallet: 'wechat' | 'alipay' | 'unionpay'; readonly source: 'camera' | 'scanner-gun' | 'manual' };
  /**
   * An input step (`<tsy-code-pay>`) made the payment of the attempt it was given: `<tsy-checkout>` takes it as its payment
   * (what it resumes, reports and confirms with the BFF — which it does only for a payment of its own order).
   */
  'tsy-payment-created': { readonly payment: PaymentView };
}

export type TsyEventName = keyof TsyEventDetails;
export type TsyEvent<K extends TsyEventName> = CustomEvent<TsyEventDetails[K]>;

declare global {
  interface HTMLElementEventMap {
    'tsy-state-change': TsyEvent<'tsy-state-change'>;
    'tsy-success': TsyEvent<'tsy-success'>;
    'tsy-fail': TsyEvent<'tsy-fail'>;
    'tsy-expired': TsyEvent<'tsy-expired'>;
    'tsy-cancel': TsyEvent<'tsy-cancel'>;
    'tsy-method-select': TsyEvent<'tsy-method-select'>;
    'tsy-payment-state': TsyEvent<'tsy-payment-state'>;
    'tsy-refresh': TsyEvent<'tsy-refresh'>;
    'tsy-phone-bound': TsyEvent<'tsy-phone-bound'>;
    'tsy-flow-error': TsyEvent<'tsy-flow-error'>;
    'tsy-before-redirect': TsyEvent<'tsy-before-redirect'>;
    'tsy-code-scanned': TsyEvent<'tsy-code-scanned'>;
    'tsy-payment-created': TsyEvent<'tsy-payment-created'>;
  }
}

/** Dispatches a typed `tsy-*` event from `target` (bubbling, composed); false when a cancelable one was cancelled. */
export function emit<K extends TsyEventName>(target: EventTarget, name: K, detail: TsyEventDetails[K], cancelable = false): boolean {
  return target.dispatchEvent(new CustomEvent(name, { detail, bubbles: true, composed: true, cancelable }));
}
