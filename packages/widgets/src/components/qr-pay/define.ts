import { TsyQrPay } from './tsy-qr-pay.js';

if (!customElements.get('tsy-qr-pay')) customElements.define('tsy-qr-pay', TsyQrPay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-qr-pay': TsyQrPay;
  }
}

