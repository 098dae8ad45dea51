import '@tsy/widgets';
import type { TsyCheckout } from '@tsy/widgets';
import { api, ApiError, shopApi } from './api.js';
import { h, replace } from './dom.js';
import { formatYuan } from './format.js';

/**
 * The counter: the member of staff signs in with the shop's PIN, types the amount of the sale, and the shop's server
 * makes the order (the staff's session is the authority for the price). `<tsy-checkout>` then pays it by the payer's
 * payment code: the staff presses pay and scans the code the payer shows (camera or barcode gun) or types its digits;
 * a code the payer confirms in the wallet shows "waiting for the payer" until the platform says.
 */
const root = document.getElementById('cashier')!;
const cashierApi = {
  session: () => api<{ signedIn: boolean }>('/api/cashier/session'),
  signIn: (pin: string) => api<{ signedIn: boolean }>('/api/cashier/session', { method: 'POST', body: { pin } }),
  signOut: () => api<{ signedIn: boolean }>('/api/cashier/session', { method: 'DELETE' }),
  newSale: (amount: string) => api<{ order: { id: string; amount: number } }>('/api/cashier/orders', { method: 'POST', body: { amount } }).then((answer) => answer.order),
};

const errorText = (error: unknown) => (error instanceof ApiError ? error.message : '出错了,请重试 / Something went wrong, try again');

function signInForm(): HTMLElement {
  const pin = h('input', { id: 'pin', name: 'pin', type: 'password', inputmode: 'numeric', autocomplete: 'off', required: true, pattern: '[0-9]{4,12}' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const form = h(
    'form',
    { 'aria-labelledby': 'signin-title' },
    h('h1', { id: 'signin-title' }, '收银员登录 ', h('span', { class: 'en' }, 'Staff sign-in')),
    h('label', { for: 'pin' }, '员工 PIN / Staff PIN'),
    pin,
    problem,
    h('button', { type: 'submit' }, '登录 / Sign in'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.hidden = true;
    cashierApi.signIn(pin.value).then(
      () => void show(),
      (error: unknown) => {
        pin.value = '';
        problem.textContent = errorText(error);
        problem.hidden = false;
      },
    );
  });
  return form;
}

function saleForm(sandboxUrl: string): HTMLElement {
  const amount = h('input', { id: 'amount', name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true, placeholder: '0.00', pattern: '[0-9]{1,6}([.][0-9]{1,2})?' });
  const problem = h('p', { class: 'error', role: 'alert', hidden: true });
  const result = h('p', { class: 'thanks', role: 'status', hidden: true, 'data-testid': 'sale-result' });
  const checkoutBox = h('div');
  const form = h(
    'form',
    { 'aria-labelledby': 'sale-title' },
    h('label', { for: 'amount' }, '收款金额(元)/ Amount (¥)'),
    amount,
    problem,
    h('button', { type: 'submit' }, '收款 / Charge'),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    problem.hidden = true;
    result.hidden = true;
    cashierApi.newSale(amount.value).then(
      (order) => {
        const checkout = document.createElement('tsy-checkout') as TsyCheckout;
        checkout.setAttribute('api', '/api/checkout');
        checkout.setAttribute('order', order.id);
        checkout.addEventListener('tsy-success', (done) => {
          result.textContent = `收款成功 / Paid ${formatYuan(done.detail.amount)} · ${order.id}`;
          result.hidden = false;
          amount.value = '';
        });
        replace(checkoutBox, checkout);
      },
      (error: unknown) => {
        problem.textContent = errorText(error);
        problem.hidden = false;
      },
    );
  });
  const signOut = h('button', { type: 'button', class: 'small' }, '退出 / Sign out');
  signOut.addEventListener('click', () => void cashierApi.signOut().then(() => show()));
  return h(
    'section',
    { 'aria-labelledby': 'sale-title' },
    h('div', { class: 'bar' }, h('h1', { id: 'sale-title' }, '收银台 ', h('span', { class: 'en' }, 'Counter')), signOut),
    form,
    result,
    checkoutBox,
    h(
      'aside',
      { class: 'sandbox-help', 'aria-label': '沙箱说明 / Sandbox notes' },
      h('span', { class: 'badge' }, '沙箱 Sandbox'),
      ' 付款人的付款码在 ',
      h('a', { href: `${sandboxUrl}/sandbox/payment-codes`, target: '_blank', rel: 'noopener', 'data-testid': 'payment-codes' }, '测试付款码 / Test payment codes ↗'),
      ' — 在另一块屏幕或手机上打开,对着摄像头扫描,或输入数字。 / Open it on another screen or a phone and hold it to the camera, or type the digits.',
    ),
  );
}

async function show(): Promise<void> {
  try {
    const [{ signedIn }, info] = await Promise.all([cashierApi.session(), shopApi.info()]);
    replace(root, signedIn ? saleForm(info.sandboxUrl) : signInForm());
    root.querySelector<HTMLInputElement>('input')?.focus();
  } catch (error) {
    replace(root, h('p', { class: 'error', role: 'alert' }, errorText(error)));
  }
}

void show();
