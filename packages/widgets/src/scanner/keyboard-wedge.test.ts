// The barcode-gun detector on synthetic keystrokes whose times the test sets (timeOf reads them from the event), so
// "fast" and "slow" are exact, not whatever the machine manages.
import { expect, fixture, html } from '@open-wc/testing';
import { LitElement } from 'lit';
import { KeyboardWedgeController, WedgeBuffer } from './keyboard-wedge.js';

const times = new WeakMap<Event, number>();

class WedgeHost extends LitElement {
  scans: string[] = [];
  enabled = true;
  readonly wedge = new KeyboardWedgeController(this, { onScan: (text) => this.scans.push(text), enabled: () => this.enabled, timeOf: (event) => times.get(event) ?? 0 });
  protected override render() {
    return html`<form><input name="code" /></form>`;
  }
}
customElements.define('wedge-host', WedgeHost);

/** Key presses at the given times on `target`; a character lands in an input as a real key's default action would put it. */
function keys(target: EventTarget, sequence: string, start: number, gap: number): { time: number; enter?: KeyboardEvent } {
  let time = start;
  for (const key of sequence) {
    const event = new KeyboardEvent('keydown', { key: key === '\n' ? 'Enter' : key, bubbles: true, composed: true, cancelable: true });
    times.set(event, time);
    target.dispatchEvent(event);
    if (key === '\n') return { time, enter: event };
    if (target instanceof HTMLInputElement && !event.defaultPrevented) target.value += key;
    time += gap;
  }
  return { time };
}

describe('WedgeBuffer', () => {
  it('a burst of ≥ 10 characters under 35 ms apart, then Enter: a scan', () => {
    const buffer = new WedgeBuffer();
    [...'1345678901'].forEach((char, i) => buffer.char(char, 1000 + i * 20));
    expect(buffer.enter(1000 + 9 * 20 + 30)).to.equal('1345678901');
    expect(buffer.pending).to.equal('');
  });

  it('a slow keystroke breaks the burst: what came before is dropped, a new burst starts', () => {
    const buffer = new WedgeBuffer();
    expect(buffer.char('9', 0)).to.equal(true);
    expect(buffer.char('9', 200)).to.equal(true);
    [...'134567890123456789'].forEach((char, i) => buffer.char(char, 300 + i * 10));
    expect(buffer.enter(300 + 17 * 10 + 5)).to.equal('134567890123456789');
  });

  it('too short, or Enter long after the last key: no scan', () => {
    const buffer = new WedgeBuffer();
    [...'123456789'].forEach((char, i) => buffer.char(char, i * 5));
    expect(buffer.enter(50)).to.equal(null);
    [...'1234567890'].forEach((char, i) => buffer.char(char, 1000 + i * 5));
    expect(buffer.enter(1045 + 101)).to.equal(null);
  });

  it('keystrokes 40 ms apart (a fast typist) are not a gun', () => {
    const buffer = new WedgeBuffer();
    [...'134567890123456789'].forEach((char, i) => buffer.char(char, i * 40));
    expect(buffer.enter(17 * 40 + 20)).to.equal(null);
  });
});

describe('KeyboardWedgeController', () => {
  it('hears a gun anywhere in the document and keeps its Enter from the page', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    let pageSawEnter = false;
    const onKey = (event: KeyboardEvent) => (pageSawEnter ||= event.key === 'Enter');
    document.body.addEventListener('keydown', onKey);
    const { enter } = keys(document.body, '134567890123456789\n', 5000, 8);
    document.body.removeEventListener('keydown', onKey);
    expect(host.scans).to.deep.equal(['134567890123456789']);
    expect(enter!.defaultPrevented).to.equal(true);
    expect(pageSawEnter).to.equal(false);
  });

  it('slow typing is left alone: no scan, Enter goes through', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    const { enter } = keys(document.body, '134567890123456789\n', 9000, 120);
    expect(host.scans).to.deep.equal([]);
    expect(enter!.defaultPrevented).to.equal(false);
  });

  it('a gun typing into the host’s own field: the scan is heard and the field gets its value from before back', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    const input = host.shadowRoot!.querySelector('input')!;
    keys(input, '12', 20_000, 300);
    expect(input.value).to.equal('12');
    keys(input, '6223456789012345678\n', 21_000, 6);
    expect(host.scans).to.deep.equal(['6223456789012345678']);
    expect(input.value).to.equal('12');
  });

  it('a gun typing into a field of the page: the field gets its value back, with an input event', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    const amount = document.createElement('input');
    amount.value = '12.00';
    document.body.append(amount);
    const inputs: string[] = [];
    amount.addEventListener('input', () => inputs.push(amount.value));
    keys(amount, '134567890123456789\n', 25_000, 4);
    amount.remove();
    expect(host.scans).to.deep.equal(['134567890123456789']);
    expect(amount.value).to.equal('12.00');
    expect(inputs).to.deep.equal(['12.00']);
  });

  it('held keys (repeat) and shortcuts break a burst; Shift does not', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    keys(document.body, '12345', 30_000, 5);
    const repeat = new KeyboardEvent('keydown', { key: '6', repeat: true, bubbles: true });
    times.set(repeat, 30_025);
    document.body.dispatchEvent(repeat);
    keys(document.body, '78901\n', 30_030, 5);
    expect(host.scans).to.deep.equal([]);
    keys(document.body, 'AB', 40_000, 5);
    const shift = new KeyboardEvent('keydown', { key: 'Shift', bubbles: true });
    times.set(shift, 40_012);
    document.body.dispatchEvent(shift);
    keys(document.body, 'C12345678\n', 40_014, 5);
    expect(host.scans).to.deep.equal(['ABC12345678']);
  });

  it('a password manager’s fast auto-type is not a scan: not into a password field, nor across fields (Tab); nothing blanked', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    const user = document.createElement('input');
    const password = document.createElement('input');
    password.type = 'password';
    const otp = document.createElement('input');
    otp.autocomplete = 'one-time-code';
    document.body.append(user, password, otp);
    try {
      // "user⇥password⏎" typed in one burst: the Tab ends the burst in the first field, the rest goes into a password.
      keys(user, '1345678901', 50_000, 3);
      const tab = new KeyboardEvent('keydown', { key: 'Tab', bubbles: true, composed: true });
      times.set(tab, 50_030);
      user.dispatchEvent(tab);
      const { enter } = keys(password, '134567890123456789\n', 50_033, 3);
      expect(host.scans).to.deep.equal([]);
      expect(enter!.defaultPrevented, 'the login form submits').to.equal(false);
      expect(user.value).to.equal('1345678901');
      expect(password.value).to.equal('134567890123456789');
      // Nor an SMS code autofilled fast into its one-time-code field.
      keys(otp, '1345678901234567\n', 60_000, 2);
      expect(host.scans).to.deep.equal([]);
      expect(otp.value).to.equal('1345678901234567');
    } finally {
      user.remove();
      password.remove();
      otp.remove();
    }
  });

  it('not while disabled, nor once the host is removed', async () => {
    const host = await fixture<WedgeHost>(html`<wedge-host></wedge-host>`);
    host.enabled = false;
    keys(document.body, '134567890123456789\n', 50_000, 5);
    host.enabled = true;
    host.remove();
    keys(document.body, '134567890123456789\n', 60_000, 5);
    expect(host.scans).to.deep.equal([]);
  });
});
