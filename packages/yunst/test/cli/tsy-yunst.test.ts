// The BUILT `tsy-yunst` bin, run as a child process against the real vectors, generated key sets and OpenSSL.
// Build first (`pnpm run build` in packages/bff; the repo's `npm test` does).
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { vectorPath } from '../support/paths.js';

const bin = fileURLToPath(new URL('../../bin/tsy-yunst.js', import.meta.url));
const builtCli = fileURLToPath(new URL('../../dist/cli/tsy-yunst.js', import.meta.url));
const OPENSSL = process.env.OPENSSL ?? 'openssl';
// The OpenSSL interop tests are the only check of this code against an independent implementation: a machine without
// openssl fails them (CI included) unless the skip is asked for explicitly, and then the output says so.
const opensslSkip = process.env.TSY_SKIP_OPENSSL === '1' ? 'TSY_SKIP_OPENSSL=1: the OpenSSL interop tests were not run' : false;
const opensslMissing = spawnSync(OPENSSL, ['version']).status !== 0;

const SYSID = '2006041448410260378';
const TIMESTAMP = '2026-11-26 14:00:00';
const PFX_PASSWORD = 'qidingdong123';
const EXPECTED_SIGN =
  'EPgpG6bfdPy/Pu/0ircnd99LLksPS7axP8GXgqWIT8vJvBzMqzZWaYnKv6FG8t7Bmf3tPLtFgSb5ryrWLHvFo/u+75cRFONJ1mFyw4fGlx45Q4k3VKZ9CZNU+zOz9L3t4TiLYh9irWHCKe2/vMbUxE0lmH0xV/u2z9IoVSgRT6g=';

const vectorPfx = vectorPath('merchant-2006041448410260378.pfx');
const platformCer = vectorPath('platform-test.cer');
const sampleReq = vectorPath('sample-req.json');
const responseFile = vectorPath('response-agentCollectApply-WECHATPAY_MINIPROGRAM.json');
const notificationFile = vectorPath('notification-signContract.form');

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(...args: string[]): Run {
  const result = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `cli`, without blocking: independent runs go in parallel. */
function cliAsync(...args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [bin, ...args], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } }, (error, stdout, stderr) => {
      if (error && typeof error.code !== 'number') reject(error);
      else resolve({ status: error ? (error.code as number) : 0, stdout, stderr });
    });
  });
}

function openssl(args: string[], input?: Buffer | string): Buffer {
  // Each interop test fails on its own (not cancelled by a hook), so the runner's count says how many did not run.
  if (opensslMissing) assert.fail(`${OPENSSL} is not installed (or does not run): install OpenSSL, or set TSY_SKIP_OPENSSL=1 to skip these tests`);
  const result = spawnSync(OPENSSL, args, input === undefined ? {} : { input });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${result.stderr.toString()}`);
  return result.stdout;
}

let tmp: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(tmp, name);
  writeFileSync(path, content);
  return path;
};

function signVector(reqFile: string): Run {
  return cli('sign', '--key', vectorPfx, '--password', PFX_PASSWORD, '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', reqFile);
}

/** Exactly one line of output and nothing else, nothing on stderr. */
function assertOnly(run: Run, stdout: string) {
  assert.equal(run.stderr, '');
  assert.equal(run.stdout, `${stdout}\n`);
  assert.equal(run.status, 0);
}

function assertUsageError(run: Run, pattern: RegExp) {
  assert.equal(run.status, 2, run.stderr);
  assert.equal(run.stdout, '');
  assert.match(run.stderr, pattern);
  assert.match(run.stderr, /Usage: tsy-yunst/);
}

before(() => {
  assert.ok(existsSync(builtCli), `${builtCli} is missing: run \`pnpm run build\` in packages/bff first`);
  tmp = mkdtempSync(join(tmpdir(), 'tsy-yunst-cli-'));
});
after(() => rmSync(tmp, { recursive: true, force: true }));

