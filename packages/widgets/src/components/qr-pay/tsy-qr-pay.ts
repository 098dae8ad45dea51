import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { ClientEnvironment, PaymentState, PaymentView, Settlement } from '../../api/types.js';
import { CountdownController } from '../../controllers/countdown-controller.js';
import { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { tokens } from '../../styles/tokens.js';
import { resultView } from '../result/result-view.js';
import { successResult, type ResultKind } from '../result/settlement.js';
import { resultStyles } from '../result/result-view.styles.js';
import { qrPayStyles } from './tsy-qr-pay.styles.js';

/** What the payer sees: `waiting` for a scan, or where the payment ended. */
export type QrPayStatus = 'waiting' | 'success' | 'failed' | 'expired';

/** Light modules around the symbol: the quiet zone the QR standard asks for, so a dark page around it cannot confuse a scanner. */
const QUIET_ZONE = 4;
/** Schemes an "open app" link may have: the web, and the wallets' own. Anything else (javascript:, data:) gets no link. */
const APP_SCHEMES = new Set(['https:', 'http:', 'weixin:', 'alipays:', 'alipay:', 'upwallet:', 'mqqapi:']);
const COPIED_FEEDBACK_MS = 2000;

type QrEncoder = typeof import('qrcode');
let encoder: Promise<QrEncoder> | undefined;

/** The QR encoder: a chunk of its own, fetched on first use only (CommonJS, so bundlers may put it on `default`). */
function loadEncoder(): Promise<QrEncoder> {
  if (!encoder) {
    encoder = import('qrcode').then((m) => (m as QrEncoder & { default?: QrEncoder }).default ?? m);
    // A failed fetch (offline for a moment) is tried again by the next QR.
    encoder.catch(() => (encoder = undefined));
  }
  return encoder;
}

/** The dark modules as one path: a 1-module-high rectangle per horizontal run, offset by the quiet zone. */
function modulePath(modules: { readonly size: number; get(row: number, col: number): number }): string {
  const parts: string[] = [];
  for (let y = 0; y < modules.size; y++) {
    for (let x = 0; x < modules.size; ) {
      if (!modules.get(y, x)) {
        x++;
        continue;
      }
      const start = x;
      while (x < modules.size && modules.get(y, x)) x++;
      parts.push(`M${start + QUIET_ZONE} ${y + QUIET_ZONE}h${x - start}v1h-${x - start}z`);
    }
  }
  return parts.join('');
}

/** `payInfo` as a link, when it is one a payer may follow. */
function appLink(payInfo: string): string | undefined {
  let url: URL;
  try {
    url = new URL(payInfo);
  } catch {
    return undefined;
  }
  return APP_SCHEMES.has(url.protocol) ? url.href : undefined;
}

/** The countdown is spoken when this changes: each whole minute, then at 1 minute and at 30 seconds. */
function speechMark(seconds: number): number {
  if (seconds <= 30) return 30;
  if (seconds <= 60) return 60;
  return Math.ceil(seconds / 60) * 60;
}


/**
 * A QR payment: the QR to scan with the payer's wallet, the amount, a countdown to the payment's expiry (in server time)
 * and its live state from the BFF (SSE, with a polling fallback), until it succeeds, fails or expires.
 *
 * Give it a payment in one assignment (`el.payment = paymentView`, as `<tsy-checkout>` does), or use it standalone through
 * attributes: `biz-order-no`, `pay-info`, `amount` (fen), `method`, `expires-at`, `server-time`. While connected it watches
 * the payment through `api` (or `apiClient`; `api=""` and no client: no live state), and stops when removed. The QR
 * encoder is a chunk of its own, loaded when the first QR is drawn; `await el.updateComplete` waits for the QR too.
 *
 * @summary A QR to scan, the amount, a countdown and the payment's live state, until it succeeds, fails or expires.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a state the payment cannot leave (success, failed,
 * expired, closed). A countdown that ends first only shows "expired": the BFF decides, and a late success still wins.
 * @event tsy-refresh - `{}` when the payer asks for a new QR after expiry; the listener creates a new payment and assigns it.
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The amount to pay.
 * @csspart qr - The box around the QR (role="img").
 * @csspart countdown - The time left.
 * @csspart status - The waiting line, or the result (success, failure, expiry).
 * @csspart actions - The row of buttons.
 * @csspart copy-button - Copies the payment link.
 * @csspart open-app - Opens the wallet app with the payment link (mobile only).
 * @csspart refresh-button - Asks for a new QR after expiry.
 *
 * @cssprop --tsy-qr-size - Width and height of the QR box, quiet zone included (default 200px).
 * @cssprop --tsy-qr-color - Colour of the QR's modules (default #000; keep it dark).
 * @cssprop --tsy-qr-background - Background of the QR box (default #fff; keep it light).
 * @cssprop --tsy-color-primary - The "open app" link and focus rings.
 * @cssprop --tsy-color-background - Background.
 * @cssprop --tsy-color-text - Text colour.
 * @cssprop --tsy-color-text-muted - Secondary text.
 * @cssprop --tsy-color-success - The success icon.
 * @cssprop --tsy-color-danger - The failure icon and the last minute of the countdown.
 * @cssprop --tsy-radius - Corner radius.
 * @cssprop --tsy-spacing - Base spacing unit.
 */
export class TsyQrPay extends TsyElement {
  static override styles = [tokens, qrPayStyles, resultStyles];

  /** Base URL of the BFF's checkout API; the live state of the payment comes from there. */
  @property() api = '/api/checkout';
  /** A client to use instead of building one from `api`. */
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  /**
   * The payment as the BFF returned it (`action.type` `qr`): sets `bizOrderNo`, `payInfo`, `amount`, `method`,
   * `expiresAt`, `serverTime` and the state it is in, in one assignment.
   */
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** The payment to watch. */
  @property({ attribute: 'biz-order-no' }) bizOrderNo = '';
  /** The QR's text (the platform's `payInfo`). */
  @property({ attribute: 'pay-info' }) payInfo = '';
  /** The amount in fen. */
  @property({ type: Number }) amount: number | undefined;
  /** The kit method (e.g. `SCAN_WEIXIN`): shown by name. */
  @property() method = '';
  /** When the QR expires (ISO 8601, server time). */
  @property({ attribute: 'expires-at' }) expiresAt = '';
  /** The server's clock when the payment was read (ISO 8601): corrects a wrong client clock. */
  @property({ attribute: 'server-time' }) serverTime = '';
  /**
   * The app that scans the QR: `wechat`, `alipay`, `unionpay`, `qq` — the method's `wallet` as the BFF lists it
   * (`<tsy-checkout>` passes it on). Without one, the QR is "for your payment app".
   */
  @property() wallet: string | undefined;
  /** `desktop`, `mobile`, `wechat` or `alipay`; defaults to what the user agent says. Away from a desktop, an "open app" link is offered. */
  @property() environment: ClientEnvironment | undefined;
  /** Where the payment is, as the payer sees it (read only; reflected for styling). */
  @property({ reflect: true }) status: QrPayStatus = 'waiting';

  @state() private qr: { readonly size: number; readonly path: string } | undefined;
  @state() private qrFailed = false;
  @state() private failureMessage = '';
  @state() private announcement = '';
  @state() private copyState: 'idle' | 'copied' | 'failed' = 'idle';

  private readonly countdown = new CountdownController(this, () => this.onExpire());
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
  private qrTask: Promise<void> | undefined;
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

  /** Also waits for the QR to be drawn (the encoder is a lazy chunk). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.qrTask) return done;
    await this.qrTask;
    return super.getUpdateComplete();
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
    if (changed.has('payInfo')) this.encode();
    this.updateStatus();
    if (changed.has('bizOrderNo') || newPayment || changed.has('api') || changed.has('apiClient')) this.watch();
    if (changed.has('bizOrderNo') || newPayment || changed.has('expiresAt') || changed.has('serverTime')) this.startCountdown();
    this.speakCountdown();
    this.hadFocus = this.matches(':focus-within');
  }

  protected override updated(changed: PropertyValues<this>): void {
    // The button that had focus is gone with the QR view: hand focus to the one thing left to do.
    if (changed.has('status') && this.status === 'expired' && this.hadFocus) {
      this.renderRoot.querySelector<HTMLButtonElement>('[part="refresh-button"]')?.focus();
    }
  }

  /** Takes the fields of a PaymentView. */
  private adopt(payment: PaymentView): void {
    this.bizOrderNo = payment.bizOrderNo;
    this.payInfo = payment.action?.type === 'qr' ? payment.action.payInfo : '';
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
    const next: QrPayStatus =
      s === 'success' ? 'success' : s === 'failed' ? 'failed' : s === 'expired' || s === 'closed' || this.localExpired ? 'expired' : 'waiting';
    if (next === this.status) return;
    this.status = next;
    if (next !== 'waiting') this.countdown.stop();
    if (this.hasUpdated) this.announce(this.statusText(next).slice(1).join(' '));
  }

  private statusText(status: QrPayStatus): [kind: ResultKind, title: string, detail: string] {
    const t = (key: MessageKey) => this.localize.term(key);
    switch (status) {
      case 'success':
        return successResult(this.localize, this.settlement);
      case 'failed':
        return ['failed', t('failed'), this.failureMessage];
      case 'expired':
        return ['expired', t('expired'), t('expired_detail')];
      default:
        // Announced only: while waiting there is no result view, so the kind is never drawn.
        return ['success', t('waiting'), ''];
    }
  }

  /** One polite live region for everything; the same text twice is made different so it is spoken again. */
  private announce(text: string): void {
    this.announcement = this.announcement === text ? `${text}\u00a0` : text;
  }

  /** Speaks the time left when it crosses a mark (each minute, 1 minute, 30 s), never every second. */
  private speakCountdown(): void {
    if (this.status !== 'waiting' || !this.countdown.running) return;
    const mark = speechMark(this.countdown.remaining);
    if (mark >= this.spokenMark) return;
    this.spokenMark = mark;
    this.announce(
      mark === 30
        ? this.localize.term('qr.seconds_left_spoken', { seconds: 30 })
        : mark === 60
          ? this.localize.term('qr.minute_left_spoken')
          : this.localize.term('time_left_spoken', { minutes: mark / 60 }),
    );
  }

  private encode(): void {
    const text = this.payInfo;
    this.qr = undefined;
    this.qrFailed = false;
    if (!text) {
      this.qrTask = undefined;
      return;
    }
    this.qrTask = loadEncoder()
      .then((qrcode) => {
        if (text !== this.payInfo) return;
        const { modules } = qrcode.create(text, { errorCorrectionLevel: 'M' });
        this.qr = { size: modules.size + 2 * QUIET_ZONE, path: modulePath(modules) };
      })
      .catch(() => {
        // The chunk did not load, or the text is too long for a QR: the link can still be copied.
        if (text === this.payInfo) this.qrFailed = true;
      });
  }

  private async copy(): Promise<void> {
    clearTimeout(this.copyTimer);
    try {
      await navigator.clipboard.writeText(this.payInfo);
      this.copyState = 'copied';
      this.announce(this.localize.term('copied'));
      this.copyTimer = setTimeout(() => (this.copyState = 'idle'), COPIED_FEEDBACK_MS);
    } catch {
      // No clipboard (insecure page, permission refused): show the link, selected, to copy by hand.
      this.copyState = 'failed';
      this.announce(this.localize.term('qr.copy_failed'));
      await this.updateComplete;
      const input = this.renderRoot.querySelector<HTMLInputElement>('.manual input');
      input?.focus();
      input?.select();
    }
  }

  private refresh(): void {
    emit(this, 'tsy-refresh', {});
  }

  /** The message key of the wallet's name; `wallet.other` without a wallet, or for one this version has no name for. */
  private get walletKey(): MessageKey {
    const key = `wallet.${this.wallet}`;
    return this.localize.has(key) ? key : 'wallet.other';
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

  private renderQr(wallet: string): TemplateResult {
    if (this.qrFailed) return html`<p class="qr-error">${this.localize.term('qr.unavailable')}</p>`;
    const label = this.localize.term('qr_label', { wallet, amount: this.amount === undefined ? '' : this.localize.money(this.amount) });
    const qr = this.qr;
    return html`<div part="qr" role="img" aria-label=${label}>
      ${qr
        ? html`<svg viewBox="0 0 ${qr.size} ${qr.size}" aria-hidden="true" focusable="false">${svg`<path shape-rendering="crispEdges" d=${qr.path}></path>`}</svg>`
        : html`<div class="placeholder"></div>`}
    </div>`;
  }

  private renderWaiting(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const walletKey = this.walletKey;
    const wallet = t(walletKey);
    const remaining = this.countdown.remaining;
    const link = this.payInfo ? appLink(this.payInfo) : undefined;
    // The BFF decides where the client is: the parent passes the order's environment, a standalone element reads its payment's.
    const mobile = (this.environment ?? this.payment?.environment ?? 'desktop') !== 'desktop';
    return html`${this.renderQr(wallet)}
      <p class="hint">${t('scan_with', { wallet })}</p>
      ${this.countdown.running
        ? html`<p part="countdown" class=${remaining <= 60 ? 'urgent' : ''}>${t('time_left', { time: this.localize.duration(remaining) })}</p>`
        : nothing}
      <p part="status"><span class="pulse" aria-hidden="true"></span>${t('waiting')}</p>
      ${this.payInfo
        ? html`<div part="actions">
            <button part="copy-button" type="button" @click=${this.copy}>${this.copyState === 'copied' ? t('copied') : t('copy_link')}</button>
            ${link && mobile
              ? html`<a part="open-app" href=${link}>${walletKey === 'wallet.other' ? t('qr.open_link') : t('open_app', { wallet })}</a>`
              : nothing}
          </div>`
        : nothing}
      ${this.copyState === 'failed'
        ? html`<div class="manual">
            <p id="copy-help">${t('qr.copy_failed')}</p>
            <input type="text" readonly aria-label=${t('qr.link_label')} aria-describedby="copy-help" .value=${this.payInfo} />
          </div>`
        : nothing}`;
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
