import { html, nothing, svg, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import type { PaymentView } from '../../api/types.js';
import type { MessageKey } from '../../i18n/messages.js';
import { PaymentWaitElement, type PaymentWaitStatus, type WaitTerms } from '../../internal/payment-wait-element.js';
import { tokens } from '../../styles/tokens.js';
import { waitStyles } from '../../styles/wait.js';
import { resultStyles } from '../result/result-view.styles.js';
import { qrPayStyles } from './tsy-qr-pay.styles.js';

/** What the payer sees: `waiting` for a scan, or where the payment ended. */
export type QrPayStatus = PaymentWaitStatus;

/** Light modules around the symbol: the quiet zone the QR standard asks for, so a dark page around it cannot confuse a scanner. */
const QUIET_ZONE = 4;
/** Schemes an "open app" link may have: the web, and the wallets' own. Anything else (javascript:, data:) gets no link. */
const APP_SCHEMES = new Set(['https:', 'http:', 'weixin:', 'alipays:', 'alipay:', 'upwallet:', 'mqqapi:']);

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
export class TsyQrPay extends PaymentWaitElement {
  static override styles = [tokens, waitStyles, qrPayStyles, resultStyles];

  /** The QR's text (the platform's `payInfo`). */
  @property({ attribute: 'pay-info' }) payInfo = '';
  /**
   * The app that scans the QR: `wechat`, `alipay`, `unionpay`, `qq` — the method's `wallet` as the BFF lists it
   * (`<tsy-checkout>` passes it on). Without one, the QR is "for your payment app".
   */
  @property() wallet: string | undefined;

  @state() private qr: { readonly size: number; readonly path: string } | undefined;
  @state() private qrFailed = false;

  protected readonly terms: WaitTerms = {
    secondsLeftSpoken: 'qr.seconds_left_spoken',
    minuteLeftSpoken: 'qr.minute_left_spoken',
    minutesLeftSpoken: 'time_left_spoken',
    expiredDetail: 'expired_detail',
    copyFailed: 'qr.copy_failed',
  };
  private qrTask: Promise<void> | undefined;

  protected get copyText(): string {
    return this.payInfo;
  }

  protected adoptAction(payment: PaymentView): void {
    this.payInfo = payment.action?.type === 'qr' ? payment.action.payInfo : '';
  }

  /** Also waits for the QR to be drawn (the encoder is a lazy chunk). */
  protected override async getUpdateComplete(): Promise<boolean> {
    const done = await super.getUpdateComplete();
    if (!this.qrTask) return done;
    await this.qrTask;
    return super.getUpdateComplete();
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    super.willUpdate(changed);
    if (changed.has('payInfo')) this.encode();
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

  /** The message key of the wallet's name; `wallet.other` without a wallet, or for one this version has no name for. */
  private get walletKey(): MessageKey {
    const key = `wallet.${this.wallet}`;
    return this.localize.has(key) ? key : 'wallet.other';
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

  protected renderWaiting(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const walletKey = this.walletKey;
    const wallet = t(walletKey);
    const link = this.payInfo ? appLink(this.payInfo) : undefined;
    // The BFF decides where the client is: the parent passes the order's environment, a standalone element reads its payment's.
    const mobile = (this.environment ?? this.payment?.environment ?? 'desktop') !== 'desktop';
    return html`${this.renderQr(wallet)}
      <p class="hint">${t('scan_with', { wallet })}</p>
      ${this.renderCountdown()}
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
}
