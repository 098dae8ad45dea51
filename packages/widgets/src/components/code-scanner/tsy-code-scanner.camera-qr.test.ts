// <tsy-code-scanner> with a camera: this browser's only camera is Chromium's fake device playing a video of a WeChat
// payment code as QR (written by web-test-runner.config.mjs, group camera-qr), so getUserMedia, the video element, the
// frame loop and the decoders all run for real. Linux Chromium has no BarcodeDetector of its own: the zxing chunk reads
// the frames, except where a test installs a BarcodeDetector that follows the Shape Detection spec.
import { expect, fixture, html, oneEvent, waitUntil } from '@open-wc/testing';
import { HTMLCanvasElementLuminanceSource } from '@zxing/browser';
import { BinaryBitmap, Code128Reader, HybridBinarizer, QRCodeReader, type Result } from '@zxing/library';
import type { TsyEvent } from '../../events.js';
import type { DetectedBarcode } from '../../scanner/barcode-detector.js';
import './define.js';
import type { TsyCodeScanner } from './tsy-code-scanner.js';

// The page loads hundreds of modules; the default buffer of 250 entries would lose the one that matters.
performance.setResourceTimingBufferSize(5000);
const camera = async (): Promise<string> => ((await (await fetch('/__fake-camera/qr')).json()) as { code: string }).code;
const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);
const realEnumerate = navigator.mediaDevices.enumerateDevices.bind(navigator.mediaDevices);
/** Every stream the element opened, and with what constraints: getUserMedia watched, not replaced. */
let opened: { constraints: MediaStreamConstraints; stream: MediaStream }[] = [];
const undo: (() => void)[] = [];
const zxingFetched = () => performance.getEntriesByType('resource').some((entry) => entry.name.includes('/scanner/zxing-reader'));
const part = (el: TsyCodeScanner, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: TsyCodeScanner, name: string) => (part(el, name)?.textContent ?? '').replace(/\s+/g, ' ').trim();

/** A BarcodeDetector as the WICG Shape Detection API specifies it — its detect() really reads the image (with zxing, here). */
class SpecBarcodeDetector {
  static formats = ['aztec', 'code_128', 'ean_13', 'qr_code'];
  static calls: { image: unknown; formats: string[] | undefined }[] = [];
  static getSupportedFormats(): Promise<string[]> {
    return Promise.resolve([...SpecBarcodeDetector.formats]);
  }
  constructor(private readonly options?: { formats?: string[] }) {}
  private read(bitmap: BinaryBitmap): [Result, 'qr_code' | 'code_128'] | undefined {
    for (const [reader, format] of [[new QRCodeReader(), 'qr_code'], [new Code128Reader(), 'code_128']] as const) {
      try {
        return [reader.decode(bitmap), format];
      } catch {
        // not this symbology
      }
    }
    return undefined;
  }
  async detect(image: ImageBitmapSource): Promise<DetectedBarcode[]> {
    SpecBarcodeDetector.calls.push({ image, formats: this.options?.formats });
    if (!(image instanceof HTMLVideoElement)) throw new TypeError('this fake reads video elements only');
    if (image.readyState < HTMLMediaElement.HAVE_CURRENT_DATA) throw new DOMException('no frame yet', 'InvalidStateError');
    const canvas = document.createElement('canvas');
    Object.assign(canvas, { width: image.videoWidth, height: image.videoHeight });
    canvas.getContext('2d')!.drawImage(image, 0, 0);
    const found = this.read(new BinaryBitmap(new HybridBinarizer(new HTMLCanvasElementLuminanceSource(canvas))));
    if (!found) return [];
    const [result, format] = found;
    {
      const points = result.getResultPoints().map((point) => ({ x: point.getX(), y: point.getY() }));
      const xs = points.map((point) => point.x);
      const ys = points.map((point) => point.y);
      const boundingBox = new DOMRectReadOnly(Math.min(...xs), Math.min(...ys), Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys));
      return [{ rawValue: result.getText(), format, boundingBox, cornerPoints: points.slice(0, 4) }];
    }
  }
}

function installDetector(formats: string[]): void {
  SpecBarcodeDetector.formats = formats;
  SpecBarcodeDetector.calls = [];
  (window as unknown as { BarcodeDetector: unknown }).BarcodeDetector = SpecBarcodeDetector;
  undo.push(() => delete (window as unknown as { BarcodeDetector?: unknown }).BarcodeDetector);
}

