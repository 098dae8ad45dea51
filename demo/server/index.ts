/** The demo merchant, for tests and for anyone who wants to start it their own way. */
export { startDemoMerchant, DEMO_METHODS, type DemoMerchant, type DemoMerchantOptions } from './app.js';
export { startDemo, settingsFrom, main, DEMO_SYSID, type DemoSettings, type RunningDemo } from './dev.js';
export { PRODUCTS, type Product } from './catalog.js';
export { ShopStore, type ShopOrder, type ShopOrderLine } from './shop-store.js';
