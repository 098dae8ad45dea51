import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCss, minifyCssTemplates } from './minify-css.mjs';

test('keeps what CSS needs: combinators, values with spaces, calc', () => {
  const css = `
    /* comment */
    .failed .icon,
    .error .icon {
      color: var(--_danger);
      gap: calc(var(--_space) * 0.5);
      border: 1px solid var(--_border);
    }
    a :hover { color: red; }
    :host(:not([theme='light'])) { --_bg: var(--tsy-color-background, #17191c); }
    @media (prefers-color-scheme: dark) { :host { color-scheme: dark; } }
  `;
  assert.equal(
    minifyCss(css),
    ".failed .icon,.error .icon{color:var(--_danger);gap:calc(var(--_space) * 0.5);border:1px solid var(--_border)}a :hover{color:red}:host(:not([theme='light'])){--_bg:var(--tsy-color-background,#17191c)}@media (prefers-color-scheme: dark){:host{color-scheme:dark}}",
  );
});

test('minifies css templates and leaves interpolations and other templates alone', () => {
  const source = "const a = css `\n  :host {\n    ${dark}\n  }\n`;\nconst b = html`<p>  keep  </p>`;";
  assert.equal(minifyCssTemplates(source), 'const a = css`:host{${dark}}`;\nconst b = html`<p>  keep  </p>`;');
});
