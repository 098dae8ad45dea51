// The packages as a shop gets them: each publishable package is packed with `pnpm pack` (which rewrites `workspace:*` to
// versions and applies `publishConfig`), the tarballs are installed with npm into a scratch app under the system's temp
// folder — no workspace around it, every other dependency from the npm registry — and used there the way the READMEs say.
// One install per run, nothing cached in the repository. Needs the packages built (`pnpm -r run build`, as `npm test`
// does first), network access to the registry, and Debian's Chromium.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TraceMap, eachMapping } from '@jridgewell/trace-mapping';
import { chromium } from 'playwright-core';

const here = fileURLToPath(new URL('..', import.meta.url));
const workspace = resolve(here, '../..');
const PUBLISHED = ['contract', 'yunst', 'bff', 'sandbox', 'widgets'];
/** What the scratch app takes from the registry: the versions the workspace uses; the @types a TypeScript Express app has. */
const REGISTRY_DEPENDENCIES = ['express@^5.3.0', 'vite@7.3.8', 'typescript@5.9.3', '@types/express@^5.0.6', '@types/node@20.19.43'];
const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * The environment of a command in the scratch app: none of the variables pnpm's `run` sets (npm_*, pnpm's own) and no
 * folder of the workspace on PATH, so npm and the app's tools cannot reach into the workspace. better-sqlite3 compiles
 * against the system's Node headers when no prebuilt binary fits.
 */
function scratchEnv(extra = {}) {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(npm_|pnpm_|PNPM_)/i.test(name)));
  env.PATH = (process.env.PATH ?? '').split(delimiter).filter((dir) => dir && !resolve(dir).startsWith(workspace)).join(delimiter);
  return { ...env, npm_config_nodedir: '/usr', ...extra };
}

/** Runs a command to its end; never throws, so a test can assert on a failure's output. */
function run(command, args, options = {}) {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'], ...options });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

async function mustRun(command, args, options) {
  const result = await run(command, args, options);
  assert.equal(result.code, 0, `${command} ${args.join(' ')} exited ${result.code}\n${result.stdout.slice(-4000)}\n${result.stderr.slice(-4000)}`);
  return result;
}

function filesUnder(dir) {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .filter((file) => !relative(dir, file).split('/').includes('node_modules'));
}

/** Every string target of an `exports` map, and every condition name it uses. */
function exportsOf(map, targets = [], conditions = new Set()) {
  if (typeof map === 'string') targets.push(map);
  else if (map && typeof map === 'object') {
    for (const [key, value] of Object.entries(map)) {
      if (!key.startsWith('.')) conditions.add(key);
      exportsOf(value, targets, conditions);
    }
  }
  return { targets, conditions };
}

/**
 * What is wrong with one source map of an installed package (`mapFile`, of the JS file `jsFile` whose text is `js`):
 * each source must come with it — its `sourcesContent`, or the file itself in the package (`packageDir`) — and each
 * mapped identifier of the JS must be on the line of the source it points at. `this` and identifiers the source does not
 * contain (what tsc writes itself: `__decorate`, an implicit constructor) are not checked.
 */
function sourceMapProblems(packageDir, jsFile, js, map) {
  const problems = [];
  const traced = new TraceMap(map, jsFile);
  const contents = traced.sources.map((source, index) => {
    const content = map.sourcesContent?.[index];
    if (typeof content === 'string' && content !== '') return content;
    const file = resolve(dirname(jsFile), map.sourceRoot ?? '', source);
    if (file.startsWith(packageDir + '/') && existsSync(file)) return readFileSync(file, 'utf8');
    problems.push(`${source}: neither in sourcesContent nor in the package`);
    return undefined;
  });
  const generated = js.split('\n');
  const lines = contents.map((content) => content?.split('\n'));
  let checked = 0;
  eachMapping(traced, (mapping) => {
    if (mapping.source === null) return;
    const index = traced.resolvedSources.indexOf(mapping.source);
    const id = /^[A-Za-z_$][\w$]{2,}/.exec(generated[mapping.generatedLine - 1]?.slice(mapping.generatedColumn) ?? '')?.[0];
    if (!id || id === 'this' || !contents[index]?.includes(id)) return;
    checked += 1;
    const line = lines[index][mapping.originalLine - 1] ?? '';
    if (!new RegExp(`(^|[^\\w$])${id.replaceAll('$', '\\$')}($|[^\\w$])`).test(line) && problems.length < 5) {
      problems.push(`${id} at ${mapping.generatedLine}:${mapping.generatedColumn} maps to ${traced.sources[index]}:${mapping.originalLine}, ${JSON.stringify(line.trim().slice(0, 60))}`);
    }
  });
  return { problems, checked, contents };
}

const kB = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;

/** Starts `node <script>` of the scratch app and waits for the JSON line it prints once it is listening. */
async function startScript(cwd, script, env) {
  const child = spawn(process.execPath, [script], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const info = await new Promise((done, fail) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      if (stdout.includes('\n')) done(JSON.parse(stdout.slice(0, stdout.indexOf('\n'))));
    });
    child.once('exit', (code) => fail(new Error(`${script} exited ${code}: ${stderr}`)));
  });
  return { child, info, stderr: () => stderr };
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  await exited;
}

