// `pnpm --filter @tsy/demo run screenshots` (run by hand; needs `pnpm --filter @tsy/widgets run build` first): starts the
// demo on free ports with a throwaway data folder, drives Debian's Chromium through a purchase and writes the pictures
// the README shows to docs/ at the repository root:
//   checkout-zh.png       the shop's first screen: cart + checkout with the method picker (zh-CN, light, 1280×800)
//   checkout-qr.png       WeChat scan chosen and paid: the QR step
//   checkout-success.png  after paying in the simulated wallet: the checkout's success, the thank-you, "my orders"
//   styleguide.png        the whole style guide page
//   checkout-mobile.png   the first screen on a phone (390×844)
//   simulate-wechat.png   the "simulate" switch set to WeChat: the picker offers WeChat JSAPI
//   flow-gateway.png      the gateway form posted: the platform's (sandbox's) cashier
//   flow-password.png     the balance on the payment password page (validateType 2)
//   result-confirming.png the result page while the payment is pending: "confirming", live
//   result-success.png    the result page after the gateway: paid, as the BFF states it
//   flow-wechat-jsapi.png WeChat JSAPI inside (simulated) WeChat: the emulated bridge's pay sheet over the checkout
//   flow-alipay-confirming.png  Alipay in-app answered 8000 (processing): the checkout confirming
//   flow-h5-return.png    back from WeChat H5 on the result page: the checkout asks "did you finish paying?"
//   flow-sms.png          the balance confirmed by SMS: code sent, the field, resend counting down
//   flow-pos-code.png     the POS order code, large and grouped, for the terminal
//   cashier.png           the cashier page: a counter sale, the scanner on Chromium's fake camera
//   payment-codes.png     the sandbox's test payment codes (QR and Code 128) to scan from a second screen
// A picture that cannot be taken is reported as skipped with the reason, and the others are still written.
// Chinese text needs a CJK font (Debian: fonts-noto-cjk). A picture over 400 KB (the long style guide) is reduced to a
// 256-colour palette with pngquant when it is installed (Debian: pngquant), else left as it is with a warning.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD_METHODS } from '../server/app.ts';
import { startDemo } from '../server/dev.ts';
import { bindPhoneIfAsked, CHECKOUT, chooseMethod, frontPageForm, launchChromium, openShop, payAndAwaitQr, payInWallet, postForm, pressPay, resultState, simulate } from '../test/support/browser.ts';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const outDir = fileURLToPath(new URL('../../docs/', import.meta.url));
mkdirSync(outDir, { recursive: true });
const dataDir = mkdtempSync(join(tmpdir(), 'tsy-demo-screenshots-'));
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36';

const MAX_BYTES = 400 * 1024;
const written = [];
async function shoot(page, name, options = {}) {
  // Nothing blinking or half-drawn: wait for fonts, and let the elements finish their updates.
  await page.evaluate(() => document.fonts.ready);
  await page.waitForTimeout(300);
  const path = join(outDir, name);
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', ...options });
  let note = '';
  if (statSync(path).size > MAX_BYTES) {
    try {
      // A long page may need a coarser palette to fit.
      for (const quality of ['65-90', '40-75']) {
        if (statSync(path).size <= MAX_BYTES) break;
        execFileSync('pngquant', [`--quality=${quality}`, '--speed=1', '--strip', '--force', '--output', path, path], { stdio: 'ignore' });
      }
      note = ' (pngquant)';
    } catch {
      note = ' — over 400 KB: install pngquant to reduce it';
    }
  }
  written.push(`${name} ${(statSync(path).size / 1024).toFixed(0)} KB${note}`);
}

const skipped = [];
/** Takes the pictures of one flow; a failure is reported and the script goes on. */
async function attempt(names, take) {
  try {
    await take();
  } catch (error) {
    skipped.push(`${names} — skipped: ${String(error?.message ?? error).split('\n')[0]}`);
  }
}

/** Adds one more product, so the cart has two lines, and waits for the checkout of the new order. */
async function addToCart(page, productId) {
  const before = await page.evaluate((selector) => document.querySelector(selector)?.order ?? null, CHECKOUT);
  await page.locator(`[data-product="${productId}"] button`).click();
  await page.waitForFunction(([selector, previous]) => {
    const element = document.querySelector(selector);
    return element && element.order !== previous && element.getAttribute('state') === 'select';
  }, [CHECKOUT, before], { timeout: 30_000 });
}

