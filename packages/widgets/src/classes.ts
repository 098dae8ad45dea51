/** The element classes and public types, without defining any element (no side effects). */
export { TsyCheckout } from './components/checkout/tsy-checkout.js';
export { TsyMethodPicker } from './components/method-picker/tsy-method-picker.js';
export { TsyQrPay } from './components/qr-pay/tsy-qr-pay.js';
export { TsyPosCode } from './components/pos-code/tsy-pos-code.js';
export { TsyPhoneBind } from './components/phone-bind/tsy-phone-bind.js';
export { TsyCodeScanner } from './components/code-scanner/tsy-code-scanner.js';
export { CheckoutApi, CheckoutApiError } from './api/checkout-api.js';
export type * from './api/types.js';
export type { CheckoutState, TsyEventDetails, TsyEventName, TsyEvent } from './events.js';
