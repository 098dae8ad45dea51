import { setImmediate as nextTurn } from 'node:timers/promises';
import { isOpen, type PaymentState } from '../payments/state-machine.js';
import type { PaymentChangeListener, PaymentEventRecord } from '../store/types.js';
import type { CheckoutContext } from './context.js';

/** One watcher of a payment's event rows (an SSE stream), with its own cursor. */
export interface PaymentWatcher {
  /** The id of the last event row it has (Last-Event-ID); the feed moves it on as it hands rows over. */
  after: number;
  /** A row newer than `after`, oldest first. */
  take(event: PaymentEventRecord): void;
}

/** Something to run only while at least one payment is watched (a timer), so an idle instance holds none. */
export interface WhileWatching {
  start(): void;
  stop(): void;
}

export interface LiveStatusStats {
  /** Watchers (open event streams) of this instance. */
  readonly streams: number;
  /** Payments they watch: one subscription each. */
  readonly payments: number;
  /** Watched payments still open (created/pending) as last read. */
  readonly openPayments: number;
}

/** All watchers of one payment: they share one read of the event table per wake-up. */
class Subscription {
  readonly watchers = new Set<PaymentWatcher>();
  reading = false;
  /** Woken while reading: the rows committed meanwhile may not be in the read, so read once more. */
  again = false;

  constructor(public open: boolean) {}
}

/** Payments read per turn of the event loop when all are read (sweep, resume): the store's reads run on this thread. */
const READS_PER_TURN = 200;
/** Reads in flight at once when all are read: a few of the store's connections, never all of them. */
const SWEEP_READS_AT_ONCE = 4;

/**
 * The change feed of this instance: streams watch payments by bizOrderNo, and each payment is read from the event table
 * once per wake-up, whatever the number of its watchers, the rows fanned out to each. Wake-ups are this instance's own
 * committed writes (`eventsWritten`), the store's change watch where it has one (another process's writes), and a slow
 * sweep of every watched payment that catches what a missed wake-up left behind.
 */
export class PaymentChanges implements PaymentChangeListener {
  private readonly subscriptions = new Map<string, Subscription>();
  private watchers = 0;
  private readonly whileWatching: WhileWatching[] = [];
  private sweep: NodeJS.Timeout | undefined;
  private stopStoreWatch: (() => Promise<void>) | undefined;
  private startingStoreWatch: Promise<void> | undefined;
  private storeWatchFailed = false;
  private readingAll: Promise<void> | undefined;
  private readAllAgain = false;
  private closed = false;

  constructor(private readonly ctx: CheckoutContext) {}

  /** Starts the store's change watch, where the store has one; without it the sweep is the only news of other processes. */
  async start(): Promise<void> {
    await this.watchStore();
  }

  async stop(): Promise<void> {
    this.closed = true;
    this.stopTimers();
    for (const subscription of this.subscriptions.values()) subscription.watchers.clear();
    this.subscriptions.clear();
    this.watchers = 0;
    await this.startingStoreWatch;
    const stop = this.stopStoreWatch;
    this.stopStoreWatch = undefined;
    await stop?.().catch((error: unknown) => this.ctx.log('warn', 'stopping the payment change watch failed', { error: String(error) }));
  }

  /** Runs `task` while at least one payment is watched. */
  runWhileWatching(task: WhileWatching): void {
    this.whileWatching.push(task);
    if (this.subscriptions.size > 0) task.start();
  }

  /**
   * `watcher` gets the payment's rows after its `after` from now on, starting with a read of those already there. `state`
   * is the payment's state as the watcher last knew it (whether it is worth asking the platform about).
   */
  watch(bizOrderNo: string, state: PaymentState, watcher: PaymentWatcher): void {
    if (this.closed) return;
    let subscription = this.subscriptions.get(bizOrderNo);
    if (!subscription) {
      subscription = new Subscription(isOpen(state));
      this.subscriptions.set(bizOrderNo, subscription);
      if (this.subscriptions.size === 1) this.startTimers();
    }
    if (subscription.watchers.has(watcher)) return;
    subscription.watchers.add(watcher);
    this.watchers++;
    void this.read(bizOrderNo, subscription);
  }

  /** The last watcher of a payment leaving drops its subscription. */
  unwatch(bizOrderNo: string, watcher: PaymentWatcher): void {
    const subscription = this.subscriptions.get(bizOrderNo);
    if (!subscription?.watchers.delete(watcher)) return;
    this.watchers--;
    if (subscription.watchers.size > 0) return;
    this.subscriptions.delete(bizOrderNo);
    if (this.subscriptions.size === 0) this.stopTimers();
  }

  /** This instance committed event rows of these payments. */
  eventsWritten(bizOrderNos: readonly string[]): void {
    for (const bizOrderNo of bizOrderNos) this.changed(bizOrderNo);
  }

