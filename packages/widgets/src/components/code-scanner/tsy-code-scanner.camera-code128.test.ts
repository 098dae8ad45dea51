// <tsy-code-scanner> with a camera showing a UnionPay payment code as Code 128 (Chromium's fake device, group
// camera-code128 of web-test-runner.config.mjs): zxing's Code 128 reader on real video frames.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TsyEvent } from '../../events.js';
import './define.js';
import type { TsyCodeScanner } from './tsy-code-scanner.js';

const realGetUserMedia = navigator.mediaDevices.getUserMedia.bind(navigator.mediaDevices);

describe('<tsy-code-scanner> with a camera (a Code 128 on the fake camera)', () => {
  const streams: MediaStream[] = [];
  beforeEach(() => {
    navigator.mediaDevices.getUserMedia = async (constraints?: MediaStreamConstraints) => {
      const stream = await realGetUserMedia(constraints);
      streams.push(stream);
      return stream;
    };
  });
  afterEach(() => {
    navigator.mediaDevices.getUserMedia = realGetUserMedia;
    streams.splice(0);
  });

  it('reads the barcode through the zxing chunk: a UnionPay code, source camera, the track stopped', async () => {
    const { code } = (await (await fetch('/__fake-camera/code128')).json()) as { code: string };
    const events: TsyEvent<'tsy-code-scanned'>['detail'][] = [];
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="zh-CN" @tsy-code-scanned=${(e: TsyEvent<'tsy-code-scanned'>) => events.push(e.detail)}></tsy-code-scanner>`);
    await waitUntil(() => events.length > 0, 'no code read from the fake camera', { timeout: 8000 });
    expect(events).to.have.length(1);
    const [detail] = events;
    expect(detail).to.deep.equal({ code, wallet: 'unionpay', source: 'camera' });
    expect(streams).to.have.length(1);
    expect(streams[0]!.getVideoTracks()[0]!.readyState).to.equal('ended');
    await el.updateComplete;
    const read = el.shadowRoot!.querySelector('[part=read]')!.textContent!.replace(/\s+/g, ' ');
    expect(read).to.contain('已读取付款码').and.contain('云闪付').and.contain(code.slice(-4));
    await expect(el).to.be.accessible();
  });

  it('while scanning: the picture, its label, the state in the live region; accessible', async () => {
    const el = await fixture<TsyCodeScanner>(html`<tsy-code-scanner locale="zh-CN" wallets="wechat"></tsy-code-scanner>`);
    await waitUntil(() => el.cameraState === 'scanning', 'the camera did not start', { timeout: 5000 });
    await el.updateComplete;
    const video = el.shadowRoot!.querySelector('video')!;
    expect(video.srcObject).to.equal(streams[0]);
    expect(video.getAttribute('aria-label')).to.equal('摄像头画面');
    expect(el.shadowRoot!.querySelector('[role=status]')!.textContent).to.equal('请将付款码对准摄像头');
    await expect(el).to.be.accessible();
  });
});
