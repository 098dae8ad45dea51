/**
 * The calls the demo's own code makes: the shop's API (/api/shop). The checkout itself is `<tsy-checkout>`, which talks to
 * the BFF (/api/checkout) on its own; the page reads the BFF only for the result page and the sandbox's wallet link.
 */
import type { OrderView, PaymentView } from '@tsy/widgets';

export interface Product {
  id: string;
  name: string;
  nameEn: string;
  price: number;
  icon: string;
}

export interface ShopOrder {
  id: string;
  lines: { productId: string; name: string; unitPrice: number; quantity: number }[];
  amount: number;
  createdAt: string;
  paid: boolean;
  paidAt: string | null;
  paidBizOrderNo: string | null;
  paidMethod: string | null;
}

export interface ShopInfo {
  environment: string;
  sandboxUrl: string;
  smsInboxUrl: string;
  /** The sandbox's "simulate" switch (simulate.ts): null when the User-Agent decides. */
  simulate: 'desktop' | 'mobile' | 'wechat' | 'alipay' | null;
}

/** An error answer: `{error: {code, message}}` from the BFF or the shop. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export async function api<T>(path: string, options: { method?: string; body?: unknown } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      credentials: 'same-origin',
    });
  } catch {
    throw new ApiError(0, 'network', '网络错误,请稍后重试 / Network error, try again');
  }
  const text = await response.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!response.ok) {
    const error = (body as { error?: { code?: string; message?: string } } | undefined)?.error;
    throw new ApiError(response.status, error?.code ?? 'http_error', error?.message ?? `HTTP ${response.status}`);
  }
  return body as T;
}

const enc = encodeURIComponent;

export const shopApi = {
  products: () => api<{ products: Product[] }>('/api/shop/products').then((answer) => answer.products),
  info: () => api<ShopInfo>('/api/shop/info'),
  placeOrder: (items: { productId: string; quantity: number }[]) => api<{ order: ShopOrder }>('/api/shop/orders', { method: 'POST', body: { items } }).then((answer) => answer.order),
  order: (id: string) => api<{ order: ShopOrder }>(`/api/shop/orders/${enc(id)}`).then((answer) => answer.order),
  orders: () => api<{ orders: ShopOrder[] }>('/api/shop/orders').then((answer) => answer.orders),
};

export const checkoutApi = {
  order: (merchantOrderId: string) => api<OrderView>(`/api/checkout/orders/${enc(merchantOrderId)}`),
  payment: (bizOrderNo: string) => api<PaymentView>(`/api/checkout/payments/${enc(bizOrderNo)}`),
};
