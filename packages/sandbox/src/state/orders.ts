import { ORDER_STATUS, type PayMethodKey } from '@tsy/yunst';
import { addMs, DAY, type Clock } from '../clock.js';
import { cstCompact } from '../ids.js';

export type OrderType = 'consume' | 'agentCollect';

/**
 * The order lifecycle of spec §6.9.
 *
 *   unpaid ──▶ success | failed | inProgress | closed
 *   inProgress ──▶ success | failed | closed
 *   success, failed, closed: final
 *
 * `refunded` (5, 交易成功-发生退款) is not a state of its own: a paid order stays `success` (success is final), and
 * getOrderDetail reports 5 once a refund of it has succeeded (state/refunds.ts holds the refunds).
 */
export type OrderState = 'unpaid' | 'inProgress' | 'success' | 'failed' | 'closed';

const NEXT: Record<OrderState, readonly OrderState[]> = {
  unpaid: ['inProgress', 'success', 'failed', 'closed'],
  inProgress: ['success', 'failed', 'closed'],
  success: [],
  failed: [],
  closed: [],
};

export const ORDER_STATUS_OF: Record<OrderState, number> = {
  unpaid: ORDER_STATUS.unpaid,
  inProgress: ORDER_STATUS.inProgress,
  success: ORDER_STATUS.success,
  failed: ORDER_STATUS.failed,
  closed: ORDER_STATUS.closed,
};

/** In-progress orders are batch-closed after 8 days (spec §6.9). */
const IN_PROGRESS_CLOSE_MS = 8 * DAY;

/**
 * How the payer completes the order after the apply:
 * - `wallet`: in the payer's WeChat/Alipay/UnionPay/bank app (the sandbox's simulated wallet page);
 * - `pos`: the POS terminal enters the payCode;
 * - `none`: settled by the apply itself (code payment, QUICKPAY_VSP without SMS);
 * - `sms`: back-end `pay` with the SMS code (§4.2.8);
 * - `gateway`: the front gateway page (§4.2.9); `password`: the front password page (§4.2.10).
 */
export type ConfirmStep = 'wallet' | 'pos' | 'none' | 'sms' | 'gateway' | 'password';

/** What the channel reports about a payment (spec §4.2.15 / §4.2.19 fields). */
export interface ChannelDetails {
  acct?: string;
  accttype?: string;
  termno?: string;
  cusid?: string;
  payInterfaceOutTradeNo?: string;
  termrefnum?: string;
  channelPaytime?: string;
  payInterfacetrxcode?: string;
  traceno?: string;
}

export interface SandboxOrder {
  readonly orderNo: string;
  readonly bizOrderNo: string;
  readonly orderType: OrderType;
  readonly payerId: string;
  readonly amount: number;
  readonly fee: number;
  /**
   * Who receives the money and how much of it: consumeApply's `recieverId` with `amount − fee`, agentCollectApply's
   * `recieverList`. A refund takes its principal back from these (custody refunds name them in refundList).
   */
  readonly payees: readonly { readonly bizUserId: string; readonly amount: number }[];
  /** The validated `payMethod` object as applied. */
  readonly payMethod: Readonly<Partial<Record<PayMethodKey, unknown>>>;
  readonly methods: readonly PayMethodKey[];
  /** The method that decides the flow: the channel-type method, or the first balance-type one. */
  readonly primaryMethod: PayMethodKey;
  /** The effective validateType (the sent one, or the method's default). */
  readonly validateType: 0 | 1 | 2;
  readonly confirm: ConfirmStep;
  /** A gateway confirm that must check an SMS code (gateway combined with balance-type methods, validateType 1). */
  readonly smsOnGateway: boolean;
  readonly backUrl: string;
  readonly frontUrl: string | undefined;
  readonly goodsName: string | undefined;
  readonly summary: string | undefined;
  readonly extendInfo: string | undefined;
  /** The card of a bank-card method, masked (`bankCardNo` arrives RSA-encrypted; the sandbox decrypts it to check it). */
  readonly maskedCardNo: string | undefined;
  readonly createdAt: Date;
  /** The last moment the order can be paid or confirmed. */
  readonly expiresAt: Date;
  /** When an unpaid order becomes closed (6): its orderExpireDatetime, or the 24-hour batch close. */
  readonly closesAt: Date;
  state: OrderState;
  errorMessage: string | undefined;
  payDatetime: Date | undefined;
  channel: ChannelDetails;
  /** Set when a confirm step (pay, a front page) settled the order: a second confirm is 40033. */
  confirmedAt: Date | undefined;
  /** An in-progress order that succeeds by itself at this time (code payment `pending`). */
  settleAt: Date | undefined;
  /** The simulated wallet page link of `wallet` orders, and when the link itself stops working (H5 `mweb_url`: 5 min). */
  walletToken: string | undefined;
  walletLinkExpiresAt: Date | undefined;
  /** ORDER_VSPPAY: the 6-digit code the POS enters. */
  payCode: string | undefined;
  /** What a JS method's answer handed to the wallet's JS bridge: the WeChat prepay id (with its appId) or the Alipay tradeNO. */
  bridgeRef: BridgeRef | undefined;
}

