/**
 * @tsy/widgets — importing this defines the elements: `<tsy-checkout>` and `<tsy-method-picker>` at once, `<tsy-qr-pay>`
 * (with its QR encoder) as a lazy chunk right after. For the classes without defining anything, import
 * `@tsy/widgets/classes`.
 */
import './components/checkout/define.js';
import './components/method-picker/define.js';

export { TsyCheckout } from './components/checkout/tsy-checkout.js';
export { TsyMethodPicker } from './components/method-picker/tsy-method-picker.js';
export type * from './api/types.js';
export type { CheckoutState, TsyEventDetails, TsyEventName, TsyEvent } from './events.js';

// Not needed for the first paint; fetched in the background so a QR shows without a wait when it is needed.
if (typeof customElements !== 'undefined') void import('./components/qr-pay/define.js');
// `<tsy-phone-bind>` is defined by the checkout when a payer needs it; import './components/phone-bind/define.js' to use it alone.
