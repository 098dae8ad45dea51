import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError } from '../../api/checkout-api.js';
import type { OrderView, PaymentAction, PaymentState, PaymentView } from '../../api/types.js';
import type { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit, type CheckoutState } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { STATUS_ICONS } from '../../internal/status-icons.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { tokens } from '../../styles/tokens.js';
import { checkoutStyles } from './tsy-checkout.styles.js';

/** Action types this version runs; any other shows a clear message instead of a blank. */
const HANDLED_ACTIONS = new Set<PaymentAction['type']>(['qr', 'none']);

const newIdempotencyKey = () => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^\w.:-]/g, '');


/**
 * @summary The whole checkout for one merchant order: loads it from the BFF, lets the payer choose a method, creates the
 * payment and runs what the BFF says to do next, until the BFF confirms the outcome.
 *
 * @event tsy-state-change - `{state, previous}` whenever `state` changes.
 * @event tsy-success - `{bizOrderNo, amount, method}` once the BFF confirms the payment (or finds the order already paid).
 * @event tsy-fail - `{code, message}` when a payment fails or cannot be created.
 * @event tsy-expired - `{bizOrderNo}` when the payment expires or the platform closes it.
 * @event tsy-cancel - `{bizOrderNo}` when the payer leaves an attempt to choose another method.
 *
 * @csspart base - The card around everything.
 * @csspart header - Subject and amount.
 * @csspart amount - The amount to pay.
 * @csspart picker - The `<tsy-method-picker>`.
 * @csspart pay-button - The pay button.
 * @csspart status - The result / progress area.
 * @csspart qr - The `<tsy-qr-pay>`.
 *
 * @cssprop --tsy-checkout-max-width - Width limit of the card (default 28rem).
 * @cssprop --tsy-color-primary - Buttons, focus and selection.
 * @cssprop --tsy-color-background - Card background.
 * @cssprop --tsy-color-text - Text colour.
 * @cssprop --tsy-radius - Corner radius.
 * @cssprop --tsy-spacing - Base spacing unit.
 * @cssprop --tsy-font-family - Font stack.
 */
export class TsyCheckout extends TsyElement {
  static override styles = [tokens, checkoutStyles];

  /** Base URL of the BFF's checkout API. */
  @property() api = '/api/checkout';
  /** The merchant order id. */
  @property() order = '';
  /** Where the checkout is (read only; reflected as an attribute for styling and tests). */
  @property({ reflect: true }) state: CheckoutState = 'loading';

  @state() private orderView: OrderView | undefined;
  @state() private payment: PaymentView | undefined;
  @state() private selected = '';
  @state() private problem: { code: string; text: string } | undefined;
  /** The payer must bind a phone before paying (spec §4.1.3). */
  @state() private needsPhone = false;


  /** Follows a payment with no QR to show (e.g. a code payment still in progress); loaded the first time it is needed. */
  private status: PaymentStatusController | undefined;
  private client!: CheckoutApi;
  private loadSeq = 0;
  private qrReady: Promise<unknown> | undefined;

  override connectedCallback(): void {
    super.connectedCallback();
    if (this.order) void this.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    if ((changed.has('order') || changed.has('api')) && changed.get('order') !== undefined) void this.start();
  }

  /** Loads (or reloads) the order and shows what it needs: picker, a pending payment, or its result. */
  async start(): Promise<void> {
    const seq = ++this.loadSeq;
    this.client = new CheckoutApi(this.api, () => this.localize.locale);
    this.status?.stop();
    this.payment = undefined;
    this.problem = undefined;
    this.setState('loading');
    try {
      const view = await this.client.getOrder(this.order);
      if (seq !== this.loadSeq) return;
      this.orderView = view;
      if (view.paid) {
        this.setState('success');
        emit(this, 'tsy-success', { bizOrderNo: view.paidBizOrderNo ?? '', amount: view.amount, method: '' });
        return;
      }
      const current = view.currentPayment;
      if (current && current.state === 'pending' && current.action) {
        // A reload mid-payment resumes the same bizOrderNo instead of starting a second payment.
        this.selected = current.method;
        await this.run({ ...current, merchantOrderId: view.merchantOrderId, amount: view.amount, failure: null, settlement: null, serverTime: view.serverTime, action: current.action });
        return;
      }
      this.selected ||= view.methods.find((m) => m.usable)?.method ?? '';
      this.needsPhone = view.payer.phoneBound === false;
      if (this.needsPhone) void import('../phone-bind/define.js');
      this.setState('select');
    } catch (error) {
      if (seq === this.loadSeq) await this.fail(error, 'error');
    }
  }

