import type { PaymentEventType, Settlement } from '../payments/settlement.js';
import type { PaymentFact, PaymentState } from '../payments/state-machine.js';

export type { PaymentEventType };

/**
 * The order store. SQLite is the embedded default (store/sqlite), a one-instance store; PostgreSQL (store/postgres) is the
 * store several instances share. Each method is atomic on its own, across every process sharing the store. Amounts are integer fen; instants are UTC ISO strings, with the platform's raw CST string beside them
 * where the platform gave one.
 */

/** The merchant's own order (spec §4.2.1 "business order"): one can need several payment attempts. */
export interface MerchantOrderRecord {
  readonly merchantOrderId: string;
  readonly amount: number;
  readonly currency: 'CNY';
  readonly subject: string;
  readonly payerBizUserId: string;
  /** The payment that paid it; set once, by the first success. */
  readonly paidBizOrderNo: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** Which YunST order interface a payment used; a refund (§4.2.16) is a payment order of its own (`oriBizOrderNo`). */
export type PaymentKind = 'consume' | 'agentCollect' | 'refund';

/** One YunST payment order (`bizOrderNo`). */
export interface PaymentRecord {
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly kind: PaymentKind;
  /** For refunds: the payment being refunded. */
  readonly oriBizOrderNo: string | null;
  /** The kit's method name (payMethod key without `_ORG`). */
  readonly method: string;
  /** The payMethod key actually sent (may be the `_ORG` variant). */
  readonly payMethodKey: string;
  /** fen. A refund's is the whole refund, its `feeAmount` included. */
  readonly amount: number;
  /** fen: the platform's fee on the payment; on a refund, the part of the original's fee given back (`feeAmount`). */
  readonly fee: number;
  /** A refund's payer is the original payment's, who gets the money back. */
  readonly payerBizUserId: string;
  readonly state: PaymentState;
  /** YunST's own order number, once known. */
  readonly orderNo: string | null;
  /** What the page must do next (JSON), once the platform answered. */
  readonly action: unknown;
  readonly expiresAt: string;
  /** The `orderExpireDatetime` string sent to the platform (CST). */
  readonly expiresAtCst: string;
  readonly environment: string;
  readonly sysid: string;
  readonly idempotencyKey: string | null;
  readonly failureCode: string | null;
  readonly failureMessage: string | null;
  /** The signed request as sent and the raw answer, as evidence. */
  readonly requestRaw: string | null;
  readonly responseRaw: string | null;
  /** Set once the payment succeeded: what the success did to its merchant order (anything but `paid` is money to refund). */
  readonly settlement: Settlement | null;
  /** The amount the platform reported with the success, when it reported one (fen). */
  readonly reportedAmount: number | null;
  /** A refund: why the merchant gave the money back (its own words, never sent to the platform). */
  readonly refundReason: string | null;
  /** A paid payment: what its successful refunds gave back so far (fen). */
  readonly refundedAmount: number;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When reconciliation last asked the platform about it. */
  readonly checkedAt: string | null;
  /** SMS confirm: when the current code was sent, until when the platform accepts it, when another may be asked for. */
  readonly smsSentAt: string | null;
  readonly smsCodeExpiresAt: string | null;
  readonly smsResendAt: string | null;
  /** SMS confirm: codes sent to the platform for this payment (taken before each `pay`). */
  readonly smsAttempts: number;
}

export interface MemberRecord {
  readonly bizUserId: string;
  readonly userId: string | null;
  readonly phone: string | null;
  readonly createdAt: string;
}

export interface MemberAcctRecord {
  readonly bizUserId: string;
  readonly acctType: string;
  readonly acct: string;
}


export interface PaymentEventRecord {
  /** Monotonic: the SSE `id:` and the de-duplication key for the merchant. */
  readonly id: number;
  readonly type: PaymentEventType;
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly state: PaymentState;
  readonly previousState: PaymentState | null;
  readonly source: string;
  readonly message: string | null;
  /** With a success and its refund events: what the success did to the merchant order. */
  readonly settlement: Settlement | null;
  /** The verified signed body that proved the change (notification, page return, answer), when there was one. */
  readonly evidence: string | null;
  readonly createdAt: string;
  readonly deliveredAt: string | null;
  readonly deliveryAttempts: number;
  readonly nextDeliveryAt: string | null;
  readonly lastDeliveryError: string | null;
}

export interface NewPayment {
  readonly bizOrderNo: string;
  readonly merchantOrderId: string;
  readonly kind: PaymentKind;
  readonly method: string;
  readonly payMethodKey: string;
  readonly amount: number;
  readonly fee: number;
  readonly payerBizUserId: string;
  readonly expiresAt: string;
  readonly expiresAtCst: string;
  readonly environment: string;
  readonly sysid: string;
  readonly idempotencyKey: string | null;
  /** Refunds only: the payment given back, and why. */
  readonly oriBizOrderNo?: string | null;
  readonly refundReason?: string | null;
}

/** What the merchant asks a refund to give back; `payments/refunds.ts` decides the amounts from what is still refundable. */
export interface RefundAsked {
  /** fen, the whole refund with its `feeAmount`; absent: everything still refundable. */
  readonly amount?: number;
  /** fen, the part of the original's fee given back; absent: none when `amount` is given (rule 11 A), else all that is left. */
  readonly feeAmount?: number;
  /** Custody collections: the merchant shares out `amount − feeAmount` (spec §5.9), so a partial refund is possible. */
  readonly refundListTotal?: number;
}

/** A refund to store (store.insertRefund): the rest of its row comes from the payment it refunds. */
export interface NewRefund {
  readonly bizOrderNo: string;
  readonly oriBizOrderNo: string;
  readonly idempotencyKey: string;
  readonly reason: string;
  readonly asked: RefundAsked;
}

/** Why a refund was not stored (payments/refunds.ts decides; the checkout says it in zh and en). */
export type RefundRefusal =
  | { readonly reason: 'not_found' | 'not_a_payment' | 'not_paid' | 'refund_list_required' | 'refund_list_not_allowed' }
  /** More than is left: what may still be refunded (fen), the whole and its fee part. */
  | { readonly reason: 'exceeds' | 'nothing_left'; readonly room: RefundRoom };

/** What a paid payment may still give back (fen): `amount` in all, of which at most `feeAmount` from its fee. */
export interface RefundRoom {
  readonly amount: number;
  readonly feeAmount: number;
}

export type RefundInsert =
  /** `created`: stored now, the platform still to be asked; `existing`: the refund this Idempotency-Key made before. */
  | { readonly outcome: 'created' | 'existing'; readonly refund: PaymentRecord }
  | { readonly outcome: 'refused'; readonly refusal: RefundRefusal };

/** Fields learnt about a payment besides its state. */
export type PaymentPatch = Partial<Pick<PaymentRecord, 'orderNo' | 'action' | 'responseRaw' | 'requestRaw' | 'checkedAt' | 'smsSentAt' | 'smsCodeExpiresAt' | 'smsResendAt'>>;

/**
 * A state change to apply atomically with its event row(s). A failure's code and message come from the fact itself; the
 * event's message defaults to the failure message.
 */
export interface Transition {
  readonly fact: PaymentFact;
  readonly message?: string | null;
  readonly evidence?: string | null;
  /** Fields learnt with the fact (kept even when the fact changes no state). */
  readonly patch?: PaymentPatch;
}

export interface TransitionResult {
  readonly payment: PaymentRecord;
  /** False when the fact changed nothing (a duplicate or out-of-order fact). */
  readonly changed: boolean;
  readonly events: readonly PaymentEventRecord[];
}

/**
 * A verified message from the platform about a payment (a `backUrl` notification or a page return), kept as received. A
 * report that is not proof by itself (a failure, `pending`) stays unresolved until the platform's own answer about the
 * payment (getOrderDetail) was learnt: reconciliation retries it, because the platform does not send it again.
 */
export interface PlatformNotificationRecord {
  readonly id: number;
  readonly bizOrderNo: string;
  readonly source: 'notification' | 'return';
  /** The verified body: the raw urlencoded body when the router had it, else the decoded fields re-encoded. */
  readonly body: string;
  /** `rps.status` (OK, pending, error). */
  readonly status: string;
  /** The signed `timestamp` of the message (CST on the wire, kept as UTC ISO 8601); null when it had none that parses. */
  readonly signedAt: string | null;
  readonly receivedAt: string;
  readonly resolvedAt: string | null;
}

/** What one hit on a rate-limit counter found (store.hitRateLimit). */
export interface RateLimitHit {
  /** Counted: the window had room for it. */
  readonly allowed: boolean;
  /** Hits counted in the window, this one included when allowed. */
  readonly count: number;
  /** Until the window ends (a refused hit may be repeated then); 0 when there is no window. */
  readonly retryAfterMs: number;
}

/** Told which payments got new event rows, by any process sharing the store (store.watchPaymentChanges). */
export interface PaymentChangeListener {
  /** Event rows of this payment were committed (by this process or another), the newest with id `lastEventId` when known. */
  changed(bizOrderNo: string, lastEventId?: number): void;
  /** The watch was interrupted and is back: changes in between may have been missed, so catch up from the event table. */
  resumed(): void;
}

/** A claim on the next events to deliver (store.claimEventsToDeliver). */
export interface EventClaim {
  /** UTC ISO 8601. */
  readonly now: string;
  readonly limit: number;
  /** How long the claimed events are this owner's unless renewed: past it (the owner died mid-delivery) another may take them. */
  readonly leaseMs: number;
  /** Who claims: one id per process (event-delivery.ts). */
  readonly owner: string;
}

export interface Store {
  /** Keeps what the merchant says an order is; an order already paid is history and is not changed. */
  upsertMerchantOrder(order: Omit<MerchantOrderRecord, 'paidBizOrderNo' | 'createdAt' | 'updatedAt'>): Promise<MerchantOrderRecord>;
  getMerchantOrder(merchantOrderId: string): Promise<MerchantOrderRecord | undefined>;

