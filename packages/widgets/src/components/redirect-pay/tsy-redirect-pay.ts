import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import { CheckoutApi } from '../../api/checkout-api.js';
import type { PaymentAction, PaymentView } from '../../api/types.js';
import { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit } from '../../events.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import { redirectPayStyles } from './tsy-redirect-pay.styles.js';

/** `leaving` for the wallet's page; `returned`: back (return page, reload, back-forward cache), asking "did you finish?"; `confirming`: asking the BFF. */
export type RedirectPayStatus = 'leaving' | 'returned' | 'confirming' | 'refused' | 'invalid';

/** WeChat's `mweb_url` works for 5 minutes; after that "pay again" needs a new payment. */
const MWEB_URL_VALID_MS = 5 * 60_000;
const marker = (bizOrderNo: string) => `tsy-redirect:${bizOrderNo}`;
type Redirect = Extract<PaymentAction, { type: 'redirect' }>;

/**
 * @summary A wallet's H5 page (`redirect`: WeChat H5 `mweb_url`, QQ Wallet): navigates the top window to `url` when its
 * host is allowed, and asks "did you finish paying?" when the payer comes back — the return itself proves nothing.
 *
 * The allowed hosts come from the BFF in the action (`allowedHosts`); the `allowed-hosts` attribute (space-separated) may
 * only narrow them. For WeChat H5 (`wallet="wechat"`) the action's `returnUrl` is appended as `redirect_url`.
 *
 * @event tsy-before-redirect - `{url, method: 'GET'}` before leaving; cancelable (the flow then offers the link by hand).
 * @event tsy-payment-state - `{bizOrderNo, state}` when the BFF reports a final state (the checkout asks the BFF again).
 * @event tsy-refresh - `{}` "pay again" after the wallet link expired: a new payment is needed.
 * @event tsy-flow-error - `{code, message}`: `redirect_host_refused` (host not allowed) or `invalid_action` (no valid `url`).
 *
 * @csspart base - The wrapper.
 * @csspart status - The status line or the question.
 * @csspart actions - The buttons.
 * @csspart paid-button - "I have paid": asks the BFF.
 * @csspart pay-again - Goes to the wallet's page again (a new payment once the link expired).
 * @csspart continue - The link to the wallet's page, when leaving was stopped.
 */
export class TsyRedirectPay extends TsyElement {
  static override styles = [tokens, flowStyles, redirectPayStyles];

  @property() api = '/api/checkout';
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** The method's wallet (`wechat` for WeChat H5: `redirect_url` is appended). */
  @property() wallet: string | undefined;
  /** Space-separated hosts (`host` or `host:port`) to allow, within the action's own list. */
  @property({ attribute: 'allowed-hosts' }) allowedHosts = '';
  /** Reflected: where the flow is. */
  @property({ reflect: true }) status: RedirectPayStatus = 'leaving';
  /** Where the flow sends the payer (with `redirect_url`); set once checked. */
  @property({ attribute: false }) target = '';

  private started: string | undefined;
  private readonly live = new PaymentStatusController(this, {
    onState: (state) => {
      if (state !== 'pending' && this.payment) emit(this, 'tsy-payment-state', { bizOrderNo: this.payment.bizOrderNo, state });
    },
  });
  private readonly onPageShow = (event: PageTransitionEvent) => {
    // Back from the wallet through the back-forward cache: the page was never reloaded.
    if (event.persisted && this.target) this.status = 'returned';
  };

