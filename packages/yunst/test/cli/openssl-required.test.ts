// The OpenSSL interop tests of tsy-yunst.test.ts fail, not skip, on a machine without openssl; only TSY_SKIP_OPENSSL=1
// skips them, and the output says so. Checked by running that file in a child process whose PATH has no openssl.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));
const cliTests = fileURLToPath(new URL('./tsy-yunst.test.ts', import.meta.url));
// An empty directory as the whole PATH: node is started by its full path, and nothing else the tests run is looked up.
const emptyPath = mkdtempSync(join(tmpdir(), 'tsy-no-openssl-'));
after(() => rmSync(emptyPath, { recursive: true, force: true }));

function runOpensslTests(extraEnv: Record<string, string>): Promise<{ code: number | null; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // The parent test runner's channel: a child run with it would report to us in the runner's wire format, not TAP.
  delete env.NODE_TEST_CONTEXT;
  delete env.OPENSSL;
  delete env.TSY_SKIP_OPENSSL;
  delete env.CI;
  Object.assign(env, { PATH: emptyPath, NODE_OPTIONS: '' }, extraEnv);
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', '--test', '--test-reporter=tap', '--test-name-pattern=OpenSSL', cliTests], { cwd: packageDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

const count = (output: string, what: string) => Number(new RegExp(`^# ${what} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN);

describe('OpenSSL interop tests without openssl', () => {
  it('fail with CI=true, saying openssl is missing and how to skip', async () => {
    const { code, output } = await runOpensslTests({ CI: 'true' });
    assert.notEqual(code, 0, output);
    assert.ok(count(output, 'fail') >= 1, output);
    assert.match(output, /openssl is not installed .*TSY_SKIP_OPENSSL=1/);
  });

  it('fail outside CI too: only the explicit variable skips', async () => {
    const { code, output } = await runOpensslTests({});
    assert.notEqual(code, 0, output);
    assert.ok(count(output, 'fail') >= 1, output);
  });

  it('with TSY_SKIP_OPENSSL=1: skipped, and the output says why', async () => {
    const { code, output } = await runOpensslTests({ CI: 'true', TSY_SKIP_OPENSSL: '1' });
    assert.equal(code, 0, output);
    assert.equal(count(output, 'fail'), 0, output);
    assert.ok(count(output, 'skipped') >= 1, output);
    assert.match(output, /# SKIP TSY_SKIP_OPENSSL=1: the OpenSSL interop tests were not run/);
  });
});
