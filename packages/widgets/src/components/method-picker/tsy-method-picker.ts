import { html, nothing, type PropertyValues, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { MethodView } from '../../api/types.js';
import { emit } from '../../events.js';
import { FormAssociated, internals } from '../../internal/form-associated.js';
import { groupMethods, type MethodGroup } from '../../internal/method-groups.js';
import { TsyElement } from '../../internal/tsy-element.js';
import { tokens } from '../../styles/tokens.js';

type Icons = typeof import('./icons.js');
let icons: Icons | undefined;
let iconsLoading: Promise<unknown> | undefined;
/** The icons are a chunk of their own, out of the first load: the empty tiles keep their place until it arrives (offline: for good). */
const loadIcons = () => (iconsLoading ??= import('./icons.js').then((module) => (icons = module)).catch(() => {}));
import { methodPickerStyles } from './tsy-method-picker.styles.js';

/** One method as rendered: its place in the flat radio order and what the payer is told about it. */
interface Row {
  readonly view: MethodView;
  readonly group: MethodGroup;
  readonly index: number;
  readonly enabled: boolean;
  /** Why it cannot be used (unusable methods only). */
  readonly reason: string | undefined;
}

/** Reflects an empty string as no attribute at all. */
const omitEmpty = { toAttribute: (value: string) => value || null };

/**
 * @summary Lets the payer choose how to pay: the order's methods, in the groups the BFF puts them in, with the reason any method cannot be
 * used here. A form control: inside a `<form>` it submits `name=method` and takes part in validation, reset and
 * `<fieldset disabled>`.
 *
 * @tag tsy-method-picker
 *
 * @event tsy-method-select - `{method}` when the payer chooses a method (click, Space/Enter or arrow keys). Bubbles, composed.
 * @event change - When the payer chooses a method, as a native radio does. Bubbles. Not fired for changes made by script.
 * @event input - Just before `change`, as a native radio does. Bubbles, composed.
 *
 * @csspart base - The radio group, around everything.
 * @csspart header - The title and the amount.
 * @csspart label - The title ("Choose a payment method").
 * @csspart amount - The amount to pay.
 * @csspart group - One group of methods (WeChat, Alipay, UnionPay, bank card, balance, other).
 * @csspart group-label - A group's heading.
 * @csspart method - One method (a radio). Also has `method-checked` when selected and `method-disabled` when unusable.
 * @csspart method-checked - The selected method.
 * @csspart method-disabled - A method that cannot be used here.
 * @csspart method-indicator - The radio circle of a method.
 * @csspart method-icon - A method's icon.
 * @csspart method-label - A method's name.
 * @csspart method-reason - Why a method cannot be used here.
 *
 * @cssprop --tsy-color-background - Background of the picker and the methods.
 * @cssprop --tsy-color-surface - Background of unusable methods; tint of the neutral icons.
 * @cssprop --tsy-color-text - Text colour.
 * @cssprop --tsy-color-text-muted - Group headings, reasons, unusable methods.
 * @cssprop --tsy-color-border - Borders of the methods.
 * @cssprop --tsy-color-primary - The selected method, the radio dot and the neutral icons.
 * @cssprop --tsy-color-focus - The keyboard focus ring.
 * @cssprop --tsy-radius - Corner radius of the methods.
 * @cssprop --tsy-spacing - Base spacing unit.
 * @cssprop --tsy-font-family - Font stack.
 * @cssprop --tsy-font-size - Base font size.
 */
export class TsyMethodPicker extends FormAssociated(TsyElement) {
  static override styles = [tokens, methodPickerStyles];

  /** The order's methods, as the BFF lists them (`OrderView.methods`). Property only. */
  @property({ attribute: false }) methods: readonly MethodView[] = [];
  /** The amount to pay, in fen; shown in the header when set. */
  @property({ type: Number }) amount: number | undefined;
  /** The selected method's key; empty for none. */
  @property({ reflect: true, converter: omitEmpty }) value = '';
  /** The value a form reset returns to: by default the `value` the element had when it was first connected. */
  @property({ attribute: false }) defaultValue: string | undefined;
  /** The form field name. */
  @property({ reflect: true, converter: omitEmpty }) name = '';
  /** A form with a required picker cannot be submitted until a method is chosen. */
  @property({ type: Boolean, reflect: true }) required = false;
  /** No method can be chosen, and nothing is submitted (a disabled `<fieldset>` does the same). */
  @property({ type: Boolean, reflect: true }) disabled = false;

  /** The methods in radio order, as last rendered. */
  private rows: readonly Row[] = [];

  override connectedCallback(): void {
    super.connectedCallback();
    this.defaultValue ??= this.value;
    this.syncForm();
    if (!icons) void loadIcons().then(() => this.requestUpdate());
  }

  /** Waits for the icons too, so code that awaits the picker sees it whole. */
  protected override async getUpdateComplete(): Promise<boolean> {
    await loadIcons();
    return super.getUpdateComplete();
  }

  /** Focuses the method a Tab would reach: the selected one, else the first usable one. */
  override focus(options?: FocusOptions): void {
    const radio = this.radio(this.tabbableIndex());
    if (radio) radio.focus(options);
    else super.focus(options);
  }

  /** @internal Called by the browser when the form resets. */
  formResetCallback(): void {
    this.value = this.defaultValue ?? '';
  }

  /** @internal Called by the browser when it restores the form (back/forward cache, autofill). */
  formStateRestoreCallback(state: string | File | FormData | null): void {
    if (typeof state === 'string') this.value = state;
  }

  private get isDisabled(): boolean {
    return this.disabled || this.formDisabled;
  }

  /** The one radio in the tab order: the selected usable method, else the first usable one (-1: none). */
  private tabbableIndex(): number {
    if (this.isDisabled) return -1;
    const checked = this.rows.find((row) => row.enabled && row.view.method === this.value);
    return (checked ?? this.rows.find((row) => row.enabled))?.index ?? -1;
  }

  private radio(index: number): HTMLElement | null {
    return index < 0 ? null : this.renderRoot.querySelector<HTMLElement>(`#method-${index}`);
  }

  /** Form value and validity; the message is anchored to the radio the payer would land on. */
  private syncForm(): void {
    const own = this[internals];
    own.setFormValue(this.value || null, this.value || null);
    if (this.required && !this.value) {
      const anchor = this.radio(this.tabbableIndex()) ?? this.radio(0) ?? undefined;
      own.setValidity({ valueMissing: true }, this.localize.term('picker.required'), anchor);
    } else {
      own.setValidity({});
    }
  }

  protected override updated(changed: PropertyValues<this>): void {
    super.updated(changed);
    this.syncForm();
  }

  /** The payer chose `method`: the value changes and the events fire, as for a native radio (nothing if already chosen). */
  private choose(method: string): void {
    if (this.isDisabled || method === this.value) return;
    this.value = method;
    this.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
    this.dispatchEvent(new Event('change', { bubbles: true }));
    emit(this, 'tsy-method-select', { method });
  }

  private rowOf(event: Event): Row | undefined {
    const radio = (event.target as Element | null)?.closest?.('[role="radio"]');
    const index = radio ? Number((radio as HTMLElement).dataset.index) : -1;
    return this.rows[index];
  }

  private onClick(event: MouseEvent): void {
    const row = this.rowOf(event);
    if (!row || !row.enabled || this.isDisabled) return;
    this.radio(row.index)?.focus();
    this.choose(row.view.method);
  }

  private onKeyDown(event: KeyboardEvent): void {
    if (this.isDisabled || event.altKey || event.ctrlKey || event.metaKey) return;
    const row = this.rowOf(event);
    if (!row) return;
    const enabled = this.rows.filter((r) => r.enabled);
    if (!enabled.length) return;
    const at = enabled.indexOf(row);
    let next: Row | undefined;
    switch (event.key) {
      case 'ArrowDown':
      case 'ArrowRight':
        // From a usable method: the next usable one, wrapping; from elsewhere: the first usable one after it.
        next = at >= 0 ? enabled[(at + 1) % enabled.length] : (enabled.find((r) => r.index > row.index) ?? enabled[0]);
        break;
      case 'ArrowUp':
      case 'ArrowLeft':
        next = at >= 0 ? enabled[(at - 1 + enabled.length) % enabled.length] : ([...enabled].reverse().find((r) => r.index < row.index) ?? enabled.at(-1));
        break;
      case 'Home':
        next = enabled[0];
        break;
      case 'End':
        next = enabled.at(-1);
        break;
      case ' ':
      case 'Enter':
        event.preventDefault();
        if (row.enabled) this.choose(row.view.method);
        return;
      default:
        return;
    }
    event.preventDefault();
    if (!next) return;
    this.radio(next.index)?.focus();
    this.choose(next.view.method);
  }

  /** Localized text for a reason key this version knows, else undefined. */
  private reasonText(reason: string | undefined): string | undefined {
    const key = `reason.${reason}`;
    return reason && this.localize.has(key) ? this.localize.term(key) : undefined;
  }

  private buildRows(): { group: MethodGroup; rows: Row[] }[] {
    let index = 0;
    return groupMethods(this.methods).map(({ group, methods }) => ({
      group,
      rows: methods.map((view) => {
        const enabled = view.usable === true;
        // The BFF says why (the environment and account rules are its own); a reason this version has no text for is "unavailable".
        const reason = enabled ? undefined : (this.reasonText(view.reason) ?? this.localize.term('unavailable'));
        return { view, group, index: index++, enabled, reason };
      }),
    }));
  }

  override render(): TemplateResult {
    const groups = this.buildRows();
    this.rows = groups.flatMap((g) => g.rows);
    const t = this.localize;
    const disabled = this.isDisabled;
    const tabbable = this.tabbableIndex();
    const hasAmount = typeof this.amount === 'number' && Number.isFinite(this.amount);
    return html`<div
      part="base"
      class="base ${disabled ? 'disabled' : ''}"
      role="radiogroup"
      aria-labelledby="label"
      aria-describedby=${hasAmount ? 'amount' : nothing}
      aria-required=${this.required ? 'true' : nothing}
      aria-disabled=${disabled ? 'true' : nothing}
      lang=${t.locale}
      @click=${this.onClick}
      @keydown=${this.onKeyDown}
    >
      <div part="header" class="header">
        <span part="label" class="label" id="label">${t.term('choose_method')}</span>
        ${hasAmount
          ? html`<span part="amount" class="amount" id="amount"><span class="amount-label">${t.term('amount')}</span> ${t.money(this.amount!)}</span>`
          : nothing}
      </div>
      ${this.rows.length
        ? groups.map(
            ({ group, rows }) =>
              html`<div part="group" class="group" role="group" aria-labelledby="group-${group}">
                <div part="group-label" class="group-label" id="group-${group}">${t.term(`group.${group}`)}</div>
                ${rows.map((row) => this.renderMethod(row, tabbable))}
              </div>`,
          )
        : html`<p class="empty">${t.term('no_methods')}</p>`}
    </div>`;
  }

  private renderMethod(row: Row, tabbable: number): TemplateResult {
    const { view, index, enabled, reason } = row;
    const checked = view.method === this.value;
    const parts = `method${checked ? ' method-checked' : ''}${enabled ? '' : ' method-disabled'}`;
    // Unusable methods leave the tab order and the arrow-key cycle (WAI-ARIA APG), and are not focusable at all.
    const tabindex = !enabled || this.isDisabled ? nothing : index === tabbable ? '0' : '-1';
    return html`<div
      part=${parts}
      class="method"
      role="radio"
      id="method-${index}"
      data-index=${index}
      tabindex=${tabindex}
      aria-checked=${checked ? 'true' : 'false'}
      aria-disabled=${enabled ? nothing : 'true'}
      aria-labelledby="name-${index}"
      aria-describedby=${reason ? `reason-${index}` : nothing}
      aria-posinset=${index + 1}
      aria-setsize=${this.rows.length}
    >
      <span part="method-indicator" class="indicator"></span>
      <svg part="method-icon" class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${icons?.methodIcon(view, row.group) ?? nothing}</svg>
      <span class="text">
        <span part="method-label" class="name" id="name-${index}">${this.localize.methodName(view.method)}</span>
        ${reason ? html`<span part="method-reason" class="reason" id="reason-${index}">${reason}</span>` : nothing}
      </span>
    </div>`;
  }
}
