// The examples' one browser test, against the real stack: the YunST sandbox and a merchant server mounting the BFF
// (@tsy/testing's startCheckoutStack, as the widget tests use it). A small server gives Chromium the example's built
// dist/ and passes /api/* to the BFF as a shop's own server would. The page must: upgrade <tsy-checkout>, hand it its
// properties (English text because `locale` was set to `en`; `order` as a property), and run its own typed `tsy-success`
// handler when the payer pays in the sandbox's wallet.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, request } from 'node:http';
import { extname, join, normalize } from 'node:path';
// playwright-core and @tsy/testing come from the example package calling this (this folder is no package of its own).

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };
const ORDER = 'SO-42';

export async function checkExample({ chromium, testing }, distDir) {
  const { TEST_PAYER_HEADER, bindPhone, startCheckoutStack, walletAction, walletUrlOf } = testing;
  const stack = await startCheckoutStack();
  const payer = `example-${process.pid}`;
  stack.merchant.orders.set(ORDER, { amount: 1234, subject: 'Longjing tea', payer: { bizUserId: payer } });
  await bindPhone(stack.merchant.url, stack.sandbox.url, '13800004242', { [TEST_PAYER_HEADER]: payer });

  const asked = [];
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/')) {
      asked.push(`${req.method} ${url.pathname}`);
      // As a shop's own server passes its API on: same Host, so the BFF takes the page's POSTs as its own origin's.
      const upstream = request(stack.merchant.url + req.url, { method: req.method, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode, answer.headers);
        answer.pipe(res);
      });
      upstream.on('error', () => res.destroy());
      req.pipe(upstream);
      return;
    }
    const file = normalize(join(distDir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(distDir) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`http://127.0.0.1:${server.address().port}/?order=${ORDER}`);
    await page.waitForFunction(() => document.querySelector('tsy-checkout')?.getAttribute('state') === 'select', null, { timeout: 10000 });
    const seen = await page.evaluate(() => {
      const el = document.querySelector('tsy-checkout');
      return { upgraded: el instanceof customElements.get('tsy-checkout'), order: el.order, orderAttribute: el.getAttribute('order'), locale: el.locale, text: el.shadowRoot.textContent };
    });
    if (process.env.DEBUG_EXAMPLE) console.log(seen);
    assert.equal(seen.upgraded, true, 'tsy-checkout is upgraded');
    assert.equal(seen.order, ORDER, 'the order id reached the element');
    assert.equal(seen.orderAttribute, null, 'order was set as a property (`order` is not reflected, so an attribute would show)');
    assert.equal(seen.locale, 'en', 'locale reached the element');
    assert.match(seen.text, /Longjing tea[\s\S]*Pay ¥12\.34/, 'the checkout shows the order, in English');
    assert.ok(asked.includes(`GET /api/checkout/orders/${ORDER}`), `the checkout asked the BFF for its order (asked: ${asked.join(', ')})`);

    await page.locator('tsy-checkout [part="pay-button"]').click();
    await page.waitForFunction(() => document.querySelector('tsy-checkout')?.getAttribute('state') === 'awaiting', null, { timeout: 10000 }).catch(async (error) => {
      throw new Error(`not awaiting: ${await page.evaluate(() => { const el = document.querySelector('tsy-checkout'); return el.state + ' ' + el.shadowRoot.textContent; })} (asked: ${asked.join(', ')})`, { cause: error });
    });
    const { currentPayment } = await (await fetch(`${stack.merchant.url}/api/checkout/orders/${ORDER}`, { headers: { [TEST_PAYER_HEADER]: payer } })).json();
    assert.equal(await walletAction(await walletUrlOf(stack.sandbox.url, currentPayment.bizOrderNo), 'pay'), 200);
    await page.waitForFunction((no) => document.querySelector('#message')?.textContent?.includes(no), currentPayment.bizOrderNo, { timeout: 15000 });
    const message = await page.textContent('#message');
    assert.match(message, /12\.34/, 'the handler read the typed detail (amount in fen, from the server)');
    assert.match(message, /paid/);
    assert.deepEqual(errors, []);
    console.log(`ok: ${message.trim()}`);
  } finally {
    await browser.close();
    server.close();
    await stack.close();
  }
}
