import { cstDate } from './shop-store.js';

/**
 * Walk-in payers at the counter. The platform takes a payment only from a member as payer (spec §4.1), and counts each
 * member's consumption orders — succeeded or still in progress — to at most 10 a day (spec §4.2.1 note 5, B). A payer at
 * the till is nobody the shop knows, and the payment code does not tell who they are, so the shop pays counter sales
 * through a pool of its own walk-in members (`demo-walkin-01` …), each with a bound phone, and gives each new counter
 * order the member with the fewest orders counted today (CST) — never one that has reached the limit. When the whole
 * pool is used up for the day, the counter refuses new orders rather than letting the platform refuse the payment.
 */
export const PLATFORM_DAILY_LIMIT = 10;

export const walkInPayerId = (index: number): string => `demo-walkin-${String(index + 1).padStart(2, '0')}`;
/** Each walk-in member's bound phone (the platform needs one; the sandbox sends its code to its inbox). */
export const walkInPhone = (index: number): string => `1370000${String(index + 1).padStart(4, '0')}`;

/** What counts against a member today: each counter order once, and every further payment of it that did not fail. */
export interface CounterUsage {
  readonly payerBizUserId: string;
  readonly createdAt: string;
  /** bizOrderNo → the payment's last known state. */
  readonly payments: Readonly<Record<string, string>>;
}

const NOT_COUNTED = new Set(['failed', 'closed', 'expired']);

/** How many consumptions the platform may count for an order: at least one (its payment may be on its way). */
export function countedConsumptions(order: CounterUsage): number {
  return Math.max(1, Object.values(order.payments).filter((state) => !NOT_COUNTED.has(state)).length);
}

/** The pool member to pay the next counter order, or undefined when every one has reached the limit today. */
export function chooseWalkInPayer(orders: readonly CounterUsage[], poolSize: number, now: Date, limit = PLATFORM_DAILY_LIMIT): { bizUserId: string; index: number } | undefined {
  const today = cstDate(now);
  const used = new Map<string, number>();
  for (const order of orders) {
    if (cstDate(new Date(order.createdAt)) !== today) continue;
    used.set(order.payerBizUserId, (used.get(order.payerBizUserId) ?? 0) + countedConsumptions(order));
  }
  let best: { bizUserId: string; index: number; count: number } | undefined;
  for (let index = 0; index < poolSize; index++) {
    const bizUserId = walkInPayerId(index);
    const count = used.get(bizUserId) ?? 0;
    // One slot is kept free: a second payment of the same order (the payer's wallet declined, then a new code) still fits.
    if (count + 1 >= limit) continue;
    if (!best || count < best.count) best = { bizUserId, index, count };
  }
  return best && { bizUserId: best.bizUserId, index: best.index };
}
