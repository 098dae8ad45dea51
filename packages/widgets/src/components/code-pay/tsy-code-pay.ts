import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { CheckoutApi, CheckoutApiError, newIdempotencyKey } from '../../api/checkout-api.js';
import type { PaymentView } from '../../api/types.js';
import { PaymentStatusController } from '../../controllers/payment-status-controller.js';
import { emit, type TsyEvent } from '../../events.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { flowStyles } from '../../styles/flow.js';
import { tokens } from '../../styles/tokens.js';
import type { TsyCodeScanner } from '../code-scanner/tsy-code-scanner.js';
import '../code-scanner/define.js';
import { codePayStyles } from './tsy-code-pay.styles.js';

/** `scan`: waiting for a code; `creating`: the BFF charges it; `waiting`: the payer confirms in the wallet (pending). */
export type CodePayStatus = 'scan' | 'creating' | 'waiting';

/** A create answered 409 `payment_in_progress`, or not answered at all, is asked again (same key) this often at most. */
const RETRIES = 3;

/**
 * The cashier's input step of `CODEPAY_VSP` (the merchant scans the payer's payment code, 被扫): `<tsy-code-scanner>`
 * reads the code (camera, barcode gun or typed), this element creates the payment with it (`{method, authcode}`). A
 * payment the payer still confirms in the wallet (`pending`, action `none`) is shown as "waiting for the payer", live,
 * until final; a final one is reported with `tsy-payment-state`. A code the BFF or the platform refuses (not a payment
 * code, used before, declined) is said here, and the scanner is ready for a new code.
 *
 * `<tsy-checkout>` gives it `payment`: the attempt to make (no `bizOrderNo` yet: `merchantOrderId`, `method`, `amount`),
 * or a pending payment to follow; each payment it makes is announced with `tsy-payment-created` (the checkout takes it as
 * its payment). Used alone, give it the same and listen for `tsy-payment-state` (then ask the BFF).
 *
 * @summary Scan the payer's payment code, charge it, and follow the payment until the payer has confirmed it.
 *
 * @event tsy-payment-state - `{bizOrderNo, state}` when the payment is paid (at once, or once the payer confirmed), expired
 * or closed (the checkout asks the BFF before it shows it).
 * @event tsy-payment-created - `{payment}` for each payment it made of the attempt.
 * @event tsy-fail - `{code, message}` when a code is refused or its payment fails; the step is ready for the next code.
 * (`order_paid`: the order was paid meanwhile — the checkout reloads it.)
 *
 * @csspart base - The wrapper.
 * @csspart scanner - The `<tsy-code-scanner>`.
 * @csspart status - "Charging…" / "Waiting for the payer…".
 * @csspart error - Why the last code did not pay (role="alert").
 */
export class TsyCodePay extends TsyElement {
  static override styles = [tokens, flowStyles, codePayStyles];

  @property() api = '/api/checkout';
  @property({ attribute: false }) apiClient: CheckoutApi | undefined;
  /** The attempt to make (`merchantOrderId`, `method`, `amount`) or, with a `bizOrderNo`, the pending payment to follow. */
  @property({ attribute: false }) payment: PaymentView | undefined;
  /** Space-separated wallets whose codes are taken (`wechat alipay unionpay`); passed to the scanner. */
  @property() wallets = '';
  /** Reflected: where the step is. */
  @property({ reflect: true }) status: CodePayStatus = 'scan';

  @state() private problem = '';
  @query('tsy-code-scanner') private scanner: TsyCodeScanner | undefined;

  private followed: string | undefined;
  /** The payment made of the attempt (or the pending one given): what is followed and reported. */
  private made: PaymentView | undefined;
  /**
   * One Idempotency-Key per code, kept until the BFF answers for it: the same code again (a retry after a lost answer, the
   * cashier scanning it once more) asks for the same payment, never a second charge of it.
   */
  private readonly keys = new Map<string, string>();
  private readonly live = new PaymentStatusController(this, {
    onState: (state, message) => {
      const payment = this.made;
      if (!payment || state === 'pending') return;
      if (state === 'failed') return void this.refused('payment_failed', message ? this.localize.term('code.failed', { reason: message }) : this.localize.term('failed'));
      emit(this, 'tsy-payment-state', { bizOrderNo: payment.bizOrderNo, state });
    },
  });

