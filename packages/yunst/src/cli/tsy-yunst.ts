/**
 * `tsy-yunst`: the YunST protocol core on the command line — sign a request, verify a response or a notification,
 * encrypt or decrypt a field, generate a test key set. Used to check an implementation by hand or from scripts.
 *
 * Results (and `OK`) go to stdout, reasons and usage to stderr. Exit status: 0 success, 1 failure (verification failed,
 * key/certificate/input file unusable), 2 bad arguments. `main` never exits the process: it returns the status.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
// The modules one by one rather than the index: the CLI starts faster without the response schemas (zod).
import { decryptField, encryptField } from '../encryption.js';
import { describeYunstErrorCode } from '../error-codes.js';
import { YunstCryptoError, YunstError } from '../errors.js';
import { KEY_SET_FILES, writeKeySet } from '../key-set.js';
import { KeyFileError, loadMerchantKey, loadPlatformKey, type MerchantKey } from '../keys.js';
import { signRequest, verifyNotification, verifyResponse } from '../signature.js';
import { parseCstTimestamp } from '../timestamp.js';

/** Where `main` writes; `process.stdout`/`process.stderr` fit, and so does any object with `write`. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown };
}

const PROGRAM = 'tsy-yunst';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | undefined>;

interface Command {
  readonly summary: string;
  readonly usage: string;
  readonly options: Options;
  /** Flags that must be given (long names). */
  readonly required: readonly string[];
  run(values: Values, io: CliIo): number;
}

const help = { help: { type: 'boolean', short: 'h' } } as const satisfies Options;
const keyOptions = {
  key: { type: 'string' },
  password: { type: 'string' },
  'password-file': { type: 'string' },
} as const satisfies Options;

const KEY_HELP = `  --key FILE             the merchant key: a .pfx/.p12 (needs a password) or a PEM private key
  --password P           the .pfx password (or the passphrase of an encrypted PEM key)
  --password-file FILE   read the password from FILE instead (one trailing newline is ignored)`;

const TRAILER = `  -h, --help             show this help

A value that starts with '-' must be attached: --password=-secret.
Exit status: 0 success, 1 failure (verification, key or input file), 2 bad arguments.`;

/** A problem with the arguments: usage on stderr, exit 2. */
class UsageError extends Error {}

