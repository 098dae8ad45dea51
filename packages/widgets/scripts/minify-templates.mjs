// The published templates are minified: after tsc, the static text of every css`…`, html`…` and svg`…` template in dist/
// loses what the browser ignores — comments and the whitespace CSS does not need, runs of whitespace in markup. Templates
// are found with TypeScript's parser (nested templates and comments cannot confuse it); interpolations are untouched.
// A minified file's source map is tsc's composed with the minifier's own (magic-string records the edits, remapping chains
// the two): a multi-line stylesheet becomes one line, and tsc's map alone would then point every later line of the file
// at the wrong line of src/.
import remapping from '@jridgewell/remapping';
import MagicString from 'magic-string';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

/**
 * Only whitespace next to `{ } ; ,` and after `:` in declarations goes, so selectors with descendant combinators
 * (`.a .b`, `a :hover`) and values (`calc(a * b)`, `1px solid x`) keep their meaning.
 */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,])\s*/g, '$1')
    .replace(/;}/g, '}')
    .replace(/([\w-]+):\s+/g, (whole, name, offset, all) => (/[{;]\s*$/.test(all.slice(0, offset)) || name.startsWith('--') ? `${name}:` : whole));
}

/** HTML and SVG collapse runs of whitespace to one space themselves (the kit has no <pre> or <textarea> content). */
export function minifyMarkup(text) {
  return text.replace(/\s+/g, ' ');
}

const MINIFIERS = { css: minifyCss, html: minifyMarkup, svg: minifyMarkup };

/** The edits that minify the static parts of the tagged templates in one JS source: `[start, end, text]`, disjoint. */
function templateEdits(source) {
  const file = ts.createSourceFile('x.js', source, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && MINIFIERS[node.tag.text]) {
      const minify = MINIFIERS[node.tag.text];
      const template = node.template;
      // Each literal piece: its raw text sits between the backtick or `}` before it and the backtick or `${` after it.
      const pieces = ts.isNoSubstitutionTemplateLiteral(template) ? [template] : [template.head, ...template.templateSpans.map((span) => span.literal)];
      for (const piece of pieces) {
        const start = piece.getStart(file) + 1;
        const end = piece.getEnd() - (ts.isTemplateHead(piece) || ts.isTemplateMiddle(piece) ? 2 : 1);
        const raw = source.slice(start, end);
        let minified = minify(raw);
        if (node.tag.text === 'css') {
          // Whitespace at the very start or end of a stylesheet means nothing.
          if (piece === pieces[0]) minified = minified.trimStart();
          if (piece === pieces.at(-1)) minified = minified.trimEnd();
        }
        if (minified !== raw) edits.push([start, end, minified]);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return edits;
}

/** Minifies the static parts of the tagged templates in one JS source. */
export function minifyTemplates(source) {
  return minifyTemplatesWithMap(source, 'x.js').code;
}

/**
 * Minifies like `minifyTemplates` and maps the result back to `source`: `inputMap` (tsc's map of `source`, as an object)
 * makes the answer's map point at what that one points at — the TypeScript sources, their sourcesContent kept.
 */
export function minifyTemplatesWithMap(source, fileName, inputMap) {
  const edits = templateEdits(source);
  if (edits.length === 0) return { code: source, map: inputMap ?? null };
  const text = new MagicString(source);
  for (const [start, end, minified] of edits) text.overwrite(start, end, minified);
  const code = text.toString();
  const own = text.generateMap({ source: fileName, file: fileName, hires: true, includeContent: false });
  if (!inputMap) return { code, map: own };
  // remapping keeps the input map's sources (relative to it) and their sourcesContent.
  const map = remapping(own.toString(), (file) => (file === fileName ? inputMap : null));
  return { code, map: { ...JSON.parse(map.toString()), file: fileName } };
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
    const mapFile = `${file}.map`;
    const inputMap = existsSync(mapFile) ? JSON.parse(readFileSync(mapFile, 'utf8')) : undefined;
    const { code, map } = minifyTemplatesWithMap(source, basename(file), inputMap);
    before += source.length;
    after += code.length;
    if (code !== source) {
      writeFileSync(file, code);
      if (inputMap) writeFileSync(mapFile, JSON.stringify(map));
    }
  }
  console.log(`minified the templates of dist/: ${before} → ${after} bytes`);
}
