// Importing the package in Node (server-side rendering, a test runner without a DOM) must not crash: Lit's Node build
// supplies the minimal DOM the element classes touch. Runs on the built dist/, as an app would import it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const dist = (file) => fileURLToPath(new URL(`../dist/${file}`, import.meta.url));

function importInNode(code) {
  return execFileSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8' }).trim();
}

test('the main entry imports in Node and defines its elements', () => {
  const out = importInNode(`await import(${JSON.stringify(dist('index.js'))}); await new Promise((r) => setTimeout(r, 50));
    console.log(['tsy-checkout', 'tsy-method-picker', 'tsy-qr-pay'].map((n) => Boolean(customElements.get(n))).join(','));`);
  assert.equal(out, 'true,true,true');
});

test('the classes entry imports in Node without defining anything', () => {
  const out = importInNode(`const m = await import(${JSON.stringify(dist('classes.js'))});
    console.log(Object.keys(m).sort().join(','), Boolean(globalThis.customElements?.get('tsy-checkout')));`);
  assert.equal(out, 'CheckoutApi,CheckoutApiError,TsyCheckout,TsyCodeScanner,TsyMethodPicker,TsyPhoneBind,TsyPosCode,TsyQrPay false');
});
