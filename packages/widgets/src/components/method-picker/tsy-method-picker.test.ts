import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import type { MethodView } from '../../api/types.js';
import type { TsyEvent } from '../../events.js';
import './define.js';
import type { TsyMethodPicker } from './tsy-method-picker.js';

// Mocha's globals (the package has no @types/mocha).
declare function describe(name: string, body: () => void): void;
declare function it(name: string, body: () => Promise<void> | void): void;

/** A real key press in Chromium, through the test runner's built-in `send-keys` command (what @web/test-runner-commands' sendKeys sends). */
async function press(key: string): Promise<void> {
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as {
    sendMessageWaitForResponse(message: unknown): Promise<{ executed: boolean }>;
  };
  const sessionId = new URL(location.href).searchParams.get('wtr-session-id');
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command: 'send-keys', payload: { press: key } });
  if (!response.executed) throw new Error('the send-keys command is not available');
}

/** The BFF's order on purpose: the picker groups them as WeChat, Alipay, bank, balance, other. */
const METHODS: MethodView[] = [
  { method: 'GATEWAY_VSP', usable: true, group: 'bank', actions: ['form-post'] },
  { method: 'SCAN_WEIXIN', usable: true, wallet: 'wechat', group: 'wechat', actions: ['qr'] },
  { method: 'CODEPAY_VSP', usable: false, reason: 'desktop_only', group: 'other', actions: ['none'] },
  { method: 'SCAN_ALIPAY', usable: true, wallet: 'alipay', group: 'alipay', actions: ['qr'] },
  { method: 'BALANCE', usable: true, group: 'balance', actions: ['sms'] },
  { method: 'WECHAT_PUBLIC', usable: false, reason: 'open_in_wechat', wallet: 'wechat', group: 'wechat', actions: ['wechat-jsapi'] },
];
/** Radio order after grouping. */
const ORDER = ['SCAN_WEIXIN', 'WECHAT_PUBLIC', 'SCAN_ALIPAY', 'GATEWAY_VSP', 'BALANCE', 'CODEPAY_VSP'];