  /**
   * PaymentChangeListener: rows of this payment were committed, here or elsewhere. With the newest row's id, a payment
   * whose watchers all have it is not read again — this instance's own commits come back through the store's watch after
   * `eventsWritten` already read them.
   */
  changed(bizOrderNo: string, lastEventId?: number): void {
    const subscription = this.subscriptions.get(bizOrderNo);
    if (!subscription) return;
    if (lastEventId !== undefined && [...subscription.watchers].every((watcher) => watcher.after >= lastEventId)) return;
    void this.read(bizOrderNo, subscription);
  }

  /** PaymentChangeListener: the store's watch was down for a while; whatever changed meanwhile is read now. */
  resumed(): void {
    void this.readAll();
  }

  /** Watched payments that were open when last read: the ones worth asking the platform about. */
  *openPayments(): IterableIterator<string> {
    for (const [bizOrderNo, subscription] of this.subscriptions) if (subscription.open) yield bizOrderNo;
  }

  stats(): LiveStatusStats {
    let openPayments = 0;
    for (const subscription of this.subscriptions.values()) if (subscription.open) openPayments++;
    return { streams: this.watchers, payments: this.subscriptions.size, openPayments };
  }

  /** One read at a time per payment; a wake-up during a read makes one more, however many came. */
  private read(bizOrderNo: string, subscription: Subscription): Promise<void> {
    if (subscription.reading) {
      subscription.again = true;
      return Promise.resolve();
    }
    subscription.reading = true;
    return this.readRows(bizOrderNo, subscription);
  }

  private async readRows(bizOrderNo: string, subscription: Subscription): Promise<void> {
    try {
      do {
        subscription.again = false;
        let from = Number.POSITIVE_INFINITY;
        for (const watcher of subscription.watchers) from = Math.min(from, watcher.after);
        if (from === Number.POSITIVE_INFINITY) return;
        const rows = await this.ctx.store.listPaymentEvents(bizOrderNo, from);
        for (const row of rows) {
          for (const watcher of subscription.watchers) {
            // One that joined during the read, further back than it reached, gets its rows in order from the next read.
            if (watcher.after < from || row.id <= watcher.after) continue;
            watcher.after = row.id;
            watcher.take(row);
          }
        }
        const last = rows.at(-1);
        if (last) subscription.open = isOpen(last.state);
      } while (subscription.again && this.subscriptions.get(bizOrderNo) === subscription);
    } catch (error) {
      // The next wake-up or the sweep reads again; during shutdown the store is simply gone.
      if (!this.closed) this.ctx.log('warn', 'reading payment events for its streams failed', { bizOrderNo, error: String(error) });
    } finally {
      subscription.reading = false;
    }
  }

  /**
   * Every watched payment read again (sweep, resume), a few at a time: ten thousand watched payments must not queue ten
   * thousand reads at once in front of the API's own (a PostgreSQL pool has ten connections), on every instance at once
   * after a database restart. Asked again while one is under way (a resume: what it already read may have changed
   * since), another follows it.
   */
  private readAll(): Promise<void> {
    if (this.readingAll) {
      this.readAllAgain = true;
      return this.readingAll;
    }
    this.readingAll = (async () => {
      const queue = [...this.subscriptions];
      let read = 0;
      const reader = async () => {
        for (let next = queue.shift(); next && !this.closed; next = queue.shift()) {
          const [bizOrderNo, subscription] = next;
          if (this.subscriptions.get(bizOrderNo) !== subscription) continue;
          await this.read(bizOrderNo, subscription);
          // SQLite answers on this thread: let requests in between.
          if (++read % READS_PER_TURN === 0) await nextTurn();
        }
      };
      try {
        await Promise.all(Array.from({ length: SWEEP_READS_AT_ONCE }, reader));
      } finally {
        this.readingAll = undefined;
      }
      if (this.readAllAgain && !this.closed) {
        this.readAllAgain = false;
        await this.readAll();
      }
    })();
    return this.readingAll;
  }

  private startTimers(): void {
    const every = this.ctx.config.liveStatus.sweepSeconds * 1000;
    this.sweep = setInterval(() => {
      void this.readAll();
      // A watch that could not be started is tried again: until then the sweep is all there is.
      if (this.ctx.store.watchPaymentChanges && !this.stopStoreWatch) void this.watchStore();
    }, every).unref();
    for (const task of this.whileWatching) task.start();
  }

  private stopTimers(): void {
    clearInterval(this.sweep);
    this.sweep = undefined;
    for (const task of this.whileWatching) task.stop();
  }

  private watchStore(): Promise<void> {
    const watch = this.ctx.store.watchPaymentChanges;
    if (!watch || this.closed || this.stopStoreWatch) return Promise.resolve();
    this.startingStoreWatch ??= (async () => {
      try {
        const stop = await watch.call(this.ctx.store, this);
        if (this.closed) return void (await stop());
        this.stopStoreWatch = stop;
        // Changes committed while it was not live were not announced.
        if (this.storeWatchFailed) this.resumed();
        this.storeWatchFailed = false;
      } catch (error) {
        this.storeWatchFailed = true;
        this.ctx.log('warn', 'the payment change watch did not start: streams learn of other instances’ changes from the sweep', { error: String(error) });
      } finally {
        this.startingStoreWatch = undefined;
      }
    })();
    return this.startingStoreWatch;
  }
}
