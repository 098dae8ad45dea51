import type { ClientEnvironment } from '@tsy/contract';
import type { Request } from 'express';
import type { CheckoutMethod } from '../config/config.js';
import type { Settlement } from '../payments/settlement.js';
import type { PaymentEventRecord } from '../store/types.js';

/** One payee of a marketplace order: the payment becomes an agentCollectApply (spec §4.2.5). */
export interface Receiver {
  readonly bizUserId: string;
  /** fen */
  readonly amount: number;
}

/** What the merchant says an order is. Amounts and payees come only from here, never from the browser. */
export interface ResolvedOrder {
  /** Integer fen, > 0. */
  readonly amount: number;
  /** fen, deducted from amount (spec §4.2.4 `fee`); 0 if none. */
  readonly fee?: number;
  /** Shown to the payer and sent as goodsName/summary. */
  readonly subject: string;
  readonly goodsDesc?: string;
  /** The payer as a YunST member (`payerId`). */
  readonly payer: {
    readonly bizUserId: string;
    /** openid / user_id per acctType, for JS methods (spec §4.1.23). */
    readonly acct?: Partial<Record<'weChatPublic' | 'weChatMiniProgram' | 'aliPayService', string>>;
  };
  /** Payee for consumeApply; `#yunBizUserId_B2C#` for self-operated sales (the default). */
  readonly recieverId?: string;
  /** consumeApply split rule (spec §5.3), passed through. */
  readonly splitRule?: readonly Record<string, unknown>[];
  /** Marketplaces: payees of an agentCollectApply; amounts + fee must add up to amount. */
  readonly recieverList?: readonly Receiver[];
  /** Business code for agentCollectApply (spec §6.11); defaults to the config's. */
  readonly tradeCode?: string;
  /**
   * The methods this order may be paid with, among the enabled ones (e.g. a counter sale: `['CODEPAY_VSP']`); every enabled
   * method when absent. The others are neither listed nor accepted for it.
   */
  readonly methods?: readonly CheckoutMethod[];
  /** Already paid outside this kit (the checkout shows it as paid). */
  readonly paid?: boolean;
}

/** The merchant learns about payments from this (an outbox: at least once, in order per payment, stable `id`). */
export interface PaymentEvent {
  readonly id: number;
  readonly type: PaymentEventRecord['type'];
  readonly merchantOrderId: string;
  readonly bizOrderNo: string;
  /** On `refund.*` events: the payment the refund (`bizOrderNo`) gives back. */
  readonly oriBizOrderNo?: string;
  readonly state: PaymentEventRecord['state'];
  readonly previousState: PaymentEventRecord['previousState'];
  /** fen: what the payment asked for (on `refund.*`: what the refund gives back). */
  readonly amount: number;
  /** fen: what the platform reported paid, when it reported a success for another amount (`payment.amount_differs`). */
  readonly reportedAmount?: number;
  readonly method: string;
  /**
   * On `payment.succeeded` and the refund events: what the success did to the merchant order. Only `paid` means the order is
   * paid by this payment; `double_paid`, `amount_mismatch` and `amount_differs` are money to refund (the event of that name
   * follows with the reason).
   */
  readonly settlement: Settlement | null;
  readonly message: string | null;
  readonly at: string;
}

/** What `resolvePayer` is asked about: the order, when the request is about one. */
export interface PayerQuery {
  readonly merchantOrderId?: string;
}

export interface CheckoutHooks {
  /**
   * Where the payer's page runs, when the merchant knows better than the User-Agent (a demo's "simulate WeChat" switch, an
   * app's own web view); `undefined` (or no hook) falls back to the User-Agent. It decides which methods are usable.
   */
  resolveEnvironment?(req: Request): Promise<ClientEnvironment | undefined> | ClientEnvironment | undefined;
  /** Returns the order, or `undefined` when there is no such order (404). May throw to refuse (e.g. the user is not its owner). */
  resolveOrder(merchantOrderId: string, req: Request): Promise<ResolvedOrder | undefined> | ResolvedOrder | undefined;
  /**
   * Required. Who the payer of this request is, from the merchant's session (the same `bizUserId` as `resolveOrder`'s
   * `payer`); `undefined` when unknown. A payment answers only its payer: its status, event stream, confirm, SMS resend
   * and signed front-page form are a 404 to anyone else, as for a payment that does not exist, and a new attempt is
   * refused (404) unless this names the order's payer. The phone-binding steps (`/payer/phone…`) bind this payer's phone
   * (401 when `undefined`).
   *
   * `about.merchantOrderId` names the order the request is about (a payment's order, or the order paid): for a shop whose
   * payer depends on the order — a counter sale paid through a walk-in member chosen per sale, say. It is absent for the
   * phone-binding steps. The BFF refuses to start without this hook.
   */
  resolvePayer(req: Request, about: PayerQuery): Promise<{ bizUserId: string } | undefined> | { bizUserId: string } | undefined;
  /**
   * Must be idempotent by `event.id` (unique within one store: a wiped database starts again at 1, so key by
   * `id` + `bizOrderNo` if that can happen); throwing makes the event be retried later. Mark the order paid only on
   * `payment.succeeded` with `settlement: 'paid'`: a success with any other settlement is money to refund, announced by its
   * own event (`payment.double_paid`, `payment.amount_mismatch`, `payment.amount_differs`); `checkout.refunds.refundFlagged()`
   * (or `tsy-bff refund-flagged`) gives it back. A refund's events (`refund.pending`, `refund.succeeded`, `refund.failed`)
   * carry the refund's own `bizOrderNo` and the refunded payment's as `oriBizOrderNo`. Events of one payment come in
   * order, one at a time; events of different payments may come at once (up to 20 per instance, more with several).
   */
  onPaymentEvent?(event: PaymentEvent): Promise<void> | void;
}
