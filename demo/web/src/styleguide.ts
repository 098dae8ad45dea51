/**
 * The living style guide (`/styleguide.html`): every component of @tsy/widgets, live, in both locales and both themes,
 * `<tsy-checkout>` in each of its states, and one variant themed through the --tsy-* custom properties. The checkouts
 * talk to an in-page fixture (styleguide-fixture.ts) instead of the BFF, so each state is there on every load.
 */
import '@tsy/widgets';
import { TsyPhoneBind, TsyQrPay, type PaymentView, type TsyCheckout, type TsyMethodPicker } from '@tsy/widgets/classes';
import { h, replace, type Child } from './dom.js';
import { FIXTURE_API, FIXTURE_METHODS, FIXTURE_PAY_INFO, installFixtureApi, installFixtureBridges, type Scenario } from './styleguide-fixture.js';

installFixtureApi();
installFixtureBridges();
// The redirect and form-post flows announce leaving the page with a cancelable `tsy-before-redirect`: here it is always
// cancelled, so their states stay on the page and the style guide never navigates to a payment page.
document.addEventListener('tsy-before-redirect', (event) => event.preventDefault(), { capture: true });
// `import '@tsy/widgets'` defines <tsy-checkout> and <tsy-method-picker> at once and <tsy-qr-pay> a moment later; the
// checkout defines <tsy-phone-bind> when it needs it. Here every element is shown from the start.
for (const [tag, element] of [
  ['tsy-qr-pay', TsyQrPay],
  ['tsy-phone-bind', TsyPhoneBind],
] as const) {
  if (!customElements.get(tag)) customElements.define(tag, element);
}

interface Variant {
  readonly locale: 'zh-CN' | 'en';
  readonly theme: 'light' | 'dark';
  readonly label: string;
}
const VARIANTS: readonly Variant[] = [
  { locale: 'zh-CN', theme: 'light', label: 'zh-CN · 浅色 light' },
  { locale: 'zh-CN', theme: 'dark', label: 'zh-CN · 深色 dark' },
  { locale: 'en', theme: 'light', label: 'en · light' },
  { locale: 'en', theme: 'dark', label: 'en · dark' },
];

/** The custom brand of the theming section, set on its wrapper through the CSSOM (a style attribute would break the CSP). */
const BRAND: Readonly<Record<string, string>> = {
  '--tsy-color-primary': '#0f766e',
  '--tsy-color-focus': '#0f766e',
  '--tsy-color-background': '#fbfaf6',
  '--tsy-color-surface': '#f1efe6',
  '--tsy-color-border': '#d6d0bb',
  '--tsy-color-text': '#1d2a26',
  '--tsy-radius': '2px',
  '--tsy-spacing': '14px',
  '--tsy-font-family': "Georgia, 'Noto Serif CJK SC', 'Songti SC', serif",
};

const AMOUNT = 18600;

function element<T extends HTMLElement>(tag: string, variant: Pick<Variant, 'locale' | 'theme'>, attributes: Record<string, string> = {}): T {
  const el = document.createElement(tag) as T;
  el.setAttribute('locale', variant.locale);
  el.setAttribute('theme', variant.theme);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, value);
  return el;
}

function picker(variant: Pick<Variant, 'locale' | 'theme'>): TsyMethodPicker {
  const el = element<TsyMethodPicker>('tsy-method-picker', variant);
  el.methods = FIXTURE_METHODS;
  el.amount = AMOUNT;
  el.value = 'SCAN_WEIXIN';
  return el;
}

function qrPayment(state: PaymentView['state'], method = 'SCAN_WEIXIN'): PaymentView {
  const now = Date.now();
  return {
    bizOrderNo: 'SG20261126000000000001',
    merchantOrderId: 'SG-qr',
    state,
    method,
    amount: AMOUNT,
    expiresAt: new Date(now + 5 * 60_000).toISOString(),
    action: { type: 'qr', payInfo: FIXTURE_PAY_INFO },
    failure: state === 'failed' ? { code: 'SANDBOX', message: '钱包余额不足(模拟)' } : null,
    settlement: state === 'success' ? 'paid' : null,
    refundedAmount: 0,
    environment: 'desktop',
    serverTime: new Date(now).toISOString(),
  };
}

/** `api=""`: the element shows the payment it was given and asks no server about it. */
function qrPay(variant: Pick<Variant, 'locale' | 'theme'>, payment: PaymentView): TsyQrPay {
  const el = element<TsyQrPay>('tsy-qr-pay', variant, { api: '', environment: 'desktop', wallet: 'wechat' });
  el.payment = payment;
  return el;
}

const phoneBind = (variant: Pick<Variant, 'locale' | 'theme'>) => element<TsyPhoneBind>('tsy-phone-bind', variant, { api: FIXTURE_API });

const checkout = (variant: Pick<Variant, 'locale' | 'theme'>, scenario: Scenario) =>
  element<TsyCheckout>('tsy-checkout', variant, { api: FIXTURE_API, order: `SG-${scenario}` });

