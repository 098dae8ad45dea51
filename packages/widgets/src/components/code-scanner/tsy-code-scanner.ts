import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property, query, state } from 'lit/decorators.js';
import { emit } from '../../events.js';
import type { MessageKey } from '../../i18n/messages.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { nativeDecoder } from '../../scanner/barcode-detector.js';
import { CameraError, listCameras, mediaDevicesOf, openCamera, rememberCamera, stopStream, type CameraProblem } from '../../scanner/camera.js';
import type { DecodedCode, FrameDecoder } from '../../scanner/frame-decoder.js';
import { KeyboardWedgeController } from '../../scanner/keyboard-wedge.js';
import { checkPaymentCode, maskPaymentCode, parseWallets, type PaymentCodeProblem, type PaymentCodeWallet } from '../../scanner/payment-code.js';
import { ScanLoop } from '../../scanner/scan-loop.js';
import { tokens } from '../../styles/tokens.js';
import { codeScannerStyles } from './tsy-code-scanner.styles.js';

/** Where the webcam is: `off` (not used, paused while hidden or disabled, or done), `starting`, `scanning`, or why there is no picture. */
export type CameraState = 'off' | 'starting' | 'scanning' | CameraProblem;
export type CodeSource = 'camera' | 'scanner-gun' | 'manual';

const PROBLEM_TEXT: Record<CameraProblem, [MessageKey, MessageKey]> = {
  'no-camera': ['scanner.no_camera', 'scanner.no_camera_hint'],
  denied: ['scanner.denied', 'scanner.denied_hint'],
  'in-use': ['scanner.in_use', 'scanner.in_use_hint'],
  unsupported: ['scanner.unsupported', 'scanner.unsupported_hint'],
  error: ['scanner.camera_error', 'scanner.camera_error_hint'],
};
const INVALID_TEXT: Record<PaymentCodeProblem, MessageKey> = {
  empty: 'scanner.invalid.empty',
  not_digits: 'scanner.invalid.not_digits',
  unknown: 'scanner.invalid.unknown',
  wallet: 'scanner.invalid.wallet',
};

/** The browser's own decoder where it reads both formats, else zxing's, fetched (once per page, as any module) on first need. */
async function loadDecoder(win: Window): Promise<FrameDecoder> {
  return (await nativeDecoder(win)) ?? (await import('../../scanner/zxing-reader.js')).zxingDecoder(win.document);
}

/**
 * @summary Reads the payment code a payer shows in WeChat, Alipay or UnionPay ("付款码") at a cashier desk: through the
 * webcam, a USB barcode gun, or typed by hand — all three on one screen. The code is checked (each wallet's length and
 * prefix, and the `wallets` accepted) before `tsy-code-scanned` reports it; a code that fails says why and reports nothing.
 *
 * After a code is read the camera stops and the element shows "Code read" (the code masked but for its last 4 digits)
 * until `reset()`. The camera also stops while the page is hidden, the element is disabled or removed.
 *
 * The webcam is read by the browser's `BarcodeDetector` where it reads QR and Code 128, else by a lazy zxing chunk.
 * The barcode gun is heard anywhere on the page while the element is connected and not disabled: keystrokes less than
 * 35 ms apart, at least 10 of them, ending in Enter (kept from submitting any form). What it typed into a text field —
 * the manual one or one of the page's — is taken out of that field again.
 *
 * @event tsy-code-scanned - `{code, wallet, source}` once per accepted code: `wallet` `wechat` | `alipay` | `unionpay`, `source` `camera` | `scanner-gun` | `manual`.
 *
 * @csspart base - The wrapper.
 * @csspart amount - The amount to collect, when `amount` is set.
 * @csspart camera - The camera's box: the video, or what stops it and what to do.
 * @csspart video - The camera's picture.
 * @csspart camera-status - The camera's state and its hint.
 * @csspart retry-button - Tries the camera again after a problem.
 * @csspart camera-select - The camera picker, when there are several.
 * @csspart gun-hint - The line saying a barcode gun works too.
 * @csspart manual - The form to type the code.
 * @csspart input - The code field.
 * @csspart submit-button - Uses the typed code.
 * @csspart message - Why a code was not accepted.
 * @csspart read - "Code read": the wallet and the masked code.
 *
 * @cssprop --tsy-scanner-width - The camera box's largest width (default 360px).
 * @cssprop --tsy-color-primary - The frame guide over the picture.
 */
