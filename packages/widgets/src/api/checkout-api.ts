import type { ApiErrorBody, OrderView, PaymentView } from './types.js';

/** A new attempt's `Idempotency-Key` (the characters the BFF takes: `[A-Za-z0-9_.:-]`). */
export const newIdempotencyKey = (): string => (globalThis.crypto?.randomUUID?.() ?? `${Date.now()}-${Math.random()}`).replace(/[^\w.:-]/g, '');

/**
 * A failed API call: `status` 0 when the BFF could not be reached or its answer was cut off. `retryAfter`: the seconds of
 * a `Retry-After` header (a 409 `payment_in_progress` has one). `details`: the error body's (`SmsErrorDetails` for the
 * SMS step).
 */
export class CheckoutApiError extends Error {
  override name = 'CheckoutApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly yunstCode?: string,
    readonly bizOrderNo?: string,
    readonly retryAfter?: number,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** The BFF's checkout API at `base` (e.g. `/api/checkout`). */
export class CheckoutApi {
  constructor(
    readonly base: string,
    private readonly language: () => string,
  ) {}

  private async request<T>(path: string, init: RequestInit = {}): Promise<T> {
    let response: Response;
    let text: string;
    try {
      response = await fetch(`${this.base.replace(/\/+$/, '')}${path}`, {
        ...init,
        // The shop's session cookies go along to a BFF on another origin too (its resolvePayer needs them); such a BFF
        // lists this page's origin in its `cors.origins` with `credentials: true`. Same origin, this changes nothing.
        credentials: 'include',
        // Every POST is JSON (the BFF refuses anything else: a cross-site form cannot send it), with a body.
        headers: { accept: 'application/json', 'accept-language': this.language(), ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      });
      // Inside the try: a connection that drops mid-answer is the same network failure as one that never answered.
      text = await response.text();
    } catch (error) {
      throw new CheckoutApiError(0, 'network', error instanceof Error ? error.message : String(error));
    }
    let body: unknown;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      throw new CheckoutApiError(response.status, 'bad_response', `HTTP ${response.status}`);
    }
    if (!response.ok) {
      const error = (body as Partial<ApiErrorBody> | undefined)?.error;
      const retryAfter = Number(response.headers.get('retry-after') ?? NaN);
      throw new CheckoutApiError(response.status, error?.code ?? 'http', error?.message ?? `HTTP ${response.status}`, error?.yunstCode, error?.bizOrderNo, Number.isFinite(retryAfter) ? retryAfter : undefined, error?.details);
    }
    return body as T;
  }

  getOrder(merchantOrderId: string): Promise<OrderView> {
    return this.request(`/orders/${encodeURIComponent(merchantOrderId)}`);
  }

  createPayment(merchantOrderId: string, body: { method: string } & Record<string, string>, idempotencyKey: string): Promise<PaymentView> {
    return this.request(`/orders/${encodeURIComponent(merchantOrderId)}/payments`, { method: 'POST', body: JSON.stringify(body), headers: { 'idempotency-key': idempotencyKey } });
  }

  getPayment(bizOrderNo: string, signal?: AbortSignal): Promise<PaymentView> {
    return this.request(`/payments/${encodeURIComponent(bizOrderNo)}`, signal ? { signal } : {});
  }

  /** A POST with a JSON body (`{}` when the step takes none), for the steps that have no method here (phone binding lives in its own lazy chunk). */
  post<T>(path: string, body: unknown = {}): Promise<T> {
    return this.request(path, { method: 'POST', body: JSON.stringify(body ?? {}) });
  }

  /** The payment's event stream, with the shop's cookies as every call has them. */
  events(bizOrderNo: string): EventSource {
    return new EventSource(this.eventsUrl(bizOrderNo), { withCredentials: true });
  }

  eventsUrl(bizOrderNo: string): string {
    return `${this.base.replace(/\/+$/, '')}/payments/${encodeURIComponent(bizOrderNo)}/events`;
  }
}
