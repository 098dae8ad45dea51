// <tsy-checkout>'s web flows end to end in Chromium, through the real BFF and sandbox (started as `npm start` does): WeChat
// JSAPI and Alipay in-app with the sandbox's emulated bridges (the demo's "simulate" switch), WeChat H5's redirect and
// return, the gateway and password front pages, and a framed checkout's form posted to the top window. Each test is a new
// shopper (a browser profile of its own).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD_METHODS } from '../server/app.js';
import { startDemo, type RunningDemo } from '../server/dev.js';
import { bindPhoneIfAsked, CHECKOUT, chooseMethod, launchChromium, openShop, pressPay, resultState, simulate, watch, type Page, type RunningBrowser } from './support/browser.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-widget-flows-'));

/** The checkout's `tsy-success` detail, once it comes (the checkout dispatches it only after the BFF confirmed). */
const nextSuccess = (page: Page) =>
  page.evaluate(
    (selector) =>
      new Promise<{ bizOrderNo: string; method: string; settlement: string }>((resolve) =>
        document.querySelector(selector)!.addEventListener('tsy-success', (event) => resolve((event as CustomEvent).detail), { once: true }),
      ),
    CHECKOUT,
  );

describe('<tsy-checkout>’s web flows in Chromium (browser → BFF → sandbox)', () => {
  let demo: RunningDemo;
  const browsers: RunningBrowser[] = [];
  let phones = 0;

  /** A new shopper on the shop page, phone bound, with the switch set as asked. */
  async function shopper(environment: 'auto' | 'mobile' | 'wechat' | 'alipay' = 'auto'): Promise<{ page: Page; browser: RunningBrowser; watched: Awaited<ReturnType<typeof watch>> }> {
    const browser = await launchChromium();
    browsers.push(browser);
    const page = await browser.context.newPage();
    // Watching from before the first page load: the CSP listener must be in place before any script runs.
    const watched = await watch(page);
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, `1380013820${phones++}`);
    if (environment !== 'auto') {
      await simulate(page, environment);
      await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    }
    return { page, browser, watched };
  }

  before(async () => {
    // The shop's password-page variant: its balance is confirmed on pwd/payOrder.html (the default shop's, by SMS code:
    // test/sms.e2e.test.ts).
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, () => undefined, { dataDir: join(temp, 'data'), methods: DEMO_PASSWORD_METHODS });
  });

  after(async () => {
    for (const browser of browsers) await browser.close();
    await demo?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  test('WeChat JSAPI inside (simulated) WeChat: the emulated bridge’s sheet, 支付, success once the BFF confirms', { timeout: 120_000 }, async () => {
    const { page, watched } = await shopper('wechat');
    await chooseMethod(page, '微信支付');
    const success = nextSuccess(page);
    await pressPay(page);
    await page.locator('[data-testid="jsbridge-sheet"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="jsbridge-pay"]').click();
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    const detail = await success;
    assert.equal(detail.method, 'WECHAT_PUBLIC');
    assert.equal(detail.settlement, 'paid');
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
  });

  test('Alipay in-app: 9000 to success', { timeout: 120_000 }, async () => {
    const { page, watched } = await shopper('alipay');
    await chooseMethod(page, '支付宝');
    const success = nextSuccess(page);
    await pressPay(page);
    await page.locator('[data-testid="jsbridge-pay"]').click({ timeout: 15_000 });
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    assert.equal((await success).method, 'ALIPAY_SERVICE');
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
  });

  test('Alipay in-app: 8000 (processing) is "confirming", never a failure, then success when the platform settles', { timeout: 120_000 }, async () => {
    const { page, watched } = await shopper('alipay');
    await chooseMethod(page, '支付宝');
    const seen: string[] = [];
    await page.exposeFunction('__stateSeen', (state: string) => seen.push(state));
    await page.evaluate((selector) => document.querySelector(selector)!.addEventListener('tsy-state-change', (event) => void (window as unknown as { __stateSeen(s: string): void }).__stateSeen((event as CustomEvent).detail.state)), CHECKOUT);
    await pressPay(page);
    await page.locator('[data-testid="jsbridge-processing"]').click({ timeout: 15_000 });
    await page.locator('[data-testid="jsbridge-sheet"]').waitFor({ state: 'hidden', timeout: 15_000 });
    // The sandbox settles a processing payment by itself after codePayPendingMs (5 s): until then, confirming.
    assert.notEqual(await page.locator(CHECKOUT).getAttribute('state'), 'failed');
    await page.locator(`${CHECKOUT} [part="status"]`).filter({ hasText: /确认|Confirming/i }).first().waitFor({ timeout: 10_000 });
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    assert.ok(!seen.includes('failed'), `never failed on the way: ${seen.join(' → ')}`);
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
  });

  test('WeChat H5 (mobile browser): to the mweb_url with redirect_url, back on the result page “did you finish paying?”, “I have paid” is confirming until the platform says, then success', { timeout: 120_000 }, async () => {
    const { page, browser, watched } = await shopper('mobile');
    await chooseMethod(page, '微信支付');
    await pressPay(page);
    await page.waitForURL((url) => url.href.startsWith(demo.urls.sandbox) && url.pathname.startsWith('/sandbox/wallet/'), { timeout: 30_000 });
    const returnUrl = new URL(new URL(page.url()).searchParams.get('redirect_url') ?? '');
    assert.equal(returnUrl.origin, new URL(demo.urls.demo).origin);
    assert.equal(returnUrl.pathname, '/checkout/result');
    const bizOrderNo = returnUrl.searchParams.get('bizOrderNo')!;
    assert.ok(bizOrderNo, 'the return page names the payment');
    // The payer leaves WeChat without paying: WeChat sends them to redirect_url all the same, which proves nothing.
    await page.getByRole('button', { name: /取消/ }).click();
    await page.waitForURL((url) => url.href.startsWith(`${demo.urls.demo}/checkout/result`), { timeout: 30_000 });
    await resultState(page, 'pending');
    const flow = page.locator(`${CHECKOUT} tsy-redirect-pay`);
    await flow.locator('[part="paid-button"]').waitFor({ timeout: 30_000 });
    assert.match(await flow.locator('[part="status"]').innerText(), /完成支付|finish/i);
    const success = nextSuccess(page);
    await flow.locator('[part="paid-button"]').click();
    await flow.locator('[part="status"]').filter({ hasText: /确认|Confirming/i }).waitFor({ timeout: 15_000 });
    // Then the payment goes through in WeChat after all (the wallet app, a page of its own).
    const wechat = await browser.context.newPage();
    await wechat.goto(`${demo.urls.sandbox}/sandbox/orders/${encodeURIComponent(bizOrderNo)}/wallet`);
    await wechat.getByRole('button', { name: /确认支付/ }).click();
    await wechat.getByText('支付成功').first().waitFor({ timeout: 15_000 });
    await wechat.close();
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    const detail = await success;
    assert.equal(detail.bizOrderNo, bizOrderNo);
    assert.equal(detail.method, 'WECHATPAY_H5_OPEN');
    await resultState(page, 'success');
    assert.deepEqual(await watched.violations(), []);
    // Leaving for WeChat cancels the shop page's reads still in flight (the order as it re-reads it): nothing failed.
    const aborted = /^request failed: GET \S+\/api\/checkout\/orders\/[^/\s]+ net::ERR_ABORTED$/;
    assert.deepEqual(watched.problems.filter((line) => !line.includes('/sandbox/') && !aborted.test(line)), []);
  });

  test('gateway (GATEWAY_VSP): the checkout posts the BFF’s form to the sandbox’s gateway page, paid there, back on the result page: success', { timeout: 120_000 }, async () => {
    const { page, watched } = await shopper();
    await chooseMethod(page, '网银支付');
    await pressPay(page);
    await page.waitForURL((url) => url.href.startsWith(demo.urls.sandbox), { timeout: 30_000 });
    await page.getByRole('button', { name: /确认支付/ }).click();
    await resultState(page, 'success');
    assert.deepEqual(watched.problems.filter((line) => !line.includes('/sandbox/')), []);
  });

  test('password page (BALANCE, validateType 2): the form to pwd/payOrder.html, the password, back on the result page: success', { timeout: 120_000 }, async () => {
    const { page } = await shopper();
    await chooseMethod(page, '账户余额');
    await pressPay(page);
    await page.waitForURL((url) => url.href.startsWith(demo.urls.sandbox) && url.pathname.endsWith('/pwd/payOrder.html'), { timeout: 30_000 });
    await page.locator('input[name="password"]').fill('123456');
    await page.getByRole('button', { name: /确认支付/ }).click();
    await resultState(page, 'success');
  });

  test('POS order code (ORDER_VSPPAY): the code large and grouped, the cashier types it into the sandbox’s POS terminal, success', { timeout: 120_000 }, async () => {
    const { page, browser, watched } = await shopper();
    await chooseMethod(page, 'POS 付款码');
    const success = nextSuccess(page);
    await pressPay(page);
    const groups = page.locator(`${CHECKOUT} tsy-pos-code [part="code"] .group`);
    await groups.first().waitFor({ timeout: 30_000 });
    const payCode = (await groups.allTextContents()).join('');
    assert.match(payCode, /^\d{6}$/);
    assert.match(await page.locator(`${CHECKOUT} tsy-pos-code [part="countdown"]`).innerText(), /\d+:\d\d/);
    // The cashier at the terminal (the sandbox's POS page), not the shopper's page.
    const pos = await browser.context.newPage();
    await pos.goto(`${demo.urls.sandbox}/sandbox/pos`);
    await pos.locator('input[name="payCode"]').fill(payCode);
    await pos.getByRole('button', { name: /收款/ }).click();
    await pos.getByText('收款成功').waitFor({ timeout: 15_000 });
    await pos.close();
    await page.locator(`${CHECKOUT}[state="success"]`).waitFor({ timeout: 60_000 });
    assert.equal((await success).method, 'ORDER_VSPPAY');
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
  });

  test('a checkout in a frame posts its form to the top window (_top): the whole page goes to the gateway', { timeout: 120_000 }, async () => {
    const { page } = await shopper();
    // The shop framed by a page of its own origin (frame-ancestors 'self').
    await page.goto(`${demo.urls.demo}/checkout/result`);
    await page.evaluate(() => {
      const frame = document.createElement('iframe');
      frame.src = '/';
      frame.name = 'shop';
      frame.width = '900';
      frame.height = '700';
      document.body.append(frame);
    });
    const frame = page.frameLocator('iframe[name="shop"]');
    await frame.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    await frame.locator(`${CHECKOUT} tsy-method-picker`).getByRole('radio', { name: '网银支付', exact: true }).click();
    await frame.locator(`${CHECKOUT} [part="pay-button"]`).click();
    await page.waitForURL((url) => url.href.startsWith(demo.urls.sandbox), { timeout: 30_000 });
    assert.equal(await page.locator('iframe[name="shop"]').count(), 0, 'the top window left for the gateway page');
  });
});

