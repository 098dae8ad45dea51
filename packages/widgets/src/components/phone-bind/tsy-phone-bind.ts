import { html, nothing, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError } from '../../api/checkout-api.js';
import { emit } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { tokens } from '../../styles/tokens.js';
import { phoneBindStyles } from './tsy-phone-bind.styles.js';
import { codeRowStyles } from '../../styles/code-row.js';

/**
 * @summary Binds the payer's phone number (the platform lets only members with a bound phone pay, spec §4.1.3): phone →
 * SMS code with a resend countdown → bind.
 *
 * @event tsy-phone-bound - `{}` once the BFF confirms the phone is bound.
 *
 * @csspart form - The form.
 * @csspart phone-input - The phone number field.
 * @csspart code-input - The SMS code field.
 * @csspart send-button - "Send code" / the resend countdown.
 * @csspart bind-button - The bind button.
 */
export class TsyPhoneBind extends TsyElement {
  static override styles = [tokens, codeRowStyles, phoneBindStyles];

  /** Base URL of the BFF's checkout API (standalone use). */
  @property() api = '/api/checkout';
  /** The client to use instead of one built from `api` (`<tsy-checkout>` hands down its own). */
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;

  @state() private phone = '';
  @state() private sentUntil = 0;
  @state() private busy = false;
  @state() private notice = '';

  private ticker: ReturnType<typeof setInterval> | undefined;
  private ownClient: CheckoutApi | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearInterval(this.ticker);
  }

  private get client(): CheckoutApi {
    if (this.apiClient) return this.apiClient;
    if (this.ownClient?.base !== this.api) this.ownClient = new CheckoutApi(this.api, () => this.localize.locale);
    return this.ownClient;
  }

  private field(name: 'phone' | 'code'): string {
    return (this.renderRoot.querySelector<HTMLInputElement>(`input[name=${name}]`)?.value ?? '').trim();
  }

  private async failWith(error: unknown): Promise<void> {
    this.notice = error instanceof CheckoutApiError ? await this.localize.errorText(error.code, error.message) : this.localize.term('error');
  }

  private async sendCode(): Promise<void> {
    if (this.busy) return;
    this.phone = this.field('phone');
    this.busy = true;
    this.notice = '';
    try {
      const sent = await this.client.post<{ resendAfter: number }>('/payer/phone/code', { phone: this.phone });
      this.sentUntil = Date.now() + sent.resendAfter * 1000;
      this.notice = this.localize.term('phone.sent');
      clearInterval(this.ticker);
      this.ticker = setInterval(() => {
        this.requestUpdate();
        if (Date.now() > this.sentUntil) clearInterval(this.ticker);
      }, 1000);
      this.renderRoot.querySelector<HTMLInputElement>('input[name=code]')?.focus();
    } catch (error) {
      await this.failWith(error);
    } finally {
      this.busy = false;
    }
  }

  private async bind(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy) return;
    this.busy = true;
    try {
      await this.client.post('/payer/phone', { phone: this.phone, verificationCode: this.field('code') });
      emit(this, 'tsy-phone-bound', {});
    } catch (error) {
      await this.failWith(error);
    } finally {
      this.busy = false;
    }
  }

  protected override render(): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    const wait = Math.max(0, Math.ceil((this.sentUntil - Date.now()) / 1000));
    return html`<form part="form" @submit=${(e: Event) => this.bind(e)} aria-labelledby="title">
      <div id="title" class="title">${t('phone.title')}</div>
      <div class="row">
        <input part="phone-input" name="phone" type="tel" inputmode="numeric" autocomplete="tel-national" maxlength="11" aria-label=${t('phone.number')} placeholder=${t('phone.number')} .value=${this.phone} />
        <button part="send-button" type="button" @click=${() => this.sendCode()} ?disabled=${this.busy || wait > 0}>${wait > 0 ? t('phone.resend_in', { seconds: wait }) : t('phone.send')}</button>
      </div>
      <div class="row">
        <input part="code-input" name="code" inputmode="numeric" autocomplete="one-time-code" maxlength="6" aria-label=${t('phone.code')} placeholder=${t('phone.code')} />
        <button part="bind-button" class="primary" type="submit" ?disabled=${this.busy || !this.sentUntil}>${t('phone.bind')}</button>
      </div>
      ${this.notice ? html`<div role="status">${this.notice}</div>` : nothing}
    </form>`;
  }
}