  insertPayment(payment: NewPayment): Promise<PaymentRecord>;
  getPayment(bizOrderNo: string): Promise<PaymentRecord | undefined>;
  findPaymentByIdempotencyKey(merchantOrderId: string, key: string): Promise<PaymentRecord | undefined>;
  /** The newest payment (no refund) of a merchant order that is still open (created/pending). */
  findOpenPayment(merchantOrderId: string): Promise<PaymentRecord | undefined>;
  /**
   * Stores a refund of `oriBizOrderNo` atomically, as `payments/refunds.ts` `decideRefund` decides it from the payment and
   * its refunds read inside the transaction (PostgreSQL locks the payment's row): concurrent refunds, in any instance,
   * never give back more than was paid. The same Idempotency-Key for the same payment finds the refund it made before.
   */
  insertRefund(refund: NewRefund): Promise<RefundInsert>;
  /** The refunds of a payment, oldest first. */
  listRefunds(oriBizOrderNo: string): Promise<PaymentRecord[]>;
  /**
   * Successful payments whose success did not pay their order (settlement other than `paid`, payments/settlement.ts), not
   * yet refunded in full (`refundedAmount` below what was paid, as payments/refunds.ts counts it): money to give back.
   */
  listFlaggedPayments(): Promise<PaymentRecord[]>;
  /** Records what was sent and answered without changing the state. */
  patchPayment(bizOrderNo: string, patch: PaymentPatch): Promise<void>;
  /**
   * Moves `smsResendAt` to `next` only if it is still `expected` (compare-and-set): of two resends at once, one wins.
   * True when this call moved it.
   */
  swapSmsResendAt(bizOrderNo: string, expected: string | null, next: string | null): Promise<boolean>;
  /**
   * Takes one SMS attempt atomically if fewer than `limit` were taken: the attempt's number (1…limit), or undefined when
   * none is left — two concurrent confirms never both get the last one.
   */
  takeSmsAttempt(bizOrderNo: string, limit: number): Promise<number | undefined>;
  /** Gives back an attempt that checked no code (the platform refused it for another reason). */
  returnSmsAttempt(bizOrderNo: string): Promise<void>;
  /**
   * Applies a fact atomically as `payments/settlement.ts` `decideTransition` decides it from the payment and its merchant
   * order read inside the transaction: the payment row, the merchant order's paid marker and the event rows change together
   * or not at all. The store decides nothing itself.
   */
  transition(bizOrderNo: string, transition: Transition): Promise<TransitionResult>;
  /**
   * Payments to ask the platform about, least recently checked first, none checked since `checkedBefore`: open ones and
   * expired ones younger than `expiredAfter` (a late success whose notifications were all lost is still learnt) created
   * before `createdBefore`, and — however young — any not successful with an unresolved notification.
   */
  listPaymentsToReconcile(options: { createdBefore: string; checkedBefore: string; expiredAfter: string; limit: number }): Promise<PaymentRecord[]>;