describe('the style guide’s flow states (the fixture BFF, stand-in bridges)', () => {
  let demo: RunningDemo;
  let browser: RunningBrowser;
  before(async () => {
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, () => undefined, { dataDir: join(temp, 'guide') });
    browser = await launchChromium();
  });
  after(async () => {
    await browser?.close();
    await demo?.close();
  });

  test('every flow scenario runs its flow (none "not supported") in all four variants, under the CSP', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await page.goto(`${demo.urls.demo}/styleguide.html`);
    await page.locator('[data-testid="all-variants"]').check();
    const scenarios = ['wechat_ok', 'wechat_cancel', 'wechat_fail', 'alipay_9000', 'alipay_8000', 'alipay_6001', 'alipay_6002', 'alipay_4000', 'wrong_app', 'redirect_return', 'redirect_refused', 'form_post', 'pos_code', 'bad_action', 'sms'];
    for (const scenario of scenarios) {
      const checkouts = page.locator(`.state-row[data-scenario="${scenario}"] tsy-checkout`);
      assert.equal(await checkouts.count(), 4, `${scenario} in zh-CN/en × light/dark`);
      await page.waitForFunction((selector) => [...document.querySelectorAll(selector)].every((el) => !['loading', 'processing'].includes(el.getAttribute('state') ?? '')), `.state-row[data-scenario="${scenario}"] tsy-checkout`, { timeout: 15_000 });
      for (const text of await checkouts.locator('[part="status"]').allTextContents()) assert.doesNotMatch(text, /尚不支持|not supported/i, `${scenario}: ${text}`);
    }
    assert.deepEqual(await watched.violations(), []);
    // The "refused host" scenario shows the merchant's console message on purpose.
    assert.deepEqual(watched.problems.filter((line) => !/\[tsy-redirect-pay\] refused to navigate to pay\.example\.net/.test(line)), []);
  });
});
