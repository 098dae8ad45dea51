/**
 * The invariants the fault runs and the crash rounds count, in one place so the table's words mean the same in every
 * section: what the BFF holds against what the platform (the sandbox) settled, and what the merchant's hook received
 * against the outbox.
 */

export interface PaymentOutcome {
  readonly bizOrderNo: string;
  /** The BFF's state. */
  readonly state: string;
}

/**
 * `falseSuccesses`: a success in the BFF the platform did not settle. `lost`: settled by the platform, not a success in
 * the BFF — among the BFF's payments and any other bizOrderNo the platform settled (`platformOrders`).
 */
export function settlementCounts(
  payments: readonly PaymentOutcome[],
  settled: (bizOrderNo: string) => boolean,
  platformOrders: Iterable<string> = [],
): { falseSuccesses: string[]; lost: string[] } {
  const state = new Map(payments.map((payment) => [payment.bizOrderNo, payment.state]));
  const all = new Set([...state.keys(), ...platformOrders]);
  return {
    falseSuccesses: payments.filter((payment) => payment.state === 'success' && !settled(payment.bizOrderNo)).map((payment) => payment.bizOrderNo),
    lost: [...all].filter((bizOrderNo) => settled(bizOrderNo) && state.get(bizOrderNo) !== 'success'),
  };
}

/** One call of `onPaymentEvent` that the merchant completed, in the order they happened. */
export interface Delivery {
  readonly id: number;
  readonly bizOrderNo: string;
  /** The BFF process that delivered it (crash rounds: a repeat is fine only after that process died). */
  readonly pid?: number;
}

/**
 * Against the outbox (`events`): events never delivered; first deliveries that came after a later event of the same
 * payment; repeats, and those repeats that no crash explains (`crashed(first)`: the process that delivered it first died
 * before it could record the delivery).
 */
export function deliveryCounts(
  events: readonly { id: number }[],
  deliveries: readonly Delivery[],
  crashed: (first: Delivery, repeat: Delivery) => boolean = () => false,
): { neverDelivered: number; outOfOrder: number; duplicates: number; duplicatesWithoutCrash: number } {
  const first = new Map<number, Delivery>();
  const highest = new Map<string, number>();
  let outOfOrder = 0;
  let duplicates = 0;
  let duplicatesWithoutCrash = 0;
  for (const delivery of deliveries) {
    const earlier = first.get(delivery.id);
    if (earlier) {
      duplicates++;
      if (!crashed(earlier, delivery)) duplicatesWithoutCrash++;
      continue;
    }
    first.set(delivery.id, delivery);
    if (delivery.id < (highest.get(delivery.bizOrderNo) ?? 0)) outOfOrder++;
    highest.set(delivery.bizOrderNo, Math.max(delivery.id, highest.get(delivery.bizOrderNo) ?? 0));
  }
  return { neverDelivered: events.filter((event) => !first.has(event.id)).length, outOfOrder, duplicates, duplicatesWithoutCrash };
}
