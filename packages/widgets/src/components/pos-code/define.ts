import { TsyPosCode } from './tsy-pos-code.js';

if (!customElements.get('tsy-pos-code')) customElements.define('tsy-pos-code', TsyPosCode);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-pos-code': TsyPosCode;
  }
}
