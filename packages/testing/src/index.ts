/**
 * @tsy/testing — the one way this repository starts the real checkout stack: the YunST sandbox and a merchant server
 * mounting the BFF's `createCheckoutRouter`, over real HTTP with SQLite on disk — and, for the PostgreSQL store, a
 * throwaway PostgreSQL cluster (`startPostgres`). Used by the cross-package tests
 * (`@tsy/e2e`), the widgets' test runner (plain JS: it loads `dist/`) and the demo. Private: test code, not for shops.
 */
export { TEST_SYSID, testKeySet, type MerchantKeys, type PlatformKeys, type StackKeys } from './keys.js';
export { startSandbox, TEST_NOTIFICATION_TIME_SCALE, type RunningSandbox, type TestSandboxOptions } from './sandbox.js';
export {
  startMerchant,
  sandboxCheckoutConfig,
  FAST_RECONCILIATION,
  NO_RECONCILIATION,
  ONE_ADDRESS_LIMITS,
  FLOOD_LIMITS,
  TEST_PAYER_COOKIE,
  TEST_PAYER_HEADER,
  type RunningMerchant,
  type SandboxCheckoutConfigOptions,
  type TestMerchantOptions,
} from './merchant.js';
export { startCheckoutStack, type CheckoutStack, type CheckoutStackOptions } from './stack.js';
export { bindPhone, latestSmsCode, posTerminalPay, walletAction, walletUrlOf } from './payer.js';
export { stateMessages, type StateMessage } from './sse.js';
export { closeServer, listen, urlOf } from './listen.js';
export { startPostgres, findPostgresBin, type RunningPostgres } from './postgres.js';
