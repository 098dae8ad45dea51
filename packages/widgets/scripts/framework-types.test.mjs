// The generated React/Vue typings follow custom-elements.json and src/events.ts (the examples' type tests check that
// they compile and are strict; this checks what goes in them).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { generate } from './framework-types.mjs';

const manifest = JSON.parse(readFileSync(new URL('../custom-elements.json', import.meta.url), 'utf8'));
const events = readFileSync(new URL('../src/events.ts', import.meta.url), 'utf8');

test('every element of the manifest is in both typings; the checkout has its writable props and its typed events', () => {
  const { react, vue } = generate(manifest, events);
  const tags = manifest.modules.flatMap((m) => m.declarations ?? []).filter((d) => d.tagName).map((d) => d.tagName);
  assert.ok(tags.length >= 10);
  for (const tag of tags) {
    assert.match(react, new RegExp(`'${tag}': \\w+Props;`), tag);
    assert.match(vue, new RegExp(`'${tag}': DefineComponent<\\w+VueProps>;`), tag);
  }
  assert.match(react, /Pick<TsyCheckout, 'api' \| 'locale' \| 'order' \| 'theme'>/, 'state is read only: not a prop; locale/theme inherited');
  for (const name of ['tsy-state-change', 'tsy-success', 'tsy-fail', 'tsy-expired', 'tsy-cancel']) {
    assert.ok(react.includes(`'on${name}'?: (event: TsyEvent<'${name}'>) => void;`), name);
  }
  assert.ok(vue.includes("onTsySuccess?: (event: TsyEvent<'tsy-success'>) => void;"));
  assert.doesNotMatch(react + vue, /\bany\b/);
});

test('an event the manifest names but src/events.ts does not declare stops the build', () => {
  const changed = structuredClone(manifest);
  const checkout = changed.modules.flatMap((m) => m.declarations ?? []).find((d) => d.tagName === 'tsy-checkout');
  checkout.events.push({ name: 'tsy-undeclared' });
  assert.throws(() => generate(changed, events), /tsy-checkout fires tsy-undeclared/);
});