/**
 * Opens the page in Chromium and waits until `<tsy-checkout>` shows the order: `select` is reached once the order came
 * from the BFF and the lazily loaded picker is defined. Answers what the page shows, and every error and failed load.
 */
async function checkoutOnPage(url) {
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] });
  try {
    const page = await browser.newPage();
    const problems = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    // A failed load is reported with its URL below (Chromium's console line names none); the page has no favicon.
    page.on('console', (message) => message.type() === 'error' && !message.text().startsWith('Failed to load resource') && problems.push(`console: ${message.text()}`));
    page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && problems.push(`HTTP ${response.status()} ${response.url()}`));
    page.on('requestfailed', (request) => problems.push(`failed: ${request.url()} ${request.failure()?.errorText}`));
    await page.goto(url);
    await page.waitForFunction(() => document.querySelector('tsy-checkout')?.getAttribute('state') === 'select');
    const seen = await page.evaluate(() => {
      const element = document.querySelector('tsy-checkout');
      return {
        upgraded: customElements.get('tsy-checkout') === element.constructor,
        shadowChildren: element.shadowRoot?.childElementCount ?? 0,
        picker: customElements.get('tsy-method-picker') !== undefined && element.shadowRoot.querySelector('tsy-method-picker') !== null,
        text: element.shadowRoot.textContent,
      };
    });
    return { ...seen, problems };
  } finally {
    await browser.close();
  }
}

function assertCheckoutShown(seen) {
  assert.equal(seen.upgraded, true, 'the element is upgraded');
  assert.ok(seen.shadowChildren > 0, 'its shadow root is rendered');
  assert.equal(seen.picker, true, 'the picker is defined and shown');
  assert.match(seen.text, /8\.80/, 'the order’s amount, from the BFF');
  assert.deepEqual(seen.problems, []);
}

