import { TsyRedirectPay } from './tsy-redirect-pay.js';

if (!customElements.get('tsy-redirect-pay')) customElements.define('tsy-redirect-pay', TsyRedirectPay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-redirect-pay': TsyRedirectPay;
  }
}
