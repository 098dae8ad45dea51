import assert from 'node:assert/strict';
import { test } from 'node:test';
import { minifyCss, minifyTemplates, minifyTemplatesWithMap } from './minify-templates.mjs';

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

test('the minified file maps back through tsc’s map: a line after a multi-line stylesheet still points at its own line', async () => {
  const { TraceMap, originalPositionFor } = await import('@jridgewell/trace-mapping');
  // What tsc emits for a styles module and the component after it (its map: line i of the JS is line i of the TS).
  const js = ['const a = css `', '  :host {', '    color: red;', '  }', '`;', 'export function after() {}'].join('\n');
  const identity = { version: 3, file: 'x.js', sources: ['../src/x.ts'], sourcesContent: [js], names: [], mappings: 'AAAA;AACA;AACA;AACA;AACA;AACA' };
  const { code, map } = minifyTemplatesWithMap(js, 'x.js', identity);
  assert.equal(code, 'const a = css `:host{color:red}`;\nexport function after() {}');
  assert.deepEqual(map.sources, ['../src/x.ts']);
  assert.deepEqual(map.sourcesContent, [js], 'the TypeScript source stays in the map');
  const column = code.split('\n')[1].indexOf('after');
  const position = originalPositionFor(new TraceMap(map), { line: 2, column });
  assert.equal(position.source, '../src/x.ts');
  assert.equal(position.line, 6, 'the function is on line 6 of the source, not line 2');
});
