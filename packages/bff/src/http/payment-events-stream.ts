import type { Request, Response } from 'express';
import { EVENT_OF_STATE } from '../payments/settlement.js';
import { publicState } from '../payments/state-machine.js';
import type { Checkout } from '../checkout/index.js';
import type { PaymentEventRecord } from '../store/types.js';
import { tooManyStreams } from '../checkout/rate-limits.js';

const POLL_MS = 1000;

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

/**
 * `GET …/payments/:bizOrderNo/events`: Server-Sent Events read from the event table, not from an in-process emitter, so
 * any instance can serve any payment. This process's own writes wake the stream at once; other processes' are picked up
 * by polling. The current state is sent on connect; `Last-Event-ID` resumes after the last event seen.
 */
export async function streamPaymentEvents(checkout: Checkout, req: Request, res: Response, bizOrderNo: string): Promise<void> {
  // Listen for the client leaving before anything is awaited: a client gone during set-up must not leave timers behind.
  let closed = false;
  const cleanups: (() => void)[] = [];
  const finish = () => {
    if (closed) return;
    closed = true;
    for (const cleanup of cleanups) cleanup();
  };
  req.once('close', finish);
  res.once('close', finish);

  const payment = await checkout.views.record(bizOrderNo);
  if (closed) return;
  const lastEventId = Number.parseInt(req.get('last-event-id') ?? '', 10);
  let after = Number.isFinite(lastEventId) && lastEventId >= 0 ? lastEventId : 0;

  res.status(200).set({
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    // nginx buffers responses by default, which would hold events back.
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();
  res.write('retry: 2000\n\n');

  const send = (id: number | undefined, data: Record<string, unknown>) => {
    res.write(`${id === undefined ? '' : `id: ${id}\n`}event: state\ndata: ${JSON.stringify(data)}\n\n`);
  };
  // One message per state change: the success's own event carries its settlement, so the refund events that follow it
  // (double_paid, amount_mismatch, amount_differs: for the merchant) are not sent again.
  const sendEvent = (event: PaymentEventRecord) => {
    if (event.state === 'created' || event.type !== EVENT_OF_STATE[event.state]) return;
    send(event.id, {
      bizOrderNo,
      state: publicState(event.state),
      at: event.createdAt,
      ...(event.message ? { message: event.message } : {}),
      ...(event.settlement ? { settlement: event.settlement } : {}),
    });
  };

  if (after === 0) {
    if (closed) return;
    // A fresh connection gets the current state, tagged with the newest event id so a reconnect resumes after it.
    const history = await checkout.context.store.listPaymentEvents(bizOrderNo, 0);
    after = history.at(-1)?.id ?? 0;
    send(after || undefined, {
      bizOrderNo,
      state: publicState(payment.state),
      ...(payment.state === 'success' && payment.settlement ? { settlement: payment.settlement } : {}),
      at: payment.updatedAt,
      ...(payment.state === 'failed' && payment.failureMessage ? { message: payment.failureMessage } : {}),
    });
  }

  let pumping = false;
  let pumpAgain = false;
  const pump = async () => {
    if (closed) return;
    if (pumping) {
      pumpAgain = true;
      return;
    }
    pumping = true;
    try {
      do {
        pumpAgain = false;
        for (const event of await checkout.context.store.listPaymentEvents(bizOrderNo, after)) {
          if (closed) return;
          sendEvent(event);
          after = event.id;
        }
      } while (pumpAgain && !closed);
    } catch {
      // The store is closing (shutdown): the client reconnects elsewhere.
    } finally {
      pumping = false;
    }
  };
  await pump();
  if (closed) return;

  const unsubscribe = checkout.onEventsWritten(() => void pump());
  const poll = setInterval(() => void pump(), POLL_MS);
  // Consumption failures are never notified (spec §3.7): while someone watches an open payment, keep asking the
  // platform (rate-limited by the reconciler), or the watcher would only learn of a failure at the next sweep.
  const refreshEvery = Math.max(checkout.config.reconciliation.onDemandSeconds, 2) * 1000;
  const refresh = setInterval(() => {
    void checkout.context.store
      .getPayment(bizOrderNo)
      .then((current) => current && checkout.reconciler.refreshIfDue(current))
      .catch(() => {});
  }, refreshEvery);
  const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
  cleanups.push(unsubscribe, () => clearInterval(poll), () => clearInterval(refresh), () => clearInterval(heartbeat));
}