/** An input file that cannot be read; like KeyFileError, the message names the file. */
class InputFileError extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Reads an input body: exact bytes as UTF-8, minus one trailing newline (`\n` or `\r\n`) an editor may have added. */
export function readBodyFile(file: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new InputFileError(`${file}: ${code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? String(error)})`}`);
  }
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    throw new InputFileError(`${file}: not valid UTF-8`);
  }
  return stripOneTrailingNewline(text);
}

export function stripOneTrailingNewline(text: string): string {
  if (text.endsWith('\r\n')) return text.slice(0, -2);
  if (text.endsWith('\n')) return text.slice(0, -1);
  return text;
}

function str(values: Values, name: string): string {
  const value = values[name];
  if (typeof value !== 'string') throw new UsageError(`--${name} is required`);
  return value;
}

function merchantKeyFrom(values: Values): MerchantKey {
  const file = str(values, 'key');
  const passwordFile = values['password-file'] as string | undefined;
  const password = passwordFile === undefined ? (values.password as string | undefined) : readBodyFile(passwordFile);
  return loadMerchantKey(file, password);
}

const commands: Record<string, Command> = {
  sign: {
    summary: 'sign a request: prints the base64 sign over sysid + req + timestamp',
    usage: `Usage: ${PROGRAM} sign --key FILE [--password P] --sysid S --timestamp "yyyy-MM-dd HH:mm:ss" --req-file F

Prints the request signature (the form field 'sign'): Base64(SHA1withRSA(Base64(MD5(sysid + req + timestamp)))).

${KEY_HELP}
  --sysid S              the application's sysid
  --timestamp T          the request timestamp as sent, yyyy-MM-dd HH:mm:ss (China Standard Time)
  --req-file F           a file holding the exact req string as sent (UTF-8)
${TRAILER}`,
    options: { ...help, ...keyOptions, sysid: { type: 'string' }, timestamp: { type: 'string' }, 'req-file': { type: 'string' } },
    required: ['key', 'sysid', 'timestamp', 'req-file'],
    run(values, io) {
      const sysid = str(values, 'sysid');
      const timestamp = str(values, 'timestamp');
      if (sysid === '') throw new UsageError('--sysid must not be empty');
      if (!parseCstTimestamp(timestamp)) throw new UsageError(`--timestamp must be a real time as yyyy-MM-dd HH:mm:ss, got ${JSON.stringify(timestamp)}`);
      const req = readBodyFile(str(values, 'req-file'));
      const key = merchantKeyFrom(values);
      io.stdout.write(`${signRequest({ sysid, req, timestamp }, key)}\n`);
      return EXIT_OK;
    },
  },

  'verify-response': {
    summary: 'verify a synchronous /service/soa response (raw JSON body)',
    usage: `Usage: ${PROGRAM} verify-response --cert FILE --file F

Verifies the platform's signature over the raw signedValue of a response. Prints OK (exit 0), or the reason on
stderr (exit 1). An error response (status "error") cannot be verified and always fails.

  --cert FILE            the platform certificate (.cer, PEM or DER) or PEM public key
  --file F               the raw response body (JSON)
${TRAILER}`,
    options: { ...help, cert: { type: 'string' }, file: { type: 'string' } },
    required: ['cert', 'file'],
    run(values, io) {
      const body = readBodyFile(str(values, 'file'));
      const platform = loadPlatformKey(str(values, 'cert'));
      const result = verifyResponse(body, platform);
      if (result.status === 'error') {
        const english = describeYunstErrorCode(result.errorCode, 'en');
        io.stderr.write(
          `${PROGRAM} verify-response: an error response (status "error") cannot be verified: ` +
            `errorCode ${result.errorCode}, message ${JSON.stringify(result.message)}${english ? ` (${english})` : ''}\n`,
        );
        return EXIT_FAILURE;
      }
      io.stdout.write('OK\n');
      return EXIT_OK;
    },
  },

  'verify-notification': {
    summary: 'verify an asynchronous notification or front-page return (raw urlencoded body)',
    usage: `Usage: ${PROGRAM} verify-notification --cert FILE --file F [--sysid S]

Verifies the platform's signature over sysid + rps + timestamp of a notification or a page-jump return. Prints OK
(exit 0), or the reason on stderr (exit 1).

  --cert FILE            the platform certificate (.cer, PEM or DER) or PEM public key
  --file F               the raw application/x-www-form-urlencoded body
  --sysid S              also require the notification to be for this sysid
${TRAILER}`,
    options: { ...help, cert: { type: 'string' }, file: { type: 'string' }, sysid: { type: 'string' } },
    required: ['cert', 'file'],
    run(values, io) {
      const body = readBodyFile(str(values, 'file'));
      const platform = loadPlatformKey(str(values, 'cert'));
      const sysid = values.sysid as string | undefined;
      verifyNotification(body, platform, sysid === undefined ? {} : { sysid });
      io.stdout.write('OK\n');
      return EXIT_OK;
    },
  },

  encrypt: {
    summary: 'encrypt a field with a certificate (RSA PKCS#1 v1.5, upper-case hex)',
    usage: `Usage: ${PROGRAM} encrypt --cert FILE --text T

Encrypts a sensitive field (bank card number, …) as the platform expects: RSA PKCS#1 v1.5 with the public key of the
certificate, printed as upper-case hex.

  --cert FILE            the certificate (.cer, PEM or DER) or PEM public key of the receiver
  --text T               the plaintext (UTF-8)
${TRAILER}`,
    options: { ...help, cert: { type: 'string' }, text: { type: 'string' } },
    required: ['cert', 'text'],
    run(values, io) {
      const text = str(values, 'text');
      const platform = loadPlatformKey(str(values, 'cert'));
      io.stdout.write(`${encryptField(text, platform)}\n`);
      return EXIT_OK;
    },
  },

  decrypt: {
    summary: 'decrypt a hex field with the merchant key',
    usage: `Usage: ${PROGRAM} decrypt --key FILE [--password P] --hex H

Decrypts a field encrypted with RSA PKCS#1 v1.5 (hex, either case) and prints the plaintext.

${KEY_HELP}
  --hex H                the ciphertext in hex
${TRAILER}`,
    options: { ...help, ...keyOptions, hex: { type: 'string' } },
    required: ['key', 'hex'],
    run(values, io) {
      const hex = str(values, 'hex');
      const key = merchantKeyFrom(values);
      let plaintext: string;
      try {
        plaintext = decryptField(hex, key);
      } catch (error) {
        if (error instanceof YunstError) throw error;
        // A ciphertext for another key can be larger than this modulus: node:crypto's own error, same verdict.
        throw new YunstCryptoError(`decryption failed (${error instanceof Error ? error.message : String(error)})`);
      }
      io.stdout.write(`${plaintext}\n`);
      return EXIT_OK;
    },
  },

  keys: {
    summary: 'generate a test key set (merchant .pfx, platform key, certificates)',
    usage: `Usage: ${PROGRAM} keys --out DIR [--modern] [--force]

Generates RSA-2048 merchant and platform key pairs with self-signed certificates and writes to DIR (created if
needed): merchant.pfx, merchant.pfx.password (random password, no trailing newline), merchant.cer, platform.key,
platform.cer. Prints the paths written; never the password or a key.

  --out DIR              the directory to write to
  --modern               write merchant.pfx as AES-256/PBES2 (OpenSSL 3 default) instead of the platform's legacy
                         format (RC2-40 certificate bag, 3DES key bag, SHA-1 MAC; OpenSSL 3 needs -legacy)
  --force                overwrite key set files already in DIR
${TRAILER}`,
    options: { ...help, out: { type: 'string' }, modern: { type: 'boolean' }, force: { type: 'boolean' } },
    required: ['out'],
    run(values, io) {
      const out = str(values, 'out');
      if (out === '') throw new UsageError('--out must not be empty');
      if (!values.force) {
        const existing = Object.values(KEY_SET_FILES).filter((name) => existsSync(join(out, name)));
        if (existing.length > 0) {
          io.stderr.write(`${PROGRAM} keys: ${existing.map((name) => join(out, name)).join(', ')} already exist; use --force to overwrite\n`);
          return EXIT_FAILURE;
        }
      }
      const paths = writeKeySet(out, { modern: values.modern === true });
      for (const file of [paths.merchantPfx, paths.merchantPfxPassword, paths.merchantCer, paths.platformKey, paths.platformCer]) {
        io.stdout.write(`${file}\n`);
      }
      return EXIT_OK;
    },
  },
};

export const TOP_USAGE = `Usage: ${PROGRAM} <command> [options]

The YunST (通商云) signing protocol on the command line.

Commands:
${Object.entries(commands)
  .map(([name, command]) => `  ${name.padEnd(21)}${command.summary}`)
  .join('\n')}

Run '${PROGRAM} <command> --help' for the options of a command.
Exit status: 0 success, 1 failure (verification, key or input file), 2 bad arguments.
`;

function usageFailure(io: CliIo, message: string, usage: string, command?: string): number {
  io.stderr.write(`${PROGRAM}${command ? ` ${command}` : ''}: ${message}\n\n${usage.endsWith('\n') ? usage : `${usage}\n`}`);
  return EXIT_USAGE;
}

/** Node's parseArgs messages, minus the one that would echo a stray argument (it might be a password). */
function describeParseError(error: unknown): string {
  const code = (error as { code?: string }).code;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return 'unexpected argument (every value must follow its --flag)';
  return (error instanceof Error ? error.message : String(error)).replace(/\n/g, ' ');
}

/** Runs the CLI with `argv` (without node and the script) and returns the exit status. */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined) return usageFailure(io, 'a command is required', TOP_USAGE);
  if (name === '--help' || name === '-h') {
    if (rest.length > 0) return usageFailure(io, 'unexpected argument after --help', TOP_USAGE);
    io.stdout.write(TOP_USAGE);
    return EXIT_OK;
  }
  const command = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!command) {
    return usageFailure(io, name.startsWith('-') ? `unknown option ${JSON.stringify(name)} before the command` : `unknown command ${JSON.stringify(name)}`, TOP_USAGE);
  }

  let values: Values;
  try {
    const parsed = parseArgs({ args: [...rest], options: command.options, strict: true, allowPositionals: false, tokens: true });
    values = parsed.values as Values;
    const seen = new Set<string>();
    for (const token of parsed.tokens) {
      if (token.kind !== 'option' || token.name === 'help') continue;
      if (seen.has(token.name)) throw new UsageError(`--${token.name} is given more than once`);
      seen.add(token.name);
    }
  } catch (error) {
    return usageFailure(io, describeParseError(error), command.usage, name);
  }
  if (values.help) {
    io.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return EXIT_OK;
  }
  const missing = command.required.filter((flag) => values[flag] === undefined);
  if (missing.length > 0) {
    return usageFailure(io, `missing ${missing.map((flag) => `--${flag}`).join(', ')}`, command.usage, name);
  }
  if (values.password !== undefined && values['password-file'] !== undefined) {
    return usageFailure(io, 'give --password or --password-file, not both', command.usage, name);
  }

  try {
    return command.run(values, io);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(io, error.message, command.usage, name);
    if (error instanceof KeyFileError || error instanceof InputFileError || error instanceof YunstError) {
      io.stderr.write(`${PROGRAM} ${name}: ${error.message}\n`);
      return EXIT_FAILURE;
    }
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    const system = typeof code === 'string' && /^E[A-Z]+$/.test(code);
    io.stderr.write(`${PROGRAM} ${name}: ${system ? '' : 'unexpected failure: '}${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT_FAILURE;
  }
}