describe('tsy-yunst sign (vector .pfx)', () => {
  it('reproduces the expected signature exactly, and prints nothing else', () => {
    assertOnly(signVector(sampleReq), EXPECTED_SIGN);
  });

  it('ignores one trailing newline (LF or CRLF) of the req file, but not two', async () => {
    const req = readFileSync(sampleReq);
    const withTail = (name: string, tail: string) => file(name, Buffer.concat([req, Buffer.from(tail)]));
    const signAsync = (reqFile: string) =>
      cliAsync('sign', '--key', vectorPfx, '--password', PFX_PASSWORD, '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', reqFile);
    const [lf, crlf, twice] = await Promise.all([
      signAsync(withTail('req-lf.json', '\n')),
      signAsync(withTail('req-crlf.json', '\r\n')),
      signAsync(withTail('req-lflf.json', '\n\n')),
    ]);
    assertOnly(lf!, EXPECTED_SIGN);
    assertOnly(crlf!, EXPECTED_SIGN);
    assert.equal(twice!.status, 0);
    assert.match(twice!.stdout, /^[A-Za-z0-9+/]+=*\n$/);
    assert.notEqual(twice!.stdout, `${EXPECTED_SIGN}\n`);
  });

  it('reads the password from --password-file', () => {
    const passwordFile = file('vector.password', `${PFX_PASSWORD}\n`);
    const run = cli('sign', '--key', vectorPfx, '--password-file', passwordFile, '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', sampleReq);
    assertOnly(run, EXPECTED_SIGN);
  });

  it('a wrong password is exit 1 naming the file, and the password is never printed', () => {
    const run = cli('sign', '--key', vectorPfx, '--password', 'Wr0ngSecret', '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', sampleReq);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /merchant-2006041448410260378\.pfx: wrong password/);
    assert.doesNotMatch(run.stderr, /Wr0ngSecret/);
  });

  it('a missing key file or req file is exit 1 naming the file', () => {
    const missingKey = cli('sign', '--key', join(tmp, 'nope.pfx'), '--password', 'x', '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', sampleReq);
    assert.equal(missingKey.status, 1);
    assert.match(missingKey.stderr, /nope\.pfx: file not found/);
    const missingReq = signVector(join(tmp, 'nope.json'));
    assert.equal(missingReq.status, 1);
    assert.match(missingReq.stderr, /nope\.json: file not found/);
    assert.equal(missingReq.stdout, '');
  });

  it('a .pfx without a password is exit 1', () => {
    const run = cli('sign', '--key', vectorPfx, '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', sampleReq);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /merchant-2006041448410260378\.pfx: a password is required/);
  });

  it('rejects a timestamp that is not a real yyyy-MM-dd HH:mm:ss time (exit 2)', async () => {
    const timestamps = ['2026-11-26T14:00:00', '2026-11-26 14:00', '2026-02-30 14:00:00', '2026-11-26 24:00:00'];
    const runs = await Promise.all(
      timestamps.map((timestamp) =>
        cliAsync('sign', '--key', vectorPfx, '--password', PFX_PASSWORD, '--sysid', SYSID, '--timestamp', timestamp, '--req-file', sampleReq),
      ),
    );
    for (const run of runs) assertUsageError(run, /--timestamp must be/);
  });
});

describe('tsy-yunst verify-response (vector)', () => {
  it('OK for the real response', () => {
    assertOnly(cli('verify-response', '--cert', platformCer, '--file', responseFile), 'OK');
  });

  it('exit 1 when signedValue is tampered with', () => {
    const envelope = JSON.parse(readFileSync(responseFile, 'utf8')) as Record<string, string>;
    const tampered = { ...envelope, signedValue: envelope.signedValue!.replace('P20200408151314390', 'P20200408151314391') };
    assert.notEqual(tampered.signedValue, envelope.signedValue);
    const run = cli('verify-response', '--cert', platformCer, '--file', file('tampered.json', JSON.stringify(tampered)));
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /does not verify/);
  });

  it('exit 1 for an error response, saying it cannot be verified, with its code and message', () => {
    const body = '{"sign":"blkupOxNHisC","errorCode":"30000","message":"所属应用下已经存在此用户","status":"error"}';
    const run = cli('verify-response', '--cert', platformCer, '--file', file('error.json', body));
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /error response/);
    assert.match(run.stderr, /cannot be verified/);
    assert.match(run.stderr, /30000/);
    assert.match(run.stderr, /所属应用下已经存在此用户/);
  });

  it('exit 1 for a body that is not JSON, or a missing certificate file', () => {
    const notJson = cli('verify-response', '--cert', platformCer, '--file', file('not.json', 'status=OK'));
    assert.equal(notJson.status, 1);
    assert.match(notJson.stderr, /not JSON/);
    const noCert = cli('verify-response', '--cert', join(tmp, 'missing.cer'), '--file', responseFile);
    assert.equal(noCert.status, 1);
    assert.match(noCert.stderr, /missing\.cer: file not found/);
  });
});

