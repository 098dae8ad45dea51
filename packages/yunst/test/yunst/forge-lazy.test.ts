// node-forge is for PKCS#12 files only: importing the protocol core, or signing with a PEM key, must not load it.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const index = fileURLToPath(new URL('../../src/index.ts', import.meta.url));
const vectors = fileURLToPath(new URL('../vectors/', import.meta.url));

function forgeLoadedAfter(script: string): boolean {
  const probe = `
    const { createRequire } = await import('node:module');
    const core = await import(${JSON.stringify(index)});
    ${script}
    const require = createRequire(${JSON.stringify(index)});
    const forgePath = require.resolve('node-forge');
    console.log(Object.keys(require.cache).some((file) => file.startsWith(forgePath.slice(0, forgePath.indexOf('node-forge') + 10))));
  `;
  const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', probe], { encoding: 'utf8' });
  return out.trim().endsWith('true');
}

test('importing the core and signing with a PEM key does not load node-forge', () => {
  assert.equal(
    forgeLoadedAfter(`
      const { generateKeyPairSync } = await import('node:crypto');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });
      core.signRequest({ sysid: '1', req: '{}', timestamp: '2026-01-01 00:00:00' }, { privateKey });
    `),
    false,
  );
});

test('reading a .pfx loads it', () => {
  assert.equal(forgeLoadedAfter(`core.loadMerchantKey(${JSON.stringify(vectors + 'merchant-2006041448410260378.pfx')}, 'qidingdong123');`), true);
});
