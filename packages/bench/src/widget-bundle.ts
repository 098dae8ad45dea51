import type { BuildOptions } from 'esbuild';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** packages/widgets/, whose built `dist/` the benchmarks bundle. */
export const WIDGETS = fileURLToPath(new URL('../../widgets/', import.meta.url));

/**
 * The widgets as a shop's production build would bundle them (as packages/widgets/scripts/size.mjs does): minified ESM,
 * the method screens split into lazy chunks, the `production` condition. One definition, so the page the notification
 * benchmark loads is the bundle the size benchmark measures.
 */
export function widgetBundleOptions(entryName: string, outdir: string): BuildOptions {
  return {
    entryPoints: { [entryName]: join(WIDGETS, 'dist/index.js') },
    bundle: true,
    splitting: true,
    format: 'esm',
    minify: true,
    target: 'es2022',
    platform: 'browser',
    conditions: ['production'],
    define: { 'process.env.NODE_ENV': '"production"' },
    outdir,
  };
}
