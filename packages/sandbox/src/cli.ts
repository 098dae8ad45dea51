import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { KEY_SET_FILES, endpointsAt, writeKeySet } from '@tsy/yunst';
import { createSandbox, type ListeningSandbox } from './index.js';

/** The sysid of the platform's own sample answer (shared/vectors): any digits would do. */
export const DEFAULT_SYSID = '1902271423530473681';
export const DEFAULT_PORT = 8686;

const USAGE = `Usage: tsy-sandbox [options]

A local stand-in for the YunST (通商云) test environment.

Options (environment variable in brackets):
  --port N                     port, default ${DEFAULT_PORT} [TSY_SANDBOX_PORT]
  --host HOST                  address to listen on, default 127.0.0.1 [TSY_SANDBOX_HOST]
  --keys DIR                   key set directory; created with new keys when empty, default .data/sandbox-keys [TSY_SANDBOX_KEYS]
  --sysid SYSID                application system number, default ${DEFAULT_SYSID} [TSY_SANDBOX_SYSID]
  --public-base-url URL        origin for wallet links, e.g. http://192.168.1.20:${DEFAULT_PORT} for phones on the LAN [TSY_SANDBOX_PUBLIC_BASE_URL]
  --merchant-name NAME         payee name on the wallet and cashier pages [TSY_SANDBOX_MERCHANT_NAME]
  --daily-order-limit N|off    orders per payer per day and type, default 10 [TSY_SANDBOX_DAILY_ORDER_LIMIT]
  --notification-time-scale X  multiplies the 5 s / 10 min / 1 h / 6 h retry schedule, default 1 [TSY_SANDBOX_NOTIFICATION_TIME_SCALE]
  --answer-delay-ms N          every /service/soa answer leaves N ms after its request arrived (benchmarks), default 0 [TSY_SANDBOX_ANSWER_DELAY_MS]
  --faults                     fault mode, for tests only: /sandbox/faults injects seeded faults (never in npm start)
  --verbose                    print one line per request (never codes, card numbers or keys)
  --help`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly env?: Readonly<Record<string, string | undefined>>;
}

function numberOption(name: string, text: string, check: (n: number) => boolean): number {
  const value = Number(text);
  if (!check(value)) throw new CliUsageError(`--${name}: not a valid value: ${text}`);
  return value;
}

/** The key set in `dir`, generated there when the directory holds none. A partial set is an error, never overwritten. */
function keySetIn(dir: string, io: CliIo): { merchantCer: string; platformKey: string } {
  const files = Object.values(KEY_SET_FILES).map((name) => join(dir, name));
  const present = files.filter((file) => existsSync(file));
  if (present.length === 0) {
    writeKeySet(dir);
    io.stdout.write(`Created a new test key set in ${dir}\n`);
  } else if (present.length < files.length) {
    throw new CliUsageError(`${dir} holds an incomplete key set (missing ${files.filter((f) => !present.includes(f)).join(', ')})`);
  }
  return { merchantCer: join(dir, KEY_SET_FILES.merchantCer), platformKey: join(dir, KEY_SET_FILES.platformKey) };
}

