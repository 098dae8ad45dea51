import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi } from '../api/checkout-api.js';
import type { ClientEnvironment, PaymentState, PaymentView, Settlement } from '../api/types.js';
import { CountdownController } from '../controllers/countdown-controller.js';
import { PaymentStatusController } from '../controllers/payment-status-controller.js';
import { emit } from '../events.js';
import type { MessageKey } from '../i18n/messages.js';
import { resultView } from '../components/result/result-view.js';
import { successResult, type ResultKind } from '../components/result/settlement.js';
import { TsyElement } from './tsy-element.js';

/** What the payer sees: `waiting` for them to pay, or where the payment ended. */
export type PaymentWaitStatus = 'waiting' | 'success' | 'failed' | 'expired';

const COPIED_FEEDBACK_MS = 2000;

/** The countdown is spoken when this changes: each whole minute, then at 1 minute and at 30 seconds. */
function speechMark(seconds: number): number {
  if (seconds <= 30) return 30;
  if (seconds <= 60) return 60;
  return Math.ceil(seconds / 60) * 60;
}

/** The words a waiting flow uses for its countdown, its expiry and a copy that did not work. */
export interface WaitTerms {
  readonly secondsLeftSpoken: MessageKey;
  readonly minuteLeftSpoken: MessageKey;
  readonly minutesLeftSpoken: MessageKey;
  readonly expiredDetail: MessageKey;
  readonly copyFailed: MessageKey;
}

/**
 * What a flow that waits for the payer to act elsewhere shares (a QR to scan, a code to type into a POS terminal): the
 * payment's amount and method, a countdown to its expiry in server time (spoken at sensible moments, never every second),
 * its live state from the BFF (SSE with a polling fallback) until final, a copy button, and the result. A countdown that
 * ends first only shows "expired": the BFF decides, and a late success still wins.
 */
export abstract class PaymentWaitElement extends TsyElement {
  /** Base URL of the BFF's checkout API; the live state of the payment comes from there. */
  @property() api = '/api/checkout';
  /** A client to use instead of building one from `api`. */
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  /** The payment as the BFF returned it: sets every field below and the state it is in, in one assignment. */
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** The payment to watch. */
  @property({ attribute: 'biz-order-no' }) bizOrderNo = '';
  /** The amount in fen. */
  @property({ type: Number }) amount: number | undefined;
  /** The kit method (e.g. `SCAN_WEIXIN`): shown by name. */
  @property() method = '';
  /** When the payment expires (ISO 8601, server time). */
  @property({ attribute: 'expires-at' }) expiresAt = '';
  /** The server's clock when the payment was read (ISO 8601): corrects a wrong client clock. */
  @property({ attribute: 'server-time' }) serverTime = '';
  /** `desktop`, `mobile`, `wechat` or `alipay`; defaults to the payment's (the BFF's word). */
  @property() environment: ClientEnvironment | undefined;
  /** Where the payment is, as the payer sees it (read only; reflected for styling). */
  @property({ reflect: true }) status: PaymentWaitStatus = 'waiting';

  @state() protected failureMessage = '';
  @state() protected announcement = '';
  @state() protected copyState: 'idle' | 'copied' | 'failed' = 'idle';

  protected abstract readonly terms: WaitTerms;
  /** What the payer has to act on, from the payment's action (the QR's text, the POS code). */
  protected abstract adoptAction(payment: PaymentView): void;
  /** The waiting view: what to scan or type, under the amount. */
  protected abstract renderWaiting(): TemplateResult;
  /** The text the copy button copies. */
  protected abstract get copyText(): string;