  /** Back to the picker with the order reloaded. */
  reset(): void {
    void this.start();
  }

  private setState(next: CheckoutState): void {
    const previous = this.state;
    if (previous === next) return;
    this.state = next;
    emit(this, 'tsy-state-change', { state: next, previous });
  }

  private async fail(error: unknown, state: 'failed' | 'error' | 'select'): Promise<void> {
    const code = error instanceof CheckoutApiError ? error.code : 'error';
    const text = error instanceof CheckoutApiError ? await this.localize.errorText(error.code, error.message) : this.localize.term('error');
    this.problem = { code, text };
    if (code === 'payer_phone_required') {
      this.needsPhone = true;
      void import('../phone-bind/define.js');
    }
    if (code === 'order_paid') return void this.start();
    this.setState(state);
    emit(this, 'tsy-fail', { code, message: text });
  }

  private async pay(): Promise<void> {
    if (!this.orderView || !this.selected || this.state === 'processing') return;
    this.problem = undefined;
    this.setState('processing');
    try {
      const payment = await this.client.createPayment(this.orderView.merchantOrderId, { method: this.selected }, newIdempotencyKey());
      await this.run(payment);
    } catch (error) {
      await this.fail(error, 'select');
    }
  }

  /** Runs the action of a payment the BFF created (or resumed). */
  private async run(payment: PaymentView): Promise<void> {
    this.payment = payment;
    const action = payment.action;
    if (payment.state !== 'pending') return this.onPaymentState(payment.state, payment.failure?.message ?? undefined);
    if (!action || !HANDLED_ACTIONS.has(action.type)) {
      await this.localize.ready; // the text is taken now, not at render: the catalogue must be here (a fast resume beats it)
      this.problem = { code: 'unsupported_action', text: this.localize.term('unsupported_action', { type: action?.type ?? 'unknown' }) };
      this.setState('error');
      return;
    }
    if (action.type === 'qr') {
      // The QR component and the QR encoder are separate chunks: loaded on first use only.
      this.qrReady ??= import('../qr-pay/define.js');
      await this.qrReady;
    } else {
      // `none` while pending: the platform is still deciding (e.g. a code payment in progress): follow the state.
      const { PaymentStatusController } = await import('../../controllers/payment-status-controller.js');
      this.status ??= new PaymentStatusController(this, { onState: (state, message) => this.onPaymentState(state, message) });
      this.status.watch(this.client, payment.bizOrderNo);
    }
    this.setState('awaiting');
  }

  private onPaymentState(state: PaymentState, message?: string): void {
    const payment = this.payment;
    if (!payment || state === 'pending') return;
    this.status?.stop();
    if (state === 'success') {
      this.setState('success');
      emit(this, 'tsy-success', { bizOrderNo: payment.bizOrderNo, amount: payment.amount, method: payment.method });
    } else if (state === 'failed') {
      this.problem = { code: 'payment_failed', text: message || this.localize.term('failed') };
      this.setState('failed');
      emit(this, 'tsy-fail', { code: 'payment_failed', message: this.problem.text });
    } else {
      this.setState('expired');
      emit(this, 'tsy-expired', { bizOrderNo: payment.bizOrderNo });
    }
  }

  /**
   * A child says the payment ended: ask the BFF before believing it, so no event on the page — whoever dispatched it —
   * can make the checkout show a success the server has not confirmed.
   */
  private async confirmWithServer(): Promise<void> {
    const payment = this.payment;
    if (!payment) return;
    try {
      const fresh = await this.client.getPayment(payment.bizOrderNo);
      if (this.payment?.bizOrderNo === fresh.bizOrderNo) this.onPaymentState(fresh.state, fresh.failure?.message ?? undefined);
    } catch {
      // The status stream keeps running in the child; its next report is checked again.
    }
  }

  private chooseAnother(): void {
    const payment = this.payment;
    this.status?.stop();
    if (payment) emit(this, 'tsy-cancel', { bizOrderNo: payment.bizOrderNo });
    this.payment = undefined;
    this.problem = undefined;
    this.setState('select');
  }

  /** A new QR for the same method after the old one expired. */
  private refresh(): void {
    this.payment = undefined;
    void this.pay();
  }

