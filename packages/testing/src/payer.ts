// What a tester does by hand around a payment: read the SMS code in the sandbox's inbox, bind a payer's phone through the
// BFF, press a button in the simulated wallet app a QR points at.

/** The newest SMS code the sandbox "sent" to a phone, read from its inbox (as a tester reads the back office). */
export async function latestSmsCode(sandboxUrl: string, phone: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${encodeURIComponent(phone)}`);
  const messages = (await response.json()) as { code: string }[];
  if (!messages[0]) throw new Error(`no SMS for ${phone}`);
  return messages[0].code;
}

/** Binds a phone to the payer the `headers` name (`x-test-payer`, or a cookie) through the BFF's two phone steps. */
export async function bindPhone(merchantUrl: string, sandboxUrl: string, phone: string, headers: Record<string, string>): Promise<void> {
  const post = async (path: string, body: unknown) => {
    const response = await fetch(merchantUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
    const text = await response.text();
    if (response.status !== 200) throw new Error(`${path}: HTTP ${response.status} ${text}`);
  };
  await post('/api/checkout/payer/phone/code', { phone });
  await post('/api/checkout/payer/phone', { phone, verificationCode: await latestSmsCode(sandboxUrl, phone) });
}

/** The simulated wallet page of a payment, found as a tester would: through the sandbox's order tools. */
export async function walletUrlOf(sandboxUrl: string, bizOrderNo: string): Promise<string> {
  const response = await fetch(`${sandboxUrl}/sandbox/orders/${encodeURIComponent(bizOrderNo)}/wallet`, { redirect: 'manual' });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (!location) throw new Error(`no wallet page for ${bizOrderNo} (HTTP ${response.status})`);
  return new URL(location, sandboxUrl).toString();
}

/** The payer presses a button in the simulated wallet app; answers the page's HTTP status. */
export async function walletAction(walletUrl: string, action: 'pay' | 'cancel' | 'fail'): Promise<number> {
  const response = await fetch(walletUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `action=${action}`, redirect: 'manual' });
  await response.arrayBuffer();
  return response.status;
}

/**
 * The cashier types a POS order's payCode into the sandbox's POS terminal page, and the payer's card pays it. Answers
 * whether the terminal took it (the page says 收款成功).
 */
export async function posTerminalPay(sandboxUrl: string, payCode: string): Promise<boolean> {
  const response = await fetch(`${sandboxUrl}/sandbox/pos`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ payCode }).toString() });
  return response.ok && (await response.text()).includes('收款成功');
}
