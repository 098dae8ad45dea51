import { TsyCheckout } from './tsy-checkout.js';

if (!customElements.get('tsy-checkout')) customElements.define('tsy-checkout', TsyCheckout);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-checkout': TsyCheckout;
  }
}
