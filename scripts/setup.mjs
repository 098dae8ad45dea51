// `npm test` / `npm start` must work on a machine that has only Node and npm. This installs the pinned pnpm when it is
// missing (corepack cannot download here) and then the workspace's dependencies; with `--browser` (npm test) also Debian's
// Chromium and CJK fonts for the browser tests — never a browser downloaded by a test tool; with `--postgres` (npm test)
// Debian's PostgreSQL server binaries, which the store tests start a cluster of their own with (no service is used).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const wanted = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).config.pnpm;
let have = '';
try {
  have = execFileSync('pnpm', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
} catch {
  // not installed
}
if (have !== wanted) {
  console.log(`installing pnpm@${wanted} (found: ${have || 'none'})`);
  execFileSync('npm', ['install', '--global', '--allow-scripts=pnpm', `pnpm@${wanted}`], { stdio: 'inherit' });
}

// better-sqlite3 compiles from source here (its prebuilt download is unreachable); node-gyp must use the headers of the
// installed Node rather than download them.
const env = { ...process.env };
if (!env.npm_config_nodedir && existsSync('/usr/include/node/node.h')) env.npm_config_nodedir = '/usr';
execFileSync('pnpm', ['install', '--frozen-lockfile'], { stdio: 'inherit', env });

if (process.argv.includes('--browser')) {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  let fonts = '';
  try {
    fonts = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  } catch {
    // fontconfig not installed yet: it comes with chromium
  }
  const missing = [...(existsSync(chromium) ? [] : ['chromium']), ...(fonts.trim() ? [] : ['fonts-noto-cjk'])];
  if (missing.length > 0) {
    if (process.getuid?.() !== 0) {
      console.error(`the browser tests need ${missing.join(' and ')}: run \`sudo apt-get install -y ${missing.join(' ')}\` (or set CHROMIUM_PATH)`);
      process.exit(1);
    }
    console.log(`installing ${missing.join(', ')} from Debian's packages`);
    const apt = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
    execFileSync('apt-get', ['update', '-qq'], apt);
    execFileSync('apt-get', ['install', '-y', '-qq', ...missing], apt);
  }
}

/**
 * Where @tsy/testing's startPostgres looks (findPostgresBin): PATH, then Debian's /usr/lib/postgresql/<version>/bin. Its
 * own copy: this runs before anything is installed or built.
 */
function hasInitdb() {
  const dirs = (process.env.PATH ?? '').split(':').filter(Boolean);
  if (existsSync('/usr/lib/postgresql')) dirs.push(...readdirSync('/usr/lib/postgresql').map((version) => join('/usr/lib/postgresql', version, 'bin')));
  return dirs.some((dir) => existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl')));
}

if (process.argv.includes('--postgres') && !hasInitdb()) {
  if (process.getuid?.() !== 0) {
    console.error('the store tests need PostgreSQL\'s server binaries (initdb, pg_ctl): run `sudo apt-get install -y postgresql`');
    process.exit(1);
  }
  console.log("installing postgresql from Debian's packages");
  const apt = { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } };
  // Only the binaries are wanted: no `main` cluster made and started on port 5432 (the tests start clusters of their own).
  mkdirSync('/etc/postgresql-common', { recursive: true });
  if (!existsSync('/etc/postgresql-common/createcluster.conf')) writeFileSync('/etc/postgresql-common/createcluster.conf', 'create_main_cluster = false\n');
  execFileSync('apt-get', ['update', '-qq'], apt);
  execFileSync('apt-get', ['install', '-y', '-qq', '-o', 'Dpkg::Options::=--force-confold', 'postgresql'], apt);
}
