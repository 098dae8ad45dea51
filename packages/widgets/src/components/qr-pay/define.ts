import { TsyQrPay } from './tsy-qr-pay.js';

if (!customElements.get('tsy-qr-pay')) customElements.define('tsy-qr-pay', TsyQrPay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-qr-pay': TsyQrPay;
  }
}

/** For `<tsy-checkout>`, which loads its result view with this chunk rather than as a chunk of its own. */
export { resultView } from '../result/result-view.js';
