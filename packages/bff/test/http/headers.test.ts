// The router's own answers carry security headers (helmet); the host app's pages around it are left as the host sets them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { api, startMerchant, startSandbox, type Merchant, type Sandbox } from './support.js';

let sandbox: Sandbox;
let merchant: Merchant;

before(async () => {
  sandbox = await startSandbox();
  merchant = await startMerchant({ sandboxUrl: sandbox.url, configureApp: (app) => app.get('/shop', (_req, res) => void res.type('html').send('<p>the shop</p>')) });
});
after(async () => {
  await merchant?.close();
  await sandbox?.close();
});

describe('security headers', () => {
  it('every answer of the router — API, errors, the platform’s callbacks — may not be framed, sniffed or refer', async () => {
    const answers = [
      await api(merchant.url, '/api/checkout/orders/SO-NO-SUCH-ORDER'),
      await api(merchant.url, '/api/checkout/payments/TSY-NO-SUCH-PAYMENT'),
      await api(merchant.url, '/api/checkout/orders/SO-X/payments', { body: '{not json' }),
      await fetch(`${merchant.url}/yunst/notify`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'garbage=1' }),
    ];
    for (const answer of answers) {
      const h = answer.headers;
      assert.equal(h.get('x-content-type-options'), 'nosniff');
      assert.equal(h.get('referrer-policy'), 'no-referrer');
      assert.match(h.get('content-security-policy') ?? '', /default-src 'none'/);
      assert.match(h.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
      assert.ok(h.get('x-frame-options'), 'x-frame-options for old browsers');
      assert.equal(h.get('x-powered-by'), null);
    }
    assert.equal(answers[0]!.headers.get('cache-control'), 'no-store');
  });

  it('leaves the host app’s own pages alone', async () => {
    const page = await fetch(`${merchant.url}/shop`);
    assert.equal(page.status, 200);
    assert.equal(page.headers.get('content-security-policy'), null);
  });
});