export type BridgeRef = { readonly wallet: 'wechat'; readonly prepayId: string; readonly appId: string } | { readonly wallet: 'alipay'; readonly tradeNO: string };

export type NewOrder = Omit<
  SandboxOrder,
  'orderNo' | 'state' | 'errorMessage' | 'payDatetime' | 'channel' | 'confirmedAt' | 'settleAt' | 'walletToken' | 'walletLinkExpiresAt' | 'payCode' | 'bridgeRef'
>;

export class IllegalTransitionError extends Error {
  override readonly name = 'IllegalTransitionError';
}

/**
 * Every order, and the only place their state changes. Time-driven changes (expiry → closed, pending → success) happen
 * lazily whenever an order is looked at, against the sandbox clock — so a test that moves the clock sees them at once.
 */
export class OrderBook {
  readonly #byBizOrderNo = new Map<string, SandboxOrder>();
  readonly #byWalletToken = new Map<string, SandboxOrder>();
  readonly #byPrepayId = new Map<string, SandboxOrder>();
  readonly #byTradeNO = new Map<string, SandboxOrder>();
  readonly #listeners: ((order: SandboxOrder) => void)[] = [];
  #sequence = 0;

  constructor(private readonly clock: Clock) {}

  /** Called once for every order that reaches success, whatever the path (the notifier listens here). */
  onSuccess(listener: (order: SandboxOrder) => void): void {
    this.#listeners.push(listener);
  }