  override connectedCallback(): void {
    super.connectedCallback();
    (this.ownerDocument.defaultView ?? window).addEventListener('pageshow', this.onPageShow);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    (this.ownerDocument.defaultView ?? window).removeEventListener('pageshow', this.onPageShow);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('payment') && this.payment && this.payment.bizOrderNo !== this.started) void this.begin(this.payment);
  }

  private client(): CheckoutApi {
    return (this.apiClient ??= new CheckoutApi(this.api, () => this.localize.locale));
  }

  private async refuse(code: 'redirect_host_refused' | 'invalid_action', status: RedirectPayStatus, params: Record<string, string>): Promise<void> {
    this.status = status;
    await this.localize.ready;
    emit(this, 'tsy-flow-error', { code, message: this.localize.term(code === 'invalid_action' ? 'flow.invalid_action' : 'flow.host_refused', params) });
  }

  private async begin(payment: PaymentView): Promise<void> {
    this.started = payment.bizOrderNo;
    const action = payment.action as Partial<Redirect> | null;
    let url: URL;
    try {
      url = new URL(String(action?.url ?? ''));
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(url.protocol);
    } catch {
      return this.refuse('invalid_action', 'invalid', { field: 'url' });
    }
    const host = url.host.toLowerCase();
    const fromBff = (action?.allowedHosts ?? []).map((h) => h.toLowerCase());
    const narrowed = this.allowedHosts.trim() ? this.allowedHosts.toLowerCase().split(/[\s,]+/) : fromBff;
    if (!fromBff.includes(host) || !narrowed.includes(host)) {
      console.error(`[tsy-redirect-pay] refused to navigate to ${host}: not among the allowed hosts (${narrowed.filter((h) => fromBff.includes(h)).join(', ') || 'none'}). Add it to the BFF's redirectHosts if it is the wallet's.`);
      return this.refuse('redirect_host_refused', 'refused', { host });
    }
    if (this.wallet === 'wechat' && action?.returnUrl) url.searchParams.set('redirect_url', action.returnUrl);
    this.target = url.href;
    // Came back (the return page or a reload of this one) to a payment this page already sent the payer off for.
    const storage = this.storage();
    if (storage?.getItem(marker(payment.bizOrderNo))) {
      this.status = 'returned';
      return;
    }
    this.leave();
  }

  private storage(): Storage | undefined {
    try {
      return (this.ownerDocument.defaultView ?? window).sessionStorage;
    } catch {
      return undefined;
    }
  }

  /** Goes to the wallet's page (the top window: a wallet page refuses to be framed), after `tsy-before-redirect`. */
  private leave(): void {
    const payment = this.payment;
    if (!payment || !this.target) return;
    const storage = this.storage();
    const left = Number(storage?.getItem(marker(payment.bizOrderNo)) ?? 0);
    if (left && Date.now() - left > MWEB_URL_VALID_MS) {
      storage?.removeItem(marker(payment.bizOrderNo));
      emit(this, 'tsy-refresh', {});
      return;
    }
    this.status = 'leaving';
    if (!emit(this, 'tsy-before-redirect', { url: this.target, method: 'GET' }, true)) return;
    if (!left) storage?.setItem(marker(payment.bizOrderNo), String(Date.now()));
    const win = this.ownerDocument.defaultView ?? window;
    try {
      (win.top ?? win).location.assign(this.target);
    } catch {
      win.location.assign(this.target);
    }
  }

  /** "I have paid": the BFF decides; pending shows "confirming", live. */
  private confirm(): void {
    if (!this.payment) return;
    this.status = 'confirming';
    this.live.watch(this.client(), this.payment.bizOrderNo);
  }

  protected override render(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const again = html`<button part="pay-again" class="link" @click=${() => this.leave()}>${t('pay_again')}</button>`;
    switch (this.status) {
      case 'returned':
        return html`<div part="base">
          <div part="status" role="status"><p class="question">${t('flow.did_you_pay')}</p></div>
          <div part="actions"><button part="paid-button" class="primary" @click=${() => this.confirm()}>${t('flow.i_have_paid')}</button>${again}</div>
        </div>`;
      case 'confirming':
        return html`<div part="base">
          <div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('confirming')}</span></div>
          <div part="actions">${again}</div>
        </div>`;
      case 'leaving':
        return html`<div part="base">
          <div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('flow.to_payment_page')}</span></div>
          ${this.target ? html`<div part="actions"><a part="continue" href=${this.target} target="_top" rel="noopener">${t('flow.continue')}</a></div>` : nothing}
        </div>`;
      default:
        return html`<div part="base"></div>`;
    }
  }
}
