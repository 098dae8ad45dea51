// The cashier page end to end in Chromium: staff sign-in, a counter sale the server makes from the amount the staff enters,
// and the payer's payment code read by <tsy-checkout>'s scanner — from a webcam (Chromium's fake camera playing a film
// made here of the sandbox's own payment-code page: its QR, or its Code 128), a barcode gun, or typed — to success
// through the BFF and the sandbox. Browser → Vite → demo merchant (BFF) → YunST sandbox, as `npm start` runs them.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startDemo, type RunningDemo } from '../server/dev.js';
import { PIN_ATTEMPTS } from '../server/cashier.js';
import { PERMISSIONS_POLICY } from '../server/vite-config.js';
import { launchChromium, type Page, type RunningBrowser } from './support/browser.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-cashier-'));
const PIN = '246810';
const CHECKOUT = 'tsy-checkout';

type Wallet = 'wechat' | 'alipay' | 'unionpay';
type Outcome = 'success' | 'pending' | 'fail';

/** Fresh test codes from the sandbox, as the payer's phone would show them. */
async function paymentCode(sandboxUrl: string, wallet: Wallet, outcome: Outcome = 'success'): Promise<string> {
  const [code] = (await (await fetch(`${sandboxUrl}/sandbox/payment-codes?format=json&wallet=${wallet}&outcome=${outcome}`)).json()) as { code: string }[];
  return code!.code;
}

/**
 * A film for the fake camera: the sandbox's payment-code page for one wallet, showing only its QR or only its Code 128
 * (what the payer holds up to the webcam), screenshot by Chromium as JPEG frames of 640×480 and written as MJPEG. The
 * page's digits tell which code the film shows.
 */
async function filmOfPaymentCode(browser: RunningBrowser, sandboxUrl: string, wallet: Wallet, symbol: 'qr' | 'code128', file: string): Promise<string> {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 640, height: 480 });
  await page.goto(`${sandboxUrl}/sandbox/payment-codes?wallet=${wallet}&outcome=success`);
  const code = (await page.locator('.digits').first().textContent())!.replace(/\s/g, '');
  const svg = page.locator(`svg.${symbol}`).first();
  // Everything but the one symbol goes, and it fills the middle of the frame, as a phone held up to a webcam.
  await svg.evaluate((element, kind) => {
    const clone = element.cloneNode(true) as SVGElement;
    clone.setAttribute('width', kind === 'qr' ? '360' : '600');
    clone.setAttribute('height', kind === 'qr' ? '360' : '220');
    document.body.replaceChildren(clone);
    document.body.setAttribute('class', 'film');
    document.body.style.cssText = 'margin:0;height:100vh;display:grid;place-items:center;background:#fff';
  }, symbol);
  const frame = await page.screenshot({ type: 'jpeg', quality: 95 });
  await page.close();
  writeFileSync(file, Buffer.concat(Array(10).fill(frame)));
  return code;
}

/** Signs in with `pin`; a browser still signed in (its session cookie) shows the counter at once. */
async function signIn(page: Page, demoUrl: string, pin: string): Promise<void> {
  await page.goto(`${demoUrl}/cashier.html`);
  await page.locator('#pin, #amount').first().waitFor();
  if ((await page.locator('#pin').count()) === 0) return;
  await page.locator('#pin').fill(pin);
  await page.getByRole('button', { name: /登录/ }).click();
}

/** A counter sale of `yuan`, and pay pressed: the scanner shows. */
async function newSale(page: Page, yuan: string): Promise<void> {
  await page.locator('#amount').fill(yuan);
  await page.getByRole('button', { name: /收款 \/ Charge/ }).click();
  const pay = page.locator(`${CHECKOUT} [part="pay-button"]`);
  await pay.waitFor({ timeout: 15_000 });
  assert.match((await pay.textContent()) ?? '', new RegExp(yuan.replace('.', '\\.')));
  await pay.click();
  await page.locator(`${CHECKOUT} tsy-code-scanner input[name="code"]`).waitFor({ timeout: 10_000 });
}

async function checkoutState(page: Page, state: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(([selector, expected]) => document.querySelector(selector!)?.getAttribute('state') === expected, [CHECKOUT, state] as const, { timeout });
}

