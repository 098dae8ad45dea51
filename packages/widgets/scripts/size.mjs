// Bundles the built package (dist/, what is published) the way an app would (esbuild: minified ESM, code splitting) and
// prints the gzip size of each entry and chunk. `--check` fails when the initial load of the main entry (the entry chunk and the chunks it imports
// statically: lit + checkout + picker) exceeds the budget.
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET_BYTES = 16 * 1024;
const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'tsy-size-'));
const entries = { index: join(root, process.env.SIZE_FROM_SRC ? 'src/index.ts' : 'dist/index.js'), classes: join(root, process.env.SIZE_FROM_SRC ? 'src/classes.ts' : 'dist/classes.js') };

try {
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
    outdir,
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;

  /** The chunk and every chunk it imports statically: what loads before the entry runs. */
  const initialOf = (file, seen = new Set()) => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const imported of outputs[file].imports) if (imported.kind === 'import-statement') initialOf(imported.path, seen);
    return seen;
  };
  /** What a chunk holds: the package's own modules by file name, dependencies by package name. */
  const describe = (file) => {
    const names = Object.keys(outputs[file].inputs).map((input) => {
      const dep = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input);
      return dep ? dep[1] : basename(input).replace(/\.(js|ts)$/, '');
    });
    const unique = [...new Set(names)];
    return unique.slice(0, 6).join(', ') + (unique.length > 6 ? ', …' : '');
  };


  const rows = [];
  let failed = false;
  for (const [name] of Object.entries(entries)) {
    const entryFile = Object.keys(outputs).find((file) => outputs[file].entryPoint === relative(process.cwd(), entries[name]) || outputs[file].entryPoint?.endsWith(`/${name}.${process.env.SIZE_FROM_SRC ? 'ts' : 'js'}`));
    const initial = [...initialOf(entryFile)];
    const total = initial.reduce((sum, file) => sum + gz(file), 0);
    rows.push([`${name} entry — initial load (${initial.length} file${initial.length > 1 ? 's' : ''})`, kb(total), '']);
    if (name === 'index' && total > BUDGET_BYTES) failed = true;
    if (name === 'index') {
      // The picker is fetched beside the order (the checkout cannot draw it before the order arrives): what the payer's
      // browser has fetched by the time the methods show.
      const picker = Object.keys(outputs).find((file) => outputs[file].entryPoint?.endsWith('method-picker/define.js'));
      const withPicker = [...initialOf(picker, new Set(initial))];
      rows.push(['index entry — with the picker (fetched while the order loads)', kb(withPicker.reduce((sum, file) => sum + gz(file), 0)), '']);
    }
  }
  const named = new Set(Object.keys(entries).map((name) => `${name}.js`));
  const lazy = Object.keys(outputs).filter((file) => !file.endsWith('.map') && !named.has(basename(file)));
  for (const file of lazy) rows.push([`${outputs[file].entryPoint ? 'lazy' : 'shared'} ${relative(outdir, file)}`, kb(gz(file)), describe(file)]);

  console.log(`@tsy/widgets sizes (esbuild, minified, gzip -9); budget for the main entry's initial load: ${kb(BUDGET_BYTES)}`);
  for (const [what, size, contents] of rows) console.log(`  ${what.padEnd(52)} ${size.padStart(9)}  ${contents}`);
  if (process.argv.includes('--check') && failed) {
    console.error(`size budget exceeded: the main entry's initial load is over ${kb(BUDGET_BYTES)}`);
    process.exitCode = 1;
  }
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
