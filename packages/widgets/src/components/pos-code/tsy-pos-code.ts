import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { PaymentView } from '../../api/types.js';
import { emit } from '../../events.js';
import { PaymentWaitElement, type PaymentWaitStatus, type WaitTerms } from '../../internal/payment-wait-element.js';
import { tokens } from '../../styles/tokens.js';
import { waitStyles } from '../../styles/wait.js';
import { resultStyles } from '../result/result-view.styles.js';
import { posCodeStyles } from './tsy-pos-code.styles.js';

export type PosCodeStatus = PaymentWaitStatus;

/** The platform's POS order code (ORDER_VSPPAY, spec §5.2): six digits the cashier types into the terminal. */
const PAY_CODE = /^\d{6}$/;

/** "123456" as the terminal's keypad takes it and a person reads it aloud: in groups of three. */
const grouped = (payCode: string): string[] => payCode.match(/\d{1,3}/g) ?? [];

/**
 * A POS order payment (`pos-code`, ORDER_VSPPAY): the platform's `payCode`, large and grouped for typing into the POS
 * terminal, a copy button, a countdown to the payment's expiry (server time) and its live state until it succeeds, fails
 * or expires — the terminal pays it, so this page only follows.
 *
 * Give it a payment in one assignment (`el.payment = paymentView`, as `<tsy-checkout>` does), or use it standalone with
 * the attributes `biz-order-no`, `pay-code`, `amount` (fen), `method`, `expires-at`, `server-time`.
 *
 * @summary The POS order code, large and grouped, with a copy button, a countdown and the payment's live state.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a final state (the checkout asks the BFF again).
 * @event tsy-refresh - `{}` when the payer asks for a new code after expiry.
 * @event tsy-flow-error - `{code: 'invalid_action', message}` when the payment's action has no six-digit `payCode`.
 *
 * @csspart base - The wrapper of everything.
 * @csspart amount - The amount to pay.
 * @csspart code - The code, in groups of three digits.
 * @csspart countdown - The time left.
 * @csspart status - The waiting line.
 * @csspart actions - The row of buttons.
 * @csspart copy-button - Copies the code.
 * @csspart refresh-button - Asks for a new code after expiry.
 *
 * @cssprop --tsy-pos-code-size - Font size of the code (default 2.75rem).
 * @cssprop --tsy-color-primary - Focus rings and the waiting pulse.
 * @cssprop --tsy-color-background - Background.
 * @cssprop --tsy-color-text - Text colour.
 * @cssprop --tsy-color-text-muted - Secondary text.
 * @cssprop --tsy-color-danger - The last minute of the countdown.
 */
export class TsyPosCode extends PaymentWaitElement {
  static override styles = [tokens, waitStyles, posCodeStyles, resultStyles];

  /** The platform's `payCode`: six digits. */
  @property({ attribute: 'pay-code' }) payCode = '';

  protected readonly terms: WaitTerms = {
    secondsLeftSpoken: 'pos.seconds_left_spoken',
    minuteLeftSpoken: 'pos.minute_left_spoken',
    minutesLeftSpoken: 'pos.minutes_left_spoken',
    expiredDetail: 'pos.expired_detail',
    copyFailed: 'pos.copy_failed',
  };

  protected get copyText(): string {
    return this.payCode;
  }

  protected adoptAction(payment: PaymentView): void {
    this.payCode = payment.action?.type === 'pos-code' ? String(payment.action.payCode ?? '') : '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    // A payment whose action cannot be typed into a terminal: said once, to the checkout, with a stable code.
    if (changed.has('payment') && this.payment && !PAY_CODE.test(this.payCode)) void this.invalid();
  }

  private async invalid(): Promise<void> {
    await this.localize.ready;
    emit(this, 'tsy-flow-error', { code: 'invalid_action', message: this.localize.term('flow.invalid_action', { field: 'payCode' }) });
  }

  protected renderWaiting(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const valid = PAY_CODE.test(this.payCode);
    // Read digit by digit: "one two three", not "one hundred twenty-three".
    const spoken = this.payCode.split('').join(' ');
    return html`<p class="hint" id="hint">${t('pos.hint')}</p>
      ${valid
        ? html`<p part="code" role="img" aria-label=${t('pos.code_label', { code: spoken })} aria-describedby="hint">
            ${grouped(this.payCode).map((group) => html`<span class="group">${group}</span>`)}
          </p>`
        : nothing}
      ${this.renderCountdown()}
      <p part="status"><span class="pulse" aria-hidden="true"></span>${t('pos.waiting')}</p>
      ${valid
        ? html`<div part="actions">
            <button part="copy-button" type="button" @click=${this.copy}>${this.copyState === 'copied' ? t('copied') : t('pos.copy_code')}</button>
          </div>`
        : nothing}
      ${this.copyState === 'failed'
        ? html`<div class="manual">
            <p id="copy-help">${t('pos.copy_failed')}</p>
            <input type="text" readonly inputmode="numeric" aria-label=${t('pos.code_field')} aria-describedby="copy-help" .value=${this.payCode} />
          </div>`
        : nothing}`;
  }
}
