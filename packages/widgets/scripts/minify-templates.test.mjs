import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCss, minifyTemplates } from './minify-templates.mjs';

test('CSS keeps what it needs: combinators, values with spaces, calc, media queries', () => {
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
    minifyCss(css).trim(),
    ".failed .icon,.error .icon{color:var(--_danger);gap:calc(var(--_space) * 0.5);border:1px solid var(--_border)}a :hover{color:red}:host(:not([theme='light'])){--_bg:var(--tsy-color-background,#17191c)}@media (prefers-color-scheme: dark){:host{color-scheme:dark}}",
  );
});

test('templates: css, html and svg minified, nested templates and interpolations intact, other strings untouched', () => {
  const source = [
    "// html` in a comment must not confuse it",
    'const a = css `',
    '  :host {',
    '    ${dark}',
    '  }',
    '`;',
    'const b = html`<p class="x">',
    '    ${ok ? html`<b>  yes  </b>` : `  raw  `}',
    '  </p>`;',
    'const c = svg`<path d="M1 1"/>\n  <path/>`;',
    'const d = `  plain  `;',
  ].join('\n');
  assert.equal(
    minifyTemplates(source),
    [
      "// html` in a comment must not confuse it",
      'const a = css `:host{${dark}}`;',
      'const b = html`<p class="x"> ${ok ? html`<b> yes </b>` : `  raw  `} </p>`;',
      'const c = svg`<path d="M1 1"/> <path/>`;',
      'const d = `  plain  `;',
    ].join('\n'),
  );
});
