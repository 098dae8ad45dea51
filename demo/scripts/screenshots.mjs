// `pnpm --filter @tsy/demo run screenshots` (run by hand; needs `pnpm --filter @tsy/widgets run build` first): starts the
// demo on free ports with a throwaway data folder, drives Debian's Chromium through a purchase and writes the pictures
// the README shows to docs/ at the repository root:
//   checkout-zh.png       the shop's first screen: cart + checkout with the method picker (zh-CN, light, 1280×800)
//   checkout-qr.png       WeChat scan chosen and paid: the QR step
//   checkout-success.png  after paying in the simulated wallet: the checkout's success, the thank-you, "my orders"
//   styleguide.png        the whole style guide page
//   checkout-mobile.png   the first screen on a phone (390×844)
// Chinese text needs a CJK font (Debian: fonts-noto-cjk). A picture over 400 KB (the long style guide) is reduced to a
// 256-colour palette with pngquant when it is installed (Debian: pngquant), else left as it is with a warning.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startDemo } from '../server/dev.ts';
import { bindPhoneIfAsked, CHECKOUT, chooseMethod, launchChromium, openShop, payAndAwaitQr, payInWallet } from '../test/support/browser.ts';

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
      execFileSync('pngquant', ['--quality=65-90', '--speed=1', '--strip', '--force', '--output', path, path], { stdio: 'ignore' });
      note = ' (pngquant)';
    } catch {
      note = ' — over 400 KB: install pngquant to reduce it';
    }
  }
  written.push(`${name} ${(statSync(path).size / 1024).toFixed(0)} KB${note}`);
}

/** Adds one more product, so the cart has two lines, and waits for the checkout of the new order. */
async function addToCart(page, productId) {
  const before = await page.evaluate((selector) => document.querySelector(selector).order, CHECKOUT);
  await page.locator(`[data-product="${productId}"] button`).click();
  await page.waitForFunction(([selector, previous]) => {
    const element = document.querySelector(selector);
    return element && element.order !== previous && element.getAttribute('state') === 'select';
  }, [CHECKOUT, before], { timeout: 30_000 });
}

const demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, () => undefined, { dataDir });
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

  // ——— a phone ———
  const phone = await launchChromium({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, userAgent: ANDROID_UA });
  try {
    const page = await phone.context.newPage();
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13900139000');
    await openShop(page, demo.urls.demo);
    await shoot(page, 'checkout-mobile.png');
  } finally {
    await phone.close();
  }
} finally {
  await demo.close();
  rmSync(dataDir, { recursive: true, force: true });
}
console.log(`written to ${outDir}:\n  ${written.join('\n  ')}`);