const radios = (el: TsyMethodPicker) => [...el.shadowRoot!.querySelectorAll<HTMLElement>('[role="radio"]')];
const radioFor = (el: TsyMethodPicker, method: string) => radios(el)[ORDER.indexOf(method)]!;
const focusedMethod = (el: TsyMethodPicker) => {
  const active = el.shadowRoot!.activeElement as HTMLElement | null;
  return active ? ORDER[radios(el).indexOf(active)] : undefined;
};
const part = (el: TsyMethodPicker, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`)!;
const text = (node: Element | null | undefined) => node?.textContent?.replace(/\s+/g, ' ').trim() ?? '';

async function picker(attrs: { value?: string; locale?: string; methods?: MethodView[] } = {}): Promise<TsyMethodPicker> {
  return fixture<TsyMethodPicker>(
    html`<tsy-method-picker locale=${attrs.locale ?? 'zh-CN'} value=${attrs.value ?? ''} .methods=${attrs.methods ?? METHODS}></tsy-method-picker>`,
  );
}

/** Collects the events the picker fires. */
function record(el: TsyMethodPicker) {
  const events: { type: string; method?: string; bubbles: boolean; composed: boolean }[] = [];
  for (const type of ['input', 'change', 'tsy-method-select'] as const) {
    el.addEventListener(type, (event: Event) =>
      events.push({ type, bubbles: event.bubbles, composed: event.composed, ...(type === 'tsy-method-select' ? { method: (event as TsyEvent<'tsy-method-select'>).detail.method } : {}) }),
    );
  }
  return events;
}

describe('<tsy-method-picker>', () => {
  describe('structure', () => {
    it('is a radio group named by its title, with groups in a stable order and the BFF order inside a group', async () => {
      const el = await picker();
      const group = el.shadowRoot!.querySelector('[role="radiogroup"]')!;
      const nameId = group.getAttribute('aria-labelledby')!;
      expect(text(el.shadowRoot!.getElementById(nameId))).to.equal('选择支付方式');

      const groups = [...el.shadowRoot!.querySelectorAll('[role="group"]')];
      const labels = groups.map((g) => text(el.shadowRoot!.getElementById(g.getAttribute('aria-labelledby')!)));
      expect(labels).to.deep.equal(['微信', '支付宝', '银行卡', '余额', '其他']); // no UnionPay group: no UnionPay method
      expect(groups.map((g) => g.querySelectorAll('[role="radio"]').length)).to.deep.equal([2, 1, 1, 1, 1]);
      expect(radios(el).map((r) => text(r.querySelector('[part~="method-label"]')))).to.deep.equal(['微信扫码支付', '微信支付', '支付宝扫码支付', '网银支付', '账户余额', '扫描付款码']);
      expect(radios(el).map((r) => r.getAttribute('aria-posinset'))).to.deep.equal(['1', '2', '3', '4', '5', '6']);
      expect(radios(el).every((r) => r.getAttribute('aria-setsize') === '6')).to.be.true;
    });

    it('groups as the BFF says (`group`), never by reading the method key; a group it does not know is "other"', async () => {
      const el = await picker({
        methods: [
          { method: 'SOMETHING_NEW', usable: true, wallet: 'unionpay', group: 'unionpay', actions: ['qr'] },
          { method: 'QUICKPAY_TLT', usable: true, group: 'bank', actions: ['sms'] },
          { method: 'ALLINPAY_WALLET_H5', usable: true, group: 'balance', actions: ['form-post'] },
          { method: 'QQ_WALLET', usable: true, wallet: 'qq', group: 'other', actions: ['redirect'] },
          { method: 'WECHATPAY_H5_OPEN', usable: true, group: 'wechat', actions: ['redirect'] },
          // A key that reads like WeChat, in the group the BFF chose, and a group from a newer BFF.
          { method: 'WEIXIN_LOOKALIKE', usable: true, group: 'bank', actions: ['qr'] },
          { method: 'FUTURE_PAY', usable: true, group: 'crypto' as never, actions: ['qr'] },
        ],
      });
      const groups = [...el.shadowRoot!.querySelectorAll('[role="group"]')].map((g) => [
        text(g.querySelector('[part="group-label"]')),
        [...g.querySelectorAll('[part~="method-label"]')].map(text),
      ]);
      expect(groups).to.deep.equal([
        ['微信', ['微信支付']],
        ['银联', ['SOMETHING_NEW']],
        ['银行卡', ['协议支付', 'WEIXIN_LOOKALIKE']],
        ['余额', ['通联钱包']],
        ['其他', ['QQ钱包', 'FUTURE_PAY']],
      ]);
    });

    it('draws an inline SVG icon for every method (a lazy chunk, drawn when it arrives), with no external image', async () => {
      const el = await picker();
      const icons = radios(el).map((r) => r.querySelector('[part="method-icon"]'));
      expect(icons.every((icon) => icon instanceof SVGSVGElement), 'each tile keeps its box before the icons arrive').to.be.true;
      await waitUntil(() => icons.every((icon) => icon!.childElementCount > 0), 'icons drawn', { timeout: 3000 });
      expect(icons.every((icon) => icon instanceof SVGSVGElement && icon.getAttribute('aria-hidden') === 'true' && icon.childElementCount > 0)).to.be.true;
      expect(el.shadowRoot!.querySelectorAll('img, image, use').length).to.equal(0);
    });

    it('shows the reason a method cannot be used, linked with aria-describedby, and the method is disabled', async () => {
      const el = await picker();
      const wechatJs = radioFor(el, 'WECHAT_PUBLIC');
      expect(wechatJs.getAttribute('aria-disabled')).to.equal('true');
      expect(wechatJs.hasAttribute('tabindex')).to.be.false;
      const reason = el.shadowRoot!.getElementById(wechatJs.getAttribute('aria-describedby')!);
      expect(reason?.getAttribute('part')).to.equal('method-reason');
      expect(text(reason)).to.equal('请在微信中打开此页面以使用微信支付');
      expect(text(el.shadowRoot!.getElementById(radioFor(el, 'CODEPAY_VSP').getAttribute('aria-describedby')!))).to.equal('仅限电脑收银台使用');
      // Usable methods have no reason and no description.
      expect(radioFor(el, 'SCAN_WEIXIN').hasAttribute('aria-describedby')).to.be.false;
      expect(radioFor(el, 'SCAN_WEIXIN').hasAttribute('aria-disabled')).to.be.false;
      expect(el.shadowRoot!.querySelectorAll('[part="method-reason"]').length).to.equal(2);
    });

    it('says the reason the BFF gives; one this version has no text for is "Unavailable" (no rule of its own)', async () => {
      const methods: MethodView[] = [
        { method: 'WECHAT_PUBLIC', usable: false, reason: 'open_in_wechat', wallet: 'wechat', group: 'wechat', actions: ['wechat-jsapi'] },
        { method: 'ALIPAY_SERVICE', usable: false, reason: 'not_a_reason' as never, wallet: 'alipay', group: 'alipay', actions: ['alipay-jsapi'] },
        { method: 'CODEPAY_VSP', usable: false, group: 'other', actions: ['none'] },
      ];
      const el = await fixture<TsyMethodPicker>(html`<tsy-method-picker locale="en" .methods=${methods}></tsy-method-picker>`);
      expect([...el.shadowRoot!.querySelectorAll('[part="method-reason"]')].map(text)).to.deep.equal([
        'Open this page in WeChat to pay with WeChat',
        'Unavailable',
        'Unavailable',
      ]);
    });

    it('shows the amount as ¥12.34 in Chinese and in English', async () => {
      const el = await picker();
      el.amount = 1234;
      await el.updateComplete;
      expect(text(part(el, 'amount'))).to.equal('金额 ¥12.34');
      expect(part(el, 'amount').textContent).to.contain('¥12.34');
      el.locale = 'en';
      await el.updateComplete;
      expect(text(part(el, 'amount'))).to.equal('Amount ¥12.34');
      expect(el.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('aria-describedby')).to.equal('amount');
      el.removeAttribute('locale');
      el.setAttribute('amount', '100000');
      await el.updateComplete;
      expect(part(el, 'amount').textContent).to.contain('¥1,000.00');
    });

    it('switches language live with the locale attribute, and follows the nearest lang otherwise', async () => {
      const el = await picker();
      el.setAttribute('locale', 'en');
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('Choose a payment method');
      expect(text(part(el, 'group-label'))).to.equal('WeChat');
      expect(text(radioFor(el, 'SCAN_WEIXIN'))).to.equal('WeChat Pay (scan)');
      expect(text(part(el, 'method-reason'))).to.equal('Open this page in WeChat to pay with WeChat');
      expect(part(el, 'base').getAttribute('lang')).to.equal('en');
      el.locale = 'zh-CN';
      await el.updateComplete;
      expect(text(part(el, 'label'))).to.equal('选择支付方式');

      const wrapper = await fixture<HTMLDivElement>(html`<div lang="en"><tsy-method-picker .methods=${METHODS}></tsy-method-picker></div>`);
      const inner = wrapper.querySelector('tsy-method-picker')!;
      await inner.updateComplete;
      expect(text(part(inner, 'label'))).to.equal('Choose a payment method');
    });

    it('says so when there is no method', async () => {
      const el = await picker({ methods: [] });
      expect(radios(el).length).to.equal(0);
      expect(text(el.shadowRoot!.querySelector('.empty'))).to.equal('暂无可用的支付方式');
    });

    it('renders markup in a method key as text', async () => {
      const evil = '<img src=x onerror="window.__pwned=1">';
      const el = await picker({ methods: [{ method: evil, usable: true, group: 'other', actions: ['qr'] }, { method: 'SCAN_WEIXIN', usable: true, wallet: 'wechat', group: 'wechat', actions: ['qr'] }] });
      expect(el.shadowRoot!.querySelector('img')).to.equal(null);
      const label = [...el.shadowRoot!.querySelectorAll('[part~="method-label"]')].find((l) => l.textContent === evil);
      expect(label, 'the raw key shown as text').to.exist;
      expect(label!.children.length).to.equal(0);
      label!.closest<HTMLElement>('[role="radio"]')!.click();
      await el.updateComplete;
      expect(el.value).to.equal(evil);
      expect(el.getAttribute('value')).to.equal(evil);
      expect(document.querySelector('img[src="x"]')).to.equal(null);
      expect((window as { __pwned?: number }).__pwned).to.equal(undefined);
    });
  });

  describe('keyboard', () => {
    it('keeps exactly one radio in the tab order: the checked one, else the first usable one', async () => {
      const el = await picker();
      const tabbable = () => radios(el).filter((r) => r.getAttribute('tabindex') === '0');
      expect(tabbable().length).to.equal(1);
      expect(tabbable()[0]).to.equal(radioFor(el, 'SCAN_WEIXIN'));
      expect(radios(el).filter((r) => r.getAttribute('tabindex') === '-1').length).to.equal(3);

      el.value = 'BALANCE';
      await el.updateComplete;
      expect(tabbable().length).to.equal(1);
      expect(tabbable()[0]).to.equal(radioFor(el, 'BALANCE'));
      expect(radioFor(el, 'BALANCE').getAttribute('aria-checked')).to.equal('true');
      expect(radios(el).filter((r) => r.getAttribute('aria-checked') === 'true').length).to.equal(1);

      // A checked method that cannot be used is not focusable: Tab lands on the first usable one.
      el.value = 'WECHAT_PUBLIC';
      await el.updateComplete;
      expect(tabbable()).to.deep.equal([radioFor(el, 'SCAN_WEIXIN')]);
    });

    it('Tab enters the group on the checked method', async () => {
      const wrapper = await fixture<HTMLDivElement>(
        html`<div><button>before</button><tsy-method-picker locale="zh-CN" value="SCAN_ALIPAY" .methods=${METHODS}></tsy-method-picker><button>after</button></div>`,
      );
      const el = wrapper.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      wrapper.querySelector('button')!.focus();
      await press('Tab');
      expect(document.activeElement).to.equal(el);
      expect(focusedMethod(el)).to.equal('SCAN_ALIPAY');
      await press('Tab');
      expect(document.activeElement).to.equal(wrapper.querySelectorAll('button')[1]);
    });

    it('arrow keys move focus and selection to the next usable method, skipping disabled ones and wrapping', async () => {
      const el = await picker({ value: 'SCAN_WEIXIN' });
      const events = record(el);
      el.focus();
      expect(focusedMethod(el)).to.equal('SCAN_WEIXIN');

      await press('ArrowDown'); // skips WECHAT_PUBLIC
      expect([focusedMethod(el), el.value]).to.deep.equal(['SCAN_ALIPAY', 'SCAN_ALIPAY']);
      await press('ArrowRight');
      expect([focusedMethod(el), el.value]).to.deep.equal(['GATEWAY_VSP', 'GATEWAY_VSP']);
      await press('ArrowDown');
      expect(el.value).to.equal('BALANCE');
      await press('ArrowDown'); // skips CODEPAY_VSP, wraps
      expect([focusedMethod(el), el.value]).to.deep.equal(['SCAN_WEIXIN', 'SCAN_WEIXIN']);
      await press('ArrowUp'); // wraps backwards, skipping CODEPAY_VSP
      expect([focusedMethod(el), el.value]).to.deep.equal(['BALANCE', 'BALANCE']);
      await press('ArrowLeft');
      expect([focusedMethod(el), el.value]).to.deep.equal(['GATEWAY_VSP', 'GATEWAY_VSP']);
      await el.updateComplete;
      expect(radios(el).filter((r) => r.getAttribute('tabindex') === '0')).to.deep.equal([radioFor(el, 'GATEWAY_VSP')]);

      expect(events.filter((e) => e.type === 'tsy-method-select').map((e) => e.method)).to.deep.equal([
        'SCAN_ALIPAY',
        'GATEWAY_VSP',
        'BALANCE',
        'SCAN_WEIXIN',
        'BALANCE',
        'GATEWAY_VSP',
      ]);
    });

    it('Home and End go to the first and last usable methods', async () => {
      const el = await picker({ value: 'SCAN_ALIPAY' });
      el.focus();
      await press('End');
      expect([focusedMethod(el), el.value]).to.deep.equal(['BALANCE', 'BALANCE']);
      await press('Home');
      expect([focusedMethod(el), el.value]).to.deep.equal(['SCAN_WEIXIN', 'SCAN_WEIXIN']);
    });

    it('Space and Enter select the focused method', async () => {
      const el = await picker();
      const events = record(el);
      el.focus();
      expect(focusedMethod(el)).to.equal('SCAN_WEIXIN');
      expect(el.value).to.equal('');
      await press('Space');
      expect(el.value).to.equal('SCAN_WEIXIN');
      expect(radioFor(el, 'SCAN_WEIXIN').getAttribute('aria-checked')).to.equal('true');
      await press('Space'); // already selected: nothing fires again
      expect(events.length).to.equal(3);

      const other = await picker();
      other.focus();
      await press('Enter');
      expect(other.value).to.equal('SCAN_WEIXIN');
    });

    it('fires input, change and tsy-method-select with the method, for the payer only', async () => {
      const el = await picker();
      const events = record(el);
      setTimeout(() => radioFor(el, 'SCAN_ALIPAY').click());
      const selected = await oneEvent(el, 'tsy-method-select');
      expect(selected.detail).to.deep.equal({ method: 'SCAN_ALIPAY' });
      expect(events).to.deep.equal([
        { type: 'input', bubbles: true, composed: true },
        { type: 'change', bubbles: true, composed: false },
        { type: 'tsy-method-select', method: 'SCAN_ALIPAY', bubbles: true, composed: true },
      ]);
      expect(el.shadowRoot!.activeElement).to.equal(radioFor(el, 'SCAN_ALIPAY'));

      radioFor(el, 'SCAN_ALIPAY').click(); // already selected
      radioFor(el, 'WECHAT_PUBLIC').click(); // unusable
      el.value = 'BALANCE'; // by script
      await el.updateComplete;
      expect(events.length).to.equal(3);
      expect(el.value).to.equal('BALANCE');
      expect(el.getAttribute('value')).to.equal('BALANCE');
    });

    it('the events reach listeners outside an enclosing shadow root', async () => {
      const host = await fixture<HTMLDivElement>(html`<div></div>`);
      const root = host.attachShadow({ mode: 'open' });
      const el = document.createElement('tsy-method-picker');
      el.methods = METHODS;
      root.append(el);
      await el.updateComplete;
      setTimeout(() => radioFor(el, 'BALANCE').click());
      const event = await oneEvent(host, 'tsy-method-select');
      expect(event.detail.method).to.equal('BALANCE');
    });
  });

  describe('form', () => {
    it('submits name=method in a native form', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><tsy-method-picker name="method" .methods=${METHODS}></tsy-method-picker></form>`);
      const el = form.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      expect(el.form).to.equal(form);
      expect(new FormData(form).get('method')).to.equal(null);
      radioFor(el, 'GATEWAY_VSP').click();
      await el.updateComplete;
      expect(new FormData(form).get('method')).to.equal('GATEWAY_VSP');
      el.focus();
      await press('ArrowDown');
      expect(new FormData(form).get('method')).to.equal('BALANCE');
    });

    it('required without a value is valueMissing, with a localized message', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><tsy-method-picker name="method" required locale="zh-CN" .methods=${METHODS}></tsy-method-picker></form>`);
      const el = form.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      expect(el.willValidate).to.be.true;
      expect(form.checkValidity()).to.be.false;
      expect(el.checkValidity()).to.be.false;
      expect(el.validity.valueMissing).to.be.true;
      expect(el.validationMessage).to.equal('请选择支付方式');
      expect(el.matches(':invalid')).to.be.true;
      expect(el.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('aria-required')).to.equal('true');
      el.locale = 'en';
      await el.updateComplete;
      expect(el.validationMessage).to.equal('Please choose a payment method.');
      // The browser points the message at the method the payer would land on.
      expect(el.reportValidity()).to.be.false;
      expect(el.shadowRoot!.activeElement).to.equal(radioFor(el, 'SCAN_WEIXIN'));

      radioFor(el, 'SCAN_WEIXIN').click();
      await el.updateComplete;
      expect(el.validity.valid).to.be.true;
      expect(form.checkValidity()).to.be.true;
    });

    it('is valid when appended and checked at once, before it renders', async () => {
      const form = await fixture<HTMLFormElement>(html`<form></form>`);
      const el = document.createElement('tsy-method-picker');
      el.required = true;
      el.setAttribute('name', 'method');
      form.append(el);
      expect(form.checkValidity()).to.be.false;
      el.value = 'BALANCE';
      await el.updateComplete;
      expect(form.checkValidity()).to.be.true;
      expect(new FormData(form).get('method')).to.equal('BALANCE');
    });

    it('reset restores the initial value', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><tsy-method-picker name="method" value="BALANCE" .methods=${METHODS}></tsy-method-picker></form>`);
      const el = form.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      radioFor(el, 'SCAN_ALIPAY').click();
      await el.updateComplete;
      expect(new FormData(form).get('method')).to.equal('SCAN_ALIPAY');
      form.reset();
      await el.updateComplete;
      expect(el.value).to.equal('BALANCE');
      expect(new FormData(form).get('method')).to.equal('BALANCE');
      expect(radioFor(el, 'BALANCE').getAttribute('aria-checked')).to.equal('true');
      expect(radioFor(el, 'SCAN_ALIPAY').getAttribute('aria-checked')).to.equal('false');
    });

    it('a disabled fieldset disables it', async () => {
      const form = await fixture<HTMLFormElement>(
        html`<form><fieldset disabled><tsy-method-picker name="method" value="SCAN_WEIXIN" required .methods=${METHODS}></tsy-method-picker></fieldset></form>`,
      );
      const fieldset = form.querySelector('fieldset')!;
      const el = form.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      const events = record(el);
      expect(el.formDisabled).to.be.true;
      expect(el.matches(':disabled')).to.be.true;
      expect(el.willValidate).to.be.false;
      expect(el.shadowRoot!.querySelector('[role="radiogroup"]')!.getAttribute('aria-disabled')).to.equal('true');
      expect(radios(el).some((r) => r.hasAttribute('tabindex'))).to.be.false;
      expect(new FormData(form).has('method')).to.be.false;
      radioFor(el, 'BALANCE').click();
      await el.updateComplete;
      expect(el.value).to.equal('SCAN_WEIXIN');
      expect(events.length).to.equal(0);

      fieldset.disabled = false;
      await el.updateComplete;
      expect(el.formDisabled).to.be.false;
      expect(radios(el).filter((r) => r.getAttribute('tabindex') === '0')).to.deep.equal([radioFor(el, 'SCAN_WEIXIN')]);
      expect(new FormData(form).get('method')).to.equal('SCAN_WEIXIN');
    });

    it('its own disabled attribute does the same', async () => {
      const form = await fixture<HTMLFormElement>(html`<form><tsy-method-picker name="method" value="SCAN_WEIXIN" disabled .methods=${METHODS}></tsy-method-picker></form>`);
      const el = form.querySelector('tsy-method-picker')!;
      await el.updateComplete;
      expect(radios(el).some((r) => r.hasAttribute('tabindex'))).to.be.false;
      expect(new FormData(form).has('method')).to.be.false;
      radioFor(el, 'BALANCE').click();
      expect(el.value).to.equal('SCAN_WEIXIN');
    });
  });

  describe('accessibility', () => {
    for (const locale of ['zh-CN', 'en']) {
      for (const theme of ['light', 'dark'] as const) {
        it(`passes axe in ${locale}, ${theme}`, async () => {
          const el = await fixture<TsyMethodPicker>(
            html`<tsy-method-picker locale=${locale} theme=${theme} value="SCAN_ALIPAY" required .amount=${1234} .methods=${METHODS}></tsy-method-picker>`,
          );
          expect(el.getAttribute('theme')).to.equal(theme);
          await expect(el).to.be.accessible();
        });
      }
    }

    it('the theme changes the colours, and the selected method stands out in both', async () => {
      const colours = async (theme: 'light' | 'dark') => {
        const el = await fixture<TsyMethodPicker>(html`<tsy-method-picker theme=${theme} value="SCAN_ALIPAY" .methods=${METHODS}></tsy-method-picker>`);
        const style = (method: string) => getComputedStyle(radioFor(el, method));
        return {
          base: getComputedStyle(part(el, 'base')).backgroundColor,
          checkedBorder: style('SCAN_ALIPAY').borderTopColor,
          checkedBg: style('SCAN_ALIPAY').backgroundColor,
          plainBorder: style('BALANCE').borderTopColor,
          plainBg: style('BALANCE').backgroundColor,
          minHeight: radioFor(el, 'BALANCE').getBoundingClientRect().height,
        };
      };
      const light = await colours('light');
      const dark = await colours('dark');
      expect(light.base).to.equal('rgb(255, 255, 255)');
      expect(dark.base).to.equal('rgb(23, 25, 28)');
      for (const c of [light, dark]) {
        expect(c.checkedBorder).to.not.equal(c.plainBorder);
        expect(c.checkedBg).to.not.equal(c.plainBg);
        expect(c.minHeight).to.be.at.least(44);
      }
    });

    it('shows a focus ring on the focused method', async () => {
      const el = await picker();
      el.focus();
      await press('ArrowDown'); // keyboard modality: :focus-visible applies
      const focused = radioFor(el, 'SCAN_ALIPAY');
      expect(el.shadowRoot!.activeElement).to.equal(focused);
      expect(focused.matches(':focus-visible')).to.be.true;
      expect(getComputedStyle(focused).outlineStyle).to.equal('solid');
      expect(parseFloat(getComputedStyle(focused).outlineWidth)).to.be.at.least(2);
    });
  });
});
