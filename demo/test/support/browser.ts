/**
 * Chromium and the shopper's steps through the demo, shared by the end-to-end test (test/checkout.e2e.test.ts) and the
 * screenshot script (scripts/screenshots.mjs). Debian's Chromium, never a downloaded one; every step goes through the page
 * as a person would (clicks in the shadow DOM of the elements — Playwright's CSS and role selectors pierce open shadow
 * roots), except reading the SMS code, which the test takes from the sandbox inbox's JSON.
 */
import { chromium, type Browser, type BrowserContext, type Page, type Response } from 'playwright-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

export interface RunningBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/**
 * Chromium with a profile of its own (a fresh user-data-dir, removed on close); `args` are added to its command line
 * (e.g. the fake camera's `--use-file-for-fake-video-capture=<file>`).
 */
export async function launchChromium(options: { viewport?: { width: number; height: number }; deviceScaleFactor?: number; isMobile?: boolean; colorScheme?: 'light' | 'dark'; userAgent?: string; args?: readonly string[] } = {}): Promise<RunningBrowser> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'tsy-demo-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS, ...(options.args ?? [])],
    viewport: options.viewport ?? { width: 1280, height: 800 },
    deviceScaleFactor: options.deviceScaleFactor ?? 1,
    isMobile: options.isMobile ?? false,
    hasTouch: options.isMobile ?? false,
    colorScheme: options.colorScheme ?? 'light',
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...(options.userAgent ? { userAgent: options.userAgent } : {}),
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

export type { Browser, BrowserContext, Page };

/** The checkout element of the shop page. */
export const CHECKOUT = 'tsy-checkout';

/**
 * Opens the shop and waits until the checkout shows the picker (`state="select"`); returns the page's response. An empty
 * cart (the last order was paid) gets a bag of coffee first, as a shopper would add something.
 */
export async function openShop(page: Page, demoUrl: string): Promise<Response | null> {
  const response = await page.goto(`${demoUrl}/`);
  const empty = page.locator('.checkout-note', { hasText: '购物车是空的' });
  await page.locator(`${CHECKOUT}[state="select"]`).or(empty).first().waitFor({ timeout: 30_000 });
  if (await empty.isVisible()) {
    await page.locator('[data-product="coffee"] button').click();
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
  }
  await page.locator(`${CHECKOUT} tsy-method-picker [role="radio"]`).first().waitFor();
  return response;
}

