// Widget tests run in real headless Chromium (Debian's, not a downloaded one), TypeScript through esbuild.
import { esbuildPlugin } from '@web/dev-server-esbuild';
import { playwrightLauncher } from '@web/test-runner-playwright';
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FAKE_CAMERA_CODES, writeFakeCameraVideo } from './test-support/fake-camera.mjs';
import { stackForTestRunner } from './test-support/stack.mjs';

const stack = stackForTestRunner();

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const tsconfig = fileURLToPath(new URL('./tsconfig.json', import.meta.url));

// `qrcode` (and the tests' `jsbarcode`) are CommonJS: the browser gets an ESM pre-bundle of each, built once per run.
const PREBUNDLED = { qrcode: '/__prebundled__/qrcode.js', jsbarcode: '/__prebundled__/jsbarcode.js' };
const bundles = {};
const prebundle = {
  name: 'prebundle-commonjs',
  resolveImport({ source }) {
    return PREBUNDLED[source];
  },
  async serve(context) {
    const name = Object.keys(PREBUNDLED).find((key) => PREBUNDLED[key] === context.path);
    if (!name) return undefined;
    bundles[name] ??= build({ entryPoints: [name], bundle: true, format: 'esm', platform: 'browser', write: false, minify: true }).then((r) => r.outputFiles[0].text);
    return { body: await bundles[name], type: 'js' };
  },
};

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const launcher = (args = []) => playwrightLauncher({ product: 'chromium', launchOptions: { executablePath: chromium, headless: true, args: [...ARGS, ...args] } });

// The scanner's camera tests: a Chromium whose (only) camera is a video file showing a payment code, one per symbology.
// The files must exist before the browsers start, so they are written here; the tests ask `/__fake-camera/<kind>` which
// code their camera shows.
const cameraGroups = Object.keys(FAKE_CAMERA_CODES).map((kind) => {
  const video = writeFakeCameraVideo(kind, join(tmpdir(), `tsy-wtr-fake-camera-${kind}-${process.pid}.y4m`));
  process.once('exit', () => rmSync(video, { force: true }));
  return {
    name: `camera-${kind}`,
    files: `src/**/*.camera-${kind}.test.ts`,
    browsers: [launcher(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${video}`])],
  };
});
const fakeCamera = (context, next) => {
  const kind = /^\/__fake-camera\/(\w+)$/.exec(context.path)?.[1];
  if (!kind || !(kind in FAKE_CAMERA_CODES)) return next();
  context.body = { code: FAKE_CAMERA_CODES[kind] };
};

export default {
  files: ['src/**/*.test.ts', '!src/**/*.camera-*.test.ts'],
  groups: cameraGroups,
  nodeResolve: { exportConditions: ['browser', 'production'] },
  middleware: [fakeCamera, stack.middleware],
  plugins: [stack.plugin, prebundle, esbuildPlugin({ ts: true, target: 'es2022', tsconfig })],
  browsers: [launcher()],
  testFramework: { config: { timeout: 10000 } },
  concurrency: 1,
};
