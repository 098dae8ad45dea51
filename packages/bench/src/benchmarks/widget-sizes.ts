// Widget sizes next to Adyen Web's and pingpp-js's, all measured here: theirs from the tarballs `npm pack` fetches from the
// registry (the latest version, no figure typed in), ours from packages/widgets/dist bundled as an app would (esbuild,
// minified, code splitting, as packages/widgets/scripts/size.mjs does). Every file: raw, gzip -9, brotli (quality 11).
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { widgetBundleOptions } from '../widget-bundle.js';
import type { Section } from '../document.js';
import type { BenchContext } from '../run.js';

const exec = promisify(execFile);
const THEIRS = ['@adyen/adyen-web', 'pingpp-js'] as const;

interface Sizes {
  readonly raw: number;
  readonly gzip: number;
  readonly brotli: number;
}

export function sizesOf(bytes: Buffer): Sizes {
  return {
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length } }).length,
  };
}

const sum = (all: readonly Sizes[]): Sizes => all.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli }), { raw: 0, gzip: 0, brotli: 0 });
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

interface Row {
  readonly pkg: string;
  readonly file: string;
  readonly sizes: Sizes;
}

/** A file that loads nothing else: no `require(…)`, no static or dynamic `import` of another module. */
function selfContained(code: string): boolean {
  return !/\brequire\(\s*["'`]/.test(code) && !/(?:^|[;\s}])(?:import|export)\s[^;]*?\bfrom\s*["'`]/m.test(code) && !/\bimport\(\s*["'`]/.test(code);
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]));
}

/**
 * The package's browser bundle: the first of `browser`, `unpkg`, `jsdelivr`, `main`, `module` and the `.` export that is
 * one self-contained file; else the largest self-contained UMD file under dist/. Says which field chose it.
 */
export function browserBundleOf(root: string): { file: string; why: string } {
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<string, unknown>;
  const dot = (manifest.exports as Record<string, unknown> | undefined)?.['.'];
  const exportTargets = JSON.stringify(dot ?? '').match(/"\.\/[^"]+\.m?c?js"/g)?.map((target) => JSON.parse(target) as string) ?? [];
  const fields: [string, unknown][] = [
    ['browser', manifest.browser],
    ['unpkg', manifest.unpkg],
    ['jsdelivr', manifest.jsdelivr],
    ['main', manifest.main],
    ['module', manifest.module],
    ...exportTargets.map((target): [string, unknown] => ['exports["."]', target]),
  ];
  const rejected: string[] = [];
  for (const [field, value] of fields) {
    if (typeof value !== 'string') continue;
    const file = join(root, value);
    if (!existsSync(file)) continue;
    if (selfContained(readFileSync(file, 'utf8'))) return { file, why: `package.json \`${field}\`, one self-contained file` };
    rejected.push(`\`${field}\` (${value}) loads other modules`);
  }
  const umd = filesUnder(join(root, 'dist'))
    .filter((file) => /\.js$/.test(file) && !/\.min\.js$/.test(file))
    .filter((file) => {
      const code = readFileSync(file, 'utf8');
      return /define\.amd/.test(code) && selfContained(code);
    })
    .sort((a, b) => statSync(b).size - statSync(a).size);
  if (umd[0]) return { file: umd[0], why: `the UMD bundle under dist/ (${rejected.join('; ') || 'no package.json field names a bundle'})` };
  throw new Error(`${root}: no self-contained browser bundle found (${rejected.join('; ')})`);
}

