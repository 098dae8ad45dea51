import type { DecodedCode, FrameDecoder } from './frame-decoder.js';

type FrameVideo = HTMLVideoElement & {
  requestVideoFrameCallback?(callback: () => void): number;
  cancelVideoFrameCallback?(handle: number): void;
};

/**
 * Reads the frames of a playing video with a decoder: on each new frame (`requestVideoFrameCallback`, else animation
 * frames), at most one decode at a time and one every `interval` ms, so a slow decoder never queues up and the page stays
 * responsive. A frame the decoder cannot take yet (not ready) is skipped.
 */
export class ScanLoop {
  private running = false;
  private busy = false;
  private lastDecode = Number.NEGATIVE_INFINITY;
  private handle: number | undefined;

  constructor(
    private readonly video: FrameVideo,
    private readonly decoder: FrameDecoder,
    private readonly onCodes: (codes: DecodedCode[]) => void,
    private readonly interval = 100,
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    if (this.handle === undefined) return;
    if (this.video.cancelVideoFrameCallback) this.video.cancelVideoFrameCallback(this.handle);
    else cancelAnimationFrame(this.handle);
    this.handle = undefined;
  }

  private schedule(): void {
    if (!this.running) return;
    this.handle = this.video.requestVideoFrameCallback ? this.video.requestVideoFrameCallback(this.onFrame) : requestAnimationFrame(this.onFrame);
  }

  private readonly onFrame = (): void => {
    this.handle = undefined;
    const now = performance.now();
    if (!this.busy && now - this.lastDecode >= this.interval && this.video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA) {
      this.busy = true;
      this.lastDecode = now;
      this.decoder
        .decode(this.video)
        .then((codes) => {
          if (this.running && codes.length) this.onCodes(codes);
        })
        .catch(() => {
          // A frame the decoder could not take (InvalidStateError while the video resizes): the next one will do.
        })
        .finally(() => {
          this.busy = false;
        });
    }
    this.schedule();
  };
}
