import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError, newIdempotencyKey } from '../../api/checkout-api.js';
import type { OrderView, PaymentState, PaymentView, Settlement } from '../../api/types.js';
import type { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit, type CheckoutState } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { chunk } from '../../internal/chunk.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { tokens } from '../../styles/tokens.js';
import { checkoutStyles } from './tsy-checkout.styles.js';
import { FLOWS, INPUTS, offerable } from './flows.js';


type Results = typeof import('./checkout-result.js');
let results: Results | undefined;
/**
 * The result view (shared with the flows) is a chunk of its own, outside the main entry: fetched when the checkout
 * connects, awaited before a result is shown. Offline, a result is still shown, as plain text (so this never rejects).
 */
const resultsChunk = chunk(() => import('./checkout-result.js'));
const loadResults = (): Promise<unknown> => resultsChunk().then((module) => (results = module), () => undefined);
const RESULT_STATES = new Set<CheckoutState>(['success', 'failed', 'expired', 'error']);

/**
 * `<tsy-method-picker>` is a chunk of its own too: fetched when the checkout connects, beside the order (which it cannot
 * be drawn without), and defined before the checkout shows `select`.
 */
const loadPicker = chunk(() => import('../method-picker/define.js'));

/** How often a create answered 409 `payment_in_progress` is tried again (same key), and the longest wait between tries. */
const IN_PROGRESS_RETRIES = 5;
const IN_PROGRESS_MAX_WAIT_S = 5;

