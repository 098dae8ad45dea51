// Widget tests run in real headless Chromium (Debian's, not a downloaded one), TypeScript through esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';
import { stackForTestRunner } from './test-support/stack.mjs';

const stack = stackForTestRunner();

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

// `qrcode` is CommonJS: the browser gets an ESM pre-bundle of it, built once per run.
const PREBUNDLED = { qrcode: '/__prebundled__/qrcode.js' };
let qrcodeBundle;
const prebundle = {
  name: 'prebundle-commonjs',
  resolveImport({ source }) {
    return PREBUNDLED[source];
  },
  async serve(context) {
    if (context.path !== PREBUNDLED.qrcode) return undefined;
    qrcodeBundle ??= build({ entryPoints: ['qrcode'], bundle: true, format: 'esm', platform: 'browser', write: false, minify: true }).then((r) => r.outputFiles[0].text);
    return { body: await qrcodeBundle, type: 'js' };
  },
};

export default {
  files: ['src/**/*.test.ts'],
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [stack.middleware],
  plugins: [stack.plugin, prebundle, esbuildPlugin({ ts: true, target: 'es2022', tsconfig })],
  browsers: [
    playwrightLauncher({
      product: 'chromium',
      launchOptions: {
        executablePath: chromium,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      },
    }),
  ],
  testFramework: { config: { timeout: 10000 } },
  concurrency: 1,
};
