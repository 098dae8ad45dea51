import QRCode from 'qrcode';
import { ApiError, checkoutApi, type OrderView, type PaymentState, type PaymentView } from './api.js';
import { h, isSafeUrl, replace, type Child } from './dom.js';
import { formatCountdown, formatYuan } from './format.js';

/*
 * The checkout area, as a plain page over the BFF's HTTP API until the <tsy-checkout> widget replaces it: amount, phone
 * binding, method choice, the QR or SMS step, a countdown and the payment's state as the BFF reports it (Server-Sent
 * Events, polling as the fallback).
 */

export const METHOD_LABELS: Record<string, readonly [string, string]> = {
  SCAN_WEIXIN: ['微信支付', 'WeChat Pay · QR'],
  SCAN_ALIPAY: ['支付宝', 'Alipay · QR'],
  SCAN_UNIONPAY: ['云闪付', 'UnionPay · QR'],
  BALANCE: ['账户余额', 'Balance · SMS code'],
};
export const methodLabel = (method: string): string => {
  const label = METHOD_LABELS[method];
  return label ? `${label[0]} / ${label[1]}` : method;
};

const REASONS: Record<string, string> = {
  open_in_wechat: '请在微信中打开 / Open this page in WeChat',
  open_in_alipay: '请在支付宝中打开 / Open this page in Alipay',
  open_on_mobile: '请在手机上打开 / Open this page on a phone',
  desktop_only: '仅限收银台 / Checkout counter only',
  app_only: '仅限 App / In the app only',
  payer_account_missing: '缺少付款账户 / No payer account',
};

export const STATE_TEXT: Record<PaymentState, readonly [string, string]> = {
  pending: ['等待支付', 'Waiting for payment'],
  success: ['支付成功', 'Payment successful'],
  failed: ['支付失败', 'Payment failed'],
  expired: ['支付已过期', 'Payment expired'],
  closed: ['订单已关闭', 'Order closed'],
};

const POLL_MS = 2000;
/** While the stream is live, the page still asks now and then (see checkOnce). */
const NUDGE_MS = 10_000;

function randomKey(): string {
  // crypto.randomUUID needs a secure context; a phone on the LAN opens the demo over plain http.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export interface CheckoutOptions {
  /** The sandbox's SMS inbox, where verification codes show. */
  readonly smsInboxUrl: string;
  /** The shown order was paid. */
  readonly onPaid: (merchantOrderId: string) => void;
  /** "Shop again" after a successful payment. */
  readonly onDone: () => void;
}

export class CheckoutPanel {
  readonly element = h('section', { class: 'checkout', 'aria-live': 'polite' });

  /** Bumped on every new order: answers that arrive for an older one are dropped. */
  private generation = 0;
  private order: OrderView | undefined;
  private payment: PaymentView | undefined;
  /** serverTime − client time, so the countdown follows the server's clock. */
  private clockOffset = 0;
  private error: string | undefined;
  private notice: string | undefined;
  private busy = false;

  private phone = '';
  private phoneCode = '';
  private phoneCodeSentTo: string | undefined;
  /** The BFF asks for a pause between codes (`resendAfter`). */
  private phoneResendAt = 0;
  private smsCode = '';

  private live: 'sse' | 'poll' | undefined;
  private eventSource: EventSource | undefined;
  private pollTimer: number | undefined;
  private tickTimer: number | undefined;
  private nudgeTimer: number | undefined;
  private countdown: HTMLElement | undefined;

  constructor(private readonly options: CheckoutOptions) {
    this.showMessage('购物车是空的,先挑几件商品吧 / Your cart is empty');
  }

  /** Nothing to pay (empty cart) or a message instead of the checkout. */
  showMessage(text: string): void {
    this.generation++;
    this.stopFollowing();
    this.order = undefined;
    this.payment = undefined;
    replace(this.element, h('h2', null, '结算 ', h('span', { class: 'en' }, 'Checkout')), h('p', { class: 'muted' }, text));
  }

  /** Shows the checkout of `merchantOrderId`, resuming its open payment if it has one. */
  async load(merchantOrderId: string): Promise<void> {
    const generation = ++this.generation;
    this.stopFollowing();
    this.order = undefined;
    this.payment = undefined;
    this.error = undefined;
    this.notice = undefined;
    try {
      const order = await checkoutApi.order(merchantOrderId);
      if (generation !== this.generation) return;
      this.setOrder(order);
      if (order.currentPayment && !order.paid) {
        const payment = await checkoutApi.payment(order.currentPayment.bizOrderNo);
        if (generation !== this.generation) return;
        this.showPayment(payment);
        return;
      }
    } catch (error) {
      if (generation !== this.generation) return;
      this.error = messageOf(error);
    }
    this.render();
  }

