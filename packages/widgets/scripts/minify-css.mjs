// The published styles are minified: after tsc, the text of every css`…` template in dist/ loses its comments and the
// whitespace CSS does not need. Only whitespace next to `{ } ; ,` and after `:` in declarations goes, so selectors with
// descendant combinators (`.a .b`, `a :hover`) and values (`calc(a * b)`, `1px solid x`) keep their meaning.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}')
    .replace(/([\w-]+):\s+/g, (whole, name, offset, all) => (/[{;]\s*$/.test(all.slice(0, offset)) || name.startsWith('--') ? `${name}:` : whole))
    .trim();
}

/** Minifies the static parts of each css`…` template; `${…}` interpolations are left as they are. */
export function minifyCssTemplates(source) {
  return source.replace(/\bcss\s*`((?:[^`\\$]|\\.|\$(?!\{)|\$\{[^}]*\})*)`/g, (_whole, body) => {
    const parts = body.split(/(\$\{[^}]*\})/);
    return `css\`${parts.map((part) => (part.startsWith('${') ? part : minifyCss(part))).join('')}\``;
  });
}

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (path.endsWith('.js')) yield path;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  let before = 0;
  let after = 0;
  for (const file of files(dist)) {
    const source = readFileSync(file, 'utf8');
    if (!/\bcss\s*`/.test(source)) continue;
    const minified = minifyCssTemplates(source);
    before += source.length;
    after += minified.length;
    writeFileSync(file, minified);
  }
  console.log(`minified the CSS of dist/: ${before} → ${after} bytes`);
}