  /** Keeps a verified notification or page return, once (a replay of the same body is the same record); `resolved` when it needs no follow-up. */
  recordNotification(notification: { bizOrderNo: string; source: 'notification' | 'return'; body: string; status: string; signedAt: string | null; resolved: boolean }): Promise<PlatformNotificationRecord>;
  /** The platform's own answer about the payment was learnt: its kept notifications need no more follow-up. */
  resolveNotifications(bizOrderNo: string, at: string): Promise<void>;
  listNotifications(bizOrderNo: string): Promise<PlatformNotificationRecord[]>;

  getMember(bizUserId: string): Promise<MemberRecord | undefined>;
  upsertMember(member: { bizUserId: string; userId?: string | null; phone?: string | null }): Promise<MemberRecord>;
  listMemberAccts(bizUserId: string): Promise<MemberAcctRecord[]>;
  addMemberAcct(acct: MemberAcctRecord): Promise<void>;

  /** A random secret made once per store (database), for keyed digests. */
  installSecret(): Promise<string>;
  /**
   * Records a payment code (by its digest) as used for `bizOrderNo`, atomically: false, with the payment it was used for,
   * when it is recorded already and not yet expired at `usedAt`. Expired records are removed on the way.
   */
  reservePaymentCode(code: { digest: string; bizOrderNo: string; usedAt: string; expiresAt: string }): Promise<{ reserved: true } | { reserved: false; bizOrderNo: string }>;
  /** Forgets a code reserved for `bizOrderNo` whose payment was never stored. */
  releasePaymentCode(digest: string, bizOrderNo: string): Promise<void>;

