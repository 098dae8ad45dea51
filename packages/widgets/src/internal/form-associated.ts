import type { LitElement } from 'lit';

/**
 * The key under which a form-associated element keeps its `ElementInternals`. A symbol only the kit's own modules import,
 * so the internals (setFormValue, setValidity) are not part of any element's public API.
 */
export const internals: unique symbol = Symbol('tsy.internals');

/** What {@link FormAssociated} adds to an element: the form-control surface of a native input, backed by ElementInternals. */
export interface FormAssociatedMembers {
  readonly [internals]: ElementInternals;
  /** True while the element is disabled for its form: its own `disabled` attribute or a disabled `<fieldset>` ancestor. */
  readonly formDisabled: boolean;
  /** The form the element belongs to, as for a native input. */
  readonly form: HTMLFormElement | null;
  readonly labels: NodeList;
  readonly validity: ValidityState;
  readonly validationMessage: string;
  readonly willValidate: boolean;
  checkValidity(): boolean;
  reportValidity(): boolean;
  /** Called by the browser; subclasses that override it call `super.formDisabledCallback(disabled)`. */
  formDisabledCallback(disabled: boolean): void;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type LitElementConstructor = new (...args: any[]) => LitElement;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type FormAssociatedConstructor = new (...args: any[]) => FormAssociatedMembers;

/**
 * Makes a Lit element a form-associated custom element: it takes part in `<form>` submission, validation, reset and
 * `<fieldset disabled>` like a native control. The subclass decides what it submits and when it is invalid, through
 * `this[internals].setFormValue()` / `setValidity()`, and implements `formResetCallback()` (and, if it wants,
 * `formStateRestoreCallback()`) itself.
 */
export function FormAssociated<T extends LitElementConstructor>(Base: T): T & FormAssociatedConstructor & { readonly formAssociated: true } {
  class FormAssociatedElement extends Base implements FormAssociatedMembers {
    static readonly formAssociated = true;

    readonly [internals]: ElementInternals = this.attachInternals();
    formDisabled = false;

    get form(): HTMLFormElement | null {
      return this[internals].form;
    }
    get labels(): NodeList {
      return this[internals].labels;
    }
    get validity(): ValidityState {
      return this[internals].validity;
    }
    get validationMessage(): string {
      return this[internals].validationMessage;
    }
    get willValidate(): boolean {
      return this[internals].willValidate;
    }
    checkValidity(): boolean {
      return this[internals].checkValidity();
    }
    reportValidity(): boolean {
      return this[internals].reportValidity();
    }
    formDisabledCallback(disabled: boolean): void {
      const previous = this.formDisabled;
      this.formDisabled = disabled;
      this.requestUpdate('formDisabled', previous);
    }
  }
  return FormAssociatedElement;
}