describe('tsy-yunst verify-notification (vector)', () => {
  it('OK for the real notification', () => {
    assertOnly(cli('verify-notification', '--cert', platformCer, '--file', notificationFile), 'OK');
    assertOnly(cli('verify-notification', '--cert', platformCer, '--file', notificationFile, '--sysid', '1902271423530473681'), 'OK');
  });

  it('exit 1 when rps is tampered with, or the sysid is not the expected one', () => {
    const body = readFileSync(notificationFile, 'utf8');
    const tampered = body.replace('pojuiobhuigyurftydghgb', 'pojuiobhuigyurftydghgc');
    assert.notEqual(tampered, body);
    const run = cli('verify-notification', '--cert', platformCer, '--file', file('tampered.form', tampered));
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /does not verify/);
    const wrongSysid = cli('verify-notification', '--cert', platformCer, '--file', notificationFile, '--sysid', SYSID);
    assert.equal(wrongSysid.status, 1);
    assert.match(wrongSysid.stderr, /not 2006041448410260378/);
  });
});

describe('tsy-yunst with generated key sets', () => {
  let legacy: string;
  let modern: string;
  const password = (dir: string) => readFileSync(join(dir, 'merchant.pfx.password'), 'utf8');

  before(() => {
    legacy = join(tmp, 'keys-legacy', 'nested');
    modern = join(tmp, 'keys-modern');
    for (const [dir, extra] of [
      [legacy, []],
      [modern, ['--modern']],
    ] as const) {
      const run = cli('keys', '--out', dir, ...extra);
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.stderr, '');
      const names = ['merchant.pfx', 'merchant.pfx.password', 'merchant.cer', 'platform.key', 'platform.cer'];
      assert.deepEqual(run.stdout, names.map((name) => `${join(dir, name)}\n`).join(''));
      assert.doesNotMatch(run.stdout, new RegExp(password(dir)));
    }
  });

  it('keys refuses to overwrite an existing key set unless --force', () => {
    const before = readFileSync(join(modern, 'merchant.pfx'));
    const refused = cli('keys', '--out', modern, '--modern');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /already exist; use --force/);
    assert.deepEqual(readFileSync(join(modern, 'merchant.pfx')), before);
    const dir = join(tmp, 'keys-forced');
    assert.equal(cli('keys', '--out', dir).status, 0);
    const first = password(dir);
    assert.equal(cli('keys', '--out', dir, '--force').status, 0);
    assert.notEqual(password(dir), first);
  });

  it('the legacy and the modern .pfx both load: sign works with the password from the .password file', () => {
    const req = file('generated-req.json', '{"service":"MemberService","method":"createMember","param":{"bizUserId":"u1"}}');
    for (const dir of [legacy, modern]) {
      const pfx = join(dir, 'merchant.pfx');
      const withPassword = cli('sign', '--key', pfx, '--password', password(dir), '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', req);
      assert.equal(withPassword.status, 0, withPassword.stderr);
      assert.match(withPassword.stdout, /^[A-Za-z0-9+/]{342}==\n$/); // 256-byte RSA-2048 signature
      const withFile = cli('sign', '--key', pfx, '--password-file', join(dir, 'merchant.pfx.password'), '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', req);
      assertOnly(withFile, withPassword.stdout.trimEnd());
    }
  });

  it('a wrong password for a generated .pfx is exit 1 naming the file', () => {
    const run = cli('sign', '--key', join(legacy, 'merchant.pfx'), '--password', 'not-it', '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', sampleReq);
    assert.equal(run.status, 1);
    assert.match(run.stderr, /nested\/merchant\.pfx: wrong password/);
  });

  it('encrypt → decrypt round trip (merchant.cer / merchant.pfx, platform.cer / platform.key)', () => {
    const text = '6222 0210 0112 3456 789 张三 &+/=';
    for (const dir of [legacy, modern]) {
      const encrypted = cli('encrypt', '--cert', join(dir, 'merchant.cer'), '--text', text);
      assert.equal(encrypted.status, 0, encrypted.stderr);
      assert.match(encrypted.stdout, /^[0-9A-F]{512}\n$/);
      const decrypted = cli('decrypt', '--key', join(dir, 'merchant.pfx'), '--password', password(dir), '--hex', encrypted.stdout.trim());
      assertOnly(decrypted, text);
    }
    const forPlatform = cli('encrypt', '--cert', join(legacy, 'platform.cer'), '--text', text);
    assert.equal(forPlatform.status, 0);
    assertOnly(cli('decrypt', '--key', join(legacy, 'platform.key'), '--hex', forPlatform.stdout.trim().toLowerCase()), text);
  });

  it('decrypt with the wrong key, or ciphertext of the wrong size, is exit 1', () => {
    const encrypted = cli('encrypt', '--cert', join(legacy, 'merchant.cer'), '--text', 'secret').stdout.trim();
    const wrongKey = cli('decrypt', '--key', join(legacy, 'platform.key'), '--hex', encrypted);
    assert.equal(wrongKey.status, 1);
    assert.equal(wrongKey.stdout, '');
    assert.match(wrongKey.stderr, /^tsy-yunst decrypt: decryption failed/);
    const short = cli('decrypt', '--key', join(legacy, 'platform.key'), '--hex', 'ABCD');
    assert.equal(short.status, 1);
    assert.match(short.stderr, /512 hex digits/);
  });

  it('keys into a path that is a file is exit 1 with the reason', () => {
    const notADir = file('not-a-dir', 'x');
    const run = cli('keys', '--out', notADir);
    assert.equal(run.status, 1);
    assert.equal(run.stdout, '');
    assert.match(run.stderr, /^tsy-yunst keys: E[A-Z]+: .*not-a-dir/);
  });

  it('encrypt refuses a text longer than the key allows (exit 1)', () => {
    const run = cli('encrypt', '--cert', join(legacy, 'platform.cer'), '--text', 'x'.repeat(246));
    assert.equal(run.status, 1);
    assert.match(run.stderr, /at most 245/);
  });

  describe('independently of this code: OpenSSL', { skip: opensslSkip }, () => {
    const req = '{"service":"OrderService","method":"pay","param":{"remark":"中文 & + / #yunBizUserId_B2C#"}}';

    /** OpenSSL's Base64(SHA1withRSA(Base64(MD5(source)))), computed only with openssl commands. */
    function opensslSign(source: string, keyFile: string): string {
      const sourceFile = file('openssl-source.txt', source);
      const md5 = openssl(['dgst', '-md5', '-binary', sourceFile]);
      const md5Base64 = openssl(['base64', '-A'], md5).toString('latin1').trim();
      const signature = openssl(['dgst', '-sha1', '-sign', keyFile, file('openssl-md5.txt', md5Base64)]);
      return openssl(['base64', '-A'], signature).toString('latin1').trim();
    }

    it('sign with platform.key (PEM) equals `openssl dgst -sha1 -sign` over Base64(MD5)', () => {
      const keyFile = join(legacy, 'platform.key');
      const ours = cli('sign', '--key', keyFile, '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', file('r.json', req));
      assertOnly(ours, opensslSign(SYSID + req + TIMESTAMP, keyFile));
    });

    it('sign with merchant.pfx equals OpenSSL signing with the key OpenSSL extracts from the same .pfx', () => {
      for (const [dir, extra] of [
        [legacy, ['-legacy']],
        [modern, []],
      ] as const) {
        const extracted = openssl(['pkcs12', ...extra, '-in', join(dir, 'merchant.pfx'), '-nocerts', '-nodes', '-passin', `file:${join(dir, 'merchant.pfx.password')}`]);
        const keyFile = file(`extracted-${createHash('sha1').update(dir).digest('hex')}.key`, extracted);
        const ours = cli('sign', '--key', join(dir, 'merchant.pfx'), '--password', password(dir), '--sysid', SYSID, '--timestamp', TIMESTAMP, '--req-file', file('r.json', req));
        assertOnly(ours, opensslSign(SYSID + req + TIMESTAMP, keyFile));
      }
    });

    it('the vector signature is what OpenSSL computes with the vector key', () => {
      const extracted = openssl(['pkcs12', '-legacy', '-in', vectorPfx, '-nocerts', '-nodes', '-passin', `pass:${PFX_PASSWORD}`]);
      assert.equal(opensslSign(SYSID + readFileSync(sampleReq, 'utf8') + TIMESTAMP, file('vector.key', extracted)), EXPECTED_SIGN);
    });

    it('verify-response accepts a response signed by OpenSSL with platform.key, and rejects it once changed', () => {
      const signedValue = '{"bizOrderNo":"T20261126001","payStatus":"success","amount":100,"remark":"中文 & +/"}';
      const sign = opensslSign(signedValue, join(legacy, 'platform.key'));
      const response = JSON.stringify({ sysid: SYSID, sign, signedValue, status: 'OK' });
      assertOnly(cli('verify-response', '--cert', join(legacy, 'platform.cer'), '--file', file('openssl-response.json', `${response}\n`)), 'OK');
      // The merchant certificate is not the platform's: the same response must not verify with it.
      assert.equal(cli('verify-response', '--cert', join(legacy, 'merchant.cer'), '--file', file('openssl-response.json', response)).status, 1);
      const changed = JSON.stringify({ sysid: SYSID, sign, signedValue: signedValue.replace('100', '101'), status: 'OK' });
      assert.equal(cli('verify-response', '--cert', join(legacy, 'platform.cer'), '--file', file('openssl-changed.json', changed)).status, 1);
    });

    it('verify-notification accepts a notification signed by OpenSSL with platform.key', () => {
      const rps = '{"service":"OrderService","method":"pay","status":"OK","returnValue":{"bizOrderNo":"T1","remark":"a+b c"}}';
      const timestamp = '2026-11-26 14:05:00';
      const sign = opensslSign(SYSID + rps + timestamp, join(legacy, 'platform.key'));
      const body = new URLSearchParams({ sysid: SYSID, rps, timestamp, v: '2.0', sign }).toString();
      assertOnly(cli('verify-notification', '--cert', join(legacy, 'platform.cer'), '--file', file('openssl-notification.form', body)), 'OK');
      const replayed = body.replace('14%3A05', '14%3A06');
      assert.equal(cli('verify-notification', '--cert', join(legacy, 'platform.cer'), '--file', file('openssl-replayed.form', replayed)).status, 1);
    });
  });
});

