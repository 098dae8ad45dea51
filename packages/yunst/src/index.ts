/**
 * The YunST (通商云) protocol core: plain functions over strings and keys — no Express, no globals.
 * Import it as `@tsy/yunst` (`@tsy/bff/yunst` re-exports it for one release).
 */
export * from './timestamp.js';
export * from './form-encoding.js';
export * from './keys.js';
export * from './signature.js';
export * from './encryption.js';
export * from './envelope.js';
export * from './errors.js';
export * from './error-codes.js';
export * from './schemas/index.js';
export * from './pkcs12-export.js';
export * from './key-set.js';
export * from './environments.js';
export * from './client.js';
export * from './front-pages.js';