  get currentOrderId(): string | undefined {
    return this.order?.merchantOrderId;
  }

  private setOrder(order: OrderView): void {
    this.order = order;
    this.clockOffset = Date.parse(order.serverTime) - Date.now();
  }

  private async reloadOrder(): Promise<void> {
    if (!this.order) return;
    const generation = this.generation;
    const order = await checkoutApi.order(this.order.merchantOrderId);
    if (generation === this.generation) this.setOrder(order);
  }

  /** Runs an action with the buttons disabled, showing its error. */
  private async act(action: () => Promise<void>): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.error = undefined;
    this.notice = undefined;
    this.render();
    const generation = this.generation;
    try {
      await action();
    } catch (error) {
      if (generation !== this.generation) return;
      if (error instanceof ApiError && error.code === 'payer_phone_required' && this.order) {
        this.order = { ...this.order, payer: { ...this.order.payer, phoneBound: false } };
      }
      if (error instanceof ApiError && error.code === 'order_paid') await this.reloadOrder().catch(() => undefined);
      this.error = messageOf(error);
    } finally {
      this.busy = false;
    }
    if (generation === this.generation) this.render();
  }

  // ——— payments ———

  private pay(method: string): void {
    const order = this.order;
    if (!order) return;
    void this.act(async () => {
      const payment = await checkoutApi.createPayment(order.merchantOrderId, method, randomKey());
      this.showPayment(payment);
    });
  }

  private showPayment(payment: PaymentView): void {
    this.payment = payment;
    this.clockOffset = Date.parse(payment.serverTime) - Date.now();
    this.smsCode = '';
    if (payment.state === 'pending') this.follow(payment.bizOrderNo);
    else this.finished(payment);
    this.render();
  }

  /**
   * Follows the payment's state over the SSE stream. While the stream is down (the browser retries it by itself) or
   * refused, the page polls the payment every 2 s instead.
   */
  private follow(bizOrderNo: string): void {
    this.stopFollowing();
    this.tickTimer = window.setInterval(() => this.tick(), 1000);
    const generation = this.generation;
    this.nudgeTimer = window.setInterval(() => {
      if (this.pollTimer === undefined) this.checkOnce(bizOrderNo, generation);
    }, NUDGE_MS);
    if (typeof EventSource === 'undefined') return this.startPolling(bizOrderNo);
    const source = new EventSource(checkoutApi.eventsUrl(bizOrderNo));
    this.eventSource = source;
    source.addEventListener('open', () => {
      if (this.eventSource !== source) return;
      this.stopPolling();
      this.live = 'sse';
      this.updateLive();
    });
    source.addEventListener('state', (event) => {
      if (this.eventSource !== source) return;
      const data = JSON.parse((event as MessageEvent<string>).data) as { bizOrderNo: string; state: PaymentState; message?: string };
      if (data.bizOrderNo === this.payment?.bizOrderNo) this.onState(data.state);
    });
    source.addEventListener('error', () => {
      if (this.eventSource !== source) return;
      if (source.readyState === EventSource.CLOSED) this.eventSource = undefined;
      this.startPolling(bizOrderNo);
    });
  }

  private startPolling(bizOrderNo: string): void {
    if (this.pollTimer !== undefined) return;
    this.live = 'poll';
    this.updateLive();
    const generation = this.generation;
    this.pollTimer = window.setInterval(() => this.checkOnce(bizOrderNo, generation), POLL_MS);
  }

  private stopPolling(): void {
    if (this.pollTimer !== undefined) window.clearInterval(this.pollTimer);
    this.pollTimer = undefined;
  }

  /**
   * Asks the BFF for the payment. Besides polling, this is also a nudge while the stream is live: a failed payment is
   * never notified by the platform, and a client asking makes the BFF check with the platform (rate-limited there).
   */
  private checkOnce(bizOrderNo: string, generation: number): void {
    void checkoutApi
      .payment(bizOrderNo)
      .then((payment) => {
        if (generation !== this.generation || payment.bizOrderNo !== this.payment?.bizOrderNo || this.payment.state !== 'pending') return;
        this.clockOffset = Date.parse(payment.serverTime) - Date.now();
        if (payment.state !== 'pending') {
          this.payment = payment;
          this.finished(payment);
          this.render();
        }
      })
      .catch(() => undefined);
  }

  private stopFollowing(): void {
    this.eventSource?.close();
    this.eventSource = undefined;
    this.stopPolling();
    if (this.tickTimer !== undefined) window.clearInterval(this.tickTimer);
    if (this.nudgeTimer !== undefined) window.clearInterval(this.nudgeTimer);
    this.tickTimer = undefined;
    this.nudgeTimer = undefined;
    this.live = undefined;
  }

  /** A state from the stream: a final one is confirmed with the full payment view (failure message included). */
  private onState(state: PaymentState): void {
    const payment = this.payment;
    if (!payment || state === 'pending' || payment.state !== 'pending') return;
    const generation = this.generation;
    this.stopFollowing();
    void checkoutApi
      .payment(payment.bizOrderNo)
      .then((view) => view, () => ({ ...payment, state }))
      .then((view) => {
        if (generation !== this.generation) return;
        this.payment = view;
        this.finished(view);
        this.render();
      });
  }

  private finished(payment: PaymentView): void {
    this.stopFollowing();
    if (payment.state === 'success') {
      if (this.order) this.order = { ...this.order, paid: true, paidBizOrderNo: payment.bizOrderNo };
      this.options.onPaid(payment.merchantOrderId);
    }
  }

  private remainingMs(): number {
    return this.payment ? Date.parse(this.payment.expiresAt) - (Date.now() + this.clockOffset) : 0;
  }

  private tick(): void {
    const remaining = this.remainingMs();
    if (this.countdown) {
      this.countdown.textContent = remaining > 0 ? formatCountdown(remaining) : '0:00';
      this.countdown.classList.toggle('urgent', remaining < 60_000);
    }
    // Past expiresAt: ask the BFF (which checks with the platform) until it says how the payment ended.
    if (remaining <= 0 && this.payment?.state === 'pending') this.startPolling(this.payment.bizOrderNo);
  }

  private updateLive(): void {
    const indicator = this.element.querySelector('.live');
    if (indicator) indicator.textContent = this.liveText();
  }

  private liveText(): string {
    return this.live === 'sse' ? '● 实时推送 / live (SSE)' : this.live === 'poll' ? '● 轮询中 / polling every 2 s' : '○ 连接中 / connecting';
  }

  private chooseAgain(): void {
    this.stopFollowing();
    this.payment = undefined;
    this.error = undefined;
    void this.act(() => this.reloadOrder());
  }

  // ——— phone binding ———

  private sendPhoneCode(): void {
    const phone = this.phone.trim();
    if (!/^1\d{10}$/.test(phone)) {
      this.error = '请输入 11 位手机号 / Enter an 11-digit mobile number';
      this.render();
      return;
    }
    void this.act(async () => {
      const sent = await checkoutApi.sendPhoneCode(phone);
      this.phoneCodeSentTo = phone;
      this.phoneResendAt = Date.now() + sent.resendAfter * 1000;
      const generation = this.generation;
      window.setTimeout(() => generation === this.generation && !this.payment && this.render(), sent.resendAfter * 1000 + 100);
      this.notice = '验证码已发送 / Code sent';
    });
  }

  private bindPhone(): void {
    const phone = this.phoneCodeSentTo;
    const code = this.phoneCode.trim();
    if (!phone) return;
    void this.act(async () => {
      await checkoutApi.bindPhone(phone, code);
      this.phoneCode = '';
      this.phoneCodeSentTo = undefined;
      await this.reloadOrder();
      this.notice = '手机号已绑定 / Phone bound';
    });
  }

  // ——— SMS confirmation (BALANCE) ———

  private confirmSms(): void {
    const payment = this.payment;
    if (!payment) return;
    void this.act(async () => {
      const view = await checkoutApi.confirm(payment.bizOrderNo, this.smsCode.trim());
      this.payment = view;
      if (view.state !== 'pending') this.finished(view);
    });
  }

  private resendSms(): void {
    const payment = this.payment;
    if (!payment) return;
    void this.act(async () => {
      await checkoutApi.resendSms(payment.bizOrderNo);
      this.notice = '验证码已重新发送 / Code sent again';
    });
  }

  // ——— rendering ———

  private render(): void {
    const order = this.order;
    this.countdown = undefined;
    const parts: Child[] = [h('h2', null, '结算 ', h('span', { class: 'en' }, 'Checkout'))];
    if (order) {
      parts.push(
        h(
          'div',
          { class: 'order-summary' },
          h('div', { class: 'muted' }, `订单 Order ${order.merchantOrderId}`),
          h('div', null, order.subject),
          h('div', { class: 'amount' }, h('span', { class: 'muted' }, '应付 / To pay '), h('strong', { 'data-testid': 'amount' }, formatYuan(order.amount))),
        ),
      );
    }
    if (this.error) parts.push(h('div', { class: 'error', role: 'alert' }, this.error));
    if (this.notice) parts.push(h('div', { class: 'notice' }, this.notice));

    const payment = this.payment;
    if (!order) {
      // Loading failed: the error says why.
    } else if (order.paid && (!payment || payment.state === 'success')) {
      parts.push(this.renderPaid(order, payment));
    } else if (payment && payment.state === 'pending') {
      parts.push(this.renderPending(payment));
    } else {
      if (payment) parts.push(this.renderEnded(payment));
      if (order.payer.phoneBound === false) parts.push(this.renderPhone());
      parts.push(this.renderMethods(order));
    }
    replace(this.element, ...parts);
    if (payment?.state === 'pending') this.tick();
  }

  private renderPaid(order: OrderView, payment: PaymentView | undefined): HTMLElement {
    return h(
      'div',
      { class: 'result success', 'data-state': 'success' },
      h('div', { class: 'result-title' }, '✓ 支付成功 / Payment successful'),
      h('div', null, `已支付 Paid ${formatYuan(order.amount)}`),
      payment ? h('div', { class: 'muted' }, `${methodLabel(payment.method)} · ${payment.bizOrderNo}`) : order.paidBizOrderNo ? h('div', { class: 'muted' }, order.paidBizOrderNo) : null,
      h('button', { type: 'button', onclick: () => this.options.onDone() }, '继续购物 / Shop again'),
    );
  }

  private renderEnded(payment: PaymentView): HTMLElement {
    const [zh, en] = STATE_TEXT[payment.state];
    return h(
      'div',
      { class: `result ${payment.state}`, 'data-state': payment.state },
      h('div', { class: 'result-title' }, `✕ ${zh} / ${en}`),
      payment.failure?.message ? h('div', null, payment.failure.message) : null,
      h('div', { class: 'muted' }, `${methodLabel(payment.method)} · ${payment.bizOrderNo}`),
      h('div', null, '请重新选择支付方式 / Choose a method to try again'),
    );
  }

  private renderPhone(): HTMLElement {
    const disabled = this.busy;
    return h(
      'div',
      { class: 'phone-binding' },
      h('h3', null, '绑定手机号 ', h('span', { class: 'en' }, 'Bind a phone number')),
      h('p', { class: 'muted' }, '通商云要求付款会员先绑定手机号(仅首次)。 / YunST requires the payer to bind a phone first (once).'),
      h(
        'div',
        { class: 'row' },
        h('input', {
          type: 'tel',
          inputmode: 'numeric',
          maxlength: 11,
          placeholder: '13800138000',
          'aria-label': '手机号 / Phone',
          name: 'phone',
          value: this.phone,
          oninput: (event) => (this.phone = (event.target as HTMLInputElement).value),
        }),
        h(
          'button',
          { type: 'button', class: 'secondary', disabled: disabled || Date.now() < this.phoneResendAt, onclick: () => this.sendPhoneCode() },
          this.phoneCodeSentTo ? '重新发送 / Resend' : '发送验证码 / Send code',
        ),
      ),
      this.phoneCodeSentTo
        ? h(
            'div',
            null,
            h(
              'p',
              { class: 'muted' },
              '沙箱不发真实短信,请到 ',
              h('a', { href: `${this.options.smsInboxUrl}?phone=${encodeURIComponent(this.phoneCodeSentTo)}`, target: '_blank', rel: 'noopener' }, '短信收件箱 / SMS inbox'),
              ' 查看验证码。 / The sandbox sends no real SMS: read the code in its inbox.',
            ),
            h(
              'div',
              { class: 'row' },
              h('input', {
                type: 'text',
                inputmode: 'numeric',
                maxlength: 8,
                placeholder: '验证码 / Code',
                'aria-label': '验证码 / Code',
                name: 'phoneCode',
                value: this.phoneCode,
                oninput: (event) => (this.phoneCode = (event.target as HTMLInputElement).value),
              }),
              h('button', { type: 'button', disabled, onclick: () => this.bindPhone() }, '绑定 / Bind'),
            ),
          )
        : null,
    );
  }

  private renderMethods(order: OrderView): HTMLElement {
    const needsPhone = order.payer.phoneBound === false;
    return h(
      'div',
      { class: 'methods' },
      h('h3', null, '选择支付方式 ', h('span', { class: 'en' }, 'Choose how to pay')),
      needsPhone ? h('p', { class: 'muted' }, '绑定手机号后即可付款 / Bind a phone number to pay') : null,
      order.methods.length === 0 ? h('p', { class: 'muted' }, '没有可用的支付方式 / No payment method is enabled') : null,
      ...order.methods.map((method) =>
        h(
          'button',
          {
            type: 'button',
            class: `method ${method.wallet ?? 'account'}`,
            'data-method': method.method,
            disabled: this.busy || !method.usable || needsPhone,
            onclick: () => this.pay(method.method),
          },
          h('span', null, methodLabel(method.method)),
          method.usable ? null : h('small', null, REASONS[method.reason ?? ''] ?? method.reason ?? ''),
        ),
      ),
    );
  }

  private renderPending(payment: PaymentView): HTMLElement {
    this.countdown = h('strong', { class: 'countdown', 'data-testid': 'countdown' }, formatCountdown(this.remainingMs()));
    const action = payment.action;
    let step: Child;
    if (action?.type === 'qr') {
      const canvas = h('canvas', { class: 'qr', 'aria-label': '付款二维码 / Payment QR code' });
      void QRCode.toCanvas(canvas, action.payInfo, { width: 220, margin: 1, errorCorrectionLevel: 'M' }).catch(() => undefined);
      step = h(
        'div',
        { class: 'qr-step' },
        h('p', null, `请用${METHOD_LABELS[payment.method]?.[0] ?? '手机'}扫码付款 / Scan with your phone to pay`),
        canvas,
        isSafeUrl(action.payInfo)
          ? h('p', null, h('a', { href: action.payInfo, target: '_blank', rel: 'noopener', class: 'wallet-link', 'data-testid': 'wallet-link' }, '在模拟钱包中打开 / Open in the simulated wallet ↗'))
          : null,
      );
    } else if (action?.type === 'sms') {
      step = h(
        'div',
        { class: 'sms-step' },
        h('p', null, `验证码已发送至 ${action.phone ?? '绑定手机'} / A code was sent to your phone`),
        h('p', { class: 'muted' }, h('a', { href: this.options.smsInboxUrl, target: '_blank', rel: 'noopener' }, '打开短信收件箱 / Open the SMS inbox'), ' (sandbox)'),
        h(
          'div',
          { class: 'row' },
          h('input', {
            type: 'text',
            inputmode: 'numeric',
            maxlength: 8,
            placeholder: '验证码 / Code',
            'aria-label': '验证码 / Code',
            name: 'smsCode',
            value: this.smsCode,
            oninput: (event) => (this.smsCode = (event.target as HTMLInputElement).value),
          }),
          h('button', { type: 'button', disabled: this.busy, onclick: () => this.confirmSms() }, '确认支付 / Pay'),
        ),
        h('button', { type: 'button', class: 'link', disabled: this.busy, onclick: () => this.resendSms() }, '重新发送验证码 / Resend the code'),
      );
    } else {
      step = h('p', { class: 'muted' }, `此演示页面暂不支持这一步 (${action?.type ?? 'none'}) / This demo page does not handle this step`);
    }
    return h(
      'div',
      { class: 'payment', 'data-state': 'pending', 'data-biz-order-no': payment.bizOrderNo },
      h('div', { class: 'payment-head' }, h('span', null, methodLabel(payment.method)), h('span', null, '剩余 / Time left ', this.countdown)),
      step,
      h('div', { class: 'status' }, `${STATE_TEXT.pending[0]} / ${STATE_TEXT.pending[1]}…`, h('span', { class: 'live' }, this.liveText())),
      h('button', { type: 'button', class: 'link', onclick: () => this.chooseAgain() }, '换一种支付方式 / Choose another method'),
    );
  }
}
