// `npm test` / `npm start` must work on a machine that has only Node and npm: install the pinned pnpm when it is missing.
// corepack is not used: it cannot download here.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

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