  /**
   * Inserts the payment only while its merchant order has fewer than `maxOpen` open payments (refunds not counted) that have not expired at
   * `now`, in one step, so concurrent creates never pass the cap. When full, nothing is stored and the earliest expiry of
   * the open ones is returned.
   */
  insertPaymentWithinOpenLimit(payment: NewPayment, limit: { maxOpen: number; now: string }): Promise<{ payment: PaymentRecord } | { payment: undefined; openUntil: string }>;

  /**
   * One hit on the fixed-window counter `key`, atomically across requests and processes sharing the store: counted when
   * fewer than `limit` were counted in the current window; a window that has ended starts afresh at `now`, `windowMs`
   * long. The hit that reaches `limit` keeps the window open at least `blockMs` from `now` (a lockout). Ended windows are
   * removed on the way. The numbers are the caller's: the store only counts.
   */
  hitRateLimit(hit: { key: string; limit: number; windowMs: number; blockMs?: number; now: Date }): Promise<RateLimitHit>;
  /** Takes back one hit of the current window of `key` (the attempt it counted turned out not to count). */
  returnRateLimitHit(key: string, now: Date): Promise<void>;

  /** Events of one payment after `afterId`, oldest first (SSE replay). */
  listPaymentEvents(bizOrderNo: string, afterId: number): Promise<PaymentEventRecord[]>;
  /**
   * Claims undelivered events due for delivery, oldest first, for `owner` until `now + leaseMs`, atomically: at most one
   * per payment — its oldest undelivered one, so delivery stays in order per payment — and none of a payment whose next
   * event another claim holds unexpired. Of two owners claiming at once, one gets each event.
   */
  claimEventsToDeliver(claim: EventClaim): Promise<PaymentEventRecord[]>;
  /** Extends `owner`'s claims on these events (those still its own and undelivered) to `until`: it is still delivering them. */
  renewEventClaims(ids: readonly number[], owner: string, until: string): Promise<void>;
  /** Delivered: the claim on it ends. */
  markEventDelivered(id: number, at: string): Promise<void>;
  /**
   * Not delivered by `owner`: its claim ends and the event waits until `nextAttemptAt` — only while the claim is still
   * `owner`'s. When its lease lapsed and another owner claimed the event, that owner is delivering it: a late failure of
   * the first must neither end the other's claim nor push the event back.
   */
  markEventDeliveryFailed(id: number, owner: string, error: string, nextAttemptAt: string): Promise<void>;

  /**
   * Claims the reconciliation of one payment for `owner` until `until`, atomically: false while another owner's claim on it
   * has not ended by `now` (that instance is asking the platform about it).
   */
  claimReconciliation(bizOrderNo: string, claim: { owner: string; now: string; until: string }): Promise<boolean>;
  /** Ends `owner`'s claim on the payment's reconciliation (another's is left alone). */
  releaseReconciliation(bizOrderNo: string, owner: string): Promise<void>;

  /**
   * Only for stores several processes share (PostgreSQL: LISTEN/NOTIFY). Absent on SQLite, a one-instance store, where the
   * instance's own writes are all there is. Resolves once the watch is live; the function it gives stops it.
   */
  watchPaymentChanges?(listener: PaymentChangeListener): Promise<() => Promise<void>>;

  close(): Promise<void>;
}
