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

  it('--answer-delay-ms holds every /service/soa answer that long after its request arrived, an error answer too', async () => {
    const keys = join(dir, 'delay-keys');
    const { server } = await run(['--port', '0', '--keys', keys, '--answer-delay-ms', '300']);
    try {
      const merchant = loadMerchantKey(join(keys, 'merchant.pfx'), readFileSync(join(keys, 'merchant.pfx.password'), 'utf8'));
      const platform = loadPlatformKey(join(keys, 'platform.cer'));
      const call = async (sysid: string) => {
        const fields = buildSignedRequest(
          { sysid, service: 'MemberService', method: 'createMember', param: { bizUserId: `delay-${sysid}`, memberType: 3, source: 1 }, timestamp: formatCstTimestamp() },
          merchant,
        );
        const started = performance.now();
        const text = await (await fetch(`${server!.url}/service/soa`, { method: 'POST', body: new URLSearchParams({ ...fields }) })).text();
        return { elapsed: performance.now() - started, text };
      };
      const ok = await call(DEFAULT_SYSID);
      assert.equal(verifyResponse(ok.text, platform).status, 'OK');
      // A timer may fire up to a millisecond early on the server's clock: the answer is held the delay, not a bound on speed.
      assert.ok(ok.elapsed >= 299, `answered after ${ok.elapsed.toFixed(1)} ms`);
      const refused = await call('1234567890');
      assert.match(refused.text, /20000/);
      assert.ok(refused.elapsed >= 299, `error answered after ${refused.elapsed.toFixed(1)} ms`);
    } finally {
      await server!.close();
    }
    await assert.rejects(run(['--port', '0', '--keys', keys, '--answer-delay-ms=-1']), CliUsageError);
    await assert.rejects(run(['--port', '0', '--keys', keys, '--answer-delay-ms', 'soon']), CliUsageError);
  });

  it('--help prints the options and starts nothing', async () => {
    const { server, output } = await run(['--help']);
    assert.equal(server, undefined);
    assert.match(output, /--public-base-url/);
  });
});
