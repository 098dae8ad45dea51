/** A browser in miniature: one cookie jar, JSON in and out. */
export class Shopper {
  private cookie = '';
  constructor(private readonly base: string) {}

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: { ...(this.cookie ? { cookie: this.cookie } : {}), ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const set = response.headers.get('set-cookie');
    if (set) this.cookie = set.split(';')[0]!;
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  }
}

export async function until<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 5000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Binds a phone to a shopper who has a cookie already (the code read from the sandbox's SMS inbox, as a tester reads it). */
export async function bindPhone(shopper: Shopper, sandboxUrl: string, phone: string): Promise<void> {
  const sent = await shopper.call('POST', '/api/checkout/payer/phone/code', { phone });
  if (sent.status !== 200) throw new Error(`phone code: HTTP ${sent.status} ${JSON.stringify(sent.body)}`);
  const sms = (await (await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${phone}`)).json()) as { code: string }[];
  const bound = await shopper.call('POST', '/api/checkout/payer/phone', { phone, verificationCode: sms[0]!.code });
  if (bound.status !== 200) throw new Error(`bind phone: HTTP ${bound.status} ${JSON.stringify(bound.body)}`);
}
