import { TsyMethodPicker } from './tsy-method-picker.js';

if (!customElements.get('tsy-method-picker')) customElements.define('tsy-method-picker', TsyMethodPicker);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-method-picker': TsyMethodPicker;
  }
}
