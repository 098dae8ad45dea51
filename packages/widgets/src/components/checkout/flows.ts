import type { ActionType, MethodView } from '../../api/types.js';

/**
 * `action.type` → the element that runs it, each a lazy chunk of its own loaded the first time a payment needs it (as
 * adyen-web maps action types to components). Adding a flow is one entry here plus its folder. Every flow element takes
 * `payment`, `apiClient`, `environment` (and `wallet`) and reports with `tsy-payment-state`, `tsy-refresh` or
 * `tsy-flow-error`; the checkout asks the BFF before it shows any final state.
 */
export const FLOWS: Partial<Record<ActionType, () => Promise<string>>> = {
  qr: () => import('../qr-pay/define.js').then(() => 'tsy-qr-pay'),
  'wechat-jsapi': () => import('../wechat-pay/define.js').then(() => 'tsy-wechat-pay'),
  'alipay-jsapi': () => import('../alipay-pay/define.js').then(() => 'tsy-alipay-pay'),
  redirect: () => import('../redirect-pay/define.js').then(() => 'tsy-redirect-pay'),
  'form-post': () => import('../form-post/define.js').then(() => 'tsy-form-post'),
  'pos-code': () => import('../pos-code/define.js').then(() => 'tsy-pos-code'),
  sms: () => import('../sms-confirm/define.js').then(() => 'tsy-sms-confirm'),
};

/**
 * Methods that need input before the payment exists (the payer's payment code is part of the apply): the method → its
 * input step: a flow element given the attempt to make (no `bizOrderNo` yet), which creates the payment itself, makes the
 * attempt that payment (so `tsy-payment-state` is confirmed with the BFF as for any flow) and follows it.
 */
export const INPUTS: Partial<Record<string, () => Promise<string>>> = {
  CODEPAY_VSP: () => import('../code-pay/define.js').then(() => 'tsy-code-pay'),
};

/** `none`: nothing for the payer to do; the checkout follows the payment's state until the BFF says. */
export const runsAction = (type: ActionType): boolean => type === 'none' || type in FLOWS;

/**
 * The methods as the picker offers them: one that can lead to an action this page has no flow for is unavailable
 * (`reason: 'no_flow'`), so no platform order is made that the page cannot finish. A BFF that does not say (`actions`
 * missing) is taken at its word that the method is usable.
 */
export function offerable(methods: readonly MethodView[]): MethodView[] {
  return methods.map((m) => (m.usable && m.actions && !m.actions.every(runsAction) ? { ...m, usable: false, reason: 'no_flow' as MethodView['reason'] } : m));
}
