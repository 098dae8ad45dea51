import { TsyPhoneBind } from './tsy-phone-bind.js';

if (!customElements.get('tsy-phone-bind')) customElements.define('tsy-phone-bind', TsyPhoneBind);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-phone-bind': TsyPhoneBind;
  }
}