describe('the packed packages, installed from their tarballs into an app outside the workspace', () => {
  const started = Date.now();
  const root = mkdtempSync(join(tmpdir(), 'tsy-pack-check-'));
  const tarballs = join(root, 'tarballs');
  const app = join(root, 'app');
  /** name → { tarball, packedBytes } */
  const packed = new Map();
  /** The scratch app's servers, stopped after the tests. */
  const children = [];
  let urls;

  before(async () => {
    mkdirSync(tarballs);
    for (const dir of PUBLISHED) {
      const { stdout } = await mustRun('pnpm', ['pack', '--json', '--pack-destination', tarballs], { cwd: join(workspace, 'packages', dir) });
      const info = JSON.parse(stdout);
      packed.set(info.name, { tarball: info.filename, packedBytes: statSync(info.filename).size });
    }
    cpSync(join(here, 'scratch'), app, { recursive: true });
    // better-sqlite3 (of @tsy/bff) compiles in its install script: allowed by name, as npm 12 will require.
    const manifest = { name: 'tsy-scratch-shop', private: true, type: 'module', allowScripts: { 'better-sqlite3': true } };
    writeFileSync(join(app, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
    await mustRun('npm', ['install', '--no-audit', '--no-fund', ...[...packed.values()].map((p) => p.tarball), ...REGISTRY_DEPENDENCIES], { cwd: app, env: scratchEnv() });
  });

  after(async () => {
    for (const child of children) await stop(child);
    rmSync(root, { recursive: true, force: true });
  });

  it('installed every @tsy package from its tarball, none from the registry, with nothing of the workspace in it', async (t) => {
    const lock = JSON.parse(readFileSync(join(app, 'package-lock.json'), 'utf8'));
    const ours = Object.entries(lock.packages).filter(([path]) => /(^|\/)node_modules\/@tsy\//.test(path));
    assert.deepEqual(ours.map(([path]) => path).sort(), [...packed.keys()].map((name) => `node_modules/${name}`).sort(), 'each once, at the top, deduplicated');
    for (const [path, entry] of ours) assert.match(entry.resolved ?? '', /^file:\.\.\/tarballs\/tsy-[\w-]+-\d+\.\d+\.\d+\.tgz$/, path);

    const rows = [];
    for (const [name, { tarball, packedBytes }] of packed) {
      const dir = join(app, 'node_modules', name);
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
      assert.equal(pkg.private, undefined, `${name} is not private`);
      assert.equal(pkg.license, 'MIT', name);
      assert.equal(pkg.engines?.node, '>=20', name);
      assert.ok(existsSync(join(dir, 'LICENSE')) && existsSync(join(dir, 'README.md')), `${name} ships LICENSE and README.md`);
      assert.ok(!existsSync(join(dir, 'src')), `${name} ships no src/`);
      for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
        for (const [dep, range] of Object.entries(pkg[field] ?? {})) assert.doesNotMatch(range, /^(workspace|link|file):/, `${name} ${field}.${dep}`);
      }
      const { targets, conditions } = exportsOf(pkg.exports);
      // A `development` condition would send Vite's dev server (and anything else resolving it) to a src/ not shipped.
      assert.deepEqual([...conditions].filter((c) => c !== 'types' && c !== 'default'), [], `${name}'s exports use only types and default`);
      assert.ok(conditions.has('types'), `${name}'s exports name their types`);
      for (const target of [...targets, ...Object.values(pkg.bin ?? {})]) assert.ok(existsSync(join(dir, target)), `${name}: ${target} is in the package`);
      assert.equal(pkg.publishConfig, undefined, `${name}: pnpm applied publishConfig`);
      const files = filesUnder(dir);
      rows.push(`${name}: ${kB(packedBytes)} packed (${tarball.split('/').pop()}), ${kB(files.reduce((sum, file) => sum + statSync(file).size, 0))} unpacked, ${files.length} files`);
    }
    for (const row of rows) t.diagnostic(row);
    t.diagnostic(`packed and installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  });

  it('every source map of every tarball carries its sources, the workspace’s own, and maps identifiers to their lines', async (t) => {
    const rows = [];
    for (const name of packed.keys()) {
      const dir = join(app, 'node_modules', name);
      const files = filesUnder(dir);
      const maps = files.filter((file) => file.endsWith('.map'));
      let checked = 0;
      for (const jsFile of files.filter((file) => file.endsWith('.js'))) {
        const js = readFileSync(jsFile, 'utf8');
        const url = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(js)?.[1];
        if (url === undefined) continue;
        const mapFile = resolve(dirname(jsFile), url);
        assert.ok(maps.includes(mapFile), `${relative(app, jsFile)}: its map ${url} is in the package`);
        const map = JSON.parse(readFileSync(mapFile, 'utf8'));
        const found = sourceMapProblems(dir, jsFile, js, map);
        assert.deepEqual(found.problems, [], relative(app, mapFile));
        checked += found.checked;
        // The sources are the ones the package was built from, not a stale or other copy.
        map.sources.forEach((source, index) => {
          const inWorkspace = resolve(workspace, 'packages', name.replace('@tsy/', ''), relative(dir, resolve(dirname(jsFile), map.sourceRoot ?? '', source)));
          assert.equal(found.contents[index], readFileSync(inWorkspace, 'utf8'), `${relative(app, mapFile)}: ${source} is ${relative(workspace, inWorkspace)}`);
        });
      }
      assert.ok(maps.length > 0, `${name} ships source maps`);
      for (const mapFile of maps) assert.ok(existsSync(mapFile.slice(0, -'.map'.length)), `${relative(app, mapFile)} maps a file of the package`);
      rows.push(`${name}: ${maps.length} source maps, ${checked} mapped identifiers checked`);
    }
    for (const row of rows) t.diagnostic(row);

    // Controls: the check must see a map without its sources, and a map one line off (what a minifier that leaves tsc's
    // map alone makes).
    const dir = join(app, 'node_modules', '@tsy/widgets');
    const jsFile = join(dir, 'dist/components/checkout/tsy-checkout.js');
    const js = readFileSync(jsFile, 'utf8');
    const map = JSON.parse(readFileSync(`${jsFile}.map`, 'utf8'));
    assert.match(sourceMapProblems(dir, jsFile, js, { ...map, sourcesContent: undefined }).problems.join('\n'), /neither in sourcesContent nor in the package/);
    assert.notDeepEqual(sourceMapProblems(dir, jsFile, `\n${js}`, map).problems, [], 'a map one line off is found');
  });

  it('a BFF mounted in an Express app creates a payment at the sandbox over HTTP, and the wallet pays it', async () => {
    const keys = join(root, 'keys');
    // The tarball's own CLI makes the test keys, as its README says.
    await mustRun(join(app, 'node_modules', '.bin', 'tsy-yunst'), ['keys', '--out', keys], { cwd: app, env: scratchEnv() });
    const server = await startScript(app, 'server.mjs', scratchEnv({ KEYS_DIR: keys, DATA_DIR: join(root, 'bff-data'), WEB_DIR: join(app, 'dist') }));
    children.push(server.child);
    urls = server.info;
    const { merchantUrl, sandboxUrl } = urls;
    const post = async (path, body, headers = {}) => {
      const response = await fetch(merchantUrl + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
      return { status: response.status, body: await response.json() };
    };

    // The platform asks for a bound phone before a payer's first order: the code is in the sandbox's SMS inbox.
    const payer = { 'x-payer': 'scratch-payer-http' };
    const phone = '13900001234';
    assert.equal((await post('/api/checkout/payer/phone/code', { phone }, payer)).status, 200);
    const [sms] = await (await fetch(`${sandboxUrl}/sandbox/sms?format=json&phone=${phone}`)).json();
    assert.ok(sms, 'the sandbox sent a code');
    assert.deepEqual(await post('/api/checkout/payer/phone', { phone, verificationCode: sms.code }, payer), { status: 200, body: { phoneBound: true } });

    const created = await post('/api/checkout/orders/SO-HTTP/payments', { method: 'SCAN_WEIXIN', amount: 1 });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.state, 'pending');
    assert.equal(created.body.amount, 1234, 'the merchant’s amount, not the browser’s');
    assert.equal(created.body.action.type, 'qr');
    assert.ok(created.body.action.payInfo.startsWith(`${sandboxUrl}/sandbox/wallet/`), created.body.action.payInfo);

    const paid = await fetch(created.body.action.payInfo, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'action=pay', redirect: 'manual' });
    await paid.arrayBuffer();
    assert.equal(paid.status, 200);
    // The status read asks the platform (onDemandSeconds 0), which says paid: signed, verified, applied.
    const view = await (await fetch(`${merchantUrl}/api/checkout/payments/${created.body.bizOrderNo}`)).json();
    assert.equal(view.state, 'success', JSON.stringify(view));
    assert.equal(view.settlement, 'paid');
    assert.equal(server.stderr(), '', 'the server wrote no errors');
  });

  it('Vite builds a page importing @tsy/widgets, and <tsy-checkout> upgrades in Chromium and loads its order', async () => {
    assert.ok(urls, 'the server of the previous test is running');
    await mustRun(join(app, 'node_modules', '.bin', 'vite'), ['build', '--logLevel', 'warn'], { cwd: app, env: scratchEnv() });
    const chunks = readdirSync(join(app, 'dist', 'assets')).filter((file) => file.endsWith('.js'));
    assert.ok(chunks.length > 1, `the lazy elements are chunks of their own: ${chunks.join(', ')}`);

    // The merchant server serves the build, so the page and its /api/checkout share an origin.
    assertCheckoutShown(await checkoutOnPage(`${urls.merchantUrl}/`));
  });

  it('in Vite’s dev server too (which resolves a `development` condition), <tsy-checkout> upgrades and loads its order', async () => {
    assert.ok(urls, 'the server of the BFF test is running');
    const dev = await startScript(app, 'dev.mjs', scratchEnv({ MERCHANT_URL: urls.merchantUrl }));
    children.push(dev.child);
    assertCheckoutShown(await checkoutOnPage(dev.info.url));
    await stop(dev.child);
    assert.equal(dev.stderr(), '', 'Vite warned of nothing');
  });

  // skipLibCheck off: the packages' .d.ts files themselves must compile in a shop's project, with only their dependencies.
  const tsc = join(app, 'node_modules', '.bin', 'tsc');
  const compile = async (file, moduleResolution, { lib = ['ES2023', 'DOM', 'DOM.Iterable'], types = [] } = {}) => {
    const config = join(app, 'types', `tsconfig.${file}.${moduleResolution}.json`);
    const compilerOptions = { strict: true, noEmit: true, target: 'ES2022', lib, types, skipLibCheck: false, module: moduleResolution === 'bundler' ? 'ESNext' : 'NodeNext', moduleResolution };
    writeFileSync(config, JSON.stringify({ compilerOptions, files: [`${file}.ts`] }));
    return run(tsc, ['-p', config, '--pretty', 'false'], { cwd: app, env: scratchEnv() });
  };

  it('tsc types `querySelector("tsy-checkout")` and every tsy-* event detail from the tarballs, and the control fails', async () => {
    // A Vite page is usually checked with `bundler` resolution, a Node-style project with `nodenext`: both must see the types.
    for (const resolution of ['bundler', 'nodenext']) {
      const consumer = await compile('consumer', resolution);
      assert.equal(consumer.code, 0, `consumer.ts (${resolution}):\n${consumer.stdout}${consumer.stderr}`);

      const control = await compile('control', resolution);
      assert.notEqual(control.code, 0, `control.ts (${resolution}) must not compile`);
      const errorLines = [...control.stdout.matchAll(/^(.+?)\((\d+),\d+\): error TS\d+/gm)].map(([, file, line]) => `${file.split('/').pop()}:${line}`);
      const marked = readFileSync(join(app, 'types', 'control.ts'), 'utf8')
        .split('\n')
        .flatMap((text, index) => (text.endsWith('// expect-error') ? [`control.ts:${index + 1}`] : []));
      assert.equal(marked.length, 5);
      assert.deepEqual([...new Set(errorLines)].sort(), marked.sort(), `exactly the marked lines fail (${resolution}):\n${control.stdout}`);
    }
  });

  it('tsc compiles a TypeScript merchant server against the types of @tsy/bff, @tsy/sandbox and @tsy/yunst', async () => {
    const compiled = await compile('server', 'nodenext', { lib: ['ES2023'], types: ['node'] });
    assert.equal(compiled.code, 0, `server.ts:\n${compiled.stdout}${compiled.stderr}`);
  });
});
