import { ORDER_STATUS } from '@tsy/yunst';
import type { Clock } from '../clock.js';
import { cstCompact } from '../ids.js';
import type { MemberStore } from './members.js';
import { IllegalTransitionError, type ChannelDetails } from './orders.js';

/**
 * A refund order (spec §4.2.16): a payment order of its own, with its own bizOrderNo, giving back part or all of a paid
 * order. Its lifecycle, in §6.9's words:
 *
 *   pending (99) ──▶ success (4) | failed (3)
 *   success, failed: final
 *
 * A refund to the balance is settled within the `refund` call (it is created and moved at once); a refund along the
 * original channel stays pending until `settleAt` (D0: moments later, D1: D+1 14:30 CST).
 */
export type RefundState = 'pending' | 'success' | 'failed';

const NEXT: Record<RefundState, readonly RefundState[]> = { pending: ['success', 'failed'], success: [], failed: [] };

export const REFUND_STATUS_OF: Record<RefundState, number> = {
  pending: ORDER_STATUS.inProgress,
  success: ORDER_STATUS.success,
  failed: ORDER_STATUS.failed,
};

/** spec §4.2.15 / §4.2.19 refundWhereabouts: 1 to the account balance, 2 back along the original payment channel. */
export type RefundWhereabouts = 1 | 2;

/** Where the refunded money goes, in fen; the three add up to the refund's `amount`. */
export interface RefundParts {
  /** Back along the original channel (card, WeChat, Alipay…). */
  readonly channel: number;
  /** Into the payer's account balance (BALANCE parts, and methods that refund to the balance only — spec §4.2.16 note 6). */
  readonly balance: number;
  /** Back to the platform's marketing account (COUPON parts — note 7); never to the payer. */
  readonly coupon: number;
}

export interface SandboxRefund {
  readonly orderNo: string;
  readonly bizOrderNo: string;
  readonly oriBizOrderNo: string;
  readonly oriOrderNo: string;
  /** The refund's recipient: the original order's payer. */
  readonly bizUserId: string;
  readonly amount: number;
  /** The part of the original fee the platform gives back (0 when not sent: "如为 0,则不退手续费"). */
  readonly feeAmount: number;
  readonly couponAmount: number;
  /** What the request sent, so the answer echoes exactly those. */
  readonly sent: { readonly feeAmount: boolean; readonly couponAmount: boolean };
  /** The effective refundType (D1 when not sent); meaningful only for channel refunds. */
  readonly refundType: 'D0' | 'D1';
  readonly whereabouts: RefundWhereabouts;
  readonly parts: RefundParts;
  /** Each payee's share of `amount − feeAmount` (custody collections: from refundList, or every payee's remainder). */
  readonly payeeShares: readonly { readonly bizUserId: string; readonly amount: number }[];
  readonly backUrl: string | undefined;
  readonly extendInfo: string | undefined;
  readonly createdAt: Date;
  /** When a pending refund gets the channel's answer. */
  readonly settleAt: Date | undefined;
  /** The channel's answer decided at creation (the test amounts): a failure reason, or undefined for success. */
  readonly failure: string | undefined;
  state: RefundState;
  errorMessage: string | undefined;
  /** When it succeeded (sandbox clock): `payDatetime` of the notification and getOrderDetail. */
  payDatetime: Date | undefined;
  channel: ChannelDetails;
}

export type NewRefund = Omit<SandboxRefund, 'orderNo' | 'state' | 'errorMessage' | 'payDatetime' | 'channel'>;

/**
 * Every refund order, and the only place their state changes. Like the OrderBook, time-driven changes (a pending refund
 * reaching its `settleAt`) happen whenever a refund is looked at, against the sandbox clock; a success gives the balance
 * part back to the payer's simulated balance.
 */
export class RefundBook {
  readonly #byBizOrderNo = new Map<string, SandboxRefund>();
  readonly #byOriginal = new Map<string, SandboxRefund[]>();
  readonly #listeners: ((refund: SandboxRefund) => void)[] = [];
  #sequence = 0;

  constructor(
    private readonly clock: Clock,
    private readonly members: MemberStore,
    /** What the channel reports about a refund that went back along it (called once, on success). */
    private readonly channelDetailsOf: (refund: SandboxRefund, now: Date) => ChannelDetails,
  ) {}

  /** Called once for every refund that reaches success or failure, whatever the path (the notifier listens here). */
  onSettled(listener: (refund: SandboxRefund) => void): void {
    this.#listeners.push(listener);
  }

