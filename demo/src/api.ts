/** The calls the demo page makes: the shop's own API (/api/shop) and the checkout BFF (/api/checkout). */

export type PaymentState = 'pending' | 'success' | 'failed' | 'expired' | 'closed';

export type PaymentAction =
  | { type: 'qr'; payInfo: string }
  | { type: 'sms'; phone: string | null; resendAfter: number }
  | { type: 'redirect'; url: string }
  | { type: 'form-post'; action: string; fields: Record<string, string> }
  | { type: 'wechat-jsapi' | 'alipay-jsapi' | 'pos-code' | 'app-params' | 'none'; [key: string]: unknown };

export interface PaymentView {
  bizOrderNo: string;
  merchantOrderId: string;
  state: PaymentState;
  method: string;
  amount: number;
  expiresAt: string;
  action: PaymentAction | null;
  failure: { code: string | null; message: string | null } | null;
  serverTime: string;
}

export interface MethodView {
  method: string;
  usable: boolean;
  reason?: string;
  wallet?: string;
}

export interface OrderView {
  merchantOrderId: string;
  amount: number;
  currency: 'CNY';
  subject: string;
  paid: boolean;
  paidBizOrderNo: string | null;
  serverTime: string;
  environment: string;
  methods: MethodView[];
  payer: { phoneBound: boolean | null; phone: string | null };
  currentPayment: Pick<PaymentView, 'bizOrderNo' | 'state' | 'action' | 'expiresAt' | 'method'> | null;
}

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

export async function api<T>(path: string, options: { method?: string; body?: unknown; headers?: Record<string, string> } = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method: options.method ?? 'GET',
      headers: { accept: 'application/json', ...(options.body === undefined ? {} : { 'content-type': 'application/json' }), ...options.headers },
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
  createPayment: (merchantOrderId: string, method: string, idempotencyKey: string) =>
    api<PaymentView>(`/api/checkout/orders/${enc(merchantOrderId)}/payments`, { method: 'POST', body: { method }, headers: { 'idempotency-key': idempotencyKey } }),
  payment: (bizOrderNo: string) => api<PaymentView>(`/api/checkout/payments/${enc(bizOrderNo)}`),
  eventsUrl: (bizOrderNo: string) => `/api/checkout/payments/${enc(bizOrderNo)}/events`,
  confirm: (bizOrderNo: string, verificationCode: string) => api<PaymentView>(`/api/checkout/payments/${enc(bizOrderNo)}/confirm`, { method: 'POST', body: { verificationCode } }),
  resendSms: (bizOrderNo: string) => api<{ phone: string | null; resendAfter: number }>(`/api/checkout/payments/${enc(bizOrderNo)}/sms`, { method: 'POST' }),
  sendPhoneCode: (phone: string) => api<{ sent: boolean; resendAfter: number }>('/api/checkout/payer/phone/code', { method: 'POST', body: { phone } }),
  bindPhone: (phone: string, verificationCode: string) => api<{ phoneBound: boolean }>('/api/checkout/payer/phone', { method: 'POST', body: { phone, verificationCode } }),
};
