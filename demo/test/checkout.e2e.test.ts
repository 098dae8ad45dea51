// The demo end to end in Chromium: browser → Vite (the pages) → demo merchant (BFF) → YunST sandbox, all started here on
// free ports exactly as `npm start` starts them. Debian's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../server/dev.js';
import { contentSecurityPolicy } from '../server/vite-config.js';
import { bindPhoneIfAsked, CHECKOUT, chooseMethod, launchChromium, openShop, payAndAwaitQr, payInWallet, watch, type RunningBrowser } from './support/browser.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-e2e-'));

/** The policy the widgets promise to work under (README): every directive of it must be in the demo's policy. */
const REQUIRED_POLICY = ["default-src 'self'", "style-src 'self'", "img-src 'self'", "connect-src 'self'"];

describe('the demo in Chromium (browser → BFF → sandbox)', () => {
  let demo: RunningDemo;
  let browser: RunningBrowser;
  const said: string[] = [];

  before(async () => {
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, (line) => said.push(line), { dataDir: join(temp, 'data') });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  test('a first-time shopper pays by WeChat scan: picker → phone → QR → wallet → state="success", under a strict CSP', { timeout: 180_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);

    // The first screen: the cart and the checkout with its picker, without a click or a scroll.
    const response = await openShop(page, demo.urls.demo);
    const policy = response?.headers()['content-security-policy'] ?? '';
    assert.equal(policy, contentSecurityPolicy({ formActionOrigins: [demo.urls.sandbox] }));
    for (const directive of REQUIRED_POLICY) assert.ok(policy.split('; ').includes(directive), `the page's policy has ${directive}`);
    assert.doesNotMatch(policy, /unsafe-inline|unsafe-eval|data:/);
    const orderId = await page.evaluate((selector) => (document.querySelector(selector) as HTMLElement & { order: string }).order, CHECKOUT);
    assert.match(orderId, /^SO-\d{8}-\d+$/);
    const cart = await page.locator('.cart').boundingBox();
    const firstMethod = await page.locator(`${CHECKOUT} tsy-method-picker [role="radio"]`).first().boundingBox();
    assert.ok(cart && cart.y < 800, 'the cart is on the first screen');
    assert.ok(firstMethod && firstMethod.y + firstMethod.height <= 800, 'the method picker is on the first screen');
    assert.equal(await page.locator('[data-testid="sms-inbox"]').getAttribute('href'), demo.urls.smsInbox);

    // A new payer: the platform wants a bound phone first; the element asks for it itself.
    assert.equal(await bindPhoneIfAsked(page, demo.urls.sandbox, '13800138000'), true, 'a first-time payer binds a phone');

    await chooseMethod(page, '支付宝扫码支付');
    await chooseMethod(page, '微信扫码支付');
    const payInfo = await payAndAwaitQr(page);
    assert.ok(payInfo.startsWith(`${demo.urls.sandbox}/sandbox/wallet/`), payInfo);
    // The shop's sandbox helper offers the same link, for a desktop with no phone at hand.
    const walletLink = page.locator('[data-testid="wallet-link"]');
    await walletLink.waitFor();
    assert.equal(await walletLink.getAttribute('href'), payInfo);

    const success = page.evaluate(
      (selector) =>
        new Promise<{ bizOrderNo: string; amount: number; method: string }>((resolve) =>
          document.querySelector(selector)!.addEventListener('tsy-success', (event) => resolve((event as CustomEvent).detail), { once: true }),
        ),
      CHECKOUT,
    );
    // The payer scans and pays in the wallet app: the QR's URL in a second page, 确认支付.
    await payInWallet(browser.context, payInfo);
    // The sandbox notifies the BFF 5 s after paying; the BFF's stream also asks the platform: either way, within a minute.
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    const detail = await success;
    assert.equal(detail.method, 'SCAN_WEIXIN');
    assert.equal(detail.amount, 5800, 'the first visit cart: one bag of coffee');

    // The shop's side: thanks, an empty cart, and the order paid in "my orders" (the server heard it via onPaymentEvent).
    await page.locator('.thanks').waitFor();
    assert.match((await page.locator('.thanks').textContent()) ?? '', new RegExp(orderId));
    assert.equal(await page.locator('[data-testid="cart-total"]').textContent(), '¥0.00');
    await page.locator(`tr[data-order="${orderId}"][data-paid="true"]`).waitFor({ timeout: 15_000 });
    assert.ok(said.some((line) => line.startsWith(`[shop] payment.succeeded ${orderId} ${detail.bizOrderNo} SCAN_WEIXIN`)), 'the shop heard of it');

    // "Shop again": the paid checkout makes way for an empty cart.
    await page.locator('[data-testid="shop-again"]').click();
    await page.locator(CHECKOUT).waitFor({ state: 'hidden' });
    assert.match((await page.locator('.checkout-note').textContent()) ?? '', /购物车是空的/);

    assert.deepEqual(await watched.violations(), [], 'no Content-Security-Policy violation');
    assert.deepEqual(watched.problems, []);
    await page.close();
  });

  test('the language and theme toggles set locale and theme on the checkout', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await page.goto(`${demo.urls.demo}/`);
    // The cart was paid: a new one.
    await page.locator('[data-product="sticker"] button').click();
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    const checkout = page.locator(CHECKOUT);
    assert.equal(await checkout.getAttribute('locale'), 'zh-CN');

    await page.locator('[data-pref="locale"][data-value="en"]').click();
    assert.equal(await checkout.getAttribute('locale'), 'en');
    await page.locator(`${CHECKOUT} tsy-method-picker`).getByRole('radio', { name: 'WeChat Pay (scan)' }).waitFor();

    await page.locator('[data-pref="theme"][data-value="dark"]').click();
    assert.equal(await checkout.getAttribute('theme'), 'dark');
    assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), 'dark');
    await page.locator('[data-pref="theme"][data-value="auto"]').click();
    assert.equal(await checkout.getAttribute('theme'), null, 'auto: the system preference');

    // Kept for the next visit.
    await page.reload();
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    assert.equal(await checkout.getAttribute('locale'), 'en');
    await page.locator('[data-pref="locale"][data-value="zh-CN"]').click();
    await page.locator('[data-pref="theme"][data-value="light"]').click();

    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
    await page.close();
  });

  test('the style guide shows every component in both locales and themes, and each checkout state, under the same CSP', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    const response = await page.goto(`${demo.urls.demo}/styleguide.html`);
    assert.equal(response?.headers()['content-security-policy'], contentSecurityPolicy({ formActionOrigins: [demo.urls.sandbox] }));

    const states = () => page.evaluate(() => [...document.querySelectorAll('tsy-checkout')].map((el) => el.getAttribute('state')));
    await page.waitForFunction(
      () => ['select', 'awaiting', 'success', 'failed', 'expired', 'error'].every((state) => document.querySelector(`tsy-checkout[state="${state}"]`)),
      undefined,
      { timeout: 30_000 },
    );
    const shown = await states();
    for (const state of ['loading', 'select', 'awaiting', 'success', 'failed', 'expired', 'error']) assert.ok(shown.includes(state), `state ${state} is shown`);

    for (const tag of ['tsy-method-picker', 'tsy-qr-pay', 'tsy-phone-bind']) {
      const variants = await page.evaluate(
        (name) => [...document.querySelectorAll(`.variants > .cell > ${name}`)].map((el) => `${el.getAttribute('locale')}/${el.getAttribute('theme')}`),
        tag,
      );
      for (const variant of ['zh-CN/light', 'zh-CN/dark', 'en/light', 'en/dark']) assert.ok(variants.includes(variant), `${tag} in ${variant}`);
    }
    // The QR is drawn (inline SVG) and nothing asks a server for the standalone ones.
    await page.locator('.variants > .cell > tsy-qr-pay [part="qr"] svg path').first().waitFor();
    // The "not supported" message for a step no web page runs (an app's parameters); the SMS step runs its flow.
    assert.match((await page.locator('[data-scenario="unsupported"] tsy-checkout[state="error"] [part="status"]').first().textContent()) ?? '', /app-params/);
    await page.locator('[data-scenario="sms"] tsy-checkout tsy-sms-confirm [part="resend-button"]').first().waitFor();
    // A success that is money to refund says so, not a plain "paid".
    const doublePaid = page.locator('[data-scenario="double_paid"] tsy-checkout[state="success"]').first();
    await doublePaid.waitFor();
    assert.match((await doublePaid.locator('[part="status"]').textContent()) ?? '', /已支付|refund|退/);

    // Every state in all four variants.
    const before = shown.length;
    await page.locator('[data-testid="all-variants"]').check();
    const others = await page.locator('.states [data-scenario]').count();
    await page.waitForFunction((count) => document.querySelectorAll('tsy-checkout').length === count, before - others + others * 4);

    assert.deepEqual(await watched.violations(), []);
    // The "refused host" scenario shows the merchant's console message on purpose (a redirect to a host the BFF did not allow).
    assert.deepEqual(watched.problems.filter((line) => !/\[tsy-redirect-pay\] refused to navigate to pay\.example\.net/.test(line)), []);

    // The policy is in force and the watch sees a breach: an inline style and a data: image are refused and reported.
    await page.evaluate(() => {
      const style = document.createElement('style');
      style.textContent = 'body { outline: 1px solid red }';
      document.head.append(style);
      new Image().src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    });
    await page.waitForFunction(() => (window as unknown as { __cspViolations: string[] }).__cspViolations.length >= 2);
    const breaches = await watched.violations();
    assert.ok(breaches.some((line) => line.startsWith('style-src')), breaches.join('\n'));
    assert.ok(breaches.some((line) => line.startsWith('img-src data')), breaches.join('\n'));
    await page.close();
  });
});
