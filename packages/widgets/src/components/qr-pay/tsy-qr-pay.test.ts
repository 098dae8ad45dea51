// <tsy-qr-pay> in Chromium. Its live state comes from the real BFF and sandbox (test-support/stack.mjs): payments are
// real, final states are reached by the payer acting in the sandbox's wallet, and faults (a refused stream, slow answers)
// come from the proxy in front of the BFF. Tests of what it draws from a given payment need no BFF (`api=""`).
import { aTimeout, expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HTMLCanvasElementLuminanceSource } from '@zxing/browser';
import { BinaryBitmap, HybridBinarizer, QRCodeReader, ResultMetadataType } from '@zxing/library';
import type { PaymentView } from '../../api/types.js';
import './define.js';
import type { TsyQrPay } from './tsy-qr-pay.js';
import { createPayment, faultyBff, newOrder, paymentNow, pendingPayment, wallet } from '../../test-support/stack.js';

const bff = (faults: Parameters<typeof faultyBff>[1] = {}) => faultyBff('qr', faults);

const SHORT_URL = 'weixin://wxpay/bizpayurl?pr=Xq3vB7z';
const LONG_URL = `https://qr.alipay.com/bax08431xzyfw5lk2jne0012?subject=${encodeURIComponent('通商云测试商品·春季新款连衣裙 2 件套(含运费)')}&body=${encodeURIComponent('订单备注:请尽快发货,谢谢!')}&out_trade_no=2026012345678901234567&total_amount=1234.56&timeout_express=5m&notify_url=${encodeURIComponent('https://shop.example.com/api/notify?channel=alipay&sig=abc123')}`;
const iso = (ms: number) => new Date(ms).toISOString();
let runs = 0;

function payment(overrides: Partial<PaymentView> = {}): PaymentView {
  const now = Date.now();
  return {
    bizOrderNo: `B${now}${++runs}`,
    merchantOrderId: 'M1',
    state: 'pending',
    method: 'SCAN_WEIXIN',
    amount: 1234,
    expiresAt: iso(now + 300_000),
    action: { type: 'qr', payInfo: SHORT_URL },
    failure: null,
    settlement: null,
    environment: 'desktop',
    serverTime: iso(now),
    ...overrides,
  } as PaymentView;
}

/** Without `api` the element does not watch the payment (tests that do not need the BFF keep connections free). */
async function mount(view: PaymentView, api = '', attrs: { locale?: string; theme?: string; environment?: string; wallet?: string } = {}): Promise<TsyQrPay> {
  const el = await fixture<TsyQrPay>(
    html`<tsy-qr-pay
      .payment=${view}
      api=${api}
      locale=${attrs.locale ?? 'zh-CN'}
      theme=${attrs.theme ?? 'light'}
      environment=${attrs.environment ?? 'desktop'}
      wallet=${attrs.wallet ?? 'wechat'}
    ></tsy-qr-pay>`,
  );
  await el.updateComplete;
  return el;
}

const $ = (el: TsyQrPay, selector: string) => el.shadowRoot!.querySelector<HTMLElement>(selector);
const part = (el: TsyQrPay, name: string) => $(el, `[part~="${name}"]`);
const text = (node: Element | null) => (node?.textContent ?? '').replace(/\s+/g, ' ').trim();
const liveRegion = (el: TsyQrPay) => el.shadowRoot!.querySelector('[aria-live]')!;

/** Draws the rendered SVG on a white canvas with a quiet zone, as a camera would see it, and decodes it with ZXing. */
async function decodeQr(el: TsyQrPay) {
  const svgElement = $(el, '[part="qr"] svg') as unknown as SVGSVGElement;
  const clone = svgElement.cloneNode(true) as SVGSVGElement;
  const modules = svgElement.viewBox.baseVal.width;
  const scale = 6;
  clone.setAttribute('width', String(modules * scale));
  clone.setAttribute('height', String(modules * scale));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    const margin = 8 * scale;
    canvas.width = canvas.height = modules * scale + 2 * margin;
    const context = canvas.getContext('2d')!;
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, margin, margin);
    const result = new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new HTMLCanvasElementLuminanceSource(canvas))));
    return { text: result.getText(), ecLevel: result.getResultMetadata().get(ResultMetadataType.ERROR_CORRECTION_LEVEL) as string };
  } finally {
    URL.revokeObjectURL(url);
  }
}