export class TsyCodeScanner extends TsyElement {
  static override styles = [tokens, codeScannerStyles];

  /** Space-separated wallets to accept (`wechat alipay unionpay`); all when empty. */
  @property() wallets = '';
  /** While the host is paying with a code: nothing is read, the camera is off. */
  @property({ type: Boolean, reflect: true }) disabled = false;
  /** Use the webcam if there is one; `camera="false"` leaves it off (the gun and typing still work). */
  @property({ converter: { fromAttribute: (value: string | null) => value !== 'false' } }) camera = true;
  /** The amount to collect, in fen, shown above the scanner when set. */
  @property({ type: Number }) amount: number | undefined;
  /** Reflected: where the webcam is, so a page (or a test) can follow it. */
  @property({ reflect: true, attribute: 'camera-state' }) cameraState: CameraState = 'off';

  @state() private accepted: { code: string; wallet: PaymentCodeWallet } | undefined;
  @state() private problem: { key: MessageKey; params: Record<string, string>; source: CodeSource } | undefined;
  @state() private cameras: MediaDeviceInfo[] = [];
  @state() private cameraId = '';
  /** What the live region says: state changes (not every frame), spoken once each. */
  @state() private announcement = '';

  @query('video') private video!: HTMLVideoElement | null;
  @query('input[name=code]') private input!: HTMLInputElement | null;

  private stream: MediaStream | undefined;
  private loop: ScanLoop | undefined;
  /** Bumped on every start and stop: an answer of getUserMedia for an older start is stopped at once. */
  private generation = 0;
  private lastCameraText = '';
  private decoder: FrameDecoder | undefined;

  constructor() {
    super();
    new KeyboardWedgeController(this, {
      enabled: () => !this.disabled && !this.accepted,
      onScan: (text) => this.take(text, 'scanner-gun'),
    });
  }

  private get win(): Window {
    return this.ownerDocument.defaultView ?? window;
  }

  private readonly onVisibility = (): void => this.syncCamera();

  override connectedCallback(): void {
    super.connectedCallback();
    this.ownerDocument.addEventListener('visibilitychange', this.onVisibility);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.ownerDocument.removeEventListener('visibilitychange', this.onVisibility);
    this.stopCamera();
  }

