import { spawn, type ChildProcess } from 'node:child_process';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { testKeySet } from '@tsy/testing';

const sandboxBin = fileURLToPath(new URL('../../sandbox/bin/tsy-sandbox.js', import.meta.url));

export interface SandboxProcess {
  readonly url: string;
  readonly soaUrl: string;
  readonly child: ChildProcess;
  close(): Promise<void>;
}

/**
 * The sandbox as its own process (the built `tsy-sandbox` with this process's test key set), so what a test measures or
 * kills in this process is the BFF's alone.
 */
export async function startSandboxProcess(args: readonly string[] = []): Promise<SandboxProcess> {
  const keys = testKeySet();
  const child = spawn(process.execPath, [sandboxBin, '--port', '0', '--host', '127.0.0.1', '--keys', dirname(keys.merchantPfx), '--daily-order-limit', 'off', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tsy-sandbox did not start: ${output}`)), 15_000);
    const read = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/[^\s]+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!.replace(/\/$/, ''));
      }
    };
    child.stdout!.on('data', read);
    child.stderr!.on('data', read);
    child.once('exit', (code) => reject(new Error(`tsy-sandbox exited with ${code}: ${output}`)));
  });
  return {
    url,
    soaUrl: `${url}/service/soa`,
    child,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
