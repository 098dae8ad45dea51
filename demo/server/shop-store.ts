import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface ShopOrderLine {
  readonly productId: string;
  readonly name: string;
  /** fen, the price when the order was placed */
  readonly unitPrice: number;
  readonly quantity: number;
}

/** A shop order. Immutable once placed except for the paid marker: a changed cart becomes a new order. */
export interface ShopOrder {
  /** `SO-<CST date>-<n>`, the merchantOrderId the checkout uses. */
  readonly id: string;
  /** The shopper (cookie) it belongs to. */
  readonly shopperId: string;
  readonly lines: readonly ShopOrderLine[];
  /** fen: the sum of the lines, computed here. */
  readonly amount: number;
  readonly createdAt: string;
  paidAt: string | null;
  paidBizOrderNo: string | null;
  paidMethod: string | null;
  /** A counter sale (the cashier page): the walk-in member paying it, and its payments' last known states. */
  counter?: { readonly payerBizUserId: string; payments: Record<string, string> };
}

interface ShopData {
  readonly version: 1;
  /** Last order number used per CST date (YYYYMMDD). */
  sequences: Record<string, number>;
  orders: ShopOrder[];
  /**
   * The payment events already handled (onPaymentEvent is at-least-once), as `<event id>:<bizOrderNo>`: event ids are
   * unique within one BFF database, and the demo starts the BFF's database afresh with each sandbox.
   */
  handledEvents: string[];
}

const empty = (): ShopData => ({ version: 1, sequences: {}, orders: [], handledEvents: [] });

/** `YYYYMMDD` of the date in China Standard Time (UTC+8, no daylight saving). */
export function cstDate(now: Date): string {
  return new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '');
}

/**
 * The shop's orders in one JSON file, written atomically (temporary file + rename) after every change, so a restart keeps
 * them. Single process, synchronous: small and simple, as a demo store should be.
 */
export class ShopStore {
  private readonly data: ShopData;

  constructor(private readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    this.data = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as ShopData) : empty();
    if (this.data.version !== 1) throw new Error(`${file}: unknown shop data version`);
    // Before the keys named the payment, the first demo builds kept bare event ids: they cannot be matched any more.
    delete (this.data as { handledEventIds?: unknown }).handledEventIds;
    this.data.handledEvents ??= [];
  }

  private save(): void {
    const temporary = `${this.file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(this.data, null, 2)}\n`);
    renameSync(temporary, this.file);
  }

  get(id: string): ShopOrder | undefined {
    return this.data.orders.find((order) => order.id === id);
  }

  /** The shopper's orders, newest first. */
  listFor(shopperId: string): ShopOrder[] {
    return this.data.orders.filter((order) => order.shopperId === shopperId).reverse();
  }

  create(shopperId: string, lines: readonly ShopOrderLine[], now: Date): ShopOrder {
    const date = cstDate(now);
    const n = (this.data.sequences[date] ?? 0) + 1;
    this.data.sequences[date] = n;
    const order: ShopOrder = {
      id: `SO-${date}-${n}`,
      shopperId,
      lines: lines.map((line) => ({ ...line })),
      amount: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0),
      createdAt: now.toISOString(),
      paidAt: null,
      paidBizOrderNo: null,
      paidMethod: null,
    };
    this.data.orders.push(order);
    this.save();
    return order;
  }

  /** A counter sale of `amount` fen, entered by a signed-in member of staff, paid by the walk-in member given. */
  createCounterOrder(amount: number, payerBizUserId: string, now: Date): ShopOrder {
    const date = cstDate(now);
    const n = (this.data.sequences[date] ?? 0) + 1;
    this.data.sequences[date] = n;
    const order: ShopOrder = {
      id: `SO-${date}-${n}`,
      // No shopper: a counter sale is seen and paid only through the cashier page.
      shopperId: '',
      lines: [{ productId: 'counter', name: '门店收款', unitPrice: amount, quantity: 1 }],
      amount,
      createdAt: now.toISOString(),
      paidAt: null,
      paidBizOrderNo: null,
      paidMethod: null,
      counter: { payerBizUserId, payments: {} },
    };
    this.data.orders.push(order);
    this.save();
    return order;
  }

  /** Counter sales, oldest first. */
  counterOrders(): { readonly id: string; readonly payerBizUserId: string; readonly createdAt: string; readonly payments: Readonly<Record<string, string>> }[] {
    return this.data.orders.flatMap((order) => (order.counter ? [{ id: order.id, createdAt: order.createdAt, ...order.counter }] : []));
  }

  /** What became of a payment of a counter sale (what the walk-in member's daily count is made of). */
  recordCounterPayment(orderId: string, bizOrderNo: string, state: string): void {
    const order = this.get(orderId);
    if (!order?.counter) return;
    order.counter.payments[bizOrderNo] = state;
    this.save();
  }

  /** Runs `handle` once per event; returns false when the event was handled before. */
  handleEventOnce(event: { readonly id: number; readonly bizOrderNo: string }, handle: () => void): boolean {
    const key = `${event.id}:${event.bizOrderNo}`;
    if (this.data.handledEvents.includes(key)) return false;
    handle();
    this.data.handledEvents.push(key);
    this.save();
    return true;
  }

  markPaid(id: string, fields: { bizOrderNo: string; method: string; at: string }): ShopOrder | undefined {
    const order = this.get(id);
    if (!order || order.paidAt) return order;
    order.paidAt = fields.at;
    order.paidBizOrderNo = fields.bizOrderNo;
    order.paidMethod = fields.method;
    this.save();
    return order;
  }
}
