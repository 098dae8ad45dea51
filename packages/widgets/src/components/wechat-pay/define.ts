import { TsyWechatPay } from './tsy-wechat-pay.js';

if (!customElements.get('tsy-wechat-pay')) customElements.define('tsy-wechat-pay', TsyWechatPay);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-wechat-pay': TsyWechatPay;
  }
}