/** The newest SMS code the sandbox "sent" to `phone` (its inbox as JSON). */
export async function smsCode(sandboxUrl: string, phone: string): Promise<string> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const messages = (await (await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${encodeURIComponent(phone)}`)).json()) as { code: string }[];
    if (messages[0]?.code) return messages[0].code;
    if (Date.now() > deadline) throw new Error(`no SMS code for ${phone} in the sandbox inbox`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * When the checkout asks for a phone (a payer's first payment), binds one through the element's own phone step with the
 * code from the sandbox's inbox. Returns whether it had to.
 */
export async function bindPhoneIfAsked(page: Page, sandboxUrl: string, phone: string): Promise<boolean> {
  const step = page.locator(`${CHECKOUT} tsy-phone-bind`);
  // The step is a lazy chunk: give it a moment to be defined and rendered.
  await page.waitForFunction(
    (selector) => {
      const checkout = document.querySelector(selector);
      const bind = checkout?.shadowRoot?.querySelector('tsy-phone-bind');
      return bind ? Boolean(customElements.get('tsy-phone-bind') && bind.shadowRoot?.querySelector('input[name=phone]')) : true;
    },
    CHECKOUT,
    { timeout: 10_000 },
  );
  if ((await step.count()) === 0) return false;
  await step.locator('input[name="phone"]').fill(phone);
  await step.locator('[part="send-button"]').click();
  const code = await smsCode(sandboxUrl, phone);
  await step.locator('input[name="code"]').fill(code);
  await step.locator('[part="bind-button"]').click();
  await step.waitFor({ state: 'detached', timeout: 15_000 });
  return true;
}

/**
 * Chooses a method by its name in the picker (a click on the radio), and checks it took. Two methods may share a name
 * (WeChat JSAPI and WeChat H5 are both 微信支付): the usable one is taken.
 */
export async function chooseMethod(page: Page, name: string): Promise<void> {
  const radio = page.locator(`${CHECKOUT} tsy-method-picker`).getByRole('radio', { name, exact: true }).and(page.locator(':not([aria-disabled="true"])'));
  await radio.click();
  await radio.and(page.locator('[aria-checked="true"]')).waitFor({ timeout: 5_000 });
}

/** Presses Pay and waits for the QR; returns the QR's text (the payment's `payInfo`, a wallet URL in the sandbox). */
export async function payAndAwaitQr(page: Page): Promise<string> {
  await page.locator(`${CHECKOUT} [part="pay-button"]`).click();
  await page.locator(`${CHECKOUT}[state="awaiting"]`).waitFor({ timeout: 30_000 });
  await page.locator(`${CHECKOUT} tsy-qr-pay [part="qr"] svg path`).waitFor({ timeout: 15_000 });
  return page.evaluate((selector) => {
    const qr = document.querySelector(selector)?.shadowRoot?.querySelector('tsy-qr-pay') as (HTMLElement & { payInfo?: string }) | null | undefined;
    return qr?.payInfo ?? '';
  }, CHECKOUT);
}

/** The payer confirms in the sandbox's simulated wallet (a second page), as after scanning the QR. */
export async function payInWallet(context: BrowserContext, walletUrl: string): Promise<void> {
  const wallet = await context.newPage();
  try {
    await wallet.goto(walletUrl);
    await wallet.getByRole('button', { name: /确认支付/ }).click();
    await wallet.getByText('支付成功').first().waitFor({ timeout: 15_000 });
  } finally {
    await wallet.close();
  }
}

/** The "simulate" switch in the shop's header (sandbox only): a click sets the cookie and reloads the page. */
export async function simulate(page: Page, environment: 'auto' | 'desktop' | 'mobile' | 'wechat' | 'alipay'): Promise<void> {
  const button = page.locator(`[data-simulate="${environment}"]`);
  if ((await button.getAttribute('aria-pressed')) === 'true') return;
  await Promise.all([page.waitForEvent('load'), button.click()]);
  await page.locator(`[data-simulate="${environment}"][aria-pressed="true"]`).waitFor();
}

/** A press of the checkout's pay button. */
export async function pressPay(page: Page): Promise<void> {
  await page.locator(`${CHECKOUT} [part="pay-button"]`).click();
}

/** The result page's statement (`[data-testid=result]`), once it says `state`. */
export async function resultState(page: Page, state: string, timeout = 30_000): Promise<void> {
  await page.locator(`[data-testid="result"][data-state="${state}"]`).waitFor({ timeout });
}

/** What the page must not do: console errors, uncaught exceptions, failed or refused requests, CSP violations. */
export interface Watch {
  readonly problems: string[];
  violations(): Promise<string[]>;
}

export async function watch(page: Page): Promise<Watch> {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const reason = request.failure()?.errorText ?? '';
    // Expected: a payment's event stream closed by the element itself once the payment ended (or the page moved on).
    if (reason === 'net::ERR_ABORTED' && /\/api\/checkout\/payments\/[^/]+\/events$/.test(new URL(request.url()).pathname)) return;
    problems.push(`request failed: ${request.method()} ${request.url()} ${reason}`);
  });
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.request().method()} ${response.url()}`);
  });
  // Registered before any script of the page runs (a DevTools init script, which the page's policy does not govern).
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { __cspViolations: string[] }).__cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}`));
  });
  return {
    problems,
    violations: () => page.evaluate(() => (window as unknown as { __cspViolations: string[] }).__cspViolations),
  };
}


/**
 * The BFF's signed front-page form for a new payment of the page's order (GATEWAY_VSP: the gateway; BALANCE with
 * usePassword: the password page), asked for as the form-post flow asks: the tests of the demo's own pages use it.
 */
export async function frontPageForm(page: Page, method: string): Promise<{ bizOrderNo: string; merchantOrderId: string; form: { action: string; fields: Record<string, string> } }> {
  return page.evaluate(async ([selector, method]) => {
    const merchantOrderId = (document.querySelector(selector) as HTMLElement & { order: string }).order;
    // No named helper in here: the test's transpiler would wrap it in a function the page does not have.
    const created = await fetch(`/api/checkout/orders/${encodeURIComponent(merchantOrderId)}/payments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': `gateway-${Date.now()}` },
      body: JSON.stringify({ method }),
    });
    if (!created.ok) throw new Error(`create: HTTP ${created.status} ${await created.text()}`);
    const payment = (await created.json()) as { bizOrderNo: string };
    const signed = await fetch(`/api/checkout/payments/${encodeURIComponent(payment.bizOrderNo)}/gateway`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!signed.ok) throw new Error(`gateway form: HTTP ${signed.status} ${await signed.text()}`);
    return { bizOrderNo: payment.bizOrderNo, merchantOrderId, form: (await signed.json()) as { action: string; fields: Record<string, string> } };
  }, [CHECKOUT, method] as const);
}

/** Posts a form from the page, as a flow does: the page's own policy (form-action) decides whether it may. */
export async function postForm(page: Page, form: { action: string; fields: Record<string, string> }): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.href.startsWith(form.action), { waitUntil: 'load' }),
    page.evaluate((form) => {
      const element = document.createElement('form');
      element.method = 'post';
      element.action = form.action;
      for (const [name, value] of Object.entries(form.fields)) {
        const input = document.createElement('input');
        input.type = 'hidden';
        input.name = name;
        input.value = value;
        element.append(input);
      }
      document.body.append(element);
      element.submit();
    }, form),
  ]);
}

/** A fresh signed gateway form for an existing payment (the flow asks for one each time: the platform allows 10 minutes). */
export async function frontPageFormFor(page: Page, bizOrderNo: string): Promise<{ action: string; fields: Record<string, string> }> {
  const form: { action: string; fields: Record<string, string> } = await page.evaluate(async (bizOrderNo) => {
    const response = await fetch(`/api/checkout/payments/${encodeURIComponent(bizOrderNo)}/gateway`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    if (!response.ok) throw new Error(`gateway form: HTTP ${response.status}`);
    return response.json();
  }, bizOrderNo);
  return form;
}