/** Starts a sandbox from command-line options and prints where it is — never a secret. */
export async function runSandboxCli(argv: readonly string[], io: CliIo): Promise<ListeningSandbox | undefined> {
  const env = io.env ?? {};
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      keys: { type: 'string' },
      sysid: { type: 'string' },
      'public-base-url': { type: 'string' },
      'merchant-name': { type: 'string' },
      'daily-order-limit': { type: 'string' },
      'notification-time-scale': { type: 'string' },
      'answer-delay-ms': { type: 'string' },
      faults: { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean' },
    },
  });
  if (values.help) {
    io.stdout.write(`${USAGE}\n`);
    return undefined;
  }
  const port = numberOption('port', values.port ?? env.TSY_SANDBOX_PORT ?? String(DEFAULT_PORT), (n) => Number.isInteger(n) && n >= 0 && n < 65536);
  const host = values.host ?? env.TSY_SANDBOX_HOST ?? '127.0.0.1';
  const sysid = values.sysid ?? env.TSY_SANDBOX_SYSID ?? DEFAULT_SYSID;
  const limitText = values['daily-order-limit'] ?? env.TSY_SANDBOX_DAILY_ORDER_LIMIT;
  const scaleText = values['notification-time-scale'] ?? env.TSY_SANDBOX_NOTIFICATION_TIME_SCALE;
  const delayText = values['answer-delay-ms'] ?? env.TSY_SANDBOX_ANSWER_DELAY_MS;
  const keysDir = resolve(values.keys ?? env.TSY_SANDBOX_KEYS ?? '.data/sandbox-keys');
  const keys = keySetIn(keysDir, io);
  const publicBaseUrl = values['public-base-url'] ?? env.TSY_SANDBOX_PUBLIC_BASE_URL;
  const merchantName = values['merchant-name'] ?? env.TSY_SANDBOX_MERCHANT_NAME;

  const sandbox = createSandbox({
    sysid,
    merchantCertFile: keys.merchantCer,
    platformKeyFile: keys.platformKey,
    ...(publicBaseUrl && { publicBaseUrl }),
    ...(merchantName && { merchantName }),
    ...(limitText !== undefined && {
      dailyOrderLimit: limitText === 'off' ? false : numberOption('daily-order-limit', limitText, (n) => Number.isInteger(n) && n > 0),
    }),
    ...(scaleText !== undefined && { notificationTimeScale: numberOption('notification-time-scale', scaleText, (n) => n > 0) }),
    ...(delayText !== undefined && { answerDelayMs: numberOption('answer-delay-ms', delayText, (n) => Number.isFinite(n) && n >= 0) }),
    // Only the explicit flag: no environment variable can switch a running demo into fault mode.
    ...(values.faults && { faults: true }),
    ...(values.verbose && { log: (line: string) => io.stdout.write(`${line}\n`) }),
  });
  const server = await sandbox.listen(port, host);
  const base = publicBaseUrl ? new URL(publicBaseUrl).origin : server.url;
  const endpoints = endpointsAt(base);
  io.stdout.write(
    [
      `YunST sandbox listening on ${server.url}${host === '0.0.0.0' || host === '::' ? ' (all interfaces)' : ''}`,
      `  sysid          ${sysid}`,
      `  soa            ${endpoints.soaUrl}`,
      `  gateway        ${endpoints.gatewayUrl}`,
      `  password page  ${endpoints.passwordPayUrl}`,
      `  SMS inbox      ${base}/sandbox/sms`,
      `  POS terminal   ${base}/sandbox/pos`,
      ...(values.faults ? [`  FAULT MODE     ${base}/sandbox/faults (PUT {seed, rules} / GET / DELETE) — answers and notifications may be broken on purpose`] : []),
      `  keys           ${keysDir} (merchant: ${KEY_SET_FILES.merchantPfx}, password in ${KEY_SET_FILES.merchantPfxPassword}; platform: ${KEY_SET_FILES.platformCer})`,
      ...(!publicBaseUrl && host !== '127.0.0.1' && host !== 'localhost' ? ['  hint           set --public-base-url to this machine\'s LAN address so phones can open wallet links'] : []),
      '',
    ].join('\n'),
  );
  return server;
}

/** The `tsy-sandbox` command: runs until SIGINT/SIGTERM. Returns an exit code when it does not start. */
export async function main(argv: readonly string[]): Promise<number | undefined> {
  let server: ListeningSandbox | undefined;
  try {
    server = await runSandboxCli(argv, { stdout: process.stdout, env: process.env });
  } catch (error) {
    process.stderr.write(`tsy-sandbox: ${error instanceof Error ? error.message : String(error)}\n`);
    if (error instanceof CliUsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write('Run tsy-sandbox --help for the options.\n');
      return 2;
    }
    return 1;
  }
  if (!server) return 0;
  const running = server;
  const stop = () => void running.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return undefined;
}
