import { TsyAlipayPay } from './tsy-alipay-pay.js';

if (!customElements.get('tsy-alipay-pay')) customElements.define('tsy-alipay-pay', TsyAlipayPay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-alipay-pay': TsyAlipayPay;
  }
}
