// /sandbox/jsbridge.js itself, in Debian's Chromium (CHROMIUM_PATH overrides /usr/bin/chromium): a shop page served on
// the sandbox's origin under `script-src 'self'; style-src 'self'` waits for the bridges' Ready events, invokes them with
// the parameters of real consumeApply answers, and the payer clicks the sheet.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { consumeParam, createPayer, ok, startSandbox, type TestSandbox } from './support/sandbox.js';

// The functions handed to page.evaluate run in the page; this package compiles without the DOM library.
declare const window: any; // eslint-disable-line @typescript-eslint/no-explicit-any
declare const document: { addEventListener(type: string, listener: (event: { violatedDirective: string; blockedURI: string }) => void): void };
declare const getComputedStyle: (node: unknown) => { position: string };

const CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'";

/** The merchant page's own script: it may run before the bridges exist, so it waits for their Ready events. */
const PAGE_SCRIPT = `
window.seen = { weixinAtLoad: typeof window.WeixinJSBridge, alipayAtLoad: typeof window.AlipayJSBridge, ready: [] };
document.addEventListener('WeixinJSBridgeReady', function () { window.seen.ready.push('weixin:' + typeof window.WeixinJSBridge.invoke); });
document.addEventListener('AlipayJSBridgeReady', function () { window.seen.ready.push('alipay:' + typeof window.AlipayJSBridge.call); });
`;

const PAGE = `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>shop</title>
<script src="/sandbox/jsbridge.js"></script><script src="/shop/page.js"></script></head><body><h1>shop</h1></body></html>`;

describe('jsbridge.js in Chromium under a strict CSP', () => {
  let t: TestSandbox;
  let server: Server;
  let origin: string;
  let context: BrowserContext;
  const profile = mkdtempSync(join(tmpdir(), 'tsy-sandbox-chromium-'));

  before(async () => {
    t = await startSandbox({ merchantName: '演示商店' });
    await createPayer(t, 'br-payer');
    // The page and the sandbox on one origin, as the demo proxies /sandbox.
    const shop = express();
    shop.get('/shop', (_req, res) => res.set('Content-Security-Policy', CSP).type('html').send(PAGE));
    shop.get('/shop/page.js', (_req, res) => res.type('text/javascript').send(PAGE_SCRIPT));
    shop.use(t.sandbox.app);
    server = await new Promise<Server>((resolve) => {
      const listening = shop.listen(0, '127.0.0.1', () => resolve(listening));
    });
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      headless: true,
      args: ['--no-sandbox', '--headless', '--disable-gpu', '--disable-background-networking', '--disable-dev-shm-usage', '--no-first-run'],
    });
  });
  after(async () => {
    await context?.close();
    rmSync(profile, { recursive: true, force: true });
    await new Promise((resolve) => server?.close(resolve));
    server?.closeAllConnections();
    await t?.close();
  });

  async function open(): Promise<{ page: Page; problems: string[]; violations: () => Promise<string[]> }> {
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()} ${response.url()}`);
    });
    // A DevTools init script: it runs before the page's scripts and is not governed by the page's policy.
    await page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { violations: string[] }).violations = seen;
      document.addEventListener('securitypolicyviolation', (event) => seen.push(`${event.violatedDirective} ${event.blockedURI}`));
    });
    const response = await page.goto(`${origin}/shop`);
    assert.equal(response?.headers()['content-security-policy'], CSP);
    await page.waitForFunction(() => (window as unknown as { seen?: { ready: string[] } }).seen?.ready.length === 2);
    return { page, problems, violations: () => page.evaluate(() => (window as unknown as { violations: string[] }).violations) };
  }

  const apply = async (payMethod: Record<string, unknown>, amount: number) => {
    const param = consumeParam('br-payer', payMethod, amount, { goodsName: '咖啡' });
    return { bizOrderNo: String(param.bizOrderNo), payInfo: String(ok(await t.call('OrderService', 'consumeApply', param)).payInfo) };
  };
  const status = async (bizOrderNo: string) => ok(await t.call('OrderService', 'getOrderDetail', { bizOrderNo })).orderStatus;

  it('WeChat: Ready after load, the sheet, pay → get_brand_wcpay_request:ok and the order paid, no CSP violation', async () => {
    const { page, problems, violations } = await open();
    assert.deepEqual(await page.evaluate(() => (window as unknown as { seen: unknown }).seen), {
      weixinAtLoad: 'undefined',
      alipayAtLoad: 'undefined',
      ready: ['weixin:function', 'alipay:function'],
    });
    const { bizOrderNo, payInfo } = await apply({ WECHAT_PUBLIC: { limitPay: '', acct: 'oOpenid1', amount: 1234, subAppid: 'wx1234567890abcdef' } }, 1234);
    const callback = page.evaluate(
      (params) =>
        new Promise((resolve) => {
          let sync = true;
          (window as unknown as { WeixinJSBridge: { invoke: (name: string, p: unknown, cb: (res: unknown) => void) => void } }).WeixinJSBridge.invoke('getBrandWCPayRequest', params, (res) => resolve({ res, sync }));
          sync = false;
        }),
      JSON.parse(payInfo) as unknown,
    );
    const sheet = page.getByTestId('jsbridge-sheet');
    await sheet.waitFor();
    assert.match(await page.getByTestId('jsbridge-amount').textContent() ?? '', /¥12\.34/);
    assert.equal(await page.getByTestId('jsbridge-processing').count(), 0, 'WeChat has no processing answer');
    // The stylesheet applied: the overlay is fixed over the page.
    assert.equal(await page.locator('.tsy-jsbridge-overlay').evaluate((node) => getComputedStyle(node).position), 'fixed');
    assert.equal(await status(bizOrderNo), 1);
    await page.getByTestId('jsbridge-pay').click();
    assert.deepEqual(await callback, { res: { err_msg: 'get_brand_wcpay_request:ok' }, sync: false });
    assert.equal(await status(bizOrderNo), 4);
    assert.equal(await sheet.count(), 0, 'the sheet is gone');
    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });

  it('Alipay: tradePay with the tradeNO, pay → resultCode "9000" and the order paid, no CSP violation', async () => {
    const { page, problems, violations } = await open();
    const { bizOrderNo, payInfo: tradeNO } = await apply({ ALIPAY_SERVICE: { acct: '2088000000000001', amount: 500 } }, 500);
    const callback = page.evaluate(
      (no) =>
        new Promise((resolve) => {
          (window as unknown as { AlipayJSBridge: { call: (name: string, p: unknown, cb: (res: unknown) => void) => void } }).AlipayJSBridge.call('tradePay', { tradeNO: no }, resolve);
        }),
      tradeNO,
    );
    await page.getByTestId('jsbridge-sheet').waitFor();
    for (const id of ['jsbridge-cancel', 'jsbridge-fail', 'jsbridge-processing', 'jsbridge-network-error', 'jsbridge-unknown']) {
      assert.equal(await page.getByTestId(id).count(), 1, id);
    }
    await page.getByTestId('jsbridge-pay').click();
    assert.deepEqual(await callback, { resultCode: '9000', memo: '订单支付成功 / paid' });
    assert.equal(await status(bizOrderNo), 4);
    assert.deepEqual(await violations(), []);
    assert.deepEqual(problems, []);
    await page.close();
  });
});
