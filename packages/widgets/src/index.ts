/**
 * @tsy/widgets — importing this defines the elements: `<tsy-checkout>` at once, `<tsy-method-picker>` and `<tsy-qr-pay>`
 * (with its QR encoder) as lazy chunks right after (the checkout waits for the picker, which arrives while its order
 * loads; `customElements.whenDefined('tsy-method-picker')` for a picker on its own). For the classes without defining
 * anything, import `@tsy/widgets/classes`.
 */
import './components/checkout/define.js';

export { TsyCheckout } from './components/checkout/tsy-checkout.js';
export type { TsyMethodPicker } from './components/method-picker/tsy-method-picker.js';
export type * from './api/types.js';
export type { CheckoutState, TsyEventDetails, TsyEventName, TsyEvent } from './events.js';

// Not needed for the first paint; fetched in the background so a QR shows without a wait when it is needed.
if (typeof customElements !== 'undefined') {
  void import('./components/method-picker/define.js');
  void import('./components/qr-pay/define.js');
}
// `<tsy-phone-bind>` is defined by the checkout when a payer needs it; import './components/phone-bind/define.js' to use it alone.
