import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { emit } from '../../events.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import { formPostStyles } from './tsy-form-post.styles.js';

/** `fetching` the signed form; `leaving` (submitted); `stalled`: still here a moment later, or stopped — the button goes on. */
export type FormPostStatus = 'fetching' | 'leaving' | 'stalled' | 'invalid';

/** A fresh form, as the BFF signs it for the platform's page. */
interface FrontForm {
  readonly action: string;
  readonly method: string;
  readonly fields: Readonly<Record<string, string>>;
}

/** How long a submitted form may take to leave the page before the button is shown. */
const STALL_MS = 1500;

/**
 * @summary A platform page the payer fills in (`form-post`: the gateway `frontTrans.do`, the password page): asks the BFF
 * for a freshly signed form (the signature is good for 10 minutes), then posts it, fields unchanged, to the form's action.
 *
 * Inside an iframe the form targets `_top` (the platform's pages refuse to be framed). If the page is still here a moment
 * after the submit (or `tsy-before-redirect` was cancelled), a visible "continue to the payment page" button submits it
 * by hand.
 *
 * @event tsy-before-redirect - `{url, method: 'POST'}` before the submit; cancelable.
 * @event tsy-flow-error - `{code, message}`: `invalid_action` (a form without `action`) or the BFF's code for the form.
 *
 * @csspart base - The wrapper.
 * @csspart status - The status line.
 * @csspart form - The hidden form (its `action`, `target` and fields are what is posted).
 * @csspart continue - The "continue to the payment page" button.
 */
export class TsyFormPost extends TsyElement {
  static override styles = [tokens, flowStyles, formPostStyles];

  @property() api = '/api/checkout';
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** Reflected: where the flow is. */
  @property({ reflect: true }) status: FormPostStatus = 'fetching';
  /** The signed form, once the BFF gave it. */
  @property({ attribute: false }) form: FrontForm | undefined;

  @query('form') private formElement!: HTMLFormElement | null;
  private started: string | undefined;
  private stallTimer: ReturnType<typeof setTimeout> | undefined;

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    clearTimeout(this.stallTimer);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('payment') && this.payment && this.payment.bizOrderNo !== this.started) void this.begin(this.payment);
  }

  private async flowError(code: string, message: string): Promise<void> {
    this.status = 'invalid';
    emit(this, 'tsy-flow-error', { code, message });
  }

  private async begin(payment: PaymentView): Promise<void> {
    this.started = payment.bizOrderNo;
    this.status = 'fetching';
    let form: FrontForm;
    try {
      const client = (this.apiClient ??= new CheckoutApi(this.api, () => this.localize.locale));
      form = await client.post<FrontForm>(`/payments/${encodeURIComponent(payment.bizOrderNo)}/gateway`, {});
    } catch (error) {
      await this.localize.ready;
      if (error instanceof CheckoutApiError) return this.flowError(error.code, await this.localize.errorText(error.code, error.message));
      return this.flowError('error', this.localize.term('error'));
    }
    if (this.payment !== payment) return;
    await this.localize.ready;
    let action: URL | undefined;
    try {
      action = typeof form?.action === 'string' && form.action ? new URL(form.action) : undefined;
    } catch {
      action = undefined;
    }
    if (!action || (action.protocol !== 'https:' && action.protocol !== 'http:')) return this.flowError('invalid_action', this.localize.term('flow.invalid_action', { field: 'action' }));
    if (!form.fields || typeof form.fields !== 'object') return this.flowError('invalid_action', this.localize.term('flow.invalid_action', { field: 'fields' }));
    this.form = form;
    this.status = 'leaving';
    await this.updateComplete;
    if (!emit(this, 'tsy-before-redirect', { url: form.action, method: 'POST' }, true)) {
      this.status = 'stalled';
      return;
    }
    this.submit();
  }

  /** Posts the form; shows the button if the page is still here a moment later. */
  private submit(): void {
    const form = this.formElement;
    if (!form) return;
    clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => (this.status = 'stalled'), STALL_MS);
    form.requestSubmit();
  }

  /** `_top` inside a frame (the platform's pages refuse to be framed), else this window. */
  private get target(): string {
    const win = this.ownerDocument.defaultView ?? window;
    return win.top !== win.self ? '_top' : '_self';
  }

  protected override render(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const form = this.form;
    return html`<div part="base">
      ${this.status === 'invalid'
        ? nothing
        : html`<div part="status" role="status">
            ${this.status === 'stalled' ? nothing : html`<div class="spinner" aria-hidden="true"></div>`}<span>${t('flow.to_payment_page')}</span>
          </div>`}
      ${form
        ? html`<form part="form" method="post" action=${form.action} target=${this.target} accept-charset="UTF-8">
            ${Object.entries(form.fields).map(([name, value]) => html`<input type="hidden" name=${name} .value=${value} />`)}
            ${this.status === 'stalled' ? html`<div part="actions"><button part="continue" class="primary" type="submit">${t('flow.continue')}</button></div>` : nothing}
          </form>`
        : nothing}
    </div>`;
  }
}
