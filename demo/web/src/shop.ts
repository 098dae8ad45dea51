import '@tsy/widgets';
import type { TsyCheckout } from '@tsy/widgets';
import { ApiError, checkoutApi, shopApi, type Product, type ShopInfo, type ShopOrder } from './api.js';
import { loadCart, MAX_QUANTITY, saveCart, type Cart } from './cart.js';
import { h, isSafeUrl, replace } from './dom.js';
import { formatTime, formatYuan } from './format.js';
import { methodLabel } from './labels.js';
import { applyToElement, type Preferences } from './preferences.js';

/**
 * The shop page: products, the cart, the checkout (`<tsy-checkout>` for the order the cart became) and the shopper's
 * orders. The element does the whole payment — phone binding, the method picker, the QR with its live state — and tells
 * the page how it ended; the page only keeps the shop's side in step.
 */
export async function renderShop(root: HTMLElement, preferences: Preferences, info: ShopInfo): Promise<void> {
  const products = await shopApi.products();
  const byId = new Map(products.map((product) => [product.id, product]));
  const cart: Cart = loadCart();
  for (const id of cart.keys()) if (!byId.has(id)) cart.delete(id);

  const cartBox = h('section', { class: 'cart', 'aria-labelledby': 'cart-title' });
  const ordersBox = h('section', { class: 'orders' });

  // ——— the checkout ———
  const checkout = document.createElement('tsy-checkout') as TsyCheckout;
  checkout.setAttribute('api', '/api/checkout');
  applyToElement(checkout, preferences);
  const note = h('p', { class: 'muted checkout-note' });
  const thanks = h('div', { class: 'thanks', role: 'status', hidden: true });
  const walletLink = h('a', { class: 'wallet-link', target: '_blank', rel: 'noopener', 'data-testid': 'wallet-link' }, '在模拟钱包中打开 / Open in the simulated wallet ↗');
  const walletRow = h('p', { class: 'wallet-row', hidden: true }, '没有手机扫码?/ No phone at hand? ', walletLink);
  const checkoutBox = h(
    'section',
    { class: 'checkout', 'aria-labelledby': 'checkout-title' },
    h('h2', { id: 'checkout-title' }, '结算 ', h('span', { class: 'en' }, 'Checkout')),
    note,
    thanks,
    h(
      'aside',
      { class: 'sandbox-help', 'aria-label': '沙箱说明 / Sandbox notes' },
      h('span', { class: 'badge' }, '沙箱 Sandbox'),
      walletRow,
      h(
        'p',
        null,
        '首次付款需绑定手机号,余额支付需短信验证码;沙箱不发真实短信,验证码在 ',
        h('a', { href: info.smsInboxUrl, target: '_blank', rel: 'noopener', 'data-testid': 'sms-inbox' }, '短信收件箱 / SMS inbox ↗'),
        h('br'),
        h('span', { class: 'en' }, 'The first payment binds a phone, and the balance is confirmed by SMS code; the sandbox sends no real SMS — the code is in its inbox.'),
      ),
    ),
  );

  let paidOrderId: string | undefined;
  /** Shows the checkout of `orderId`; the element is connected with its first order, so it starts loading at once. */
  function showCheckout(orderId: string): void {
    paidOrderId = undefined;
    thanks.hidden = true;
    note.hidden = true;
    checkout.hidden = false;
    if (!checkout.isConnected) {
      checkout.order = orderId;
      note.after(checkout);
    } else if (checkout.order !== orderId) {
      checkout.order = orderId;
    }
  }

  function showNote(text: string): void {
    walletRow.hidden = true;
    checkout.hidden = true;
    thanks.hidden = true;
    note.hidden = false;
    note.textContent = text;
  }

  // Sandbox only: on a desktop nobody scans the QR, so the page offers the QR's link (the BFF's current payment).
  checkout.addEventListener('tsy-state-change', (event) => {
    walletRow.hidden = true;
    if (event.detail.state !== 'awaiting') return;
    const orderId = checkout.order;
    void checkoutApi
      .order(orderId)
      .then((view) => {
        const action = view.currentPayment?.action;
        if (checkout.state !== 'awaiting' || checkout.order !== orderId || action?.type !== 'qr' || !isSafeUrl(action.payInfo)) return;
        walletLink.href = action.payInfo;
        walletRow.hidden = false;
      })
      .catch(() => undefined);
  });

  // Paid (the BFF confirmed it; the shop's server heard it through onPaymentEvent): the cart is done with. The element
  // keeps showing its success; the page thanks the shopper and updates "my orders".
  checkout.addEventListener('tsy-success', () => {
    const orderId = checkout.order;
    if (paidOrderId === orderId) return;
    paidOrderId = orderId;
    cart.clear();
    saveCart(cart);
    renderCart();
    replace(
      thanks,
      h('p', { class: 'thanks-title' }, '谢谢惠顾!', h('span', { class: 'en' }, ' Thank you!')),
      h('p', null, '订单 ', h('strong', { class: 'nowrap' }, orderId), ' 已支付 / is paid.'),
      h('button', { type: 'button', 'data-testid': 'shop-again', onclick: () => shopAgain() }, '继续购物 / Shop again'),
    );
    thanks.hidden = false;
    void refreshOrdersWhenPaid(orderId);
  });

  /** After a purchase: back to an empty cart and the products. */
  function shopAgain(): void {
    paidOrderId = undefined;
    showNote('购物车是空的,先挑几件商品吧 / Your cart is empty — add something first');
    productGrid.querySelector('button')?.focus();
  }

  const productGrid = h(
    'section',
    { class: 'products', 'aria-labelledby': 'products-title' },
    h('h2', { id: 'products-title' }, '商品 ', h('span', { class: 'en' }, 'Products')),
    h('div', { class: 'grid' }, ...products.map((product) => productCard(product))),
  );
  // On a phone: cart and checkout first (one column); on a desktop they are the right-hand column.
  replace(root, h('div', { class: 'layout' }, h('div', { class: 'side' }, cartBox, checkoutBox), productGrid, ordersBox));

  function productCard(product: Product): HTMLElement {
    return h(
      'article',
      { class: 'product', 'data-product': product.id },
      h('div', { class: 'icon', 'aria-hidden': 'true' }, product.icon),
      h('div', { class: 'name' }, product.name),
      h('div', { class: 'en' }, product.nameEn),
      h('div', { class: 'price' }, formatYuan(product.price)),
      h('button', { type: 'button', onclick: () => setQuantity(product.id, (cart.get(product.id) ?? 0) + 1) }, '加入购物车 / Add to cart'),
    );
  }

  function setQuantity(id: string, quantity: number): void {
    if (quantity <= 0) cart.delete(id);
    else cart.set(id, Math.min(quantity, MAX_QUANTITY));
    changed();
  }

  function renderCart(): void {
    const lines = [...cart].map(([id, quantity]) => ({ product: byId.get(id)!, quantity }));
    const total = lines.reduce((sum, line) => sum + line.product.price * line.quantity, 0);
    replace(
      cartBox,
      h('h2', { id: 'cart-title' }, '购物车 ', h('span', { class: 'en' }, 'Cart')),
      lines.length === 0
        ? h('p', { class: 'muted' }, '购物车是空的 / Your cart is empty')
        : h(
            'ul',
            { class: 'cart-lines' },
            ...lines.map(({ product, quantity }) =>
              h(
                'li',
                { 'data-product': product.id },
                h('span', { class: 'line-name' }, product.name),
                h(
                  'span',
                  { class: 'qty' },
                  h('button', { type: 'button', class: 'small', 'aria-label': `减少 / Fewer: ${product.name}`, onclick: () => setQuantity(product.id, quantity - 1) }, '−'),
                  h('span', { class: 'count' }, quantity),
                  h('button', { type: 'button', class: 'small', 'aria-label': `增加 / More: ${product.name}`, onclick: () => setQuantity(product.id, quantity + 1) }, '+'),
                ),
                h('span', { class: 'line-total' }, formatYuan(product.price * quantity)),
              ),
            ),
          ),
      h('div', { class: 'cart-total' }, h('span', null, '合计 / Total'), h('strong', { 'data-testid': 'cart-total' }, formatYuan(total))),
    );
  }

  // The cart becomes a shop order (the server prices it; the same cart gives the same unpaid order), then the checkout.
  let debounce: number | undefined;
  let placing = 0;
  function changed(): void {
    saveCart(cart);
    renderCart();
    window.clearTimeout(debounce);
    debounce = window.setTimeout(() => void place(), 300);
  }

  async function place(): Promise<void> {
    const attempt = ++placing;
    if (cart.size === 0) {
      if (paidOrderId === undefined) showNote('购物车是空的,先挑几件商品吧 / Your cart is empty — add something first');
      return;
    }
    try {
      const order = await shopApi.placeOrder([...cart].map(([productId, quantity]) => ({ productId, quantity })));
      if (attempt !== placing) return;
      showCheckout(order.id);
      void refreshOrders();
    } catch (error) {
      if (attempt === placing) showNote(error instanceof ApiError ? error.message : String(error));
    }
  }

  /** The shop learns of the payment from onPaymentEvent, about when the checkout does: wait for it (up to 10 s). */
  async function refreshOrdersWhenPaid(merchantOrderId: string): Promise<void> {
    for (let attempt = 0; attempt < 20; attempt++) {
      const order = await shopApi.order(merchantOrderId).catch(() => undefined);
      if (order?.paid) break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    await refreshOrders();
  }

  async function refreshOrders(): Promise<void> {
    const orders = await shopApi.orders().catch(() => [] as ShopOrder[]);
    replace(
      ordersBox,
      h('h2', null, '我的订单 ', h('span', { class: 'en' }, 'My orders')),
      orders.length === 0
        ? h('p', { class: 'muted' }, '还没有订单 / No orders yet')
        : h(
            'div',
            { class: 'table-scroll' },
            h(
              'table',
              null,
              h('tr', null, h('th', null, '订单 Order'), h('th', null, '时间 Time'), h('th', null, '金额 Amount'), h('th', null, '状态 Status')),
              ...orders.map((order) =>
                h(
                  'tr',
                  { 'data-order': order.id, 'data-paid': String(order.paid) },
                  h('td', null, order.id),
                  h('td', null, formatTime(order.createdAt)),
                  h('td', null, formatYuan(order.amount)),
                  h('td', { class: order.paid ? 'ok' : 'muted' }, order.paid ? `已支付 Paid${order.paidMethod ? ` · ${methodLabel(order.paidMethod, 'short')}` : ''}` : '未支付 Unpaid'),
                ),
              ),
            ),
          ),
    );
  }

  renderCart();
  showNote('正在生成订单… / Placing the order…');
  await place();
  await refreshOrders();
}
