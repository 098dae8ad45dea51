/**
 * @tsy/bff — the merchant-side server of tsy-checkout. Mount `createCheckoutRouter(config, hooks)` in an Express app, or run
 * the standalone `tsy-bff` server. The YunST protocol core is its own package, `@tsy/yunst`.
 */
export { createCheckoutRouter, type CheckoutRouter } from './http/router.js';
export { createCheckout, type Checkout, type CheckoutOptions } from './checkout/index.js';
export type { CheckoutHooks, PayerQuery, ResolvedOrder, PaymentEvent, Receiver } from './checkout/hooks.js';
export type { PaymentAction } from './checkout/actions.js';
export type { PaymentView, OrderView, MethodView, Settlement, RefundView } from '@tsy/contract';
export { refundRequestSchema, type RefundRequest, type FlaggedRefunds, type FlaggedPayment, type Refunds } from './checkout/refunds.js';
export { decideRefund, refundRoom } from './payments/refunds.js';
export type { NotificationInput } from './checkout/notifications.js';
export { CheckoutError } from './checkout/errors.js';
export { CHECKOUT_METHODS, ConfigError, bffConfigSchema, loadBffConfig, parseBffConfig, type BffConfig, type BffConfigInput, type CheckoutMethod } from './config/config.js';
export { PAYMENT_STATES, nextState, publicState, type PaymentState, type PaymentFact } from './payments/state-machine.js';
export { decideTransition, settlementOf, type PaymentDecision, type PaymentEventType } from './payments/settlement.js';
export { SqliteStore } from './store/sqlite/sqlite-store.js';
export { PostgresStore, resetPostgresSchema, type PostgresStoreOptions } from './store/postgres/postgres-store.js';
export { createStore, redactDatabaseUrl } from './store/create-store.js';
export type { Store, PaymentRecord, PaymentEventRecord, MerchantOrderRecord, MemberRecord, PlatformNotificationRecord, PaymentChangeListener, NewRefund, RefundAsked, RefundInsert, RefundRefusal, RefundRoom } from './store/types.js';
export type { LiveStatusStats } from './checkout/payment-changes.js';
export type { WatchedPaymentChecksStats } from './checkout/watched-payment-checks.js';
