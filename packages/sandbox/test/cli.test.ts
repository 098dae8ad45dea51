// The start script: a key set is created on first use and reused; the output names URLs and files, never secrets.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildSignedRequest, formatCstTimestamp, loadMerchantKey, loadPlatformKey, verifyResponse } from '@tsy/yunst';
import { CliUsageError, DEFAULT_SYSID, runSandboxCli } from '../src/cli.js';

describe('tsy-sandbox CLI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tsy-sandbox-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  const run = async (args: string[]) => {
    let output = '';
    const server = await runSandboxCli(args, { stdout: { write: (text: string) => (output += text) }, env: {} });
    return { server, output };
  };

  it('creates keys in an empty --keys dir, prints the endpoints and answers requests signed with those keys', async () => {
    const keys = join(dir, 'keys');
    const { server, output } = await run(['--port', '0', '--keys', keys]);
    try {
      assert.match(output, /Created a new test key set/);
      assert.match(output, new RegExp(`sysid +${DEFAULT_SYSID}`));
      for (const path of ['/service/soa', '/yungateway/frontTrans.do', '/yungateway/pwd/payOrder.html', '/sandbox/sms']) {
        assert.ok(output.includes(`${server!.url}${path}`), path);
      }
      const password = readFileSync(join(keys, 'merchant.pfx.password'), 'utf8');
      assert.ok(!output.includes(password), 'the .pfx password is never printed');
      assert.doesNotMatch(output, /PRIVATE KEY/);

      const merchant = loadMerchantKey(join(keys, 'merchant.pfx'), password);
      const fields = buildSignedRequest(
        { sysid: DEFAULT_SYSID, service: 'MemberService', method: 'createMember', param: { bizUserId: 'cli-1', memberType: 3, source: 1 }, timestamp: formatCstTimestamp() },
        merchant,
      );
      const response = await fetch(`${server!.url}/service/soa`, { method: 'POST', body: new URLSearchParams({ ...fields }) });
      const answer = verifyResponse(await response.text(), loadPlatformKey(join(keys, 'platform.cer')));
      assert.equal(answer.status, 'OK');
    } finally {
      await server!.close();
    }
    const second = await run(['--port', '0', '--keys', keys, '--sysid', '1234567890']);
    await second.server!.close();
    assert.doesNotMatch(second.output, /Created/);
    assert.match(second.output, /sysid +1234567890/);
  });

  it('refuses a partial key set and bad options', async () => {
    const partial = join(dir, 'partial');
    const { server } = await run(['--port', '0', '--keys', partial]);
    await server!.close();
    writeFileSync(join(partial, 'platform.key'), '');
    rmSync(join(partial, 'merchant.cer'));
    await assert.rejects(run(['--port', '0', '--keys', partial]), CliUsageError);
    await assert.rejects(run(['--port', 'x', '--keys', partial]), CliUsageError);
    await assert.rejects(run(['--nope']), /Unknown option/);
  });

  it('--help prints the options and starts nothing', async () => {
    const { server, output } = await run(['--help']);
    assert.equal(server, undefined);
    assert.match(output, /--public-base-url/);
  });
});