async function typeCode(page: Page, code: string): Promise<void> {
  await page.locator(`${CHECKOUT} tsy-code-scanner input[name="code"]`).fill(code);
  await page.locator(`${CHECKOUT} tsy-code-scanner [part="submit-button"]`).click();
}

describe('the cashier page in Chromium (browser → BFF → sandbox)', () => {
  let demo: RunningDemo;
  let browser: RunningBrowser;
  const said: string[] = [];

  before(async () => {
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, (line) => said.push(line), {
      dataDir: join(temp, 'data'),
      staffPin: PIN,
      codePayPendingMs: 2000,
      notificationTimeScale: 0.01,
    });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  test('nothing without a staff session: no counter sale, no view of one; the page may use the camera, nothing more', { timeout: 60_000 }, async () => {
    const refused = await fetch(`${demo.urls.demo}/api/cashier/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ amount: '1.00' }) });
    assert.equal(refused.status, 401);
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'staff_required');
    const page = await browser.context.newPage();
    const response = await page.goto(`${demo.urls.demo}/cashier.html`);
    assert.equal(response?.headers()['permissions-policy'], PERMISSIONS_POLICY);
    assert.match(response?.headers()['content-security-policy'] ?? '', /script-src 'self'/);
    assert.doesNotMatch(response?.headers()['content-security-policy'] ?? '', /unsafe-inline/);
    await page.locator('#pin').waitFor();
    await page.close();
  });

  test('a wrong PIN is refused; after too many the sign-in is locked for the window', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    await signIn(page, demo.urls.demo, '000000');
    const alert = page.locator('p.error[role="alert"]');
    await alert.waitFor({ state: 'visible' });
    assert.match((await alert.textContent()) ?? '', /PIN 不正确 \/ Wrong PIN/);
    assert.equal(await page.locator('#amount').count(), 0, 'not signed in');
    const cookies = await browser.context.cookies(demo.urls.demo);
    assert.ok(!cookies.some((cookie) => cookie.name === 'tsy_demo_staff'), 'no session for a wrong PIN');
    await page.close();

    // From one client address: the limiter counts wrong PINs only, so the last try may be right and still be refused.
    const attempt = (pin: string) => fetch(`${demo.urls.demo}/api/cashier/session`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': '198.51.100.7' }, body: JSON.stringify({ pin }) });
    for (let i = 0; i < PIN_ATTEMPTS; i++) assert.equal((await attempt('999999')).status, 401);
    const locked = await attempt(PIN);
    assert.equal(locked.status, 429, 'locked even for the right PIN');
    assert.equal(((await locked.json()) as { error: { code: string } }).error.code, 'too_many_attempts');
  });

  test('signed in: the cookie is HttpOnly and SameSite=Strict; a typed code pays; the same code again is refused', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    await signIn(page, demo.urls.demo, PIN);
    await page.locator('#amount').waitFor();
    const session = (await browser.context.cookies(demo.urls.demo)).find((cookie) => cookie.name === 'tsy_demo_staff');
    assert.ok(session?.httpOnly, 'HttpOnly');
    assert.equal(session?.sameSite, 'Strict');

    // Out of bounds amounts are the server's to refuse.
    await page.locator('#amount').fill('50000.01');
    await page.getByRole('button', { name: /收款 \/ Charge/ }).click();
    await page.locator('p.error[role="alert"]').filter({ hasText: '50000.00' }).waitFor();

    const code = await paymentCode(demo.urls.sandbox, 'wechat');
    await newSale(page, '12.50');
    await typeCode(page, code);
    await checkoutState(page, 'success');
    await page.locator('[data-testid="sale-result"]').filter({ hasText: '¥12.50' }).waitFor();
    assert.ok(said.some((line) => /\[cashier\] counter sale SO-\d+-\d+ ¥12\.50 paid by demo-walkin-\d\d/.test(line)), 'paid by a walk-in member');
    assert.ok(said.some((line) => /\[shop\] payment\.succeeded SO-\d+-\d+ \S+ CODEPAY_VSP ¥12\.50/.test(line)), 'the shop heard of it');

    await newSale(page, '3.00');
    await typeCode(page, code);
    const refusal = page.locator(`${CHECKOUT} tsy-code-pay [part="error"]`);
    await refusal.filter({ hasText: /已使用|used/ }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator(CHECKOUT).getAttribute('state'), 'awaiting', 'the sale is still open: scan a new code');
    assert.ok(!said.some((line) => line.includes(code)), 'the code is in no log line');
    await typeCode(page, await paymentCode(demo.urls.sandbox, 'alipay'));
    await checkoutState(page, 'success');
    await page.close();
  });

  test('a barcode gun: fast keystrokes ending in Enter pay', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    await signIn(page, demo.urls.demo, PIN);
    await page.locator('#amount').waitFor();
    await newSale(page, '8.80');
    // The gun types into whatever has focus: the page itself here.
    await page.locator('h1').click();
    await page.keyboard.type(await paymentCode(demo.urls.sandbox, 'unionpay'), { delay: 5 });
    await page.keyboard.press('Enter');
    await checkoutState(page, 'success');
    await page.close();
  });

  test('a code the payer confirms with a password (…0000): "waiting for the payer", then success', { timeout: 60_000 }, async () => {
    const page = await browser.context.newPage();
    await signIn(page, demo.urls.demo, PIN);
    await page.locator('#amount').waitFor();
    await newSale(page, '66.00');
    await typeCode(page, await paymentCode(demo.urls.sandbox, 'wechat', 'pending'));
    await page.locator(`${CHECKOUT} tsy-code-pay [part="status"]`).filter({ hasText: '等待付款人在钱包中确认' }).waitFor({ timeout: 10_000 });
    assert.equal(await page.locator(`${CHECKOUT} tsy-code-pay`).getAttribute('status'), 'waiting');
    await checkoutState(page, 'success', 30_000);
    await page.close();
  });

  for (const [symbol, wallet] of [['qr', 'wechat'], ['code128', 'unionpay']] as const) {
    test(`the webcam reads the payer's ${symbol === 'qr' ? 'QR' : 'Code 128'} from the sandbox's page and it pays; the camera stops`, { timeout: 120_000 }, async () => {
      const film = join(temp, `payment-code-${symbol}.mjpeg`);
      const code = await filmOfPaymentCode(browser, demo.urls.sandbox, wallet, symbol, film);
      const camera = await launchChromium({ args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${film}`] });
      try {
        const page = await camera.context.newPage();
        await signIn(page, demo.urls.demo, PIN);
        await page.locator('#amount').waitFor();
        await page.evaluate(() => {
          // Every camera track the page opens, to see it stopped afterwards.
          const tracks: MediaStreamTrack[] = ((window as unknown as { tracks: MediaStreamTrack[] }).tracks = []);
          const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
          navigator.mediaDevices.getUserMedia = async (constraints) => {
            const stream = await open(constraints);
            tracks.push(...stream.getTracks());
            return stream;
          };
          // The code stops at the checkout's input step (a live payment code is not the page's): seen on its way down.
          const seen = (window as unknown as { scanned?: unknown; leaked?: boolean });
          document.addEventListener('tsy-code-scanned', (event) => (seen.scanned = (event as CustomEvent).detail), { capture: true });
          document.addEventListener('tsy-code-scanned', () => (seen.leaked = true));
        });
        await newSale(page, '21.00');
        await checkoutState(page, 'success', 30_000);
        const scanned = await page.evaluate(() => (window as unknown as { scanned: { code: string; source: string; wallet: string } }).scanned);
        assert.deepEqual(scanned, { code, wallet, source: 'camera' });
        assert.equal(await page.evaluate(() => (window as unknown as { leaked?: boolean }).leaked ?? false), false, 'the payment code reached the page');
        const tracks = await page.evaluate(() => (window as unknown as { tracks: MediaStreamTrack[] }).tracks.map((track) => track.readyState));
        assert.ok(tracks.length > 0 && tracks.every((state) => state === 'ended'), `camera tracks stopped: ${tracks.join(',')}`);
      } finally {
        await camera.close();
      }
    });
  }
});
