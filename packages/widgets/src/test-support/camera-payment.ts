// CODEPAY_VSP through the webcam, the same test for each symbology a payment code is shown as: the test's Chromium has
// one camera, a video of a payment code (written by web-test-runner.config.mjs with test-support/fake-camera.mjs),
// decoded by the scanner's real path (zxing: Linux Chromium has no BarcodeDetector); the payment it makes reaches
// success through the real BFF and sandbox. Each `*.camera-<kind>.test.ts` runs it in its own camera group.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import '../components/checkout/define.js';
import type { TsyCheckout } from '../components/checkout/tsy-checkout.js';
import { newOrder, paymentNow } from './stack.js';

export function cameraPaymentTests(kind: 'qr' | 'code128'): void {
  describe(`<tsy-checkout> with CODEPAY_VSP, camera (${kind})`, () => {
    it('pay → the camera reads the code → paid, confirmed by the BFF; the camera is stopped', async () => {
      const { code } = (await (await fetch(`/__fake-camera/${kind}`)).json()) as { code: string };
      const order = await newOrder({ amount: 2600, methods: ['CODEPAY_VSP'] });
      const el = await fixture<TsyCheckout>(html`<tsy-checkout order=${order} locale="en"></tsy-checkout>`);
      await waitUntil(() => el.state === 'select', 'order loaded', { timeout: 5000 });
      const tracks: MediaStreamTrack[] = [];
      const open = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
      navigator.mediaDevices.getUserMedia = async (constraints) => {
        const stream = await open(constraints);
        tracks.push(...stream.getTracks());
        return stream;
      };
      // Seen on its way down (capture): the code stops at the input step, it never reaches the page.
      const scanned = new Promise<CustomEvent>((resolve) => el.shadowRoot!.addEventListener('tsy-code-scanned', (event) => resolve(event as CustomEvent), { once: true, capture: true }));
      let leaked = false;
      const leak = () => (leaked = true);
      document.addEventListener('tsy-code-scanned', leak);
      const success = oneEvent(el, 'tsy-success');
      el.shadowRoot!.querySelector<HTMLButtonElement>('[part=pay-button]')!.click();
      const { detail: read } = await scanned;
      expect(read).to.deep.include({ code, source: 'camera' });
      const { detail } = await success;
      expect(detail).to.include({ amount: 2600, method: 'CODEPAY_VSP' });
      expect((await paymentNow(detail.bizOrderNo)).state).to.equal('success');
      expect(tracks.length).to.be.greaterThan(0);
      expect(tracks.every((track) => track.readyState === 'ended'), 'the camera is stopped').to.equal(true);
      document.removeEventListener('tsy-code-scanned', leak);
      expect(leaked, 'the payment code reached the page').to.equal(false);
    });
  });
}