function cell(variant: Pick<Variant, 'theme'>, caption: string, content: HTMLElement): HTMLElement {
  return h('figure', { class: 'cell', 'data-theme': variant.theme }, h('figcaption', null, caption), content);
}

/** One element in the four variants, side by side. */
function variants(make: (variant: Variant) => HTMLElement): HTMLElement {
  return h('div', { class: 'variants' }, ...VARIANTS.map((variant) => cell(variant, variant.label, make(variant))));
}

function section(id: string, title: Child, intro: Child, ...content: Child[]): HTMLElement {
  return h('section', { id, class: 'sg-section', 'aria-labelledby': `${id}-title` }, h('h2', { id: `${id}-title` }, title), h('p', { class: 'muted intro' }, intro), ...content);
}

const code = (text: string) => h('code', null, text);

const CHECKOUT_STATES: readonly (readonly [Scenario, string, string])[] = [
  ['select', 'select', '选择支付方式:订单已加载 / the order is loaded, the payer chooses'],
  ['phone', 'select + phone', '付款人尚未绑定手机号:先绑定 / the payer binds a phone first'],
  ['awaiting', 'awaiting', '扫码支付进行中 / a QR payment in progress'],
  ['success', 'success', '服务端确认支付成功 / the BFF confirmed the payment'],
  ['double_paid', 'success', '订单此前已支付,本次多付将退回 / paid, but the order was already paid: the extra payment is refunded'],
  ['failed', 'failed', '支付失败,可重试 / the payment failed; try again'],
  ['expired', 'expired', '二维码过期 / the QR expired'],
  ['unsupported', 'error', '网页无法完成的步骤(App 支付参数) / a step no web page runs (app parameters)'],
  ['wechat_ok', 'wechat-jsapi · :ok', '微信返回 ok:等待服务端确认 / WeChat said ok: confirming with the BFF'],
  ['wechat_cancel', 'wechat-jsapi · :cancel', '付款人取消:重新支付或换一种方式 / cancelled: pay again or choose another method'],
  ['wechat_fail', 'wechat-jsapi · :fail', '微信返回失败及原因 / WeChat failed, with its reason'],
  ['alipay_9000', 'alipay-jsapi · 9000', '支付宝返回 9000:等待服务端确认 / paid in Alipay: confirming with the BFF'],
  ['alipay_8000', 'alipay-jsapi · 8000', '处理中:确认中,绝不显示失败 / processing: confirming, never a failure'],
  ['alipay_6001', 'alipay-jsapi · 6001', '付款人取消 / the payer cancelled'],
  ['alipay_6002', 'alipay-jsapi · 6002', '网络错误:重新支付 / network error: pay again'],
  ['alipay_4000', 'alipay-jsapi · 4000', '支付未完成及原因 / not paid, with the reason'],
  ['wrong_app', 'open in browser', '在微信中打开了支付宝支付:引导在浏览器打开 / an Alipay payment inside WeChat: the "open in browser" guide'],
  ['redirect_return', 'redirect · back', '从微信 H5 支付返回:"我已支付" / back from WeChat H5: "did you finish paying?"'],
  ['redirect_refused', 'redirect · refused', '跳转地址不在允许列表:拒绝 / a redirect to a host not allowed: refused'],
  ['form_post', 'form-post', '提交到支付网关(此页拦截了跳转) / posting to the gateway (this page stops the navigation)'],
  ['pos_code', 'pos-code', 'POS 付款码:收银员在 POS 机上输入 / the POS order code, for the cashier to type into the terminal'],
  ['bad_action', 'error · bad action', '缺少字段的支付参数:明确的错误 / an action missing its fields: a clear error'],
  ['sms', 'sms', '短信验证码确认,重新发送倒计时 / the SMS code, resend counting down'],
  ['loading', 'loading', '正在加载订单 / loading the order'],
];

/** One state in the given variants, side by side. */
function stateRow([scenario, state, text]: readonly [Scenario, string, string], variants: readonly Variant[]): HTMLElement {
  return h(
    'div',
    { class: 'state-row', 'data-scenario': scenario },
    h('h3', null, code(`state="${state}"`), ' ', h('span', { class: 'muted' }, text)),
    h('div', { class: 'variants' }, ...variants.map((variant) => cell(variant, variant.label, checkout(variant, scenario)))),
  );
}

/**
 * The states after "select": by default each once, in the four variants in turn (one screen); "every variant" shows each
 * state in all four.
 */
function otherStates(all: boolean): HTMLElement {
  const rest = CHECKOUT_STATES.slice(1);
  if (all) return h('div', { class: 'states' }, ...rest.map((row) => stateRow(row, VARIANTS)));
  return h(
    'div',
    { class: 'variants states' },
    ...rest.map(([scenario, state, text], index) => {
      const variant = VARIANTS[index % VARIANTS.length]!;
      return h('figure', { class: 'cell', 'data-theme': variant.theme, 'data-scenario': scenario }, h('figcaption', null, `state="${state}" · ${variant.label}`), h('p', { class: 'state-note' }, text), checkout(variant, scenario));
    }),
  );
}

