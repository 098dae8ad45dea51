// <tsy-code-scanner> without a working camera: the barcode gun (keystrokes dispatched back to back, as fast as a gun
// types: real key presses through the test runner are too slow for that on a busy machine), a person typing (real, slow
// key presses in Chromium through the test runner's send-keys command), the checks, and each camera problem — getUserMedia made to answer as a browser does when
// permission is refused, no camera is plugged in, or another app holds it (the camera is the one thing faked here). The
// camera's picture is tested in the camera-* groups, with Chromium's fake camera.
import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import type { TsyEvent } from '../../events.js';
import './define.js';
import type { TsyCodeScanner } from './tsy-code-scanner.js';
import * as classes from '../../classes.js';

type Scanned = TsyEvent<'tsy-code-scanned'>['detail'];

/** A real key press. */
async function sendKeys(payload: { press: string }): Promise<void> {
  const socketModule = '/__web-dev-server__web-socket.js';
  const { sendMessageWaitForResponse } = (await import(/* @vite-ignore */ socketModule)) as {
    sendMessageWaitForResponse(message: unknown): Promise<{ executed: boolean }>;
  };
  const sessionId = new URL(location.href).searchParams.get('wtr-session-id');
  const response = await sendMessageWaitForResponse({ type: 'wtr-command', sessionId, command: 'send-keys', payload });
  if (!response.executed) throw new Error('the send-keys command is not available');
}
/**
 * A barcode gun: each character's keydown back to back (event time stamps microseconds apart), landing in a focused text
 * field as a real key's default action would put it, then Enter — which, not taken, submits the field's form as a browser
 * does.
 */
function gun(text: string): void {
  const root = document.activeElement?.shadowRoot?.activeElement ?? document.activeElement;
  const target = root instanceof HTMLInputElement ? root : document.body;
  for (const char of text) {
    const key = char === '\n' ? 'Enter' : char;
    const event = new KeyboardEvent('keydown', { key, bubbles: true, composed: true, cancelable: true });
    target.dispatchEvent(event);
    if (event.defaultPrevented || !(target instanceof HTMLInputElement)) continue;
    if (key === 'Enter') target.form?.requestSubmit();
    else {
      target.value += char;
      target.dispatchEvent(new InputEvent('input', { bubbles: true, composed: true }));
    }
  }
}
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** A person typing: one key at a time, `ms` apart. */
async function typeSlowly(text: string, ms = 90): Promise<void> {
  for (const char of text) {
    await sendKeys({ press: char });
    await pause(ms);
  }
}

const part = (el: TsyCodeScanner, name: string) => el.shadowRoot!.querySelector<HTMLElement>(`[part~="${name}"]`);
const text = (el: TsyCodeScanner, name: string) => (part(el, name)?.textContent ?? '').replace(/\s+/g, ' ').trim();
const input = (el: TsyCodeScanner) => part(el, 'input') as HTMLInputElement;
const live = (el: TsyCodeScanner) => el.shadowRoot!.querySelector('[role=status]')!.textContent!.trim();

async function mount(template = html`<tsy-code-scanner locale="en" camera="false"></tsy-code-scanner>`): Promise<{ el: TsyCodeScanner; events: Scanned[] }> {
  const events: Scanned[] = [];
  const el = await fixture<TsyCodeScanner>(template);
  el.addEventListener('tsy-code-scanned', (event) => events.push(event.detail));
  return { el, events };
}

/** navigator.mediaDevices as a browser has it when getUserMedia fails with `name` (or no mediaDevices at all). */
function camera(answer: { fail: string } | 'none'): { calls: number } {
  const seen = { calls: 0 };
  const value =
    answer === 'none'
      ? undefined
      : {
          getUserMedia: () => {
            seen.calls++;
            return Promise.reject(new DOMException('refused', answer.fail));
          },
          enumerateDevices: () => Promise.resolve([]),
          addEventListener() {},
          removeEventListener() {},
        };
  Object.defineProperty(navigator, 'mediaDevices', { configurable: true, get: () => value });
  undo.push(() => delete (navigator as unknown as { mediaDevices?: unknown }).mediaDevices);
  return seen;
}
const undo: (() => void)[] = [];

const WECHAT = '134567890123456789';
const ALIPAY = '284567890123456789';
const UNIONPAY = '6223456789012345678';