/** Fetches the package's latest tarball with `npm pack` and measures its browser bundle. */
async function theirs(name: string, dir: string): Promise<{ row: Row; version: string; why: string; extra: Row[] }> {
  const { stdout: version } = await exec('npm', ['view', name, 'version'], { timeout: 60_000 });
  const spec = `${name}@${version.trim()}`;
  const { stdout } = await exec('npm', ['pack', spec, '--json', '--pack-destination', dir], { timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as { filename: string }[];
  const into = mkdtempSync(join(dir, 'x-'));
  await exec('tar', ['-xzf', join(dir, packed!.filename), '-C', into]);
  const root = join(into, 'package');
  const bundle = browserBundleOf(root);
  const extra: Row[] = [];
  // A stylesheet the package ships beside its bundle is part of what a page loads (ours carry their styles in the JS).
  const css = filesUnder(join(root, 'dist')).filter((file) => file.startsWith(join(bundle.file, '..')) && file.endsWith('.css'));
  for (const file of css) extra.push({ pkg: spec, file: relative(root, file), sizes: sizesOf(readFileSync(file)) });
  return { row: { pkg: spec, file: relative(root, bundle.file), sizes: sizesOf(readFileSync(bundle.file)) }, version: version.trim(), why: bundle.why, extra };
}

/** Our widgets as an app bundles them: the main entry and what it imports statically, then every lazy chunk. */
async function ours(dir: string): Promise<Row[]> {
  const outdir = join(dir, 'widgets');
  const result = await build({
    ...widgetBundleOptions('index', outdir),
    metafile: true,
    logLevel: 'silent',
  });
  const outputs = result.metafile.outputs;
  const initialOf = (file: string, seen = new Set<string>()): Set<string> => {
    if (seen.has(file)) return seen;
    seen.add(file);
    for (const imported of outputs[file]!.imports) if (imported.kind === 'import-statement') initialOf(imported.path, seen);
    return seen;
  };
  const js = Object.keys(outputs).filter((file) => file.endsWith('.js'));
  // Every dynamic import is an entry point of its own to esbuild: the app's entry is the output named after it.
  const entry = js.find((file) => relative(outdir, file) === 'index.js')!;
  const initial = initialOf(entry);
  const measure = (files: Iterable<string>) => sum([...files].map((file) => sizesOf(readFileSync(file))));
  const rows: Row[] = [{ pkg: '@tsy/widgets', file: `index entry, initial load (${initial.size} files)`, sizes: measure(initial) }];
  const lazy = js.filter((file) => !initial.has(file));
  for (const file of lazy) {
    const holds = [...new Set(Object.keys(outputs[file]!.inputs).map((input) => /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? input.split('/').slice(-2).join('/').replace(/\.js$/, '')))];
    rows.push({ pkg: '@tsy/widgets', file: `lazy ${relative(outdir, file)}${holds.length ? ` (${holds.slice(0, 3).join(', ')}${holds.length > 3 ? ', …' : ''})` : ''}`, sizes: sizesOf(readFileSync(file)) });
  }
  rows.push({ pkg: '@tsy/widgets', file: `everything: entry and all ${lazy.length} lazy chunks`, sizes: measure(js) });
  return rows;
}

export async function run(ctx: BenchContext): Promise<Section[]> {
  const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-sizes-'));
  try {
    const rows = await ours(dir);
    const notes: string[] = [];
    for (const name of THEIRS) {
      try {
        const measured = await theirs(name, dir);
        rows.push(measured.row, ...measured.extra);
        notes.push(`**${name} ${measured.version}**: measured \`${measured.row.file}\`, chosen by ${measured.why}.`);
      } catch (error) {
        ctx.omit(`${name}: not measured in this run — ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
      }
    }
    notes.push(
      'Why these files compare: each is what a shop page loads to show the library. Adyen Web\'s `main` is one bundle of the whole Drop-in and every payment method (Preact included), and its stylesheet comes beside it; ours is the `<tsy-checkout>` entry (Lit included, styles in the JS) with the method screens as lazy chunks fetched when a payment needs them, so compare its initial load with their bundle, and its "everything" row with their bundle and stylesheet together. pingpp-js has no payment UI: its UMD file is the SDK a page calls to hand a charge to the wallet, the part of a checkout ours does in its lazy action chunks.',
      'Our sizes: `packages/widgets/dist` bundled by esbuild (minified ESM, code splitting, the `production` condition), as packages/widgets/scripts/size.mjs does; a chunk\'s contents are named by its largest inputs. Gzip and brotli are of each file on its own, summed where a row holds several files.',
    );
    return [
      {
        id: 'widget-sizes',
        title: 'Widget sizes',
        command: 'npm run bench',
        summary: 'Bytes a browser fetches: raw, gzip (zlib level 9) and brotli (quality 11), all measured by the same script; the other packages from the tarball `npm pack` fetched for their latest version.',
        tables: [{ headers: ['package', 'file', 'raw', 'gzip', 'brotli'], rows: rows.map((row) => [row.pkg, row.file, kb(row.sizes.raw), kb(row.sizes.gzip), kb(row.sizes.brotli)]), right: [false, false, true, true, true] }],
        notes,
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
