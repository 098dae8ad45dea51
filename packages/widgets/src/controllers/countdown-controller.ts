import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * Seconds left until a deadline given in server time. The client's clock may be wrong by minutes, so the offset between
 * the server's `serverTime` and the local clock at the moment it arrived is applied to every reading.
 *
 * The host is updated each time the whole number of seconds left changes (timers aligned to the deadline, not to the
 * moment `start` was called), so the display changes on time and `onExpire` fires when the deadline passes, not up to a
 * second later. Stops when the host disconnects.
 */
export class CountdownController implements ReactiveController {
  private deadline = Number.NaN;
  private offsetMs = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly host: ReactiveControllerHost,
    private readonly onExpire: () => void = () => {},
    private readonly now: () => number = () => Date.now(),
  ) {
    host.addController(this);
  }

  /**
   * Starts counting to `expiresAt` (ISO), with `serverTime` (ISO) the server's clock when the answer was made, and
   * `receivedAt` the local clock when it arrived (default: now). An unreadable `expiresAt` counts nothing and never
   * expires; an unreadable `serverTime` trusts the local clock.
   */
  start(expiresAt: string, serverTime: string, receivedAt: number = this.now()): void {
    this.stop();
    const server = Date.parse(serverTime);
    this.deadline = Date.parse(expiresAt);
    this.offsetMs = Number.isFinite(server) ? server - receivedAt : 0;
    if (Number.isFinite(this.deadline)) this.tick();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get running(): boolean {
    return this.timer !== undefined;
  }

  /** The server's clock now, as far as this client can tell. */
  serverNow(): number {
    return this.now() + this.offsetMs;
  }

  /** Whole seconds left (0 once expired, and without a deadline). */
  get remaining(): number {
    if (!Number.isFinite(this.deadline)) return 0;
    return Math.max(0, Math.ceil((this.deadline - this.serverNow()) / 1000));
  }

  private tick(): void {
    this.timer = undefined;
    this.host.requestUpdate();
    const msLeft = this.deadline - this.serverNow();
    if (msLeft <= 0) {
      this.onExpire();
      return;
    }
    // The next moment `remaining` changes: ceil(msLeft / 1000) drops when msLeft reaches the whole second below.
    this.timer = setTimeout(() => this.tick(), msLeft % 1000 || 1000);
  }

  hostDisconnected(): void {
    this.stop();
  }
}