  protected readonly countdown = new CountdownController(this, () => this.onExpire());
  private readonly live = new PaymentStatusController(this, { onState: (state, message, settlement) => this.onServerState(state, message, settlement) });
  /** What the BFF last said (or the payment it was given), undefined before it said anything. */
  private serverState: PaymentState | undefined;
  /** With a success: what it did to the order (the BFF's word). */
  private settlement: Settlement | undefined;
  /** The countdown ended before the BFF said anything final. */
  private localExpired = false;
  /** The local clock when `serverTime` arrived. */
  private receivedAt = Date.now();
  private spokenMark = 0;
  private ownClient: CheckoutApi | undefined;
  private copyTimer: ReturnType<typeof setTimeout> | undefined;
  private hadFocus = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // The controllers stop when the element is removed; moved elsewhere in the page, it carries on.
    if (this.hasUpdated) {
      this.watch();
      this.startCountdown();
    }
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.copyTimer);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const newPayment = changed.has('payment') && this.payment !== undefined;
    if (newPayment) this.adopt(this.payment!);
    if (changed.has('bizOrderNo') || newPayment) {
      this.localExpired = false;
      this.copyState = 'idle';
      if (!newPayment) {
        this.serverState = undefined;
        this.settlement = undefined;
        this.failureMessage = '';
      }
    }
    if (changed.has('serverTime') || newPayment) this.receivedAt = Date.now();
    this.updateStatus();
    if (changed.has('bizOrderNo') || newPayment || changed.has('api') || changed.has('apiClient')) this.watch();
    if (changed.has('bizOrderNo') || newPayment || changed.has('expiresAt') || changed.has('serverTime')) this.startCountdown();
    this.speakCountdown();
    this.hadFocus = this.matches(':focus-within');
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The button that had focus is gone with the waiting view: hand focus to the one thing left to do.
    if (changed.has('status') && this.status === 'expired' && this.hadFocus) {
      this.renderRoot.querySelector<HTMLButtonElement>('[part="refresh-button"]')?.focus();
    }
  }

  private adopt(payment: PaymentView): void {
    this.bizOrderNo = payment.bizOrderNo;
    this.adoptAction(payment);
    this.amount = payment.amount;
    this.method = payment.method;
    this.expiresAt = payment.expiresAt;
    this.serverTime = payment.serverTime;
    this.serverState = payment.state;
    this.settlement = payment.settlement ?? undefined;
    this.failureMessage = payment.failure?.message ?? '';
  }

  private get client(): CheckoutApi | undefined {
    if (this.apiClient) return this.apiClient;
    if (!this.api) return undefined;
    if (this.ownClient?.base !== this.api) this.ownClient = new CheckoutApi(this.api, () => this.localize.locale);
    return this.ownClient;
  }

  /** Follows the payment's state while it can still change. */
  private watch(): void {
    const client = this.client;
    const final = this.serverState !== undefined && this.serverState !== 'pending';
    if (this.isConnected && client && this.bizOrderNo && !final) this.live.watch(client, this.bizOrderNo);
    else this.live.stop();
  }

  private startCountdown(): void {
    if (this.status === 'waiting' && this.expiresAt) this.countdown.start(this.expiresAt, this.serverTime, this.receivedAt);
    else this.countdown.stop();
    this.spokenMark = speechMark(this.countdown.remaining);
  }

  private onServerState(state: PaymentState, message?: string, settlement?: Settlement): void {
    this.serverState = state;
    if (state === 'failed') this.failureMessage = message ?? '';
    if (state === 'success') this.settlement = settlement;
    this.updateStatus();
    if (state !== 'pending') emit(this, 'tsy-payment-state', { bizOrderNo: this.bizOrderNo, state });
  }

  private onExpire(): void {
    this.localExpired = true;
    this.updateStatus();
  }

  private updateStatus(): void {
    const s = this.serverState;
    const next: PaymentWaitStatus =
      s === 'success' ? 'success' : s === 'failed' ? 'failed' : s === 'expired' || s === 'closed' || this.localExpired ? 'expired' : 'waiting';
    if (next === this.status) return;
    this.status = next;
    if (next !== 'waiting') this.countdown.stop();
    if (this.hasUpdated) this.announce(this.statusText(next).slice(1).join(' '));
  }

  private statusText(status: PaymentWaitStatus): [kind: ResultKind, title: string, detail: string] {
    const t = (key: MessageKey) => this.localize.term(key);
    switch (status) {
      case 'success':
        return successResult(this.localize, this.settlement);
      case 'failed':
        return ['failed', t('failed'), this.failureMessage];
      case 'expired':
        return ['expired', t('expired'), t(this.terms.expiredDetail)];
      default:
        // Announced only: while waiting there is no result view, so the kind is never drawn.
        return ['success', t('waiting'), ''];
    }
  }

  /** One polite live region for everything; the same text twice is made different so it is spoken again. */
  protected announce(text: string): void {
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
  }

  /** Speaks the time left when it crosses a mark (each minute, 1 minute, 30 s), never every second. */
  private speakCountdown(): void {
    if (this.status !== 'waiting' || !this.countdown.running) return;
    const mark = speechMark(this.countdown.remaining);
    if (mark >= this.spokenMark) return;
    this.spokenMark = mark;
    const { secondsLeftSpoken, minuteLeftSpoken, minutesLeftSpoken } = this.terms;
    this.announce(
      mark === 30
        ? this.localize.term(secondsLeftSpoken, { seconds: 30 })
        : mark === 60
          ? this.localize.term(minuteLeftSpoken)
          : this.localize.term(minutesLeftSpoken, { minutes: mark / 60 }),
    );
  }

  protected async copy(): Promise<void> {
    clearTimeout(this.copyTimer);
    try {
      await navigator.clipboard.writeText(this.copyText);
      this.copyState = 'copied';
      this.announce(this.localize.term('copied'));
      this.copyTimer = setTimeout(() => (this.copyState = 'idle'), COPIED_FEEDBACK_MS);
    } catch {
      // No clipboard (insecure page, permission refused): show the text, selected, to copy by hand.
      this.copyState = 'failed';
      this.announce(this.localize.term(this.terms.copyFailed));
      await this.updateComplete;
      const input = this.renderRoot.querySelector<HTMLInputElement>('.manual input');
      input?.focus();
      input?.select();
    }
  }

  private refresh(): void {
    emit(this, 'tsy-refresh', {});
  }

  /** The countdown line, while it runs. */
  protected renderCountdown(): TemplateResult | typeof nothing {
    if (!this.countdown.running) return nothing;
    const remaining = this.countdown.remaining;
    return html`<p part="countdown" class=${remaining <= 60 ? 'urgent' : ''}>${this.localize.term('time_left', { time: this.localize.duration(remaining) })}</p>`;
  }

  protected override render(): TemplateResult {
    return html`<div part="base">
      <div class="summary">
        ${this.method ? html`<p class="method">${this.localize.methodName(this.method)}</p>` : nothing}
        ${this.amount !== undefined ? html`<p part="amount">${this.localize.money(this.amount)}</p>` : nothing}
      </div>
      ${this.status === 'waiting' ? this.renderWaiting() : this.renderResult()}
      <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">${this.announcement}</div>
    </div>`;
  }

  private renderResult(): TemplateResult {
    const status = this.status;
    // No role: the element's one live region speaks the result.
    return html`${resultView(...this.statusText(status))}
      ${status === 'expired'
        ? html`<div part="actions">
            <button part="refresh-button" class="primary" type="button" @click=${this.refresh}>${this.localize.term('refresh')}</button>
          </div>`
        : nothing}`;
  }
}
