// `npm test` / `npm start` must work on a machine that has only Node and npm. This installs the pinned pnpm when it is
// missing (corepack cannot download here) and then the workspace's dependencies.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

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
