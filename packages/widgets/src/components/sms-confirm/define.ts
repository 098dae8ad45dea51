import { TsySmsConfirm } from './tsy-sms-confirm.js';

if (!customElements.get('tsy-sms-confirm')) customElements.define('tsy-sms-confirm', TsySmsConfirm);

declare global {
  interface HTMLElementTagNameMap {
    'tsy-sms-confirm': TsySmsConfirm;
  }
}