function render(root: HTMLElement): void {
  let states = otherStates(false);
  const allVariants = h('label', { class: 'toggle' }, h('input', { type: 'checkbox', 'data-testid': 'all-variants' }), ' 每个状态都显示四种变体 / every state in all four variants');
  allVariants.querySelector('input')!.addEventListener('change', (event) => {
    const next = otherStates((event.target as HTMLInputElement).checked);
    states.replaceWith(next);
    states = next;
  });

  const brandWrapper = h(
    'div',
    { class: 'brand-variant' },
    cell({ theme: 'light' }, '<tsy-checkout> · zh-CN', checkout({ locale: 'zh-CN', theme: 'light' }, 'select')),
    cell({ theme: 'light' }, '<tsy-method-picker> · en', picker({ locale: 'en', theme: 'light' })),
    cell({ theme: 'light' }, '<tsy-qr-pay> · zh-CN', qrPay({ locale: 'zh-CN', theme: 'light' }, qrPayment('pending'))),
  );
  for (const [name, value] of Object.entries(BRAND)) brandWrapper.style.setProperty(name, value);
  const brandCss = `.my-shop {\n${Object.entries(BRAND)
    .map(([name, value]) => `  ${name}: ${value};`)
    .join('\n')}\n}`;

  replace(
    root,
    h(
      'div',
      { class: 'sg-head' },
      h('h1', null, '组件样式指南 ', h('span', { class: 'en' }, 'Living style guide')),
      h(
        'p',
        { class: 'muted' },
        '@tsy/widgets 的每个组件,中英文 × 浅色/深色,均为真实运行的元素。/ Every component of @tsy/widgets, live, in both locales and both themes. ',
        'The checkouts below talk to an in-page fixture of the BFF, so each state is always there.',
      ),
      h(
        'nav',
        { class: 'toc', 'aria-label': '目录 / Contents' },
        ...[
          ['#picker', '<tsy-method-picker>'],
          ['#qr', '<tsy-qr-pay>'],
          ['#phone', '<tsy-phone-bind>'],
          ['#checkout', '<tsy-checkout>'],
          ['#theming', '--tsy-* theming'],
        ].map(([href, text]) => h('a', { href: href! }, text!)),
      ),
    ),
    section(
      'picker',
      '<tsy-method-picker>',
      h('span', null, '按钱包分组;不可用的方式附原因。/ Grouped by wallet; a method that cannot be used here says why. ', code('.methods'), ' as the BFF lists them for a desktop browser.'),
      variants(picker),
    ),
    section(
      'qr',
      '<tsy-qr-pay>',
      h('span', null, '二维码、金额、倒计时与实时状态。/ The QR, the amount, a countdown and the live state. ', code('api=""'), ': shows the payment it is given, asks no server.'),
      variants((variant) => qrPay(variant, qrPayment('pending'))),
      h(
        'div',
        { class: 'variants' },
        cell(VARIANTS[0]!, 'success · zh-CN · 浅色 light', qrPay(VARIANTS[0]!, qrPayment('success'))),
        cell(VARIANTS[1]!, 'failed · zh-CN · 深色 dark', qrPay(VARIANTS[1]!, qrPayment('failed', 'SCAN_ALIPAY'))),
        cell(VARIANTS[2]!, 'expired · en · light', qrPay(VARIANTS[2]!, qrPayment('expired', 'SCAN_UNIONPAY'))),
        cell(VARIANTS[3]!, 'success · en · dark', qrPay(VARIANTS[3]!, qrPayment('success', 'SCAN_ALIPAY'))),
      ),
    ),
    section(
      'phone',
      '<tsy-phone-bind>',
      '通商云要求付款会员先绑定手机号(仅首次),结账组件按需加载此步骤。/ The platform lets only members with a bound phone pay; the checkout loads this step when a payer needs it.',
      variants(phoneBind),
    ),
    section(
      'checkout',
      '<tsy-checkout>',
      h('span', null, '整个结账流程;状态反映在 ', code('state'), ' 属性上。/ The whole checkout; where it is shows in its ', code('state'), ' attribute.'),
      stateRow(CHECKOUT_STATES[0]!, VARIANTS),
      h(
        'div',
        { class: 'states-head' },
        h('h3', null, '其他状态 ', h('span', { class: 'muted' }, 'The other states')),
        allVariants,
      ),
      states,
    ),
    section(
      'theming',
      '--tsy-* 主题定制 / Theming',
      '组件不依赖全局样式;在任意祖先元素上设置 --tsy-* 自定义属性即可换肤(亦可用 ::part())。/ No global CSS: set --tsy-* custom properties on any ancestor (or style ::part()).',
      h('div', { class: 'theming' }, h('pre', { class: 'css' }, brandCss), brandWrapper),
    ),
  );
}

render(document.getElementById('styleguide')!);
