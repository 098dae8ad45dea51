// The demo's sandbox tools and its result page in Chromium, through the real BFF and sandbox (started as `npm start` does,
// on free ports): the "simulate" switch with the emulated JS bridges, the gateway form's way through the sandbox's front
// page and /yunst/return to the result page, and returns that prove nothing (a forged signature, a state in the link, a
// payment of another order).
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { DEMO_PASSWORD_METHODS } from '../server/app.js';
import { startDemo, type RunningDemo } from '../server/dev.js';
import { bindPhoneIfAsked, CHECKOUT, frontPageForm, frontPageFormFor, launchChromium, openShop, postForm, resultState, simulate, watch, type RunningBrowser } from './support/browser.js';

const demoDir = fileURLToPath(new URL('..', import.meta.url));
const temp = mkdtempSync(join(tmpdir(), 'tsy-demo-flows-'));

describe('the demo’s sandbox tools and result page in Chromium', () => {
  let demo: RunningDemo;
  let browser: RunningBrowser;

  before(async () => {
    // The shop's password-page variant: its balance is confirmed on pwd/payOrder.html (the default shop's, by SMS code:
    // test/sms.e2e.test.ts).
    demo = await startDemo(demoDir, { demoPort: 0, bffPort: 0, sandboxPort: 0, publicHost: undefined }, () => undefined, { dataDir: join(temp, 'data'), methods: DEMO_PASSWORD_METHODS });
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    await demo?.close();
    rmSync(temp, { recursive: true, force: true });
  });

  test('the "simulate" switch: inside WeChat / Alipay the page loads that app’s emulated bridge under the CSP and the picker offers its JS method; auto gives the User-Agent back', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await openShop(page, demo.urls.demo);
    assert.equal(await page.locator('[data-simulate="auto"]').getAttribute('aria-pressed'), 'true');
    const usable = (name: string) => page.locator(`${CHECKOUT} tsy-method-picker`).getByRole('radio', { name, exact: true }).and(page.locator(':not([aria-disabled="true"])')).count();
    assert.equal(await usable('微信支付'), 0, 'a desktop: neither WeChat JSAPI nor WeChat H5');
    assert.equal(await page.evaluate(() => 'WeixinJSBridge' in window || document.querySelector('script[data-jsbridge]') !== null), false, 'no emulator unless asked');

    await simulate(page, 'wechat');
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    // As in WeChat: the bridge is missing at first and announced by WeixinJSBridgeReady.
    await page.waitForFunction(() => typeof (window as { WeixinJSBridge?: { invoke?: unknown } }).WeixinJSBridge?.invoke === 'function', undefined, { timeout: 10_000 });
    assert.equal(await page.evaluate(() => 'AlipayJSBridge' in window), false);
    assert.equal(await usable('微信支付'), 1, 'WeChat JSAPI (WeChat H5 is not for inside WeChat)');
    assert.equal(await usable('支付宝'), 0);

    await simulate(page, 'alipay');
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => typeof (window as { AlipayJSBridge?: { call?: unknown } }).AlipayJSBridge?.call === 'function', undefined, { timeout: 10_000 });
    assert.equal(await usable('支付宝'), 1);
    assert.equal(await usable('微信支付'), 1, 'not WeChat JSAPI (only WeChat H5, which the BFF allows outside WeChat)');

    await simulate(page, 'mobile');
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    assert.equal(await usable('微信支付'), 1, 'a phone’s browser: WeChat H5');
    assert.equal(await usable('QQ钱包'), 1);

    await simulate(page, 'auto');
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    assert.equal(await usable('微信支付'), 0, 'the User-Agent decides again');

    assert.deepEqual(await watched.violations(), [], 'no Content-Security-Policy violation');
    assert.deepEqual(watched.problems, []);
    await page.close();
  });

  test('the gateway form posts to the sandbox’s gateway page (form-action), is paid there and comes back through /yunst/return to the result page: success, from the BFF', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13800138101');
    const { bizOrderNo, merchantOrderId, form } = await frontPageForm(page, 'GATEWAY_VSP');
    assert.equal(new URL(form.action).origin, new URL(demo.urls.sandbox).origin);
    assert.deepEqual(await watched.violations(), []);
    await postForm(page, form);
    await page.getByRole('button', { name: /确认支付/ }).click();
    // The sandbox's page posts the signed result to /yunst/return, which sends the payer on to the result page.
    await resultState(page, 'success');
    assert.equal(new URL(page.url()).pathname, '/checkout/result');
    const result = page.locator('[data-testid="result"]');
    assert.equal(await result.getAttribute('data-biz-order-no'), bizOrderNo);
    assert.match((await result.textContent()) ?? '', new RegExp(`订单 Order ${merchantOrderId}`));
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
    await page.close();
  });

  test('the balance on the payment password page (validateType 2): the form to pwd/payOrder.html, the password, back to the result page: success', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13800138103');
    const { bizOrderNo, form } = await frontPageForm(page, 'BALANCE');
    assert.equal(new URL(form.action).pathname.endsWith('/pwd/payOrder.html'), true, form.action);
    await postForm(page, form);
    await page.locator('input[name="password"]').fill('123456');
    await page.getByRole('button', { name: /确认支付/ }).click();
    await resultState(page, 'success');
    assert.equal(await page.locator('[data-testid="result"]').getAttribute('data-biz-order-no'), bizOrderNo);
    assert.deepEqual(await watched.violations(), []);
    assert.deepEqual(watched.problems, []);
    await page.close();
  });

  test('returns that prove nothing change nothing: a forged /yunst/return, a state in the link, a payment of another order — the page shows the server’s state', { timeout: 120_000 }, async () => {
    const page = await browser.context.newPage();
    const watched = await watch(page);
    await openShop(page, demo.urls.demo);
    await bindPhoneIfAsked(page, demo.urls.sandbox, '13800138102');
    const { bizOrderNo, merchantOrderId, form } = await frontPageForm(page, 'GATEWAY_VSP');

    // A return claiming success, signed by nobody: the BFF refuses it and sends the payer to the result page all the same.
    const rps = JSON.stringify({ service: 'OrderService', method: 'pay', status: 'OK', returnValue: { bizOrderNo, amount: 5800, payDatetime: '2026-01-01 00:00:00' } });
    const forged = new URLSearchParams({ sysid: form.fields.sysid!, rps, timestamp: form.fields.timestamp!, v: '2.0', sign: Buffer.from('forged').toString('base64') });
    await page.goto(`${demo.urls.demo}/yunst/return?${forged}`);
    await page.waitForURL((url) => url.pathname === '/checkout/result');
    assert.notEqual(new URL(page.url()).searchParams.get('state'), 'success');
    await page.locator('[data-testid="result"], [data-testid="result-missing"]').first().waitFor();
    assert.equal(await page.locator('[data-testid="result"][data-state="success"]').count(), 0, 'no success shown');

    // The result page's own link, claiming success: the page says what the BFF says — still waiting, live.
    await page.goto(`${demo.urls.demo}/checkout/result?${new URLSearchParams({ merchantOrderId, bizOrderNo, state: 'success' })}`);
    await resultState(page, 'pending');
    assert.match((await page.locator('[data-testid="result"]').textContent()) ?? '', /正在确认支付结果/);

    // …and turns to success on its own once the platform confirms (the payer pays on the gateway page in another tab).
    const gateway = await browser.context.newPage();
    await gateway.goto(demo.urls.demo);
    await postForm(gateway, await frontPageFormFor(gateway, bizOrderNo));
    await gateway.getByRole('button', { name: /确认支付/ }).click();
    await resultState(gateway, 'success');
    await gateway.close();
    await resultState(page, 'success', 30_000);

    // A paid order's link naming another (unpaid) payment of this shopper: that payment's state and order, as the BFF has them.
    await page.goto(`${demo.urls.demo}/`);
    await page.locator('[data-product="sticker"] button').click();
    await page.locator(`${CHECKOUT}[state="select"]`).waitFor({ timeout: 30_000 });
    const other = await frontPageForm(page, 'GATEWAY_VSP');
    assert.notEqual(other.merchantOrderId, merchantOrderId);
    await page.goto(`${demo.urls.demo}/checkout/result?${new URLSearchParams({ merchantOrderId, bizOrderNo: other.bizOrderNo, state: 'success' })}`);
    await resultState(page, 'pending');
    assert.match((await page.locator('[data-testid="result"]').textContent()) ?? '', new RegExp(`订单 Order ${other.merchantOrderId}`));

    // Someone else's payment does not exist for this shopper.
    const stranger = await launchChromium();
    try {
      const strangerPage = await stranger.context.newPage();
      await strangerPage.goto(`${demo.urls.demo}/checkout/result?${new URLSearchParams({ merchantOrderId, bizOrderNo, state: 'success' })}`);
      await strangerPage.locator('[data-testid="result-error"]').waitFor({ timeout: 15_000 });
      assert.equal(await strangerPage.locator('[data-testid="result"]').count(), 0);
    } finally {
      await stranger.close();
    }

    assert.deepEqual(await watched.violations(), []);
    await page.close();
  });
});