  /** Back to reading: clears the code read (or the last message) and starts the camera again. */
  reset(): void {
    this.accepted = undefined;
    this.problem = undefined;
    this.lastCameraText = '';
    if (this.input) this.input.value = '';
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('camera') || changed.has('disabled') || changed.has('accepted' as never)) this.syncCamera();
    if (changed.has('cameraState')) this.announceCamera();
  }

  private get cameraWanted(): boolean {
    return this.isConnected && this.camera && !this.disabled && !this.accepted && this.ownerDocument.visibilityState !== 'hidden';
  }

  /** Starts or stops the camera to match what is wanted; a camera problem stays shown until retried. */
  private syncCamera(): void {
    if (!this.cameraWanted) {
      this.stopCamera();
      // Turned off on purpose: a problem of before is no longer what the box says when it comes back.
      if (!this.camera) this.cameraState = 'off';
      return;
    }
    if (this.cameraState === 'off') void this.startCamera();
  }

  private async startCamera(deviceId?: string): Promise<void> {
    this.stopCamera();
    const generation = this.generation;
    if (!mediaDevicesOf(this.win)) {
      this.cameraState = 'unsupported';
      return;
    }
    this.cameraState = 'starting';
    let stream: MediaStream;
    try {
      stream = await openCamera(this.win, deviceId);
    } catch (error) {
      if (generation === this.generation) this.cameraState = error instanceof CameraError ? error.problem : 'error';
      return;
    }
    if (generation !== this.generation || !this.cameraWanted) {
      stopStream(stream);
      return;
    }
    this.stream = stream;
    const [track] = stream.getVideoTracks();
    track?.addEventListener('ended', () => {
      // Unplugged, or taken away by the system: not a stop of ours.
      if (this.stream === stream) {
        this.stopCamera();
        this.cameraState = 'no-camera';
      }
    });
    await this.updateComplete;
    const video = this.video;
    let decoder: FrameDecoder;
    try {
      if (!video) throw new Error('no video element');
      video.srcObject = stream;
      // Muted and inline: allowed to play without a gesture. Not awaited: the loop waits for frames itself.
      video.play().catch(() => undefined);
      decoder = this.decoder ??= await loadDecoder(this.win);
    } catch {
      if (generation !== this.generation) return;
      this.stopCamera();
      this.cameraState = 'error';
      return;
    }
    if (generation !== this.generation) return;
    this.loop = new ScanLoop(video, decoder, (codes) => this.onFrameCodes(codes));
    this.loop.start();
    this.cameraState = 'scanning';
    this.cameraId = track?.getSettings().deviceId ?? '';
    const cameras = await listCameras(this.win);
    if (generation === this.generation) this.cameras = cameras;
  }

  private stopCamera(): void {
    this.generation++;
    this.loop?.stop();
    this.loop = undefined;
    stopStream(this.stream);
    this.stream = undefined;
    if (this.video) this.video.srcObject = null;
    if (this.cameraState === 'starting' || this.cameraState === 'scanning') this.cameraState = 'off';
  }

  private retryCamera(): void {
    this.cameraState = 'off';
    this.syncCamera();
  }

  private chooseCamera(event: Event): void {
    const deviceId = (event.target as HTMLSelectElement).value;
    rememberCamera(this.win, deviceId);
    this.cameraId = deviceId;
    if (this.cameraWanted) void this.startCamera(deviceId);
  }

  /** The camera sees the same code many times a second: the first acceptable one is taken; a wrong one is said once. */
  private onFrameCodes(codes: DecodedCode[]): void {
    const good = codes.find((found) => checkPaymentCode(found.text, parseWallets(this.wallets)).ok);
    if (good) {
      this.take(good.text, 'camera');
      return;
    }
    const text = codes[0]!.text;
    if (text === this.lastCameraText) return;
    this.lastCameraText = text;
    this.take(text, 'camera');
  }

  private take(text: string, source: CodeSource): void {
    if (this.disabled || this.accepted) return;
    const check = checkPaymentCode(text, parseWallets(this.wallets));
    if (!check.ok) {
      const wallet = check.wallet ? this.localize.term(`wallet.${check.wallet}`) : '';
      this.problem = { key: INVALID_TEXT[check.problem], params: { wallet }, source };
      this.announcement = '';
      return;
    }
    this.problem = undefined;
    this.accepted = { code: check.code, wallet: check.wallet };
    this.stopCamera();
    if (this.input) this.input.value = '';
    this.announcement = this.localize.term('scanner.read_spoken', { wallet: this.localize.term(`wallet.${check.wallet}`), last4: check.code.slice(-4) });
    emit(this, 'tsy-code-scanned', { code: check.code, wallet: check.wallet, source });
  }

  private submit(event: Event): void {
    event.preventDefault();
    this.take(this.input?.value ?? '', 'manual');
  }

  private announceCamera(): void {
    const state = this.cameraState;
    if (state === 'off' || state === 'starting') return;
    this.announcement = state === 'scanning' ? this.localize.term('scanner.camera_scanning') : this.localize.term(PROBLEM_TEXT[state][0]);
  }

  protected override render(): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    return html`<div part="base">
      ${this.amount !== undefined && Number.isFinite(this.amount) ? html`<div part="amount">${t('scanner.amount', { amount: this.localize.money(this.amount) })}</div>` : nothing}
      ${this.accepted ? this.renderRead(this.accepted) : this.renderReading()}
      <div class="visually-hidden" role="status" aria-live="polite">${this.announcement}</div>
    </div>`;
  }

  private renderRead(accepted: { code: string; wallet: PaymentCodeWallet }): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    return html`<div part="read">
      <div class="read-title">${t('scanner.read')}</div>
      <div class="read-wallet">${t(`wallet.${accepted.wallet}`)}</div>
      <div class="read-code" aria-label=${t('scanner.ending_in', { last4: accepted.code.slice(-4) })}>${maskPaymentCode(accepted.code)}</div>
    </div>`;
  }

  private renderReading(): TemplateResult {
    const t = (key: MessageKey, params?: Record<string, string | number>) => this.localize.term(key, params);
    // Only what was typed makes the field invalid; a code the camera or the gun saw is not the field's.
    const invalid = this.problem?.source === 'manual';
    return html`${this.camera ? this.renderCamera() : nothing}
      <p part="gun-hint">${t('scanner.gun_hint')}</p>
      <form part="manual" @submit=${(event: Event) => this.submit(event)}>
        <label for="code">${t('scanner.manual_label')}</label>
        <div class="row">
          <input
            id="code"
            part="input"
            name="code"
            inputmode="numeric"
            autocomplete="off"
            enterkeyhint="done"
            spellcheck="false"
            maxlength="32"
            ?disabled=${this.disabled}
            aria-invalid=${invalid ? 'true' : 'false'}
            aria-describedby="message"
            @input=${() => (this.problem = undefined)}
          />
          <button part="submit-button" class="primary" type="submit" ?disabled=${this.disabled}>${t('scanner.submit')}</button>
        </div>
      </form>
      <div id="message" part="message" role="alert">${this.problem ? t(this.problem.key, this.problem.params) : nothing}</div>`;
  }

  private renderCamera(): TemplateResult {
    const t = (key: MessageKey) => this.localize.term(key);
    const state = this.cameraState;
    const live = state === 'starting' || state === 'scanning';
    const status =
      state === 'scanning'
        ? html`<span>${t('scanner.camera_scanning')}</span>`
        : state === 'starting'
          ? html`<div class="spinner" aria-hidden="true"></div><span>${t('scanner.camera_starting')}</span>`
          : state === 'off'
            ? html`<span>${t('scanner.camera_off')}</span>`
            : html`<strong>${t(PROBLEM_TEXT[state][0])}</strong>
                <span class="hint">${t(PROBLEM_TEXT[state][1])}</span>
                ${state === 'unsupported' ? nothing : html`<button part="retry-button" type="button" @click=${() => this.retryCamera()}>${t('scanner.retry')}</button>`}`;
    return html`<div part="camera" class=${live ? 'camera live' : 'camera'}>
        <video part="video" muted playsinline autoplay aria-label=${t('scanner.video_label')} ?hidden=${!live}></video>
        ${state === 'scanning' ? html`<div class="guide" aria-hidden="true"></div>` : nothing}
        <div part="camera-status" class=${live ? 'overlay' : 'panel'}>${status}</div>
      </div>
      ${this.cameras.length > 1
        ? html`<label class="picker"
            >${t('scanner.choose_camera')}
            <select part="camera-select" .value=${this.cameraId} @change=${(event: Event) => this.chooseCamera(event)} ?disabled=${this.disabled}>
              ${this.cameras.map((camera, index) => html`<option value=${camera.deviceId} ?selected=${camera.deviceId === this.cameraId}>${camera.label || `${t('scanner.choose_camera')} ${index + 1}`}</option>`)}
            </select></label
          >`
        : nothing}`;
  }
}
