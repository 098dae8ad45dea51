import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError } from '../../api/checkout-api.js';
import type { PaymentAction, PaymentView, SmsErrorDetails, SmsResendView } from '../../api/types.js';
import { CountdownController } from '../../controllers/countdown-controller.js';
import { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import { smsConfirmStyles } from './tsy-sms-confirm.styles.js';
import { codeRowStyles } from '../../styles/code-row.js';

/** `entry`: the code is asked for; `confirming`: the platform is deciding (live); `exhausted`: out of tries; `invalid`: no usable action. */
export type SmsConfirmStatus = 'entry' | 'confirming' | 'exhausted' | 'invalid';

type Sms = Extract<PaymentAction, { type: 'sms' }>;
/** The platform's codes are 6 digits: the 6th submits. */
const CODE_LENGTH = 6;
/** The countdown is spoken when it starts, at this many seconds left, and when a new code can be asked for. */
const SPOKEN_AT_SECONDS = 10;

/**
 * @summary The SMS confirm step (`sms`: BALANCE, QUICKPAY_VSP asking for a code): "code sent to 138****5678", one input
 * for the code, the amount on the button, and "resend" with a countdown in server time that follows the BFF's `resendAt`.
 *
 * The input keeps digits only (a pasted "验证码 123456" or an SMS autofill gives 123456) and submits on the 6th. A wrong
 * code says how many tries are left, an expired one asks for a new code, and after the last try a new payment is offered.
 * The countdown is spoken at its start, 10 s before the end and when a new code can be asked for, not every second.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a final state (the checkout asks the BFF again).
 * @event tsy-refresh - `{}` "start a new payment" after the payment ran out of tries.
 * @event tsy-flow-error - `{code: 'invalid_action', message}` when the action has no readable `resendAt`.
 *
 * @csspart base - The wrapper.
 * @csspart sent-to - "Code sent to 138****5678".
 * @csspart form - The form.
 * @csspart code-input - The code field.
 * @csspart confirm-button - Confirms with the code; shows the amount.
 * @csspart resend-button - "Resend" / the countdown.
 * @csspart notice - The error line (wrong or expired code, …).
 * @csspart status - "Confirming" while the platform decides.
 * @csspart actions - The row with "start a new payment".
 * @csspart new-payment - Starts a new payment after the last try.
 */
export class TsySmsConfirm extends TsyElement {
  static override styles = [tokens, flowStyles, codeRowStyles, smsConfirmStyles];

  /** Base URL of the BFF's checkout API (standalone use). */
  @property() api = '/api/checkout';
  /** The client to use instead of one built from `api` (`<tsy-checkout>` hands down its own). */
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  /** The payment (its action `sms`), as the BFF answered it. */
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** Reflected: where the flow is. */
  @property({ reflect: true }) status: SmsConfirmStatus = 'entry';

  @state() private phone: string | null = null;
  @state() private busy = false;
  @state() private notice = '';
  /** The live region's text: changed only when something is worth saying. */
  @state() private spoken = '';

  private started: string | undefined;
  /** The last countdown moment spoken (`start`, `10`, `ready`), so each is said once per countdown. */
  private said = '';
  private readonly countdown = new CountdownController(this, () => this.say('ready', this.localize.term('sms.resend_ready')));
  private readonly live = new PaymentStatusController(this, {
    onState: (state) => {
      if (state !== 'pending' && this.payment) emit(this, 'tsy-payment-state', { bizOrderNo: this.payment.bizOrderNo, state });
    },
  });

  private client(): CheckoutApi {
    return (this.apiClient ??= new CheckoutApi(this.api, () => this.localize.locale));
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('payment') && this.payment && this.payment.bizOrderNo !== this.started) void this.begin(this.payment);
  }

  protected override willUpdate(): void {
    const left = this.countdown.remaining;
    if (this.countdown.running && left === SPOKEN_AT_SECONDS && this.said === 'start') this.say(String(left), this.localize.term('sms.resend_spoken', { seconds: left }));
  }

  private say(moment: string, text: string): void {
    this.said = moment;
    this.spoken = text;
  }

  private async begin(payment: PaymentView): Promise<void> {
    this.started = payment.bizOrderNo;
    const action = payment.action as Partial<Sms> | null;
    await this.localize.ready;
    if (action?.type !== 'sms' || !Number.isFinite(Date.parse(String(action.resendAt)))) {
      this.status = 'invalid';
      emit(this, 'tsy-flow-error', { code: 'invalid_action', message: this.localize.term('flow.invalid_action', { field: 'resendAt' }) });
      return;
    }
    this.status = 'entry';
    this.phone = action.phone ?? null;
    this.follow(action.resendAt!, payment.serverTime, this.sentText());
  }

  private sentText(): string {
    return this.phone ? this.localize.term('sms.sent_to', { phone: this.phone }) : this.localize.term('sms.sent');
  }

  /** Counts to `resendAt` (server time); says what was sent and how long until another code, once. */
  private follow(resendAt: string, serverTime: string, lead: string): void {
    this.countdown.start(resendAt, serverTime);
    const left = this.countdown.remaining;
    this.say(left > 0 ? 'start' : 'ready', left > 0 ? `${lead} ${this.localize.term('sms.resend_spoken', { seconds: left })}` : `${lead} ${this.localize.term('sms.resend_ready')}`);
  }

  private get input(): HTMLInputElement | null {
    return this.renderRoot.querySelector<HTMLInputElement>('input[name=code]');
  }

  /** Digits only, at most six: a pasted "验证码 123456" or an autofilled message keeps its code. The 6th digit submits. */
  private onInput(event: Event): void {
    const field = event.target as HTMLInputElement;
    const digits = field.value.replace(/\D/g, '').slice(0, CODE_LENGTH);
    if (field.value !== digits) field.value = digits;
    if (digits.length === CODE_LENGTH) void this.confirm();
  }

  private async confirm(event?: Event): Promise<void> {
    event?.preventDefault();
    const payment = this.payment;
    const code = this.input?.value ?? '';
    if (!payment || this.busy || this.status !== 'entry') return;
    if (code.length < 4) {
      this.notice = this.localize.term('sms.enter_code');
      this.input?.focus();
      return;
    }
    this.busy = true;
    this.notice = '';
    try {
      const answer = await this.client().post<PaymentView>(`/payments/${encodeURIComponent(payment.bizOrderNo)}/confirm`, { verificationCode: code });
      if (answer.state === 'pending') {
        // The platform is still deciding (spec §4.2.8 `pending`): follow the payment until it is final.
        this.status = 'confirming';
        this.live.watch(this.client(), payment.bizOrderNo);
      } else {
        this.status = 'confirming';
        emit(this, 'tsy-payment-state', { bizOrderNo: payment.bizOrderNo, state: answer.state });
      }
    } catch (error) {
      await this.refused(error, payment);
    } finally {
      this.busy = false;
    }
  }

  private async refused(error: unknown, payment: PaymentView): Promise<void> {
    const api = error instanceof CheckoutApiError ? error : undefined;
    const details = (api?.details ?? {}) as SmsErrorDetails;
    const input = this.input;
    if (input) input.value = '';
    // Focus moves only to a field that can take it: wait for the busy state to end.
    this.busy = false;
    if (api?.code === 'sms_attempts_exhausted' || (api?.code === 'sms_code_wrong' && details.attemptsLeft === 0)) {
      this.status = 'exhausted';
      this.countdown.stop();
      this.notice = this.localize.term('sms.exhausted');
      return;
    }
    if (api?.code === 'payment_not_pending' || api?.code === 'payment_expired') {
      // Ended meanwhile (paid in another tab, expired): the checkout asks the BFF what became of it.
      emit(this, 'tsy-payment-state', { bizOrderNo: payment.bizOrderNo, state: 'expired' });
      return;
    }
    if (api?.code === 'sms_code_wrong') this.notice = this.localize.term('sms.wrong', { left: details.attemptsLeft ?? '?' });
    else if (api?.code === 'sms_code_expired') this.notice = this.localize.term('sms.expired');
    else this.notice = api ? await this.localize.errorText(api.code, api.message) : this.localize.term('error');
    // No answer, or one that could not be verified: the code may have been checked. The payment is followed meanwhile, so a
    // success the platform made is still seen.
    if (!api || api.status === 0 || api.status >= 500) this.live.watch(this.client(), payment.bizOrderNo);
    await this.updateComplete;
    (api?.code === 'sms_code_expired' && !this.countdown.running ? this.renderRoot.querySelector<HTMLButtonElement>('[part=resend-button]') : input)?.focus();
  }

  private async resend(): Promise<void> {
    const payment = this.payment;
    if (!payment || this.busy || this.countdown.remaining > 0) return;
    this.busy = true;
    this.notice = '';
    try {
      const sent = await this.client().post<SmsResendView>(`/payments/${encodeURIComponent(payment.bizOrderNo)}/sms`, {});
      this.phone = sent.phone ?? this.phone;
      this.follow(sent.resendAt, sent.serverTime, this.phone ? this.localize.term('sms.resent', { phone: this.phone }) : this.localize.term('sms.sent'));
      this.input?.focus();
    } catch (error) {
      const api = error instanceof CheckoutApiError ? error : undefined;
      const details = (api?.details ?? {}) as SmsErrorDetails;
      if (api?.code === 'sms_resend_too_soon') {
        // The BFF's clock decides: its resendAt, else its Retry-After counted from the server time this page knows.
        const now = this.countdown.serverNow();
        const at = details.resendAt ?? new Date(now + (api.retryAfter ?? 0) * 1000).toISOString();
        this.follow(at, details.serverTime ?? new Date(now).toISOString(), '');
      } else {
        this.notice = api ? await this.localize.errorText(api.code, api.message) : this.localize.term('error');
        if (api?.code === 'payment_not_pending' || api?.code === 'payment_expired') emit(this, 'tsy-payment-state', { bizOrderNo: payment.bizOrderNo, state: 'expired' });
      }
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    const live = html`<div class="visually-hidden" role="status" aria-live="polite">${this.spoken}</div>`;
    const notice = this.notice ? html`<p part="notice" role="alert">${this.notice}</p>` : nothing;
    switch (this.status) {
      case 'confirming':
        return html`<div part="base">
          <div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('confirming')}</span></div>
        </div>`;
      case 'exhausted':
        return html`<div part="base">
          ${notice}
          <div part="actions"><button part="new-payment" class="primary" @click=${() => emit(this, 'tsy-refresh', {})}>${t('sms.new_payment')}</button></div>
        </div>`;
      case 'invalid':
        return html`<div part="base"></div>`;
      default: {
        const wait = this.countdown.remaining;
        const amount = this.payment ? this.localize.money(this.payment.amount) : '';
        return html`<div part="base">
          <p part="sent-to" id="sent-to">${this.sentText()}</p>
          <form part="form" @submit=${(event: Event) => this.confirm(event)} novalidate>
            <div class="row">
              <input
                part="code-input"
                name="code"
                inputmode="numeric"
                autocomplete="one-time-code"
                enterkeyhint="done"
                maxlength="32"
                aria-label=${t('sms.code')}
                aria-describedby="sent-to"
                placeholder=${t('sms.code')}
                ?disabled=${this.busy}
                @input=${(event: Event) => this.onInput(event)}
              />
              <button part="resend-button" type="button" ?disabled=${this.busy || wait > 0} @click=${() => this.resend()}>
                ${wait > 0 ? t('sms.resend_in', { seconds: wait }) : t('sms.resend')}
              </button>
            </div>
            ${notice}
            <button part="confirm-button" class="primary" type="submit" ?disabled=${this.busy}>${t('sms.confirm', { amount })}</button>
          </form>
          ${live}
        </div>`;
      }
    }
  }
}
