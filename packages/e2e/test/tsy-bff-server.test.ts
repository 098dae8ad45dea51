// The standalone `tsy-bff` server (the built bin): configuration from TSY_* variables, hooks from the module its config
// names, real HTTP against the sandbox. An invalid configuration refuses to start and lists every problem.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { SYSID, addOrder, api, bindPayerPhone, cleanup, eventually, startMerchant, startSandbox, tempDir, testKeys, walletAction, type RunningSandbox } from '../src/harness.js';

const bin = fileURLToPath(new URL('../../bff/bin/tsy-bff.js', import.meta.url));
const dir = tempDir('tsy-bff-bin-');
let sandbox: RunningSandbox;
let server: ChildProcess | undefined;

function run(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [bin], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  return { child, output: () => output, exited: new Promise((resolve) => child.on('exit', resolve)) };
}

before(async () => {
  sandbox = await startSandbox();
});
after(async () => {
  server?.kill('SIGTERM');
  await sandbox.close();
  cleanup(dir);
});

describe('tsy-bff (standalone server)', () => {
  it('refuses an invalid configuration, listing every problem and no secret', async () => {
    const { output, exited } = run({ TSY_SYSID: 'abc', TSY_MERCHANT_PFX: '/nowhere.pfx', TSY_MERCHANT_PFX_PASSWORD: 'hunter2-secret', TSY_PUBLIC_BASE_URL: 'http://shop.example.com/#/x' });
    assert.equal(await exited, 1);
    assert.match(output(), /sysid/);
    assert.match(output(), /platformCertFile/);
    assert.match(output(), /publicBaseUrl/);
    assert.doesNotMatch(output(), /hunter2-secret/);
  });

  it('outside sandbox mode, refuses to start without fallbackConsumerIp', async () => {
    const keys = testKeys();
    const { output, exited } = run({
      TSY_SYSID: SYSID,
      TSY_MERCHANT_PFX: keys.merchantPfx,
      TSY_MERCHANT_PFX_PASSWORD_FILE: keys.merchantPfxPassword,
      TSY_PLATFORM_CERT: keys.platformCer,
      TSY_ENVIRONMENT: 'test',
      TSY_PUBLIC_BASE_URL: 'https://shop.example.com',
    });
    assert.equal(await exited, 1);
    assert.match(output(), /fallbackConsumerIp: required when environment is "test"/);
  });

  const sandboxEnv = (hooks: string): Record<string, string> => {
    const keys = testKeys();
    return {
      TSY_SYSID: SYSID,
      TSY_MERCHANT_PFX: keys.merchantPfx,
      TSY_MERCHANT_PFX_PASSWORD_FILE: keys.merchantPfxPassword,
      TSY_PLATFORM_CERT: keys.platformCer,
      TSY_SANDBOX_URL: sandbox.url,
      TSY_PUBLIC_BASE_URL: 'http://127.0.0.1',
      TSY_DATA_DIR: join(dir, 'data'),
      TSY_HOOKS_MODULE: hooks,
      TSY_BFF_PORT: '0',
      TSY_BFF_HOST: '127.0.0.1',
    };
  };

  it('a merchant key it cannot open (a wrong password) is a configuration problem, said without the password or a stack', async () => {
    const hooks = join(dir, 'hooks-key.mjs');
    writeFileSync(hooks, `export default { resolveOrder: () => undefined, resolvePayer: () => undefined };\n`);
    const { TSY_MERCHANT_PFX_PASSWORD_FILE: _file, ...env } = sandboxEnv(hooks);
    for (const args of [[], ['refund-flagged']]) {
      const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH ?? '', ...env, TSY_MERCHANT_PFX_PASSWORD: 'not-the-password-4711' }, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout!.on('data', (chunk) => (output += chunk));
      child.stderr!.on('data', (chunk) => (output += chunk));
      assert.equal(await new Promise((resolve) => child.on('exit', resolve)), 1, output);
      assert.match(output, /invalid tsy-bff configuration:\n {2}- .*merchant\.pfx/);
      assert.doesNotMatch(output, /not-the-password-4711|    at /);
    }
  });

  it('refuses to start with hooks that do not say who the payer is (no resolvePayer)', async () => {
    const hooks = join(dir, 'hooks-without-payer.mjs');
    writeFileSync(hooks, `export default { resolveOrder: () => undefined };\n`);
    const { output, exited } = run(sandboxEnv(hooks));
    assert.equal(await exited, 1);
    assert.match(output(), /no resolvePayer/);
    assert.doesNotMatch(output(), /listening/);
  });

  it('serves the checkout API with the hooks from the configured module', async () => {
    const keys = testKeys();
    const hooks = join(dir, 'hooks.mjs');
    writeFileSync(
      hooks,
      `export default {\n  resolveOrder: (id) => (id === 'SO-BIN-1' ? { amount: 4321, subject: 'bin', payer: { bizUserId: 'bin-payer' } } : undefined),\n  resolvePayer: (req) => (req.get('x-shop-session') === 'bin' ? { bizUserId: 'bin-payer' } : undefined),\n};\n`,
    );
    const started = run(sandboxEnv(hooks));
    server = started.child;
    const port = await eventually(() => /listening on http:\/\/localhost:(\d+)/.exec(started.output())?.[1], 10_000, 'tsy-bff to listen');
    const order = await api(`http://127.0.0.1:${port}`, '/api/checkout/orders/SO-BIN-1');
    assert.equal(order.status, 200);
    assert.equal(order.body.amount, 4321);
    assert.equal((await api(`http://127.0.0.1:${port}`, '/api/checkout/orders/OTHER')).status, 404);
    // A new attempt only for the payer the module's resolvePayer names (this one has no phone yet: the next step says so),
    // and from no other site's page.
    const create = (headers: Record<string, string>) => api(`http://127.0.0.1:${port}`, '/api/checkout/orders/SO-BIN-1/payments', { body: { method: 'SCAN_WEIXIN' }, headers });
    assert.equal((await create({})).status, 404);
    assert.equal((await create({ 'x-shop-session': 'bin' })).body.error.code, 'payer_phone_required');
    assert.equal((await create({ 'x-shop-session': 'bin', origin: 'https://evil.example' })).body.error.code, 'cross_origin_refused');
    assert.doesNotMatch(started.output(), new RegExp(keys.password));
    // The standalone server owns its headers (helmet): nothing it serves may be sniffed, framed or run as a page.
    const headers = (await fetch(`http://127.0.0.1:${port}/api/checkout/orders/SO-BIN-1`)).headers;
    assert.equal(headers.get('x-content-type-options'), 'nosniff');
    assert.equal(headers.get('content-security-policy'), "default-src 'none';frame-ancestors 'none'");
    assert.equal(headers.get('x-powered-by'), null);
    // Where consumerIp comes from is said once, with the trust proxy the standalone server applied from the config.
    await eventually(() => /consumerIp from req\.ip \(trust proxy: false\)/.test(started.output()) || undefined, 2000, 'the consumerIp line');
    assert.equal(started.output().match(/consumerIp from req\.ip/g)?.length, 1);
  });

  it('refund-flagged refunds a double payment once, prints what it did, and says how it is used', async () => {
    const dataDir = join(dir, 'flagged');
    const merchant = await startMerchant({ sandboxUrl: sandbox.url, dataDir });
    const payer = `bin-double-${process.pid}`;
    let second: string;
    try {
      await bindPayerPhone(merchant.url, sandbox.url, payer, '13500008888');
      const order = addOrder(merchant, payer, 650);
      const pay = async (method: string) => {
        const created = await api(merchant.url, `/api/checkout/orders/${order}/payments`, { body: { method }, headers: { 'x-test-payer': payer } });
        await walletAction(created.body.action.payInfo, 'pay');
        return created.body.bizOrderNo as string;
      };
      await pay('SCAN_WEIXIN');
      second = await pay('SCAN_ALIPAY');
      const store = merchant.router.services.context.store;
      await eventually(async () => ((await store.getPayment(second))?.settlement === 'double_paid' ? true : undefined), 5000, 'the double payment flagged');
    } finally {
      await merchant.close();
    }
    const hooks = join(dir, 'hooks-flagged.mjs');
    writeFileSync(hooks, `export default { resolveOrder: () => undefined, resolvePayer: () => undefined };\n`);
    const env = { ...sandboxEnv(hooks), TSY_DATA_DIR: dataDir };
    const wrong = spawn(process.execPath, [bin, 'refund-everything'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let wrongOutput = '';
    wrong.stderr!.on('data', (chunk) => (wrongOutput += chunk));
    assert.equal(await new Promise((resolve) => wrong.on('exit', resolve)), 2);
    assert.match(wrongOutput, /usage: tsy-bff/);
    const once = async () => {
      const child = spawn(process.execPath, [bin, 'refund-flagged'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout!.on('data', (chunk) => (stdout += chunk));
      child.stderr!.on('data', (chunk) => (stderr += chunk));
      const code = await new Promise((resolve) => child.on('exit', resolve));
      return { code, stderr, outcome: JSON.parse(stdout) as { refunded: { oriBizOrderNo: string; amount: number }[]; alreadyRefunded: { oriBizOrderNo: string }[] } };
    };
    const first = await once();
    assert.equal(first.code, 0, first.stderr);
    assert.deepEqual(first.outcome.refunded.map((refund) => [refund.oriBizOrderNo, refund.amount]), [[second!, 650]]);
    assert.match(first.stderr, /refunded 1, refunded before 0/);
    const rerun = await once();
    assert.deepEqual([rerun.outcome.refunded.length, rerun.outcome.alreadyRefunded.map((refund) => refund.oriBizOrderNo)], [0, [second!]]);
  });
});