describe('<tsy-code-scanner>', () => {
  afterEach(() => {
    undo.splice(0).forEach((step) => step());
    (document.activeElement as HTMLElement | null)?.blur();
  });

  it('is in the classes entry, not the main entry', async () => {
    expect(classes.TsyCodeScanner).to.equal(customElements.get('tsy-code-scanner'));
    const main = await import('../../index.js');
    expect(Object.keys(main)).not.to.include('TsyCodeScanner');
  });

  it('a barcode gun with nothing focused: fast keystrokes + Enter → tsy-code-scanned (scanner-gun), "Code read"', async () => {
    const { el, events } = await mount(html`<tsy-code-scanner locale="en" camera="false" amount="990"></tsy-code-scanner>`);
    expect(text(el, 'amount')).to.equal('To collect: ¥9.90');
    await expect(el).to.be.accessible();
    gun(`${ALIPAY}\n`);
    expect(events).to.deep.equal([{ code: ALIPAY, wallet: 'alipay', source: 'scanner-gun' }]);
    await el.updateComplete;
    expect(text(el, 'read')).to.equal('Code read Alipay •• •••• •••• •••• 6789');
    expect(part(el, 'read')!.querySelector('.read-code')!.getAttribute('aria-label')).to.equal('Payment code ending in 6789');
    expect(live(el)).to.equal('Code read: Alipay, ending in 6789');
    await expect(el).to.be.accessible();
    // Read: nothing more until reset().
    gun(`${WECHAT}\n`);
    expect(events).to.have.length(1);
    el.reset();
    await el.updateComplete;
    gun(`${WECHAT}\n`);
    expect(events.map((event) => event.code)).to.deep.equal([ALIPAY, WECHAT]);
  });

  it('a gun typing into the focused manual field: heard as the gun, and the field is not left half-typed', async () => {
    const { el, events } = await mount();
    input(el).focus();
    gun(`${UNIONPAY}\n`);
    expect(events).to.deep.equal([{ code: UNIONPAY, wallet: 'unionpay', source: 'scanner-gun' }]);
    el.reset();
    await el.updateComplete;
    // An invalid scan into the field: the message, and the field as it was before the gun.
    input(el).focus();
    await typeSlowly('12');
    gun('9787111111113\n');
    await el.updateComplete;
    expect(events).to.have.length(1);
    expect(input(el).value).to.equal('12');
    expect(text(el, 'message')).to.equal('This is not a WeChat, Alipay or UnionPay payment code. Check the digits.');
  });

  it('a person typing into the field (keys ~90 ms apart) and Enter: manual, not the gun', async () => {
    const { el, events } = await mount();
    input(el).focus();
    await typeSlowly(WECHAT);
    expect(input(el).value).to.equal(WECHAT);
    await sendKeys({ press: 'Enter' });
    expect(events).to.deep.equal([{ code: WECHAT, wallet: 'wechat', source: 'manual' }]);
  });

  it('slow keystrokes with nothing focused are not a scan', async () => {
    const { events } = await mount();
    await typeSlowly(WECHAT.slice(0, 12), 60);
    await sendKeys({ press: 'Enter' });
    expect(events).to.deep.equal([]);
  });

  it('typed with spaces and dashes, then the button: the digits only; the input is labelled and numeric', async () => {
    const { el, events } = await mount();
    const field = input(el);
    expect(field.getAttribute('inputmode')).to.equal('numeric');
    expect(field.labels![0]!.textContent!.trim()).to.equal('Or type the payment code');
    field.value = '6223 4567-8901 2345 678';
    part(el, 'submit-button')!.click();
    expect(events).to.deep.equal([{ code: UNIONPAY, wallet: 'unionpay', source: 'manual' }]);
    await el.updateComplete;
    expect(part(el, 'input')).to.equal(null);
    expect(text(el, 'read')).to.contain('UnionPay').and.contain('5678').and.not.contain('6223');
  });

  it('invalid codes: a clear message (en, zh-CN), aria-invalid, no event; typing again clears it', async () => {
    const { el, events } = await mount();
    const field = input(el);
    const submit = () => part(el, 'submit-button')!.click();
    submit();
    await el.updateComplete;
    expect(text(el, 'message')).to.equal('Enter the payment code');
    field.value = '1345678901234567AB';
    submit();
    await el.updateComplete;
    expect(text(el, 'message')).to.equal('A payment code has digits only. Check it.');
    field.value = '1634567890123456789';
    submit();
    await el.updateComplete;
    expect(text(el, 'message')).to.equal('This is not a WeChat, Alipay or UnionPay payment code. Check the digits.');
    expect(field.getAttribute('aria-invalid')).to.equal('true');
    expect(part(el, 'message')!.getAttribute('role')).to.equal('alert');
    expect(field.getAttribute('aria-describedby')).to.equal('message');
    await expect(el).to.be.accessible();
    expect(events).to.deep.equal([]);
    field.dispatchEvent(new InputEvent('input'));
    await el.updateComplete;
    expect(text(el, 'message')).to.equal('');
    expect(field.getAttribute('aria-invalid')).to.equal('false');

    const zh = (await mount(html`<tsy-code-scanner locale="zh-CN" camera="false"></tsy-code-scanner>`)).el;
    input(zh).value = '123';
    part(zh, 'submit-button')!.click();
    await zh.updateComplete;
    expect(text(zh, 'message')).to.equal('这不是微信、支付宝或云闪付的付款码,请核对位数');
  });

  it('wallets filters: a code of another wallet is refused by name, from the gun too', async () => {
    const { el, events } = await mount(html`<tsy-code-scanner locale="en" camera="false" wallets="wechat unionpay"></tsy-code-scanner>`);
    gun(`${ALIPAY}\n`);
    await el.updateComplete;
    expect(text(el, 'message')).to.equal('Alipay payment codes are not accepted here');
    expect(events).to.deep.equal([]);
    gun(`${WECHAT}\n`);
    expect(events).to.deep.equal([{ code: WECHAT, wallet: 'wechat', source: 'scanner-gun' }]);
  });

  it('disabled (reflected): neither the gun nor the form reads; enabled again, they do', async () => {
    const { el, events } = await mount(html`<tsy-code-scanner locale="en" camera="false" disabled></tsy-code-scanner>`);
    expect(el.hasAttribute('disabled')).to.equal(true);
    expect(input(el).disabled).to.equal(true);
    expect((part(el, 'submit-button') as HTMLButtonElement).disabled).to.equal(true);
    gun(`${WECHAT}\n`);
    expect(events).to.deep.equal([]);
    el.disabled = false;
    await el.updateComplete;
    gun(`${WECHAT}\n`);
    expect(events).to.have.length(1);
  });

  it('camera permission denied: says so and how to allow it; Retry asks again', async () => {
    const seen = camera({ fail: 'NotAllowedError' });
    const { el } = await mount(html`<tsy-code-scanner locale="en"></tsy-code-scanner>`);
    await waitUntil(() => el.cameraState === 'denied');
    await el.updateComplete;
    expect(text(el, 'camera-status')).to.equal('Camera access is blocked Click the icon left of the address bar → Site settings → Camera → Allow, then press Retry Retry');
    expect(live(el)).to.equal('Camera access is blocked');
    expect(part(el, 'video')!.hidden).to.equal(true);
    await expect(el).to.be.accessible();
    part(el, 'retry-button')!.click();
    await waitUntil(() => seen.calls === 2);
    await waitUntil(() => el.cameraState === 'denied');
    // The gun and typing still work.
    input(el).value = WECHAT;
    part(el, 'submit-button')!.click();
    await el.updateComplete;
    expect(text(el, 'read')).to.contain('Code read');
  });

  it('no camera (NotFoundError), camera in use (NotReadableError), no mediaDevices: each its state and hint (zh-CN)', async () => {
    camera({ fail: 'NotFoundError' });
    const none = (await mount(html`<tsy-code-scanner locale="zh-CN"></tsy-code-scanner>`)).el;
    await waitUntil(() => none.cameraState === 'no-camera');
    await none.updateComplete;
    expect(text(none, 'camera-status')).to.contain('未找到摄像头').and.contain('扫码枪');
    await expect(none).to.be.accessible();
    undo.splice(0).forEach((step) => step());

    camera({ fail: 'NotReadableError' });
    const busy = (await mount(html`<tsy-code-scanner locale="en"></tsy-code-scanner>`)).el;
    await waitUntil(() => busy.cameraState === 'in-use');
    await busy.updateComplete;
    expect(text(busy, 'camera-status')).to.contain('The camera is in use by another app').and.contain('Close the app using the camera');
    undo.splice(0).forEach((step) => step());

    camera('none');
    const old = (await mount(html`<tsy-code-scanner locale="en"></tsy-code-scanner>`)).el;
    await waitUntil(() => old.cameraState === 'unsupported');
    await old.updateComplete;
    expect(text(old, 'camera-status')).to.contain('This browser cannot use the camera').and.contain('https');
    expect(part(old, 'retry-button')).to.equal(null);
  });

  it('camera="false": no camera box and getUserMedia never called', async () => {
    const seen = camera({ fail: 'NotAllowedError' });
    const { el } = await mount();
    await pause(100);
    expect(part(el, 'camera')).to.equal(null);
    expect(seen.calls).to.equal(0);
    expect(el.cameraState).to.equal('off');
    expect(text(el, 'gun-hint')).to.equal('You can also scan with a barcode scanner at any time');
  });

  it('dark theme passes axe too', async () => {
    camera({ fail: 'NotAllowedError' });
    const { el } = await mount(html`<tsy-code-scanner locale="en" theme="dark"></tsy-code-scanner>`);
    await waitUntil(() => el.cameraState === 'denied');
    input(el).value = '1';
    part(el, 'submit-button')!.click();
    await el.updateComplete;
    await expect(el).to.be.accessible();
  });
});
