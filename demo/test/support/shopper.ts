/** A browser in miniature: one cookie jar (a cleared cookie leaves it), a User-Agent of its choosing, JSON in and out. */
export class Shopper {
  private readonly cookies = new Map<string, string>();
  constructor(
    private readonly base: string,
    private readonly userAgent?: string,
  ) {}

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  async call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    const cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(`${this.base}${path}`, {
      method,
      headers: {
        ...(cookie ? { cookie } : {}),
        ...(this.userAgent ? { 'user-agent': this.userAgent } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const index = pair!.indexOf('=');
      const name = pair!.slice(0, index).trim();
      const value = pair!.slice(index + 1).trim();
      if (value === '' || /expires=Thu, 01 Jan 1970/i.test(set)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
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
