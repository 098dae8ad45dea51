// <tsy-qr-pay> on a page of its own (web-test-runner runs each test file in a fresh page): what the page loads for it, and
// a Content Security Policy without 'unsafe-inline' and without data: images.
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import type { TsyQrPay } from './tsy-qr-pay.js';

describe('<tsy-qr-pay> on a page of its own', () => {
  it("loads the QR encoder only when a QR is drawn, and renders under a strict CSP (no 'unsafe-inline', no data:)", async () => {
    performance.setResourceTimingBufferSize(10_000);
    const encoderFetched = () => performance.getEntriesByType('resource').some((entry) => /\/qrcode\.js(\?|$)/.test(entry.name));
    const violations: string[] = [];
    document.addEventListener('securitypolicyviolation', (event) => violations.push(`${event.violatedDirective} ${event.blockedURI}`));
    const meta = document.createElement('meta');
    meta.httpEquiv = 'Content-Security-Policy';
    meta.content = "style-src 'self'; img-src 'self'; object-src 'none'";
    document.head.append(meta);

    // The policy is in force: a data: image is refused.
    const probe = new Image();
    probe.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
    await new Promise((resolve) => (probe.onerror = resolve));
    expect(violations.splice(0)).to.have.length(1);

    await import('./define.js');
    expect(customElements.get('tsy-qr-pay')).to.exist;
    expect(encoderFetched(), 'the encoder came with the component').to.equal(false);

    const now = Date.now();
    const el = await fixture<TsyQrPay>(
      html`<tsy-qr-pay pay-info="weixin://wxpay/bizpayurl?pr=csp" amount="100" method="SCAN_WEIXIN" expires-at=${new Date(now + 60_000).toISOString()} server-time=${new Date(now).toISOString()}></tsy-qr-pay>`,
    );
    await el.updateComplete;
    expect(encoderFetched(), 'the encoder, fetched for the first QR').to.equal(true);
    expect(el.shadowRoot!.querySelector('[part="qr"] svg path')).to.exist;
    // Styled by the component's own constructed style sheets, which a CSP does not block.
    expect(getComputedStyle(el.shadowRoot!.querySelector('[part="qr"]')!).width).to.equal('200px');
    await aTimeout(50);
    expect(violations).to.deep.equal([]);
  });
});
