import type { Request, Response } from 'express';
import { EVENT_OF_STATE } from '../payments/settlement.js';
import { publicState } from '../payments/state-machine.js';
import type { Checkout } from '../checkout/index.js';
import type { PaymentWatcher } from '../checkout/payment-changes.js';
import type { PaymentEventRecord, PaymentRecord } from '../store/types.js';
import { tooManyStreams } from '../checkout/rate-limits.js';

const HEARTBEAT_MS = 15_000;

/**
 * The event streams each client (IP) has open on this instance (`limits.openStreamsPerClient`). Counted in memory on
 * purpose: a stream is a live connection to this one instance, so its count here is the whole truth, and a restart
 * closes them all. A refused client polls the payment instead.
 */
export class StreamSlots {
  private readonly open = new Map<string, number>();

  constructor(private readonly perClient: number) {}

  /** A slot for `ip` until `res` closes; 429 `too_many_streams` when the client has all of its slots open. */
  take(ip: string, res: Response): void {
    const count = this.open.get(ip) ?? 0;
    if (count >= this.perClient) throw tooManyStreams();
    this.open.set(ip, count + 1);
    res.once('close', () => {
      const left = (this.open.get(ip) ?? 1) - 1;
      if (left > 0) this.open.set(ip, left);
      else this.open.delete(ip);
    });
  }
}

/** One open stream: a watcher of its payment in the instance's change feed. Kept small, there may be thousands. */
class EventStream implements PaymentWatcher {
  after = 0;
  /** Its headers are sent: it may get heartbeats. */
  live = false;
  /** Its payment is watched in the change feed. */
  watching = false;
  closed = false;

  constructor(
    readonly res: Response,
    readonly bizOrderNo: string,
  ) {}

  send(id: number | undefined, data: Record<string, unknown>): void {
    // A write after end() (a shutdown, before `close` came) would be an unhandled error event: the process would exit.
    if (this.res.writableEnded) return;
    this.res.write(`${id === undefined ? '' : `id: ${id}\n`}event: state\ndata: ${JSON.stringify(data)}\n\n`);
  }

  // One message per state change: the success's own event carries its settlement, so the refund events that follow it
  // (double_paid, amount_mismatch, amount_differs: for the merchant) are not sent again.
  take(event: PaymentEventRecord): void {
    if (this.closed || event.state === 'created' || event.type !== EVENT_OF_STATE[event.state]) return;
    this.send(event.id, {
      bizOrderNo: this.bizOrderNo,
      state: publicState(event.state),
      at: event.createdAt,
      ...(event.message ? { message: event.message } : {}),
      ...(event.settlement ? { settlement: event.settlement } : {}),
    });
  }
}

/**
 * `GET …/payments/:bizOrderNo/events`: Server-Sent Events read from the event table, not from an in-process emitter, so
 * any instance can serve any payment. The streams watch their payments through the instance's change feed
 * (checkout/payment-changes.ts), which reads each payment once per change for all of its streams; one heartbeat timer
 * serves every stream. The current state is sent on connect; `Last-Event-ID` resumes after the last event seen.
 */
export class PaymentEventStreams {
  private readonly open = new Set<EventStream>();
  private heartbeat: NodeJS.Timeout | undefined;

  constructor(private readonly checkout: Checkout) {}

  async serve(req: Request, res: Response, bizOrderNo: string): Promise<void> {
    // Listen for the client leaving before anything is awaited: a client gone during set-up must not be watched.
    const stream = new EventStream(res, bizOrderNo);
    this.open.add(stream);
    res.once('close', () => this.closed(stream));

    const payment = await this.checkout.views.record(bizOrderNo);
    // Ended by a shutdown during set-up: its `close` may not have come yet.
    if (stream.closed || res.writableEnded) return;
    const lastEventId = Number.parseInt(req.get('last-event-id') ?? '', 10);
    stream.after = Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : 0;

    res.status(200).set({
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      // nginx buffers responses by default, which would hold events back.
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    res.write('retry: 2000\n\n');
    stream.live = true;
    this.startHeartbeat();

    try {
      await this.start(stream, payment);
    } catch (error) {
      // The headers are out: no error answer can follow. The client reconnects (`retry:`), with its Last-Event-ID.
      this.checkout.context.log('warn', 'an event stream could not start', { bizOrderNo, error: String(error) });
      res.end();
    }
  }

  private async start(stream: EventStream, payment: PaymentRecord): Promise<void> {
    const { bizOrderNo, res } = stream;
    if (stream.after === 0) {
      // A fresh connection gets the current state, tagged with the newest event id so a reconnect resumes after it. The
      // events are read before the payment: a change committed in between is then in the state sent (and sent once more
      // by the feed), never tagged as seen while the state sent is older.
      const history = await this.checkout.context.store.listPaymentEvents(bizOrderNo, 0);
      const current = (await this.checkout.context.store.getPayment(bizOrderNo)) ?? payment;
      if (stream.closed || res.writableEnded) return;
      stream.after = history.at(-1)?.id ?? 0;
      stream.send(stream.after || undefined, {
        bizOrderNo,
        state: publicState(current.state),
        ...(current.state === 'success' && current.settlement ? { settlement: current.settlement } : {}),
        at: current.updatedAt,
        ...(current.state === 'failed' && current.failureMessage ? { message: current.failureMessage } : {}),
      });
    }
    // The feed reads what came after `after` at once (rows committed during set-up), then on every change.
    stream.watching = true;
    this.checkout.changes.watch(bizOrderNo, payment.state, stream);
  }

  /** Ends every open stream (shutdown): the clients reconnect, to another instance or to this one once it is back. */
  endAll(): void {
    for (const stream of [...this.open]) {
      stream.res.end();
      this.closed(stream);
    }
  }

  private closed(stream: EventStream): void {
    if (stream.closed) return;
    stream.closed = true;
    this.open.delete(stream);
    if (stream.watching) this.checkout.changes.unwatch(stream.bizOrderNo, stream);
    if (this.open.size === 0) this.stopHeartbeat();
  }

  private startHeartbeat(): void {
    this.heartbeat ??= setInterval(() => {
      for (const stream of this.open) if (stream.live && !stream.res.writableEnded) stream.res.write(': heartbeat\n\n');
    }, HEARTBEAT_MS).unref();
  }

  private stopHeartbeat(): void {
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
  }
}