describe('<tsy-qr-pay>', () => {
  for (const [name, payInfo] of [
    ['a short weixin:// URL', SHORT_URL],
    ['a long URL (query, percent-encoded Chinese)', LONG_URL],
  ] as const) {
    it(`QR round trip: ${name} decodes back to payInfo, error correction M`, async () => {
      if (payInfo === LONG_URL) expect(payInfo.length).to.be.at.least(300);
      const el = await mount(payment({ action: { type: 'qr', payInfo } }));
      const { text: decoded, ecLevel } = await decodeQr(el);
      expect(decoded).to.equal(payInfo);
      expect(['M', 'Q', 'H']).to.include(ecLevel);
      expect(ecLevel).to.equal('M');
    });
  }

  it('draws one crisp-edged SVG path sized in CSS px: no canvas, no <img>, no data: URL, no inline style', async () => {
    const el = await mount(payment());
    const qr = part(el, 'qr')!;
    expect(qr.getAttribute('role')).to.equal('img');
    const paths = qr.querySelectorAll('svg path');
    expect(paths).to.have.length(1);
    expect(paths[0]!.getAttribute('shape-rendering')).to.equal('crispEdges');
    expect(getComputedStyle(qr.querySelector('svg')!).shapeRendering).to.equal('crispedges');
    expect(qr.getBoundingClientRect().width).to.equal(200);
    const markup = el.shadowRoot!.innerHTML;
    expect(markup).not.to.match(/data:|<canvas|<img|\sstyle=/i);
    el.style.setProperty('--tsy-qr-size', '256px');
    expect(qr.getBoundingClientRect().width).to.equal(256);
  });

  it('shows the method, the amount, "scan with WeChat", the countdown and a labelled QR (zh-CN and en)', async () => {
    const zh = await mount(payment());
    expect(text($(zh, '.method'))).to.equal('微信扫码支付');
    expect(text(part(zh, 'amount'))).to.equal('¥12.34');
    expect(part(zh, 'qr')!.getAttribute('aria-label')).to.equal('微信付款二维码,金额 ¥12.34');
    expect(text($(zh, '.hint'))).to.equal('请使用微信扫一扫');
    expect(text(part(zh, 'countdown'))).to.match(/^剩余 [45]:\d\d$/);
    expect(text(part(zh, 'status'))).to.equal('等待付款…');
    expect(zh.status).to.equal('waiting');
    expect(zh.getAttribute('status')).to.equal('waiting');

    const en = await mount(payment({ method: 'SCAN_ALIPAY', amount: 100000 }), undefined, { locale: 'en', wallet: 'alipay' });
    expect(text(part(en, 'amount'))).to.equal('¥1,000.00');
    expect(part(en, 'qr')!.getAttribute('aria-label')).to.equal('Alipay payment QR code, amount ¥1,000.00');
    expect(text($(en, '.hint'))).to.equal('Scan with Alipay');
    en.wallet = 'unionpay';
    await en.updateComplete;
    expect(text($(en, '.hint'))).to.equal('Scan with UnionPay');
  });

  it('names the wallet its parent gives, not one it guesses from the method key', async () => {
    const el = await mount(payment({ method: 'SCAN_WEIXIN' }), undefined, { locale: 'en', wallet: '' });
    expect(text($(el, '.hint'))).to.equal('Scan with your payment app');
    el.wallet = 'alipay';
    await el.updateComplete;
    expect(text($(el, '.hint'))).to.equal('Scan with Alipay');
  });

  it('works standalone from attributes, watching the payment through its own `api`', async () => {
    const proxy = bff();
    const real = await pendingPayment(880);
    const payInfo = real.action?.type === 'qr' ? real.action.payInfo : '';
    const now = Date.now();
    const el = await fixture<TsyQrPay>(html`<tsy-qr-pay
      api=${proxy.api}
      biz-order-no=${real.bizOrderNo}
      pay-info=${payInfo}
      amount="880"
      method="SCAN_WEIXIN"
      wallet="wechat"
      expires-at=${iso(now + 120_000)}
      server-time=${iso(now)}
      locale="en"
    ></tsy-qr-pay>`);
    await el.updateComplete;
    expect(text(part(el, 'amount'))).to.equal('¥8.80');
    expect(text(part(el, 'countdown'))).to.match(/^[12]:\d\d left$/);
    expect((await decodeQr(el)).text).to.equal(payInfo);
    await waitUntil(async () => (await proxy.stats()).openStreams === 1, 'watching the payment', { timeout: 2000 });
    await wallet(real.bizOrderNo, 'pay');
    await waitUntil(() => el.status === 'success', 'paid', { timeout: 5000 });
  });

  describe('countdown and expiry', () => {
    it('counts down in server time (client clock 10 minutes behind), then shows expired with a refresh button that fires tsy-refresh', async () => {
      const serverNow = Date.now() + 10 * 60_000;
      const el = await mount(payment({ serverTime: iso(serverNow), expiresAt: iso(serverNow + 2500) }));
      expect(text(part(el, 'countdown'))).to.match(/^剩余 0:0[23]$/);
      part(el, 'copy-button')!.focus();
      await waitUntil(() => el.status === 'expired', 'expired', { timeout: 4000 });
      await el.updateComplete;
      expect(el.shadowRoot!.activeElement, 'focus moves from the vanished copy button to refresh').to.equal(part(el, 'refresh-button'));
      expect(el.getAttribute('status')).to.equal('expired');
      expect(part(el, 'countdown')).to.equal(null);
      expect(part(el, 'qr')).to.equal(null);
      expect(text(part(el, 'status'))).to.contain('支付已过期');
      const refresh = part(el, 'refresh-button') as HTMLButtonElement;
      expect(text(refresh)).to.equal('刷新二维码');
      setTimeout(() => refresh.click());
      const event = await oneEvent(el, 'tsy-refresh');
      expect(event.bubbles && event.composed).to.equal(true);
    });

    it('a client clock 10 minutes ahead does not expire the QR early', async () => {
      const serverNow = Date.now() - 10 * 60_000;
      const el = await mount(payment({ serverTime: iso(serverNow), expiresAt: iso(serverNow + 90_000) }));
      expect(el.status).to.equal('waiting');
      expect(text(part(el, 'countdown'))).to.match(/^剩余 1:(29|30)$/);
    });

    it('expired locally, a late success from the SSE still wins and shows success', async () => {
      const real = await pendingPayment();
      // The countdown runs out long before the platform's expiry: the payer pays "too late" by the page's clock.
      const el = await mount({ ...real, expiresAt: iso(Date.now() + 1200), serverTime: iso(Date.now()) }, bff().api);
      await waitUntil(() => el.status === 'expired', 'expired locally', { timeout: 3000 });
      const stateEvent = oneEvent(el, 'tsy-payment-state');
      await wallet(real.bizOrderNo, 'pay');
      await waitUntil(() => el.status === 'success', 'success wins', { timeout: 5000 });
      expect((await stateEvent).detail.state).to.equal('success');
      await el.updateComplete;
      expect(text(part(el, 'status'))).to.contain('支付成功');
    });

    it('a new payment (after refresh) starts over: new QR, countdown, waiting', async () => {
      const el = await mount(payment({ expiresAt: iso(Date.now() - 1000) }));
      expect(el.status).to.equal('expired');
      el.payment = payment({ action: { type: 'qr', payInfo: 'weixin://wxpay/bizpayurl?pr=NEW' } });
      await el.updateComplete;
      expect(el.status).to.equal('waiting');
      expect(part(el, 'countdown')).to.exist;
      expect((await decodeQr(el)).text).to.equal('weixin://wxpay/bizpayurl?pr=NEW');
    });
  });

  describe('live status', () => {
    it('SSE: pending, then the payer pays: shows success and fires tsy-payment-state once; no polling', async () => {
      const proxy = bff();
      const view = await pendingPayment();
      const events: { bizOrderNo: string; state: string }[] = [];
      const el = await fixture<TsyQrPay>(html`<tsy-qr-pay .payment=${view} api=${proxy.api} locale="en" @tsy-payment-state=${(e: CustomEvent) => events.push(e.detail)}></tsy-qr-pay>`);
      expect(el.status).to.equal('waiting');
      await waitUntil(async () => (await proxy.stats()).openStreams === 1, 'stream open', { timeout: 2000 });
      await wallet(view.bizOrderNo, 'pay');
      await waitUntil(() => el.status === 'success', 'success', { timeout: 5000 });
      await el.updateComplete;
      expect(events).to.deep.equal([{ bizOrderNo: view.bizOrderNo, state: 'success' }]);
      expect(el.getAttribute('status')).to.equal('success');
      expect(text(part(el, 'status'))).to.equal('Payment successful Confirmed by the payment platform');
      expect(part(el, 'copy-button')).to.equal(null);
      await waitUntil(async () => (await proxy.stats()).openStreams === 0, 'stream closed at the final state', { timeout: 2000 });
      expect((await proxy.stats()).gets).to.have.length(0);
    });

    it('SSE failure: the platform’s message is shown as text', async () => {
      const view = await pendingPayment();
      const el = await mount(view, bff().api);
      await wallet(view.bizOrderNo, 'fail');
      await waitUntil(() => el.status === 'failed', 'failed', { timeout: 5000 });
      await el.updateComplete;
      const message = (await paymentNow(view.bizOrderNo)).failure?.message;
      expect(message).to.be.a('string').and.not.equal('');
      expect(text($(el, '.title'))).to.equal('支付失败');
      expect(text($(el, '.detail'))).to.equal(message);
      expect(part(el, 'refresh-button')).to.equal(null);
    });

    it('a second payment of a paid order is a warning-coloured success that says the money goes back (double_paid)', async () => {
      const order = await newOrder();
      const first = await createPayment(order);
      const second = await createPayment(order);
      await wallet(first.bizOrderNo, 'pay');
      const el = await mount(second, bff().api, { locale: 'en' });
      await wallet(second.bizOrderNo, 'pay');
      await waitUntil(() => el.status === 'success', 'success', { timeout: 5000 });
      await el.updateComplete;
      expect(text($(el, '.title'))).to.equal('Paid');
      expect(text($(el, '.detail'))).to.equal('This order was already paid; the extra payment will be refunded');
      expect($(el, '.result')!.classList.contains('settled')).to.equal(true);
      const colour = getComputedStyle($(el, '.result .icon')!).color;
      expect(colour, 'the warning colour (light theme), not the success green').to.equal('rgb(154, 91, 0)');
      await waitUntil(() => text(liveRegion(el)).startsWith('Paid'), 'announced as what it is');
    });

    it('SSE answers 500: falls back to polling — slow GETs (2.3 s) never overlap, ~2 s between them, and it stops at success', async function () {
      this.timeout(20_000);
      const proxy = bff({ sse: 500, delay: 2300 });
      const view = await pendingPayment();
      const el = await mount(view, proxy.api);
      const stateEvent = oneEvent(el, 'tsy-payment-state');
      await waitUntil(async () => (await proxy.stats()).gets.length === 2, 'the second poll', { timeout: 8000, interval: 50 });
      await wallet(view.bizOrderNo, 'pay');
      await waitUntil(() => el.status === 'success', 'success by polling', { timeout: 12_000, interval: 100 });
      expect((await stateEvent).detail.state).to.equal('success');
      const polled = (await proxy.stats()).gets.length;
      await aTimeout(2500);
      const { gets, maxInFlight, streams } = await proxy.stats();
      expect(streams).to.equal(1);
      expect(maxInFlight, 'requests in flight at once').to.equal(1);
      expect(gets, 'no poll after the final state').to.have.length(polled);
      for (let i = 1; i < gets.length; i++) expect(gets[i]!.start - gets[i - 1]!.end).to.be.within(1900, 2400);
    });

    it('a payment already final is shown without watching it', async () => {
      const proxy = bff();
      const el = await mount(payment({ state: 'failed', failure: { code: '40003', message: '交易关闭' } }), proxy.api);
      expect(el.status).to.equal('failed');
      expect(text($(el, '.detail'))).to.equal('交易关闭');
      await aTimeout(300);
      const stats = await proxy.stats();
      expect(stats.streams + stats.gets.length).to.equal(0);
    });

    it('stops watching when removed from the page, and starts again when put back', async () => {
      const proxy = bff();
      const el = await mount(await pendingPayment(), proxy.api);
      await waitUntil(async () => (await proxy.stats()).openStreams === 1, 'stream open', { timeout: 2000 });
      const parent = el.parentElement!;
      el.remove();
      await waitUntil(async () => (await proxy.stats()).openStreams === 0, 'stream closed', { timeout: 2000 });
      parent.append(el);
      await waitUntil(async () => (await proxy.stats()).openStreams === 1, 'stream open again', { timeout: 2000 });
    });
  });

  it('each settlement but `paid` has its own words, in both locales (a given payment, no BFF)', async () => {
    const shown = async (settlement: PaymentView['settlement'], locale: string) => {
      const el = await mount(payment({ state: 'success', settlement }), undefined, { locale });
      return [$(el, '.result')!.classList.contains('settled') ? 'settled' : 'success', text($(el, '.title')), text($(el, '.detail'))];
    };
    expect(await shown('paid', 'zh-CN')).to.deep.equal(['success', '支付成功', '已收到支付平台的确认']);
    expect(await shown('double_paid', 'zh-CN')).to.deep.equal(['settled', '已支付', '该订单此前已支付,本次多付款项将退回']);
    expect(await shown('amount_mismatch', 'zh-CN')).to.deep.equal(['settled', '已支付', '订单金额在付款后已变更,本次付款将退回']);
    expect(await shown('amount_differs', 'zh-CN')).to.deep.equal(['settled', '已支付', '支付平台报告的金额与本单不符,商户将核对并退款']);
    expect(await shown('amount_mismatch', 'en')).to.deep.equal(['settled', 'Paid', 'The order was re-priced after you paid; this payment will be refunded']);
    expect(await shown('amount_differs', 'en')).to.deep.equal(['settled', 'Paid', 'The payment platform reports a different amount; the shop will check it and refund you']);
  });

  describe('copy link and open app', () => {
    const clipboard = navigator.clipboard;
    const originalWrite = clipboard.writeText;
    afterEach(() => {
      clipboard.writeText = originalWrite;
    });

    it('copies payInfo and says "copied"', async () => {
      const written: string[] = [];
      clipboard.writeText = async (value: string) => void written.push(value);
      const el = await mount(payment({ action: { type: 'qr', payInfo: LONG_URL } }));
      const button = part(el, 'copy-button')!;
      expect(text(button)).to.equal('复制链接');
      button.click();
      await waitUntil(() => text(part(el, 'copy-button')) === '已复制', 'copied feedback');
      expect(written).to.deep.equal([LONG_URL]);
      expect(text(liveRegion(el))).to.equal('已复制');
    });

    it('a refused clipboard shows the link, selected, to copy by hand', async () => {
      clipboard.writeText = () => Promise.reject(new DOMException('denied', 'NotAllowedError'));
      const el = await mount(payment(), undefined, { locale: 'en' });
      part(el, 'copy-button')!.click();
      await waitUntil(() => $(el, '.manual input'), 'manual copy');
      const input = $(el, '.manual input') as HTMLInputElement;
      expect(input.value).to.equal(SHORT_URL);
      expect(el.shadowRoot!.activeElement).to.equal(input);
      expect(text(liveRegion(el))).to.contain('Copy the link below');
      await expect(el).to.be.accessible();
    });

    it('standalone, it takes where the client is from the BFF’s view of the payment, not from guessing the User-Agent', async () => {
      const standalone = async (environment: PaymentView['environment']) => {
        const el = await fixture<TsyQrPay>(html`<tsy-qr-pay .payment=${payment({ environment })} api="" wallet="wechat"></tsy-qr-pay>`);
        await el.updateComplete;
        return el;
      };
      // Headless Chromium's User-Agent is a desktop one: only the BFF's word can make this a phone.
      expect(part(await standalone('mobile'), 'open-app')).to.not.equal(null);
      expect(part(await standalone('desktop'), 'open-app')).to.equal(null);
    });

    it('on mobile, an "open app" link for http(s) and wallet schemes — never for javascript: or other text', async () => {
      const mobile = await mount(payment(), undefined, { environment: 'mobile' });
      const link = part(mobile, 'open-app') as HTMLAnchorElement;
      expect(link.getAttribute('href')).to.equal(SHORT_URL);
      expect(text(link)).to.equal('打开微信');

      const desktop = await mount(payment());
      expect(part(desktop, 'open-app')).to.equal(null);

      for (const payInfo of ['javascript:alert(1)', ' JavaScript:alert(1)', 'java\tscript:alert(1)', 'data:text/html,<script>alert(1)</script>', '<a href="https://x">x</a>', 'plain text']) {
        const el = await mount(payment({ action: { type: 'qr', payInfo } }), undefined, { environment: 'mobile' });
        expect(part(el, 'open-app'), payInfo).to.equal(null);
      }
      const https = await mount(payment({ method: 'SCAN_ALIPAY', action: { type: 'qr', payInfo: LONG_URL } }), undefined, { environment: 'wechat', locale: 'en', wallet: 'alipay' });
      expect((part(https, 'open-app') as HTMLAnchorElement).href).to.equal(LONG_URL);
      expect(text(part(https, 'open-app'))).to.equal('Open Alipay');
    });
  });

  it('markup in payInfo and in a failure message stays text: no element is created, nothing runs', async () => {
    const hostile = '<img src=x onerror="window.__qrPwned=1"><script>window.__qrPwned=1</script>';
    const clipboard = navigator.clipboard;
    const originalWrite = clipboard.writeText;
    clipboard.writeText = () => Promise.reject(new Error('no'));
    try {
      const el = await mount(payment({ action: { type: 'qr', payInfo: hostile } }), undefined, { environment: 'mobile' });
      expect((await decodeQr(el)).text).to.equal(hostile);
      part(el, 'copy-button')!.click();
      await waitUntil(() => $(el, '.manual input'), 'manual copy');
      expect(($(el, '.manual input') as HTMLInputElement).value).to.equal(hostile);
      expect(part(el, 'open-app')).to.equal(null);

      const failed = await mount(payment({ state: 'failed', failure: { code: null, message: hostile } }));
      expect(text($(failed, '.detail'))).to.equal(hostile);

      for (const root of [el.shadowRoot!, failed.shadowRoot!]) expect(root.querySelectorAll('img, script')).to.have.length(0);
      await aTimeout(100);
      expect((window as { __qrPwned?: number }).__qrPwned).to.equal(undefined);
    } finally {
      clipboard.writeText = originalWrite;
    }
  });

  describe('screen readers', () => {
    it('one polite live region; status changes are announced', async () => {
      const view = await pendingPayment();
      const el = await mount(view, bff().api, { locale: 'en' });
      const regions = el.shadowRoot!.querySelectorAll('[aria-live], [role="status"], [role="alert"]');
      expect(regions).to.have.length(1);
      expect(regions[0]!.getAttribute('aria-live')).to.equal('polite');
      expect(text(regions[0]!)).to.equal('');
      await wallet(view.bizOrderNo, 'pay');
      await waitUntil(() => text(liveRegion(el)) === 'Payment successful Confirmed by the payment platform', 'success announced', { timeout: 5000 });
    });

    it('the countdown is not announced every second, only at its marks: each minute, 1 minute, 30 s', async function () {
      this.timeout(15_000);
      const changes = (el: TsyQrPay) => {
        const seen: string[] = [];
        new MutationObserver(() => seen.push(text(liveRegion(el)))).observe(liveRegion(el), { childList: true, characterData: true, subtree: true });
        return seen;
      };
      const quiet = await mount(payment({ expiresAt: iso(Date.now() + 150_000) }), undefined, { locale: 'en' });
      const quietSeen = changes(quiet);
      const minute = await mount(payment({ expiresAt: iso(Date.now() + 61_500) }), undefined, { locale: 'en' });
      const minuteSeen = changes(minute);
      const half = await mount(payment({ expiresAt: iso(Date.now() + 31_500) }), undefined, { locale: 'en' });
      const halfSeen = changes(half);
      const twoMinutes = await mount(payment({ expiresAt: iso(Date.now() + 121_500) }));
      const twoSeen = changes(twoMinutes);
      await aTimeout(4000);
      expect(quietSeen, 'between marks').to.deep.equal([]);
      expect(minuteSeen).to.deep.equal(['1 minute left to scan']);
      expect(halfSeen).to.deep.equal(['30 seconds left to scan']);
      expect(twoSeen).to.deep.equal(['二维码剩余 2 分钟']);
    });

    it('expiry is announced', async () => {
      const el = await mount(payment({ expiresAt: iso(Date.now() + 1100) }), undefined, { locale: 'en' });
      await waitUntil(() => el.status === 'expired', 'expired', { timeout: 3000 });
      await el.updateComplete;
      expect(text(liveRegion(el))).to.equal('Payment expired The QR code is no longer valid. Refresh it to pay.');
    });

    for (const locale of ['zh-CN', 'en']) {
      for (const theme of ['light', 'dark']) {
        it(`is accessible: ${locale}, ${theme} (waiting, and expired)`, async () => {
          const el = await mount(payment(), undefined, { locale, theme, environment: 'mobile' });
          await expect(el).to.be.accessible();
          const expired = await mount(payment({ expiresAt: iso(Date.now() - 1) }), undefined, { locale, theme });
          expect(expired.status).to.equal('expired');
          await expect(expired).to.be.accessible();
        });
      }
    }

    it('is accessible with a failure and a success', async () => {
      const failed = await mount(payment({ state: 'failed', failure: { code: null, message: '余额不足' } }), undefined, { theme: 'dark' });
      await expect(failed).to.be.accessible();
      const paid = await mount(payment({ state: 'success', settlement: 'paid' }));
      await expect(paid).to.be.accessible();
      const refunded = await mount(payment({ state: 'success', settlement: 'double_paid' }), undefined, { theme: 'dark' });
      await expect(refunded).to.be.accessible();
    });
  });
});