  private client(): CheckoutApi {
    return (this.apiClient ??= new CheckoutApi(this.api, () => this.localize.locale));
  }

  protected override updated(changed: PropertyValues<this>): void {
    // A pending payment given (a reload while the payer confirms): follow it.
    const payment = this.payment;
    if (changed.has('payment') && payment?.bizOrderNo && payment.state === 'pending' && payment.bizOrderNo !== this.followed) this.follow(payment);
  }

  private follow(payment: PaymentView): void {
    this.made = payment;
    this.followed = payment.bizOrderNo;
    this.status = 'waiting';
    this.live.watch(this.client(), payment.bizOrderNo);
  }

  private async charge(event: TsyEvent<'tsy-code-scanned'>): Promise<void> {
    // The code is for this step only: not for the host page's listeners (a live payment code is money).
    event.stopPropagation();
    const attempt = this.payment;
    if (!attempt || this.status !== 'scan') return;
    const code = event.detail.code;
    this.status = 'creating';
    this.problem = '';
    const key = this.keys.get(code) ?? newIdempotencyKey();
    this.keys.set(code, key);
    for (let tries = 0; ; tries++) {
      try {
        const created = await this.client().createPayment(attempt.merchantOrderId, { method: attempt.method, authcode: code }, key);
        if (this.payment !== attempt) return;
        this.keys.delete(code);
        this.made = created;
        emit(this, 'tsy-payment-created', { payment: created });
        if (created.state === 'failed') {
          const reason = created.failure?.message;
          return this.refused('payment_failed', reason ? this.localize.term('code.failed', { reason }) : this.localize.term('failed'));
        }
        if (created.state === 'pending') return this.follow(created);
        this.status = 'scan';
        emit(this, 'tsy-payment-state', { bizOrderNo: created.bizOrderNo, state: created.state });
        return;
      } catch (error) {
        if (this.payment !== attempt) return;
        const api = error instanceof CheckoutApiError ? error : undefined;
        // Still being made (this code's first create), or no answer at all (lost, a 5xx): the same key, asked again.
        const unanswered = !api || api.status === 0 || api.status >= 500;
        if ((api?.code === 'payment_in_progress' || unanswered) && tries < RETRIES) {
          await new Promise((resolve) => setTimeout(resolve, Math.min(Math.max(api?.retryAfter ?? 2 ** tries, 0.2), 5) * 1000));
          if (this.payment !== attempt) return;
          continue;
        }
        // A definite refusal made nothing: the code's next try is a new request. Unanswered, the key stays for this code.
        if (!unanswered && api?.code !== 'payment_in_progress') this.keys.delete(code);
        return this.refused(api?.code ?? 'error', api ? await this.localize.errorText(api.code, api.message) : this.localize.term('error'));
      }
    }
  }

  /** The last code did not pay: say why, and take the next one (a new payment of the same attempt). */
  private async refused(code: string, message: string): Promise<void> {
    this.live.stop();
    this.followed = undefined;
    this.made = undefined;
    this.problem = message;
    this.status = 'scan';
    await this.updateComplete;
    this.scanner?.reset();
    emit(this, 'tsy-fail', { code, message });
  }

  protected override render(): TemplateResult {
    const t = this.localize.term.bind(this.localize);
    const amount = this.payment?.amount;
    return html`<div part="base">
      ${this.status === 'waiting'
        ? html`<div part="status" role="status"><div class="spinner" aria-hidden="true"></div><span>${t('code.waiting')}</span></div>`
        : html`<tsy-code-scanner
              part="scanner"
              .amount=${amount}
              wallets=${this.wallets || nothing}
              locale=${this.localize.locale}
              theme=${this.theme ?? nothing}
              ?disabled=${this.status === 'creating'}
              @tsy-code-scanned=${(event: TsyEvent<'tsy-code-scanned'>) => void this.charge(event)}
            ></tsy-code-scanner>
            <div part="status" role="status">${this.status === 'creating' ? html`<div class="spinner" aria-hidden="true"></div><span>${t('code.creating')}</span>` : nothing}</div>`}
      <p part="error" role="alert">${this.problem}</p>
    </div>`;
  }
}
