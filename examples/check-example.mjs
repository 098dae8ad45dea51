// The examples' one browser test: serves an example's built dist/ over HTTP, opens it in Debian's headless Chromium and
// checks what a page author relies on — the element is upgraded, it got its properties (English text because `locale`
// was set to `en`), and the page's own handler runs when the real element dispatches a typed `tsy-success`.
// No BFF runs here, so the order load answers 404 and the checkout shows its (English) error: the test asserts on that.
import assert from 'node:assert/strict';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize } from 'node:path';

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml' };

export async function checkExample(chromium, distDir) {
  const served = [];
  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    served.push(url.pathname);
    const file = normalize(join(distDir, url.pathname === '/' ? 'index.html' : url.pathname));
    if (!file.startsWith(distDir) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ code: 'order_not_found', message: 'no BFF in this test' }));
      return;
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error));
    await page.goto(`http://127.0.0.1:${server.address().port}/?order=SO-42`);
    await page.waitForFunction(() => document.querySelector('tsy-checkout')?.getAttribute('state') === 'error', null, { timeout: 10000 });
    const seen = await page.evaluate(() => {
      const el = document.querySelector('tsy-checkout');
      return {
        upgraded: el instanceof customElements.get('tsy-checkout'),
        order: el.order,
        orderAttribute: el.getAttribute('order'),
        locale: el.locale,
        text: el.shadowRoot.textContent,
      };
    });
    if (process.env.DEBUG_EXAMPLE) console.log(seen);
    assert.equal(seen.upgraded, true, 'tsy-checkout is upgraded');
    assert.equal(seen.order, 'SO-42', 'the order id reached the element');
    assert.equal(seen.orderAttribute, null, 'order was set as a property (`order` is not reflected, so an attribute would show)');
    assert.equal(seen.locale, 'en', 'locale reached the element');
    assert.match(seen.text, /The payment cannot be completed[\s\S]*Retry/, 'the checkout speaks English');
    assert.ok(served.includes('/api/checkout/orders/SO-42'), `the checkout asked the BFF for SO-42 (asked: ${served.join(', ')})`);

    await page.evaluate(() => {
      const detail = { bizOrderNo: 'BO-777', amount: 1234, method: 'SCAN_WEIXIN', settlement: 'paid' };
      document.querySelector('tsy-checkout').dispatchEvent(new CustomEvent('tsy-success', { detail, bubbles: true, composed: true }));
    });
    await page.waitForFunction(() => document.querySelector('#message')?.textContent?.includes('BO-777'), null, { timeout: 5000 });
    const message = await page.textContent('#message');
    assert.match(message, /BO-777/);
    assert.match(message, /12\.34/, 'the handler read the typed detail (amount in fen)');
    assert.deepEqual(errors, []);
    console.log(`ok: ${message.trim()}`);
  } finally {
    await browser.close();
    server.close();
  }
}