describe('tsy-yunst usage', () => {
  const commands = ['sign', 'verify-response', 'verify-notification', 'encrypt', 'decrypt', 'keys'];

  it('--help and -h print the usage to stdout and exit 0, at the top level and for each command', async () => {
    const runs = await Promise.all(
      ['--help', '-h'].flatMap((flag) => [cliAsync(flag), ...commands.map((command) => cliAsync(command, flag))]),
    );
    for (const [i, run] of runs.entries()) {
      const command = ['', ...commands][i % (commands.length + 1)]!;
      assert.equal(run.status, 0, `${command} --help`);
      assert.equal(run.stderr, '');
      if (command === '') {
        assert.match(run.stdout, /^Usage: tsy-yunst <command>/);
        for (const name of commands) assert.match(run.stdout, new RegExp(`\\n  ${name} `));
      } else {
        assert.match(run.stdout, new RegExp(`^Usage: tsy-yunst ${command} `));
      }
    }
    // --help wins over missing flags
    assert.equal((await cliAsync('sign', '--sysid', '1', '--help')).status, 0);
  });

  it('bad arguments print the usage on stderr and exit 2', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /a command is required/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['--key', 'x', 'sign'], /unknown option "--key" before the command/],
      [['sign', '--bogus', 'x'], /Unknown option '--bogus'/],
      [['verify-response', '--cert', platformCer], /missing --file/],
      [['sign', '--key', vectorPfx], /missing --sysid, --timestamp, --req-file/],
      [['verify-response', '--file', responseFile, '--cert'], /argument missing/],
      [['encrypt', '--cert', platformCer, '--text'], /argument missing/],
      [['keys', '--modern=yes', '--out', tmp], /does not take an argument/],
      [['keys', '--out', join(tmp, 'a'), '--out', join(tmp, 'b')], /--out is given more than once/],
      [['decrypt', '--key', vectorPfx, '--password', PFX_PASSWORD, '--password-file', sampleReq, '--hex', 'AB'], /not both/],
    ];
    const runs = await Promise.all(cases.map(([args]) => cliAsync(...args)));
    for (const [i, run] of runs.entries()) assertUsageError(run, cases[i]![1]);
    assert.equal(existsSync(join(tmp, 'a')) || existsSync(join(tmp, 'b')), false);
  });

  it('never echoes a value given by mistake (it may be a password)', () => {
    const stray = cli('decrypt', '--key', vectorPfx, 'S3cretPassw0rd', '--hex', 'AB');
    assertUsageError(stray, /unexpected argument/);
    assert.doesNotMatch(stray.stderr, /S3cretPassw0rd/);
    const dashed = cli('decrypt', '--key', vectorPfx, '--password', '-S3cret', '--hex', 'AB');
    assertUsageError(dashed, /ambiguous/);
    assert.doesNotMatch(dashed.stderr, /S3cret/);
  });
});