  add(fields: NewOrder): SandboxOrder {
    if (this.#byBizOrderNo.has(fields.bizOrderNo)) throw new Error(`order ${fields.bizOrderNo} exists`);
    const order: SandboxOrder = {
      ...fields,
      // Digits like the platform's; the sequence keeps two orders of the same second apart.
      orderNo: `${cstCompact(fields.createdAt)}${String(++this.#sequence).padStart(6, '0')}`,
      state: 'unpaid',
      errorMessage: undefined,
      payDatetime: undefined,
      channel: {},
      confirmedAt: undefined,
      settleAt: undefined,
      walletToken: undefined,
      walletLinkExpiresAt: undefined,
      payCode: undefined,
      bridgeRef: undefined,
    };
    this.#byBizOrderNo.set(order.bizOrderNo, order);
    return order;
  }

  has(bizOrderNo: string): boolean {
    return this.#byBizOrderNo.has(bizOrderNo);
  }

  /** The order, with any time-driven change applied. */
  get(bizOrderNo: string): SandboxOrder | undefined {
    const order = this.#byBizOrderNo.get(bizOrderNo);
    if (order) this.refresh(order);
    return order;
  }

  byWalletToken(token: string): SandboxOrder | undefined {
    const order = this.#byWalletToken.get(token);
    if (order) this.refresh(order);
    return order;
  }

  /** The order whose apply issued this WeChat prepay id (JSAPI `package` = `prepay_id=…`). */
  byPrepayId(prepayId: string): SandboxOrder | undefined {
    const order = this.#byPrepayId.get(prepayId);
    if (order) this.refresh(order);
    return order;
  }

  /** The order whose apply issued this Alipay tradeNO. */
  byTradeNO(tradeNO: string): SandboxOrder | undefined {
    const order = this.#byTradeNO.get(tradeNO);
    if (order) this.refresh(order);
    return order;
  }

  attachBridgeRef(order: SandboxOrder, ref: BridgeRef): void {
    order.bridgeRef = ref;
    if (ref.wallet === 'wechat') this.#byPrepayId.set(ref.prepayId, order);
    else this.#byTradeNO.set(ref.tradeNO, order);
  }

  /** The unpaid POS order waiting for this payCode. */
  byPayCode(payCode: string): SandboxOrder | undefined {
    return this.all().find((order) => order.payCode === payCode && order.state === 'unpaid');
  }

  all(): SandboxOrder[] {
    const orders = [...this.#byBizOrderNo.values()];
    for (const order of orders) this.refresh(order);
    return orders;
  }

  attachWalletToken(order: SandboxOrder, token: string, linkExpiresAt?: Date): void {
    order.walletToken = token;
    order.walletLinkExpiresAt = linkExpiresAt;
    this.#byWalletToken.set(token, order);
  }

  /** Applies the changes time alone makes. */
  refresh(order: SandboxOrder): void {
    const now = this.clock();
    if (order.state === 'inProgress') {
      if (order.settleAt && now >= order.settleAt) this.succeed(order, order.channel);
      else if (now >= addMs(order.createdAt, IN_PROGRESS_CLOSE_MS)) this.#move(order, 'closed');
    } else if (order.state === 'unpaid' && now >= order.closesAt) {
      this.#move(order, 'closed');
    }
  }

  succeed(order: SandboxOrder, channel: ChannelDetails, confirmed = false): void {
    this.#move(order, 'success');
    order.payDatetime = this.clock();
    order.channel = channel;
    order.settleAt = undefined;
    if (confirmed) order.confirmedAt = order.payDatetime;
    for (const listener of this.#listeners) listener(order);
  }

  /** Consumption and collection failures are not notified (spec §3.7). */
  fail(order: SandboxOrder, errorMessage: string, confirmed = false): void {
    this.#move(order, 'failed');
    order.errorMessage = errorMessage;
    if (confirmed) order.confirmedAt = this.clock();
  }

  markInProgress(order: SandboxOrder, channel: ChannelDetails, settleAt?: Date): void {
    this.#move(order, 'inProgress');
    order.channel = channel;
    order.settleAt = settleAt;
  }

  #move(order: SandboxOrder, to: OrderState): void {
    if (!NEXT[order.state].includes(to)) throw new IllegalTransitionError(`order ${order.bizOrderNo}: ${order.state} → ${to} is not allowed`);
    order.state = to;
  }
}

/** An order's state in the words a test about payments uses (`pending` = in progress, 99). */
export type OrderTruthStatus = 'unpaid' | 'pending' | 'success' | 'failed' | 'closed';

/** What the sandbox knows for certain about one order: the truth a fault run checks the merchant against. */
export interface OrderTruth {
  readonly bizOrderNo: string;
  readonly orderNo: string;
  readonly status: OrderTruthStatus;
  /** Fen. */
  readonly amount: number;
  /** The method that decided the flow (of a combination, the channel-type one). */
  readonly payMethod: PayMethodKey;
  readonly payMethods: readonly PayMethodKey[];
  /** ISO 8601, sandbox clock; successes only. */
  readonly payDatetime?: string;
  /** Fen given back by refunds that succeeded (getOrderDetail then reports 5); absent when none. */
  readonly refundedAmount?: number;
}

const TRUTH_STATUS: Record<OrderState, OrderTruthStatus> = { unpaid: 'unpaid', inProgress: 'pending', success: 'success', failed: 'failed', closed: 'closed' };

export function orderTruth(order: SandboxOrder, refundedAmount = 0): OrderTruth {
  return {
    bizOrderNo: order.bizOrderNo,
    orderNo: order.orderNo,
    status: TRUTH_STATUS[order.state],
    amount: order.amount,
    payMethod: order.primaryMethod,
    payMethods: [...order.methods],
    ...(order.payDatetime && { payDatetime: order.payDatetime.toISOString() }),
    ...(refundedAmount > 0 && { refundedAmount }),
  };
}