/**
 * @summary The whole checkout for one merchant order: loads it from the BFF, lets the payer choose a method, creates the
 * payment and runs what the BFF says to do next, until the BFF confirms the outcome.
 *
 * @event tsy-state-change - `{state, previous}` whenever `state` changes.
 * @event tsy-success - `{bizOrderNo, amount, method, settlement}` once the BFF confirms the payment (or finds the order
 * already paid). `settlement` other than `paid` means money to refund; the payer is told so.
 * @event tsy-fail - `{code, message}` when a payment fails or cannot be created, its next step is one this page has no
 * flow for (`code: 'unsupported_action'`), or its flow cannot run it (the flow's code, e.g. `invalid_action`).
 * @event tsy-expired - `{bizOrderNo}` when the payment expires or the platform closes it.
 * @event tsy-cancel - `{bizOrderNo}` when the payer leaves an attempt to choose another method.
 *
 * @csspart base - The card around everything.
 * @csspart header - Subject and amount.
 * @csspart amount - The amount to pay.
 * @csspart picker - The `<tsy-method-picker>`.
 * @csspart pay-button - The pay button.
 * @csspart status - The result / progress area.
 * @csspart flow - The flow element running the payment's action (`<tsy-qr-pay>`, `<tsy-wechat-pay>`, `<tsy-alipay-pay>`);
 * also `qr`, `wechat`, `alipay` by its kind.
 * @csspart other-method - "Choose another method" under a running payment.
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
  /** Behind the read-only `state`. */
  @state() private current: CheckoutState = 'loading';

  @state() private orderView: OrderView | undefined;
  @state() private payment: PaymentView | undefined;
  @state() private selected = '';
  @state() private problem: { code: string; text: string } | undefined;
  /** With a success: what it did to the order. */
  @state() private settlement: Settlement = 'paid';
  /** The payer must bind a phone before paying (spec §4.1.3). */
  @state() private needsPhone = false;


  /** Follows a payment with no QR to show (e.g. a code payment still in progress); loaded the first time it is needed. */
  private status: PaymentStatusController | undefined;
  /** The one client of this checkout, handed down to the children (`apiClient`) instead of each building its own. */
  private client!: CheckoutApi;
  private loadSeq = 0;
  /** What the last start() loaded. */
  private started: { order: string; api: string } | undefined;
  /** The flow element of the current payment (one per payment), from `FLOWS`. */
  private flow: (HTMLElement & Record<string, unknown>) | undefined;
  /**
   * The Idempotency-Key of the current attempt: kept while the same attempt is tried again (a lost answer, a double click,
   * a 409 `payment_in_progress`), so the BFF answers with the payment it already made instead of making a second one.
   * Cleared when an attempt ends: another method, a new QR after expiry, a start over, a definite refusal.
   */
  private attemptKey: string | undefined;

  /**
   * Where the checkout is; reflected as the `state` attribute. Read only: only the checkout moves it, after the BFF said
   * so — a page script assigning it changes nothing (and throws, as for a native read-only property, in strict code).
   */
  get state(): CheckoutState {
    return this.current;
  }

  override connectedCallback(): void {
    // A value set on the element before it was upgraded would hide the getter.
    if (Object.hasOwn(this, 'state')) delete (this as { state?: unknown }).state;
    super.connectedCallback();
    // The attribute is a reflection only (not observed): markup or a script writing it changes nothing, and it is put right here.
    this.setAttribute('state', this.current);
    void loadResults();
    void loadPicker().catch(() => undefined);
    if (this.order) void this.start();
  }

  protected override updated(changed: PropertyValues<this>): void {
    // Also the first update: a page script that sets `order` as a property right after the element connected (plain
    // HTML, Vue's `.prop`) must load it; the same order and api already started by connectedCallback are not loaded twice.
    if ((changed.has('order') || changed.has('api')) && this.order && (this.order !== this.started?.order || this.api !== this.started?.api)) void this.start();
  }

  /** Loads (or reloads) the order and shows what it needs: picker, a pending payment, or its result. */
  async start(): Promise<void> {
    const seq = ++this.loadSeq;
    this.started = { order: this.order, api: this.api };
    if (this.client?.base !== this.api) this.client = new CheckoutApi(this.api, () => this.localize.locale);
    this.status?.stop();
    this.payment = undefined;
    this.problem = undefined;
    this.attemptKey = undefined;
    void this.setState('loading');
    try {
      const view = await this.client.getOrder(this.order);
      if (seq !== this.loadSeq) return;
      this.orderView = view;
      if (view.paid) {
        this.settlement = 'paid';
        await this.setState('success');
        emit(this, 'tsy-success', { bizOrderNo: view.paidBizOrderNo ?? '', amount: view.amount, method: '', settlement: 'paid' });
        return;
      }
      const current = view.currentPayment;
      if (current && current.state === 'pending' && current.action) {
        // A reload mid-payment resumes the same bizOrderNo instead of starting a second payment.
        this.selected = current.method;
        await this.run({ ...current, merchantOrderId: view.merchantOrderId, amount: view.amount, failure: null, settlement: null, refundedAmount: 0, environment: view.environment, serverTime: view.serverTime, action: current.action });
        return;
      }
      this.selected ||= offerable(view.methods).find((m) => m.usable)?.method ?? '';
      this.needsPhone = view.payer.phoneBound === false;
      if (this.needsPhone) void import('../phone-bind/define.js');
      await loadPicker();
      if (seq !== this.loadSeq) return;
      void this.setState('select');
    } catch (error) {
      if (seq === this.loadSeq) await this.fail(error, 'error');
    }
  }

  /** Another method is another attempt: a new Idempotency-Key for it. */
  private select(method: string): void {
    if (method !== this.selected) this.attemptKey = undefined;
    this.selected = method;
  }

  /** Back to the picker with the order reloaded. */
  reset(): void {
    void this.start();
  }

  private async setState(next: CheckoutState): Promise<void> {
    if (RESULT_STATES.has(next)) {
      await loadResults();
      // The result view's styles come with it: adopted once, beside the checkout's own.
      const root = this.renderRoot as ShadowRoot;
      const sheet = results?.resultStyles.styleSheet;
      if (sheet && root.adoptedStyleSheets && !root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
    }
    const previous = this.current;
    if (previous === next) return;
    this.current = next;
    this.setAttribute('state', next);
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
    await this.setState(state);
    emit(this, 'tsy-fail', { code, message: text });
  }

  private async pay(): Promise<void> {
    if (!this.orderView || !this.selected || this.current === 'processing') return;
    const seq = this.loadSeq;
    const order = this.orderView.merchantOrderId;
    // An input step makes the payment itself, from the attempt handed to it (which becomes the payment it made).
    if (INPUTS[this.selected]) return void this.run({ merchantOrderId: order, method: this.selected, amount: this.orderView.amount, state: 'pending', action: { type: 'none' } } as PaymentView);
    const body = { method: this.selected };
    const key = (this.attemptKey ??= newIdempotencyKey());
    this.problem = undefined;
    void this.setState('processing');
    for (let tries = 0; ; tries++) {
      try {
        const payment = await this.client.createPayment(order, body, key);
        if (seq === this.loadSeq && this.attemptKey === key) await this.run(payment);
        return;
      } catch (error) {
        if (seq !== this.loadSeq || this.attemptKey !== key) return;
        const api = error instanceof CheckoutApiError ? error : undefined;
        // The same attempt is still being created (a second tab, a retry racing the first): wait as told, then ask again.
        if (api?.code === 'payment_in_progress' && tries < IN_PROGRESS_RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(api.retryAfter ?? 1, 0.2), IN_PROGRESS_MAX_WAIT_S) * 1000));
          if (seq !== this.loadSeq || this.attemptKey !== key) return;
          continue;
        }
        // A definite refusal (4xx) made nothing to come back to: the next try is a new attempt. A lost answer, a 5xx or a
        // payment still in progress keep the key: the next try may find the payment the BFF made.
        if (api && api.status >= 400 && api.status < 500 && api.code !== 'payment_in_progress') this.attemptKey = undefined;
        await this.fail(error, 'select');
        return;
      }
    }
  }

  /** Runs the action of a payment the BFF created (or resumed). */
  private async run(payment: PaymentView): Promise<void> {
    this.payment = payment;
    const action = payment.action;
    if (payment.state !== 'pending') return this.onPaymentState(payment.state, payment.failure?.message ?? undefined, payment.settlement ?? undefined);
    this.flow = undefined;
    const load = action && (FLOWS[action.type] ?? INPUTS[payment.method]);
    if (!action || (action.type !== 'none' && !load)) {
      await this.localize.ready; // the text is taken now, not at render: the catalogue must be here (a fast resume beats it)
      const text = this.localize.term('unsupported_action', { type: action?.type ?? 'unknown' });
      this.problem = { code: 'unsupported_action', text };
      await this.setState('error');
      emit(this, 'tsy-fail', { code: 'unsupported_action', message: text });
      return;
    }
    if (load) {
      const tag = await load();
      if (this.payment !== payment) return;
      this.flow = this.createFlow(tag, payment);
    } else {
      // `none` while pending: the platform is still deciding (e.g. a code payment in progress): follow the state.
      const { PaymentStatusController } = await import('../../controllers/payment-status-controller.js');
      this.status ??= new PaymentStatusController(this, { onState: (state, message, settlement) => void this.onPaymentState(state, message, settlement) });
      this.status.watch(this.client, payment.bizOrderNo);
    }
    void this.setState('awaiting');
  }

  /** The flow element for a payment: given what it needs, heard through its events. */
  private createFlow(tag: string, payment: PaymentView): HTMLElement & Record<string, unknown> {
    const flow = document.createElement(tag) as HTMLElement & Record<string, unknown>;
    flow.setAttribute('part', `flow ${tag.replace(/^tsy-|-pay$/g, '')}`);
    const method = this.orderView?.methods.find((m) => m.method === payment.method);
    Object.assign(flow, {
      payment,
      apiClient: this.client,
      environment: payment.environment ?? this.orderView?.environment,
      wallet: method?.wallet,
      // The input step's scanner refuses a code of a wallet the shop does not take, before anything is sent.
      wallets: method?.paymentCodeWallets?.join(' ') ?? '',
    });
    flow.addEventListener('tsy-payment-state', () => void this.confirmWithServer());
    flow.addEventListener('tsy-refresh', () => this.refresh());
    // An input step made its payment; a code it found already paid the order: the order, reloaded, says so.
    flow.addEventListener('tsy-payment-created', (event) => this.flow === flow && (this.payment = event.detail.payment));
    flow.addEventListener('tsy-fail', (event) => event.detail.code === 'order_paid' && void this.start());
    flow.addEventListener('tsy-flow-error', (event) => {
      event.stopPropagation();
      if (this.flow !== flow) return;
      this.problem = { code: event.detail.code, text: event.detail.message };
      void this.setState('error').then(() => emit(this, 'tsy-fail', event.detail));
    });
    return flow;
  }

  private async onPaymentState(state: PaymentState, message?: string, settlement?: Settlement): Promise<void> {
    const payment = this.payment;
    if (!payment || state === 'pending') return;
    this.status?.stop();
    if (state === 'success') {
      // A BFF from before settlements said nothing: its success paid the order.
      this.settlement = settlement ?? 'paid';
      await this.setState('success');
      emit(this, 'tsy-success', { bizOrderNo: payment.bizOrderNo, amount: payment.amount, method: payment.method, settlement: this.settlement });
    } else if (state === 'failed') {
      this.problem = { code: 'payment_failed', text: message || this.localize.term('failed') };
      await this.setState('failed');
      emit(this, 'tsy-fail', { code: 'payment_failed', message: this.problem.text });
    } else {
      await this.setState('expired');
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
      if (this.payment?.bizOrderNo === fresh.bizOrderNo && fresh.merchantOrderId === this.orderView?.merchantOrderId) await this.onPaymentState(fresh.state, fresh.failure?.message ?? undefined, fresh.settlement ?? undefined);
    } catch {
      // The status stream keeps running in the child; its next report is checked again.
    }
  }

  private chooseAnother(): void {
    const payment = this.payment;
    this.status?.stop();
    if (payment?.bizOrderNo) emit(this, 'tsy-cancel', { bizOrderNo: payment.bizOrderNo });
    this.attemptKey = undefined;
    this.payment = undefined;
    this.flow = undefined;
    this.problem = undefined;
    void this.setState('select');
  }

  /** A new QR for the same method after the old one expired. */
  private refresh(): void {
    this.attemptKey = undefined;
    this.payment = undefined;
    void this.pay();
  }

  protected override render(): TemplateResult {
    const order = this.orderView;
    return html`<section part="base" aria-busy=${this.current === 'loading' || this.current === 'processing' ? 'true' : 'false'}>
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
    switch (this.current) {
      case 'loading':
        return html`<div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('loading')}</span></div>`;
      case 'select':
      case 'processing':
        return this.renderSelect();
      case 'awaiting':
        return this.renderAwaiting();
      default:
        return this.renderEnded(this.current);
    }
  }

  /**
   * Where the payment ended (success, failed, expired, error): drawn by the result chunk, which is here before any such
   * state is set; offline, the title and detail as plain text.
   */
  private renderEnded(state: 'success' | 'failed' | 'expired' | 'error'): TemplateResult {
    const detail = this.problem?.text ?? '';
    if (!results) return html`<p part="status" role=${state === 'success' ? 'status' : 'alert'}>${this.localize.term(state === 'success' ? 'paid' : state)} ${detail}</p>`;
    return results.checkoutResult(state, this.localize, {
      settlement: this.settlement,
      detail,
      // Another method for a payment that exists; without one (the order did not load), only a reload can help.
      retry: () => this.chooseAnother(),
      refresh: () => this.refresh(),
      other: this.orderView && this.payment ? () => this.chooseAnother() : undefined,
      reload: () => this.reset(),
    });
  }

  private renderSelect(): TemplateResult {
    const order = this.orderView!;
    const busy = this.current === 'processing';
    const usable = offerable(order.methods).some((m) => m.usable);
    return html`${this.needsPhone
        ? html`<tsy-phone-bind
            .apiClient=${this.client}
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
            .methods=${offerable(order.methods)}
            .amount=${order.amount}
            .value=${this.selected}
            locale=${this.localize.locale}
            theme=${this.theme ?? nothing}
            ?disabled=${busy}
            @tsy-method-select=${(event: CustomEvent<{ method: string }>) => this.select(event.detail.method)}
          ></tsy-method-picker>`
        : html`<p class="detail">${this.localize.term('no_methods')}</p>`}
      ${this.problem ? html`<p class="notice" role="alert">${this.problem.text}</p>` : nothing}
      <button part="pay-button" class="primary" ?disabled=${busy || !this.selected || !usable || this.needsPhone} @click=${() => this.pay()}>
        ${busy ? this.localize.term('processing') : this.localize.term('pay_amount', { amount: this.localize.money(order.amount) })}
      </button>`;
  }

  private renderAwaiting(): TemplateResult {
    const flow = this.flow;
    if (flow) {
      // The checkout's language and theme, kept in step.
      flow.setAttribute('locale', this.localize.locale);
      if (this.theme) flow.setAttribute('theme', this.theme);
      else flow.removeAttribute('theme');
    }
    return html`${flow ?? html`<div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${this.localize.term('confirming')}</span></div>`}
      <div class="actions"><button part="other-method" class="link" @click=${() => this.chooseAnother()}>${this.localize.term('other_method')}</button></div>`;
  }
}
