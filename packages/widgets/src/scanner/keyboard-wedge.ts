import type { ReactiveController, ReactiveControllerHost } from 'lit';

/**
 * A USB barcode gun is a keyboard ("keyboard wedge"): it types what it read, one keystroke every few milliseconds, then
 * Enter. People type far slower (100 ms or more between keys), so a burst of at least `minLength` characters, each less
 * than `maxGap` after the one before, ending in Enter, is the gun; anything slower is a person and is left alone.
 */
export interface WedgeTiming {
  /** Longest pause between two keystrokes of one scan, in ms. Guns send every 1–20 ms; the fastest typists ~60 ms. */
  readonly maxGap: number;
  /** Longest pause before the Enter that ends a scan (some guns wait a little before the suffix). */
  readonly maxEnterGap: number;
  /** Fewest characters of a scan: shorter bursts (a double key press) are not one. */
  readonly minLength: number;
}

export const DEFAULT_WEDGE_TIMING: WedgeTiming = { maxGap: 35, maxEnterGap: 100, minLength: 10 };

/** The decision on keystrokes and their times, without any DOM: what the controller feeds and a unit test drives. */
export class WedgeBuffer {
  private chars = '';
  private last = Number.NEGATIVE_INFINITY;

  constructor(private readonly timing: WedgeTiming = DEFAULT_WEDGE_TIMING) {}

  /** The characters of the burst under way. */
  get pending(): string {
    return this.chars;
  }

  /** A printable character at `time`; true when it starts a new burst (the one before, if any, was too slow). */
  char(char: string, time: number): boolean {
    const fresh = !this.chars || time - this.last > this.timing.maxGap;
    this.chars = fresh ? char : this.chars + char;
    this.last = time;
    return fresh;
  }

  /** Enter at `time`: the scanned text when it ends a burst of the gun, else null. The buffer is empty afterwards. */
  enter(time: number): string | null {
    const burst = this.chars;
    const inTime = time - this.last <= this.timing.maxEnterGap;
    this.reset();
    return inTime && burst.length >= this.timing.minLength ? burst : null;
  }

  reset(): void {
    this.chars = '';
    this.last = Number.NEGATIVE_INFINITY;
  }
}

export interface KeyboardWedgeOptions {
  /** A scan: the text the gun typed. The Enter that ended it has been kept from doing anything else (submitting a form). */
  readonly onScan: (text: string) => void;
  /** Listen only while this says so (the host is connected anyway): e.g. not while disabled or after a code was read. */
  readonly enabled?: () => boolean;
  readonly timing?: Partial<WedgeTiming>;
  /** When a keystroke happened; the event's own time stamp (when the key arrived, not when a busy page got to it). */
  readonly timeOf?: (event: KeyboardEvent) => number;
}

type Host = ReactiveControllerHost & HTMLElement;

/**
 * Listens to every keystroke of the host's document while the host is connected (a cashier does not focus anything before
 * scanning). Gun keystrokes that landed in a text field — the host's manual field, or one of the page's (the amount the
 * cashier just typed) — are taken out of it again: the field gets its value from before the burst back, with an `input`
 * event so a framework bound to it sees the change, and is not left holding a payment code.
 */
export class KeyboardWedgeController implements ReactiveController {
  private readonly buffer: WedgeBuffer;
  private doc: Document | undefined;
  /** The text field the current burst is typed into, and its value before the burst. */
  private field: { input: HTMLInputElement | HTMLTextAreaElement; value: string } | undefined;

  constructor(
    private readonly host: Host,
    private readonly options: KeyboardWedgeOptions,
  ) {
    this.buffer = new WedgeBuffer({ ...DEFAULT_WEDGE_TIMING, ...options.timing });
    host.addController(this);
  }

  hostConnected(): void {
    this.doc = this.host.ownerDocument;
    // Capture: the Enter is seen before a form of the page (or the host's own) acts on it.
    this.doc.addEventListener('keydown', this.onKeydown, true);
  }

  hostDisconnected(): void {
    this.doc?.removeEventListener('keydown', this.onKeydown, true);
    this.doc = undefined;
    this.buffer.reset();
    this.field = undefined;
  }

  private readonly onKeydown = (event: KeyboardEvent): void => {
    if (this.options.enabled && !this.options.enabled()) {
      this.buffer.reset();
      return;
    }
    // What goes into a secret field (a password, a one-time code, an editable region a password manager types into) is never
    // a scan: a manager's fast auto-type must neither be taken nor blanked.
    if (isSecretTarget(event)) {
      this.buffer.reset();
      return;
    }
    const time = this.options.timeOf ? this.options.timeOf(event) : event.timeStamp;
    if (event.key === 'Enter') {
      const text = this.buffer.enter(time);
      const field = this.field;
      this.field = undefined;
      if (text === null) return;
      event.preventDefault();
      event.stopPropagation();
      if (field && field.input.value !== field.value) restore(field.input, field.value);
      this.options.onScan(text);
      return;
    }
    // Held keys repeat every ~30 ms, as fast as a gun: not a scan. Shortcuts are not typing.
    if (event.repeat || event.ctrlKey || event.metaKey || event.altKey) {
      this.buffer.reset();
      return;
    }
    // Tab moves between fields (a manager's "user⇥password⏎"): a gun never types it, so it ends any burst.
    if (event.key === 'Tab') {
      this.buffer.reset();
      return;
    }
    // Shift (for a capital a gun types) and other named keys neither add to nor break a burst.
    if (event.key.length !== 1) return;
    if (this.buffer.char(event.key, time)) this.field = textFieldOf(event);
  };
}

/** The text field a keystroke goes into, in any shadow root (keydown comes before the character lands: its value is the one before). */
function textFieldOf(event: KeyboardEvent): { input: HTMLInputElement | HTMLTextAreaElement; value: string } | undefined {
  const target = event.composedPath()[0];
  if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && !NOT_TEXT.has(target.type))) return { input: target, value: target.value };
  return undefined;
}
const NOT_TEXT = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'file', 'image', 'range', 'color', 'hidden']);

/** A keystroke into a password field, a field whose autocomplete names a secret, or an editable region. */
function isSecretTarget(event: KeyboardEvent): boolean {
  const target = event.composedPath()[0];
  if (target instanceof HTMLElement && target.isContentEditable) return true;
  if (!(target instanceof HTMLInputElement)) return false;
  return target.type === 'password' || /(?:^|\s)(?:one-time-code|current-password|new-password)(?:\s|$)/.test(target.autocomplete);
}

/** Sets a field's value through the native setter (a framework's own `value` property would swallow it) and says so. */
function restore(field: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const proto = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
  Object.getOwnPropertyDescriptor(proto, 'value')!.set!.call(field, value);
  field.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
}
