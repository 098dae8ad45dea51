import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, state } from 'lit/decorators.js';
import { CheckoutApi } from '../api/checkout-api.js';
import type { ClientEnvironment, PaymentView } from '../api/types.js';
import { PaymentStatusController } from '../controllers/payment-status-controller.js';
import { emit } from '../events.js';
import { TsyElement } from './tsy-element.js';

/**
 * Where an in-app wallet payment is: `opening` the wallet's sheet; `confirming` (the wallet said paid or processing: only
 * the BFF can say it is); `cancelled`, `failed`, `network` (the payment is still open: pay again or choose another);
 * `missing` (no bridge came: not inside the app); `wrong-app` (inside the other wallet: the "open in browser" guide);
 * `invalid` (the action lacks its data; the checkout shows the error).
 */
export type WalletFlowStatus = 'opening' | 'confirming' | 'cancelled' | 'failed' | 'network' | 'missing' | 'wrong-app' | 'invalid';

/** The answer of a wallet's bridge, as the flow shows it. */
export type WalletAnswer = { readonly status: Exclude<WalletFlowStatus, 'opening' | 'wrong-app' | 'invalid'>; readonly detail?: string };

/**
 * What `<tsy-wechat-pay>` and `<tsy-alipay-pay>` share: a payment from the checkout, its live state from the BFF (SSE with
 * polling, from the start, so a payment finished anywhere is seen), the wallet's answer shown as it is — never as a
 * success, which only the BFF reports (`tsy-payment-state`, checked again by the checkout). "Choose another method" is the
 * checkout's, below every flow.
 */
export abstract class WalletFlow extends TsyElement {
  /** The payment to run, from the checkout (or the page). */
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** Base URL of the BFF's checkout API, for a flow used on its own (the checkout hands down its client instead). */
  @property() api = '/api/checkout';
  /** The BFF client to follow the payment's state with; default one for `api`. */
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  /** Where the page runs, as the BFF found it: inside the other wallet the flow shows the "open in browser" guide. */
  @property({ attribute: false }) environment: ClientEnvironment | undefined;
  /** How long to wait for the wallet's bridge, in ms, before saying "open this page in the app". */
  @property({ type: Number, attribute: 'bridge-timeout' }) bridgeTimeout = 4000;
  /** Where the flow is; reflected, so a page (or a test) can follow it. */
  @property({ reflect: true }) status: WalletFlowStatus = 'opening';
  /** The wallet's reason for a failure. */
  @state() protected detail = '';

  private readonly live = new PaymentStatusController(this, {
    onState: (state) => {
      if (state !== 'pending' && this.payment) emit(this, 'tsy-payment-state', { bizOrderNo: this.payment.bizOrderNo, state });
    },
  });
  private started: string | undefined;

  /** The wallet this flow runs in. */
  protected abstract readonly app: 'wechat' | 'alipay';
  /** The action's data is complete: undefined; else the name of the first missing field. */
  protected abstract missingField(payment: PaymentView): string | undefined;
  /** Opens the wallet's sheet and answers what it said. */
  protected abstract openWallet(payment: PaymentView, win: Window): Promise<WalletAnswer>;

  override connectedCallback(): void {
    super.connectedCallback();
    // Back in the page after a move: follow the payment again (the controller stopped when the element left).
    if (this.started && this.payment) this.live.watch(this.client(), this.payment.bizOrderNo);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('payment') && this.payment && this.payment.bizOrderNo !== this.started) void this.begin(this.payment);
  }

  private client(): CheckoutApi {
    return (this.apiClient ??= new CheckoutApi(this.api, () => this.localize.locale));
  }

  private async begin(payment: PaymentView): Promise<void> {
    this.started = payment.bizOrderNo;
    const missing = this.missingField(payment);
    if (missing) {
      this.status = 'invalid';
      await this.localize.ready;
      emit(this, 'tsy-flow-error', { code: 'invalid_action', message: this.localize.term('flow.invalid_action', { field: missing }) });
      return;
    }
    this.live.watch(this.client(), payment.bizOrderNo);
    if (this.environment && this.environment !== this.app && (this.environment === 'wechat' || this.environment === 'alipay')) {
      this.status = 'wrong-app';
      return;
    }
    await this.payAgain();
  }

  /** Opens the wallet's sheet again for the same payment (both wallets allow it while the payment is open). */
  async payAgain(): Promise<void> {
    const payment = this.payment;
    if (!payment || this.status === 'invalid') return;
    this.status = 'opening';
    this.detail = '';
    const answer = await this.openWallet(payment, this.ownerDocument.defaultView ?? window);
    if (this.payment !== payment) return;
    this.detail = answer.detail ?? '';
    this.status = answer.status;
  }

  protected override render(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const spinning = this.status === 'opening' || this.status === 'confirming';
    const again = html`<button part="pay-again" class="primary" @click=${() => this.payAgain()}>${t('pay_again')}</button>`;
    const texts: Record<WalletFlowStatus, string> = {
      opening: t(this.app === 'wechat' ? 'flow.opening_wechat' : 'flow.opening_alipay'),
      confirming: t('confirming'),
      cancelled: t('flow.cancelled'),
      failed: t('flow.wallet_failed', { reason: this.detail || t('failed') }),
      network: t('flow.network'),
      missing: t(this.app === 'wechat' ? 'flow.open_in_wechat' : 'flow.open_in_alipay'),
      'wrong-app': t('guide.title'),
      invalid: '',
    };
    const retry = this.status === 'cancelled' || this.status === 'failed' || this.status === 'network';
    return html`<div part="base">
      ${this.status === 'wrong-app'
        ? html`<div part="guide" role="note">
            <span class="arrow" aria-hidden="true">↗</span>
            <p><strong>${texts['wrong-app']}</strong></p>
            <p>${t('guide.ios')}</p>
            <p>${t('guide.android')}</p>
          </div>`
        : html`<div part="status" role=${this.status === 'failed' || this.status === 'missing' ? 'alert' : 'status'}>
            ${spinning ? html`<div class="spinner" aria-hidden="true"></div>` : nothing}<span>${texts[this.status]}</span>
          </div>`}
      ${retry ? html`<div part="actions">${again}</div>` : nothing}
    </div>`;
  }
}
