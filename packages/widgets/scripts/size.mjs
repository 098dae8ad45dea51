// Bundles the built package (dist/, what is published) the way an app would (esbuild: minified ESM, code splitting) and
// prints the gzip size of each entry and chunk. `--check` fails when the initial load of the main entry (the entry chunk and the chunks it imports
// statically: lit + the API client + checkout) exceeds the budget, or when the scanner's zxing chunk (what `<tsy-code-scanner>`
// fetches where the browser has no BarcodeDetector, found by its input module) exceeds its own.
// A cashier page importing only `@tsy/widgets/code-scanner` is bundled on its own, as that page would be: a third entry in
// the same build would split the shared chunks differently and change what the main entry's numbers mean.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 16 * 1024;
const SCANNER_BUDGET_BYTES = 30 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const ext = process.env.SIZE_FROM_SRC ? 'ts' : 'js';
/** A module of the package as an app imports it: dist/ (or src/ with SIZE_FROM_SRC), relative to the package. */
const from = (file) => `${process.env.SIZE_FROM_SRC ? 'src' : 'dist'}/${file}.${ext}`;
const outdir = mkdtempSync(join(tmpdir(), 'tsy-size-'));
const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

/** One app's bundle of the given entries (name → module); what each output holds and imports. */
async function bundle(sources, dir) {
  const entries = Object.fromEntries(Object.entries(sources).map(([name, file]) => [name, join(root, file)]));
  const result = await build({
    entryPoints: entries,
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    tsconfig: join(root, 'tsconfig.json'),
    outdir: join(outdir, dir),
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  /** The chunk and every chunk it imports statically: what loads before the entry runs. */
  const initialOf = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') initialOf(imported.path, seen);
    return seen;
  };
  const entryFileOf = (name) => Object.keys(outputs).find((file) => outputs[file].entryPoint === relative(process.cwd(), entries[name]) || outputs[file].entryPoint?.endsWith(`/${sources[name]}`));
  /** The output holding a module of the package (`scanner/zxing-reader`). */
  const chunkHolding = (module) => Object.keys(outputs).find((file) => Object.keys(outputs[file].inputs).some((input) => input.endsWith(`/${module}.${ext}`)));
  return { outputs, initialOf, entryFileOf, chunkHolding, dir: join(outdir, dir) };
}

try {
  const app = await bundle({ index: from('index'), classes: from('classes') }, 'app');
  const cashier = await bundle({ 'code-scanner': from('components/code-scanner/define') }, 'cashier');
  const { outputs } = app;

  /** What a chunk holds: the package's own modules by file name, dependencies by package name. */
  const describe = (file) => {
    const names = Object.keys(outputs[file].inputs).map((input) => {
      const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input);
      return dep ? dep[1] : basename(input).replace(/\.(js|ts)$/, '');
    });
    const unique = [...new Set(names)];
    return unique.slice(0, 6).join(', ') + (unique.length > 6 ? ', …' : '');
  };
  const sizeOf = (files) => [...files].reduce((sum, file) => sum + gz(file), 0);
  const files = (count) => `${count} file${count > 1 ? 's' : ''}`;

  const rows = [];
  const failures = [];
  for (const name of ['index', 'classes']) {
    const initial = app.initialOf(app.entryFileOf(name));
    const total = sizeOf(initial);
    rows.push([`${name} entry — initial load (${files(initial.size)})`, kb(total), '']);
    if (name === 'index' && total > BUDGET_BYTES) failures.push(`the main entry's initial load is over ${kb(BUDGET_BYTES)}`);
    if (name === 'index') {
      // The picker is fetched beside the order (the checkout cannot draw it before the order arrives): what the payer's
      // browser has fetched by the time the methods show.
      const withPicker = app.initialOf(app.chunkHolding('components/method-picker/define'), new Set(initial));
      rows.push(['index entry — with the picker (fetched while the order loads)', kb(sizeOf(withPicker)), '']);
    }
  }
  const scannerEntry = cashier.initialOf(cashier.entryFileOf('code-scanner'));
  rows.push([`code-scanner entry alone — initial load (${files(scannerEntry.size)})`, kb(sizeOf(scannerEntry)), '']);
  // The zxing chunk with whatever it imports that the scanner's entry has not loaded already: what the camera fetches.
  for (const [what, build, loaded] of [
    ['code-scanner alone', cashier, scannerEntry],
    ['classes', app, app.initialOf(app.entryFileOf('classes'))],
  ]) {
    const chunk = build.chunkHolding('scanner/zxing-reader');
    if (!chunk) {
      failures.push(`no chunk of ${what} holds scanner/zxing-reader`);
      continue;
    }
    if (loaded.has(chunk)) failures.push(`scanner/zxing-reader is in the initial load of ${what}: it must be a lazy chunk`);
    const fetched = [...build.initialOf(chunk)].filter((file) => !loaded.has(file));
    const total = sizeOf(fetched);
    rows.push([`scanner zxing chunk of ${what}, lazy (${files(fetched.length)})`, kb(total), '']);
    if (total > SCANNER_BUDGET_BYTES) failures.push(`the scanner's zxing chunk (${what}) is over ${kb(SCANNER_BUDGET_BYTES)}`);
  }
  const named = new Set(['index.js', 'classes.js']);
  const lazy = Object.keys(outputs).filter((file) => !file.endsWith('.map') && !named.has(basename(file)));
  for (const file of lazy) rows.push([`${outputs[file].entryPoint ? 'lazy' : 'shared'} ${relative(app.dir, file)}`, kb(gz(file)), describe(file)]);

  console.log(`@tsy/widgets sizes (esbuild, minified, gzip -9); budgets: the main entry's initial load ${kb(BUDGET_BYTES)}, the scanner's zxing chunk ${kb(SCANNER_BUDGET_BYTES)}`);
  for (const [what, size, contents] of rows) console.log(`  ${what.padEnd(60)} ${size.padStart(9)}  ${contents}`);
  if (process.argv.includes('--check') && failures.length) {
    for (const failure of failures) console.error(`size budget exceeded: ${failure}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
