import { TsyCodeScanner } from './tsy-code-scanner.js';

if (!customElements.get('tsy-code-scanner')) customElements.define('tsy-code-scanner', TsyCodeScanner);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-code-scanner': TsyCodeScanner;
  }
}