/** Two cameras: the fake device and one more the system reports; opening either gives the fake device's picture. */
function twoCameras(): void {
  navigator.mediaDevices.enumerateDevices = async () => {
    const devices = await realEnumerate();
    const fake = devices.find((device) => device.kind === 'videoinput')!;
    const second = { deviceId: 'second-camera', groupId: 'g2', kind: 'videoinput', label: 'USB document camera', toJSON: () => ({}) } as MediaDeviceInfo;
    return [fake, second];
  };
  navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
    const stream = await realGetUserMedia({ video: true });
    opened.push({ constraints: constraints ?? {}, stream });
    return stream;
  };
}

describe('<tsy-code-scanner> with a camera (a QR on the fake camera)', () => {
  beforeEach(() => {
    opened = [];
    navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await realGetUserMedia(constraints);
      opened.push({ constraints: constraints ?? {}, stream });
      return stream;
    };
    undo.push(() => {
      navigator.mediaDevices.getUserMedia = realGetUserMedia;
      navigator.mediaDevices.enumerateDevices = realEnumerate;
    });
    localStorage.clear();
  });
  afterEach(() => {
    undo.splice(0).forEach((step) => step());
    document.querySelectorAll('tsy-code-scanner').forEach((el) => el.remove());
  });

  // First, before anything fetched the zxing chunk in this page.
  it('uses the browser’s BarcodeDetector when it reads QR and Code 128: detect() on the video, no zxing chunk fetched', async () => {
    expect('BarcodeDetector' in window, 'Linux Chromium has no BarcodeDetector of its own').to.equal(false);
    installDetector(['aztec', 'code_128', 'ean_13', 'qr_code']);
    const el = document.createElement('tsy-code-scanner');
    el.locale = 'en';
    const scanned = oneEvent(el, 'tsy-code-scanned') as Promise<TsyEvent<'tsy-code-scanned'>>;
    document.body.append(el);
    const { detail } = await scanned;
    expect(detail).to.deep.equal({ code: await camera(), wallet: 'wechat', source: 'camera' });
    expect(SpecBarcodeDetector.calls.length).to.be.greaterThan(0);
    expect(SpecBarcodeDetector.calls[0]!.image).to.be.instanceOf(HTMLVideoElement);
    expect(SpecBarcodeDetector.calls[0]!.formats).to.have.members(['qr_code', 'code_128']);
    expect(zxingFetched(), 'the zxing chunk must not be fetched').to.equal(false);
    expect(opened[0]!.stream.getVideoTracks()[0]!.readyState).to.equal('ended');
  });

  it('reads the QR through the zxing chunk: tsy-code-scanned once, "Code read" masked, the track stopped', async () => {
    const events: TsyEvent<'tsy-code-scanned'>['detail'][] = [];
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" amount="1234" @tsy-code-scanned=${(e: TsyEvent<'tsy-code-scanned'>) => events.push(e.detail)}></tsy-code-scanner>`);
    await waitUntil(() => events.length > 0, 'no code read from the fake camera', { timeout: 8000 });
    const code = await camera();
    expect(events[0]).to.deep.equal({ code, wallet: 'wechat', source: 'camera' });
    expect(zxingFetched()).to.equal(true);
    const [track] = opened[0]!.stream.getVideoTracks();
    expect(track!.readyState).to.equal('ended');
    await el.updateComplete;
    expect(el.cameraState).to.equal('off');
    expect(part(el, 'video')).to.equal(null);
    expect(text(el, 'read')).to.contain('Code read').and.contain('WeChat').and.contain(`•• •••• •••• •••• ${code.slice(-4)}`);
    expect(el.shadowRoot!.textContent).not.to.contain(code.slice(0, 8));
    expect(text(el, 'amount')).to.equal('To collect: ¥12.34');
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(events).to.have.length(1);
    await expect(el).to.be.accessible();
  });

  it('reset() starts the camera again and the next code is reported again', async () => {
    const events: string[] = [];
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" @tsy-code-scanned=${(e: TsyEvent<'tsy-code-scanned'>) => events.push(e.detail.code)}></tsy-code-scanner>`);
    await waitUntil(() => events.length === 1, 'no first read', { timeout: 8000 });
    el.reset();
    const again = oneEvent(el, 'tsy-code-scanned') as Promise<TsyEvent<'tsy-code-scanned'>>;
    await waitUntil(() => el.cameraState === 'scanning', 'the camera did not restart');
    expect((await again).detail.source).to.equal('camera');
    expect(opened).to.have.length(2);
    expect(opened.every(({ stream }) => stream.getTracks().every((track) => track.readyState === 'ended'))).to.equal(true);
  });

  it('a code of a wallet not accepted (wallets="alipay unionpay"): the message, no event, the camera keeps scanning', async () => {
    let events = 0;
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" wallets="alipay unionpay" @tsy-code-scanned=${() => events++}></tsy-code-scanner>`);
    await waitUntil(() => text(el, 'message') !== '', 'no message for the WeChat code', { timeout: 8000 });
    expect(text(el, 'message')).to.equal('WeChat payment codes are not accepted here');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(events).to.equal(0);
    expect(el.cameraState).to.equal('scanning');
    expect(opened.at(-1)!.stream.getVideoTracks()[0]!.readyState).to.equal('live');
  });

  it('removing the element stops the track at once', async () => {
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" wallets="alipay"></tsy-code-scanner>`);
    await waitUntil(() => el.cameraState === 'scanning');
    const [track] = opened[0]!.stream.getVideoTracks();
    expect(track!.readyState).to.equal('live');
    el.remove();
    expect(track!.readyState).to.equal('ended');
  });

  it('removed while getUserMedia is still answering: the stream it gets is stopped', async () => {
    let answer: (() => void) | undefined;
    const streams: MediaStream[] = [];
    navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      await new Promise<void>((resolve) => (answer = resolve));
      const stream = await realGetUserMedia(constraints);
      streams.push(stream);
      return stream;
    };
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en"></tsy-code-scanner>`);
    await waitUntil(() => answer !== undefined);
    expect(el.cameraState).to.equal('starting');
    el.remove();
    answer!();
    await waitUntil(() => streams.length === 1);
    await waitUntil(() => streams[0]!.getVideoTracks()[0]!.readyState === 'ended', 'the late stream was left running');
  });

  it('the page hidden stops the track; visible again, the camera restarts and reads', async () => {
    let hidden = false;
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => (hidden ? 'hidden' : 'visible') });
    undo.push(() => delete (document as unknown as { visibilityState?: unknown }).visibilityState);
    const events: string[] = [];
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" wallets="alipay"></tsy-code-scanner>`);
    await waitUntil(() => el.cameraState === 'scanning');
    hidden = true;
    document.dispatchEvent(new Event('visibilitychange'));
    expect(opened[0]!.stream.getVideoTracks()[0]!.readyState).to.equal('ended');
    await el.updateComplete;
    expect(el.cameraState).to.equal('off');
    expect(text(el, 'camera-status')).to.equal('Camera paused');
    el.wallets = '';
    el.addEventListener('tsy-code-scanned', (e) => events.push(e.detail.code));
    hidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    await waitUntil(() => events.length === 1, 'no read after the page came back', { timeout: 8000 });
    expect(opened).to.have.length(2);
    expect(opened[1]!.stream.getVideoTracks()[0]!.readyState).to.equal('ended');
  });

  it('several cameras: a picker; the choice opens that camera exactly and is remembered for the next time', async () => {
    twoCameras();
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" wallets="alipay"></tsy-code-scanner>`);
    await waitUntil(() => part(el, 'camera-select') !== null, 'no camera picker');
    const select = part(el, 'camera-select') as HTMLSelectElement;
    expect([...select.options].map((option) => option.textContent)).to.have.length(2);
    expect(select.options[1]!.textContent).to.equal('USB document camera');
    expect(select.closest('label')!.textContent).to.contain('Camera');
    await expect(el).to.be.accessible();
    select.value = 'second-camera';
    select.dispatchEvent(new Event('change'));
    await waitUntil(() => opened.length === 2 && el.cameraState === 'scanning');
    expect(opened[1]!.constraints.video).to.deep.equal({ deviceId: { exact: 'second-camera' } });
    expect(opened[0]!.stream.getVideoTracks()[0]!.readyState).to.equal('ended');
    expect(localStorage.getItem('tsy-code-scanner:camera')).to.equal('second-camera');
    el.remove();
    await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" wallets="alipay"></tsy-code-scanner>`);
    await waitUntil(() => opened.length === 3);
    expect((opened[2]!.constraints.video as MediaTrackConstraints).deviceId).to.deep.equal({ ideal: 'second-camera' });
  });

  it('a BarcodeDetector without code_128 is not enough: zxing reads instead and detect() is never called', async () => {
    installDetector(['qr_code', 'ean_13']);
    const events: string[] = [];
    await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="en" @tsy-code-scanned=${(e: TsyEvent<'tsy-code-scanned'>) => events.push(e.detail.code)}></tsy-code-scanner>`);
    await waitUntil(() => events.length === 1, 'no read', { timeout: 8000 });
    expect(events[0]).to.equal(await camera());
    expect(SpecBarcodeDetector.calls).to.have.length(0);
  });
});
