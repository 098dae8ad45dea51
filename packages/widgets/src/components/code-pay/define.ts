import { TsyCodePay } from './tsy-code-pay.js';

if (!customElements.get('tsy-code-pay')) customElements.define('tsy-code-pay', TsyCodePay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-code-pay': TsyCodePay;
  }
}
