import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { CheckoutApi } from '../api/checkout-api.js';
import type { PaymentState, PaymentStateMessage, Settlement } from '../api/types.js';

const FAST_POLL_MS = 2000;
const SLOW_POLL_MS = 10_000;
const SLOW_AFTER_MS = 60_000;
/** The BFF sends the current state as soon as the stream opens; silence this long means a proxy holds the stream back. */
const FIRST_MESSAGE_MS = 5000;

interface Target {
  readonly api: CheckoutApi;
  readonly bizOrderNo: string;
}

export interface PaymentStatusOptions {
  /** Called on every state the BFF reports (also repeats); a success comes with its settlement. */
  readonly onState: (state: PaymentState, message?: string, settlement?: Settlement) => void;
  /** The clock that decides when polling slows down (tests move it forward). */
  readonly now?: () => number;
  /** Tests force the fallback. */
  readonly useEventSource?: boolean;
}

/**
 * The live state of one payment, from the BFF only: the SSE stream when it works, otherwise polling — a recursive timeout
 * (never two requests in flight), every 2 s, every 10 s after the first minute. Stops at a final state, on `stop()` and
 * when the host disconnects.
 */
export class PaymentStatusController implements ReactiveController {
  state: PaymentState | undefined;
  private target: Target | undefined;
  /** One per watch: aborting it cancels the request in flight and tells every callback of that watch to stand down. */
  private run: AbortController | undefined;
  private source: EventSource | undefined;
  /** The one pending timeout: the next poll, or (while streaming) the wait for the stream's first message. */
  private timer: ReturnType<typeof setTimeout> | undefined;
  private startedAt = 0;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly options: PaymentStatusOptions,
  ) {
    host.addController(this);
  }

  private get now(): number {
    return (this.options.now ?? Date.now)();
  }

  /** The payment being watched, until it reaches a final state or `stop()`. */
  get bizOrderNo(): string | undefined {
    return this.target?.bizOrderNo;
  }

  watch(api: CheckoutApi, bizOrderNo: string): void {
    this.stop();
    const run = new AbortController();
    this.run = run;
    const target = { api, bizOrderNo };
    this.target = target;
    this.state = undefined;
    this.startedAt = this.now;
    const useSse = (this.options.useEventSource ?? true) && typeof EventSource !== 'undefined';
    if (useSse) this.listen(target, run);
    else void this.poll(target, run);
  }

  stop(): void {
    this.target = undefined;
    this.run?.abort();
    this.run = undefined;
    this.source?.close();
    this.source = undefined;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  hostDisconnected(): void {
    this.stop();
  }

  private apply(state: PaymentState, message?: string, settlement?: Settlement): void {
    this.state = state;
    if (state !== 'pending') this.stop();
    this.options.onState(state, message, settlement);
    this.host.requestUpdate();
  }

  private listen(target: Target, run: AbortController): void {
    const source = target.api.events(target.bizOrderNo);
    this.source = source;
    const fallBack = () => {
      if (run.signal.aborted || this.source !== source) return;
      source.close();
      this.source = undefined;
      clearTimeout(this.timer);
      void this.poll(target, run);
    };
    this.timer = setTimeout(fallBack, FIRST_MESSAGE_MS);
    source.addEventListener('state', (event) => {
      if (run.signal.aborted) return;
      clearTimeout(this.timer);
      let data: PaymentStateMessage;
      try {
        data = JSON.parse((event as MessageEvent<string>).data) as PaymentStateMessage;
      } catch {
        return;
      }
      if (data.bizOrderNo === target.bizOrderNo) this.apply(data.state, data.message, data.settlement);
    });
    // A stream the browser will not retry (an HTTP error, a wrong content type) ends CLOSED: fall back to polling. A dropped
    // connection is retried by the browser itself, and the BFF sends the current state again on reconnect.
    source.addEventListener('error', () => {
      if (source.readyState === EventSource.CLOSED) fallBack();
    });
  }

  private async poll(target: Target, run: AbortController): Promise<void> {
    this.timer = undefined;
    try {
      const payment = await target.api.getPayment(target.bizOrderNo, run.signal);
      if (run.signal.aborted) return;
      this.apply(payment.state, payment.failure?.message ?? undefined, payment.settlement ?? undefined);
    } catch {
      // Offline for a moment: keep polling; the next answer tells the truth.
    }
    // Aborted by stop(), a new watch, disconnection or a final state (apply stops): no next poll.
    if (run.signal.aborted) return;
    this.timer = setTimeout(() => void this.poll(target, run), this.now - this.startedAt >= SLOW_AFTER_MS ? SLOW_POLL_MS : FAST_POLL_MS);
  }
}