  add(fields: NewRefund): SandboxRefund {
    if (this.#byBizOrderNo.has(fields.bizOrderNo)) throw new Error(`refund ${fields.bizOrderNo} exists`);
    const refund: SandboxRefund = {
      ...fields,
      // An 8 after the timestamp keeps refund order numbers apart from payment ones made in the same second.
      orderNo: `${cstCompact(fields.createdAt)}8${String(++this.#sequence).padStart(5, '0')}`,
      state: 'pending',
      errorMessage: undefined,
      payDatetime: undefined,
      channel: {},
    };
    this.#byBizOrderNo.set(refund.bizOrderNo, refund);
    const siblings = this.#byOriginal.get(refund.oriBizOrderNo) ?? [];
    siblings.push(refund);
    this.#byOriginal.set(refund.oriBizOrderNo, siblings);
    return refund;
  }

  has(bizOrderNo: string): boolean {
    return this.#byBizOrderNo.has(bizOrderNo);
  }

  get(bizOrderNo: string): SandboxRefund | undefined {
    const refund = this.#byBizOrderNo.get(bizOrderNo);
    if (refund) this.refresh(refund);
    return refund;
  }

  /** The refunds of one original order, oldest first. */
  of(oriBizOrderNo: string): SandboxRefund[] {
    const refunds = [...(this.#byOriginal.get(oriBizOrderNo) ?? [])];
    for (const refund of refunds) this.refresh(refund);
    return refunds;
  }

  /** Fen given back of the original order by refunds that succeeded. */
  refundedAmount(oriBizOrderNo: string): number {
    return this.of(oriBizOrderNo)
      .filter((refund) => refund.state === 'success')
      .reduce((sum, refund) => sum + refund.amount, 0);
  }

  all(): SandboxRefund[] {
    const refunds = [...this.#byBizOrderNo.values()];
    for (const refund of refunds) this.refresh(refund);
    return refunds;
  }

  /** Applies the channel's answer once `settleAt` has come. */
  refresh(refund: SandboxRefund): void {
    if (refund.state !== 'pending' || !refund.settleAt || this.clock() < refund.settleAt) return;
    if (refund.failure === undefined) this.succeed(refund);
    else this.fail(refund, refund.failure);
  }

  succeed(refund: SandboxRefund): void {
    this.#move(refund, 'success');
    refund.payDatetime = this.clock();
    if (refund.whereabouts === 2) refund.channel = this.channelDetailsOf(refund, refund.payDatetime);
    if (refund.parts.balance > 0) {
      const payer = this.members.get(refund.bizUserId);
      // The payer paid the original, so it exists; the sandbox never deletes members.
      if (!payer) throw new Error(`refund ${refund.bizOrderNo}: payer ${refund.bizUserId} does not exist`);
      payer.balance += refund.parts.balance;
    }
    for (const listener of this.#listeners) listener(refund);
  }

  fail(refund: SandboxRefund, errorMessage: string): void {
    this.#move(refund, 'failed');
    refund.errorMessage = errorMessage;
    for (const listener of this.#listeners) listener(refund);
  }

  #move(refund: SandboxRefund, to: RefundState): void {
    if (!NEXT[refund.state].includes(to)) throw new IllegalTransitionError(`refund ${refund.bizOrderNo}: ${refund.state} → ${to} is not allowed`);
    refund.state = to;
  }
}

/** A refund's state in the words of OrderTruth (`pending` = in progress, 99). */
export interface RefundTruth {
  readonly bizOrderNo: string;
  readonly orderNo: string;
  readonly oriBizOrderNo: string;
  readonly oriOrderNo: string;
  readonly status: RefundState;
  /** Fen: the whole refund, `feeAmount` and `couponAmount` included. */
  readonly amount: number;
  readonly feeAmount: number;
  readonly couponAmount: number;
  readonly refundWhereabouts: RefundWhereabouts;
  readonly refundType: 'D0' | 'D1';
  /** ISO 8601, sandbox clock: when a pending refund gets the channel's answer. */
  readonly settleAt?: string;
  /** ISO 8601, sandbox clock; successes only. */
  readonly payDatetime?: string;
  readonly errorMessage?: string;
}

export function refundTruth(refund: SandboxRefund): RefundTruth {
  return {
    bizOrderNo: refund.bizOrderNo,
    orderNo: refund.orderNo,
    oriBizOrderNo: refund.oriBizOrderNo,
    oriOrderNo: refund.oriOrderNo,
    status: refund.state,
    amount: refund.amount,
    feeAmount: refund.feeAmount,
    couponAmount: refund.couponAmount,
    refundWhereabouts: refund.whereabouts,
    refundType: refund.refundType,
    ...(refund.settleAt && { settleAt: refund.settleAt.toISOString() }),
    ...(refund.payDatetime && { payDatetime: refund.payDatetime.toISOString() }),
    ...(refund.errorMessage !== undefined && { errorMessage: refund.errorMessage }),
  };
}