const ports = { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined };
const STAFF_PIN = '246810';
const demo = await startDemo(demoDir, ports, () => undefined, { dataDir });
const cashierDemo = await startDemo(demoDir, ports, () => undefined, { dataDir: join(dataDir, 'cashier'), staffPin: STAFF_PIN });
const passwordDemo = await startDemo(demoDir, ports, () => undefined, { dataDir: join(dataDir, 'password'), methods: DEMO_PASSWORD_METHODS });
try {
  // ——— desktop ———
  const desktop = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await desktop.context.newPage();
    await openShop(page, demo.urls.demo);
    // A first-time payer binds a phone once; the pictures show a returning one.
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13800138000');
    await addToCart(page, 'longjing');
    await openShop(page, demo.urls.demo);
    await shoot(page, 'checkout-zh.png');

    await chooseMethod(page, '微信扫码支付');
    const walletUrl = await payAndAwaitQr(page);
    await page.locator('[data-testid="wallet-link"]').waitFor();
    // The QR step is taller than the picker: the checkout's column from its top.
    await page.locator('.checkout').evaluate((element) => element.scrollIntoView({ block: 'start' }));
    await shoot(page, 'checkout-qr.png');
    await page.evaluate(() => window.scrollTo(0, 0));

    await payInWallet(desktop.context, walletUrl);
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    await page.locator('.thanks').waitFor();
    await page.locator('tr[data-paid="true"]').first().waitFor({ timeout: 15_000 });
    await shoot(page, 'checkout-success.png');

    const guide = await desktop.context.newPage();
    await guide.goto(`${demo.urls.demo}/styleguide.html`);
    // Every checkout has reached its scenario's state (the "loading" one never leaves it), and the QRs are drawn.
    await guide.waitForFunction(() => {
      const settled = ['select', 'awaiting', 'success', 'failed', 'expired', 'error'];
      const checkouts = [...document.querySelectorAll('tsy-checkout')];
      return (
        checkouts.every((el) => el.closest('[data-scenario="loading"]') || settled.includes(el.getAttribute('state'))) &&
        document.querySelectorAll('tsy-qr-pay').length > 0
      );
    }, undefined, { timeout: 30_000 });
    await shoot(guide, 'styleguide.png', { fullPage: true });
  } finally {
    await desktop.close();
  }

  // ——— the flows (desktop, a shopper of their own) ———
  const flows = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    const page = await flows.context.newPage();
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13700137000');
    await openShop(page, demo.urls.demo);

    await attempt('result-confirming.png, flow-gateway.png, result-success.png', async () => {
      const { merchantOrderId, bizOrderNo, form } = await frontPageForm(page, 'GATEWAY_VSP');
      const result = await flows.context.newPage();
      await result.goto(`${demo.urls.demo}/checkout/result?${new URLSearchParams({ merchantOrderId, bizOrderNo })}`);
      await resultState(result, 'pending');
      await shoot(result, 'result-confirming.png');
      await result.close();
      await postForm(page, form);
      await page.locator('select[name="gateid"]').waitFor();
      await shoot(page, 'flow-gateway.png');
      await page.getByRole('button', { name: /确认支付/ }).click();
      await resultState(page, 'success');
      await shoot(page, 'result-success.png');
    });

    await attempt('flow-sms.png', async () => {
      await page.goto(`${demo.urls.demo}/`);
      await addToCart(page, 'sticker');
      await chooseMethod(page, '账户余额');
      await pressPay(page);
      const step = page.locator(`${CHECKOUT} tsy-sms-confirm`);
      await step.locator('[part="code-input"]').waitFor({ timeout: 30_000 });
      await step.locator('[part="code-input"]').fill('12');
      await page.waitForTimeout(1500);
      await page.locator('.checkout').evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await shoot(page, 'flow-sms.png');
    });

    await attempt('flow-pos-code.png', async () => {
      await page.goto(`${demo.urls.demo}/`);
      await addToCart(page, 'notebook');
      await chooseMethod(page, 'POS 付款码');
      await pressPay(page);
      await page.locator(`${CHECKOUT} tsy-pos-code [part="code"]`).waitFor({ timeout: 30_000 });
      await page.locator('.checkout').evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await shoot(page, 'flow-pos-code.png');
    });

    await attempt('simulate-wechat.png, flow-wechat-jsapi.png', async () => {
      await page.goto(`${demo.urls.demo}/`);
      await addToCart(page, 'mug');
      await simulate(page, 'wechat');
      await openShop(page, demo.urls.demo);
      await chooseMethod(page, '微信支付');
      await shoot(page, 'simulate-wechat.png');
      await pressPay(page);
      await page.locator('[data-testid="jsbridge-sheet"]').waitFor({ timeout: 15_000 });
      await shoot(page, 'flow-wechat-jsapi.png');
      await page.locator('[data-testid="jsbridge-pay"]').click();
      await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    });

    await attempt('flow-alipay-confirming.png', async () => {
      await page.goto(`${demo.urls.demo}/`);
      await addToCart(page, 'longjing');
      await simulate(page, 'alipay');
      await openShop(page, demo.urls.demo);
      await chooseMethod(page, '支付宝');
      await pressPay(page);
      await page.locator('[data-testid="jsbridge-processing"]').click({ timeout: 15_000 });
      await page.locator('[data-testid="jsbridge-sheet"]').waitFor({ state: 'hidden', timeout: 15_000 });
      await page.waitForTimeout(500);
      await page.locator('.checkout').evaluate((element) => element.scrollIntoView({ block: 'start' }));
      await shoot(page, 'flow-alipay-confirming.png');
      await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    });
  } finally {
    await flows.close();
  }

  // ——— a phone ———
  const phone = await launchChromium({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, userAgent: ANDROID_UA });
  try {
    const page = await phone.context.newPage();
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13900139000');
    await openShop(page, demo.urls.demo);
    await shoot(page, 'checkout-mobile.png');

    await attempt('flow-h5-return.png', async () => {
      await addToCart(page, 'sticker');
      await chooseMethod(page, '微信支付');
      await pressPay(page);
      // WeChat's H5 page (the sandbox's, at the mweb_url), left without paying: WeChat sends the payer back through
      // redirect_url all the same, and the result page's checkout asks whether they finished.
      await page.waitForURL((url) => url.href.startsWith(demo.urls.sandbox), { timeout: 30_000 });
      await page.getByRole('button', { name: /取消/ }).click();
      await page.waitForURL((url) => url.pathname === '/checkout/result', { timeout: 30_000 });
      await page.locator(`${CHECKOUT} tsy-redirect-pay [part="paid-button"]`).waitFor({ timeout: 30_000 });
      await shoot(page, 'flow-h5-return.png');
    });
  } finally {
    await phone.close();
  }

  // ——— the cashier page (a staff PIN of its own), on Chromium's fake camera (its test pattern) ———
  const cashier = await launchChromium({ viewport: { width: 1280, height: 900 }, args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'] });
  try {
    await attempt('cashier.png, payment-codes.png', async () => {
      const page = await cashier.context.newPage();
      await page.goto(`${cashierDemo.urls.demo}/cashier.html`);
      await page.locator('#pin').fill(STAFF_PIN);
      await page.getByRole('button', { name: /登录/ }).click();
      await page.locator('#amount').fill('36.50');
      await page.getByRole('button', { name: /收款 \/ Charge/ }).click();
      await page.locator(`${CHECKOUT} [part="pay-button"]`).click();
      await page.locator(`${CHECKOUT} tsy-code-scanner[camera-state="scanning"]`).waitFor({ timeout: 20_000 });
      await page.waitForTimeout(800);
      await shoot(page, 'cashier.png');
      const codes = await cashier.context.newPage();
      await codes.goto(`${cashierDemo.urls.sandbox}/sandbox/payment-codes`);
      await shoot(codes, 'payment-codes.png', { fullPage: true });
    });
  } finally {
    await cashier.close();
  }

  // ——— the balance on the payment password page: the shop's variant with usePassword ———
  const browser = await launchChromium({ viewport: { width: 1280, height: 800 } });
  try {
    await attempt('flow-password.png', async () => {
      const page = await browser.context.newPage();
      await openShop(page, passwordDemo.urls.demo);
      await bindPhoneIfAsked(page, passwordDemo.urls.sandbox, '13600136000');
      await openShop(page, passwordDemo.urls.demo);
      const { form } = await frontPageForm(page, 'BALANCE');
      await postForm(page, form);
      await page.locator('input[name="password"]').fill('123456');
      await shoot(page, 'flow-password.png');
      await page.getByRole('button', { name: /确认支付/ }).click();
      await resultState(page, 'success');
    });
  } finally {
    await browser.close();
  }
} finally {
  await Promise.all([cashierDemo.close(), passwordDemo.close()]);
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`written to ${outDir}:\n  ${written.join('\n  ')}`);
if (skipped.length > 0) console.log(`not written:\n  ${skipped.join('\n  ')}`);
