import { ApiError, shopApi, type Product, type ShopOrder } from './api.js';
import { loadCart, MAX_QUANTITY, saveCart, type Cart } from './cart.js';
import { CheckoutPanel, methodLabel } from './checkout.js';
import { h, replace } from './dom.js';
import { formatTime, formatYuan } from './format.js';

/** The shop page: products, the cart, the checkout and the shopper's orders. */
export async function renderShop(root: HTMLElement): Promise<void> {
  const [products, info] = await Promise.all([shopApi.products(), shopApi.info()]);
  const byId = new Map(products.map((product) => [product.id, product]));
  const cart: Cart = loadCart();
  for (const id of cart.keys()) if (!byId.has(id)) cart.delete(id);

  const cartBox = h('section', { class: 'cart' });
  const ordersBox = h('section', { class: 'orders' });
  const checkout = new CheckoutPanel({
    smsInboxUrl: info.smsInboxUrl,
    // Paid: the cart is done with (the checkout keeps showing the success until the shopper moves on).
    onPaid: (merchantOrderId) => {
      cart.clear();
      saveCart(cart);
      renderCart();
      void refreshOrdersWhenPaid(merchantOrderId);
    },
    onDone: () => changed(),
  });

  const productGrid = h(
    'section',
    { class: 'products' },
    h('h2', null, '商品 ', h('span', { class: 'en' }, 'Products')),
    h('div', { class: 'grid' }, ...products.map((product) => productCard(product))),
  );
  replace(root, h('div', { class: 'layout' }, h('div', { class: 'side' }, cartBox, checkout.element), productGrid), ordersBox);

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
      h('h2', null, '购物车 ', h('span', { class: 'en' }, 'Cart')),
      lines.length === 0
        ? h('p', { class: 'muted' }, '购物车是空的 / Your cart is empty')
        : h(
            'ul',
            { class: 'cart-lines' },
            ...lines.map(({ product, quantity }) =>
              h(
                'li',
                { 'data-product': product.id },
                h('span', { class: 'line-name' }, `${product.icon} ${product.name}`),
                h(
                  'span',
                  { class: 'qty' },
                  h('button', { type: 'button', class: 'small', 'aria-label': '减少 / Fewer', onclick: () => setQuantity(product.id, quantity - 1) }, '−'),
                  h('span', { class: 'count' }, quantity),
                  h('button', { type: 'button', class: 'small', 'aria-label': '增加 / More', onclick: () => setQuantity(product.id, quantity + 1) }, '+'),
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
      checkout.showMessage('购物车是空的,先挑几件商品吧 / Your cart is empty');
      return;
    }
    try {
      const order = await shopApi.placeOrder([...cart].map(([productId, quantity]) => ({ productId, quantity })));
      if (attempt !== placing) return;
      if (order.id !== checkout.currentOrderId) await checkout.load(order.id);
      void refreshOrders();
    } catch (error) {
      if (attempt === placing) checkout.showMessage(error instanceof ApiError ? error.message : String(error));
    }
  }

  /** The shop learns of the payment from onPaymentEvent, a moment after the checkout does: wait for it (up to 10 s). */
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
            'table',
            null,
            h('tr', null, h('th', null, '订单 Order'), h('th', null, '时间 Time'), h('th', null, '金额 Amount'), h('th', null, '状态 Status')),
            ...orders.map((order) =>
              h(
                'tr',
                { 'data-order': order.id },
                h('td', null, order.id),
                h('td', null, formatTime(order.createdAt)),
                h('td', null, formatYuan(order.amount)),
                h('td', { class: order.paid ? 'ok' : 'muted' }, order.paid ? `已支付 Paid · ${order.paidMethod ? methodLabel(order.paidMethod) : ''}` : '未支付 Unpaid'),
              ),
            ),
          ),
    );
  }

  renderCart();
  window.clearTimeout(debounce);
  await place();
  await refreshOrders();
}