  protected override render(): TemplateResult {
    const order = this.orderView;
    return html`<section part="base" aria-busy=${this.state === 'loading' || this.state === 'processing' ? 'true' : 'false'}>
      ${order
        ? html`<div part="header">
            <span class="subject">${order.subject}</span>
            <span part="amount" aria-label=${`${this.localize.term('amount')} ${this.localize.money(order.amount)}`}>${this.localize.money(order.amount)}</span>
          </div>`
        : nothing}
      ${this.renderBody()}
    </section>`;
  }

  private renderBody(): TemplateResult | typeof nothing {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    switch (this.state) {
      case 'loading':
        return html`<div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('loading')}</span></div>`;
      case 'select':
      case 'processing':
        return this.renderSelect();
      case 'awaiting':
        return this.renderAwaiting();
      case 'success':
        return this.renderResult('success', STATUS_ICONS.success, t('paid'), t('paid_detail'));
      case 'failed':
        return this.renderResult('failed', STATUS_ICONS.failed, t('failed'), this.problem?.text ?? '', html`<button class="primary" @click=${() => this.chooseAnother()}>${t('retry')}</button>`);
      case 'expired':
        return this.renderResult(
          'expired',
          STATUS_ICONS.expired,
          t('expired'),
          t('expired_detail'),
          html`<button class="primary" @click=${() => this.refresh()}>${t('refresh')}</button>
            <button class="link" @click=${() => this.chooseAnother()}>${t('other_method')}</button>`,
        );
      case 'error':
        return this.renderResult(
          'error',
          STATUS_ICONS.failed,
          t('error'),
          this.problem?.text ?? '',
          html`${this.orderView && this.problem?.code === 'unsupported_action'
            ? html`<button class="primary" @click=${() => this.chooseAnother()}>${t('other_method')}</button>`
            : html`<button class="primary" @click=${() => this.reset()}>${t('reload')}</button>`}`,
        );
    }
  }

  private renderSelect(): TemplateResult {
    const order = this.orderView!;
    const busy = this.state === 'processing';
    const usable = order.methods.some((m) => m.usable);
    return html`${this.needsPhone
        ? html`<tsy-phone-bind
            api=${this.api}
            locale=${this.localize.locale}
            theme=${this.theme ?? nothing}
            @tsy-phone-bound=${() => {
              this.needsPhone = false;
              this.problem = undefined;
            }}
          ></tsy-phone-bind>`
        : nothing}
      ${usable
        ? html`<tsy-method-picker
            part="picker"
            .methods=${order.methods}
            .amount=${order.amount}
            .value=${this.selected}
            .environment=${order.environment}
            locale=${this.localize.locale}
            theme=${this.theme ?? nothing}
            ?disabled=${busy}
            @tsy-method-select=${(event: CustomEvent<{ method: string }>) => (this.selected = event.detail.method)}
          ></tsy-method-picker>`
        : html`<p class="detail">${this.localize.term('no_methods')}</p>`}
      ${this.problem ? html`<p class="notice" role="alert">${this.problem.text}</p>` : nothing}
      <button part="pay-button" class="primary" ?disabled=${busy || !this.selected || !usable || this.needsPhone} @click=${() => this.pay()}>
        ${busy ? this.localize.term('processing') : this.localize.term('pay_amount', { amount: this.localize.money(order.amount) })}
      </button>`;
  }

  private renderAwaiting(): TemplateResult {
    const payment = this.payment!;
    const action = payment.action!;
    const body =
      action.type === 'qr'
        ? html`<tsy-qr-pay
            part="qr"
            .payment=${payment}
            api=${this.api}
            locale=${this.localize.locale}
            theme=${this.theme ?? nothing}
            @tsy-payment-state=${() => this.confirmWithServer()}
            @tsy-refresh=${() => this.refresh()}
          ></tsy-qr-pay>`
        : html`<div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${this.localize.term('confirming')}</span></div>`;
    return html`${body}
      <div class="actions"><button class="link" @click=${() => this.chooseAnother()}>${this.localize.term('other_method')}</button></div>`;
  }

  private renderResult(kind: string, icon: TemplateResult, title: string, detail: string, actions?: TemplateResult): TemplateResult {
    return html`<div part="status" class=${kind} role=${kind === 'success' ? 'status' : 'alert'}>
      <svg class="icon" viewBox="0 0 48 48" aria-hidden="true"><circle cx="24" cy="24" r="22" fill="none" stroke="currentColor" stroke-width="3" />${icon}</svg>
      <div class="title">${title}</div>
      ${detail ? html`<div class="detail">${detail}</div>` : nothing}
      ${actions ? html`<div class="actions">${actions}</div>` : nothing}
    </div>`;
  }
}
