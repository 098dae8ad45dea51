// @tsy/testing's throwaway PostgreSQL: found on PATH or in Debian's folders, and a clear error naming the package when it
// is not installed (the store tests then fail: they never skip).
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { findPostgresBin } from '../../../testing/src/postgres.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-pg-bin-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function fakeInstall(bin: string): void {
  mkdirSync(bin, { recursive: true });
  for (const name of ['initdb', 'pg_ctl']) {
    writeFileSync(join(bin, name), '#!/bin/sh\n');
    chmodSync(join(bin, name), 0o755);
  }
}

describe('findPostgresBin', () => {
  it('names the Debian package when neither PATH nor /usr/lib/postgresql has the server binaries', () => {
    assert.throws(() => findPostgresBin({ path: join(dir, 'empty'), debianRoot: join(dir, 'no-debian') }), /install Debian's `postgresql` package/);
  });

  it('takes PATH first, else the newest of Debian’s versioned folders', () => {
    const debianRoot = join(dir, 'lib');
    fakeInstall(join(debianRoot, '13', 'bin'));
    fakeInstall(join(debianRoot, '15', 'bin'));
    assert.equal(findPostgresBin({ path: join(dir, 'empty'), debianRoot }), join(debianRoot, '15', 'bin'));
    fakeInstall(join(dir, 'path-bin'));
    assert.equal(findPostgresBin({ path: `${join(dir, 'empty')}:${join(dir, 'path-bin')}`, debianRoot }), join(dir, 'path-bin'));
  });
});
