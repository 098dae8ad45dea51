// The processes a benchmark starts: the sandbox and the BFF as their own binaries, a load client with IPC; and what
// each of them spent on the CPU, read from /proc (the kernel's count, whatever the process itself thinks).
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export const SANDBOX_BIN = fileURLToPath(new URL('../../sandbox/bin/tsy-sandbox.js', import.meta.url));
export const BFF_BIN = fileURLToPath(new URL('../../bff/bin/tsy-bff.js', import.meta.url));

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Clock ticks per second of /proc/<pid>/stat's utime and stime (USER_HZ): 100 on every Linux this runs on. */
const USER_HZ = 100;

/** CPU seconds (user + system) a process has used so far, from /proc/<pid>/stat; undefined off Linux. */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) is in parentheses and may hold spaces: count fields after its closing one.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / USER_HZ;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in bytes, from /proc/<pid>/status. */
export function rssOf(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : undefined;
  } catch {
    return undefined;
  }
}

export interface Started {
  readonly child: ChildProcess;
  readonly match: RegExpExecArray;
  output(): string;
  stop(): Promise<void>;
}

/** Spawns `node <args>` and waits for a line of its output to match `ready`; stops it with SIGTERM (SIGKILL after 5 s). */
export async function startNode(args: readonly string[], ready: RegExp, env: NodeJS.ProcessEnv, what: string): Promise<Started> {
  const child = spawn(process.execPath, [...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const match = await new Promise<RegExpExecArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what} did not start within 20 s:\n${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const found = ready.exec(output);
      if (found) {
        clearTimeout(timer);
        resolve(found);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${what} exited (${code}) before it was ready:\n${output}`));
    });
  });
  return {
    child,
    match,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a TypeScript module in its own Node process with an IPC channel: sends it `input`, resolves with its one answer. */
export function runChild<In, Out>(module: string, input: In): Promise<Out> {
  const child = fork(module, [], { execArgv: ['--conditions=development', '--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise<Out>((resolve, reject) => {
    let answered = false;
    child.once('message', (message) => {
      answered = true;
      const answer = message as { error?: string; result?: Out };
      if (answer.error) reject(new Error(answer.error));
      else resolve(answer.result as Out);
    });
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`${module} exited (${code}) without an answer`));
    });
    child.send(input as object);
  });
}

/** The child side of runChild: answers the parent's one message with `work`'s result, then exits. */
export function serveChild<In, Out>(work: (input: In) => Promise<Out>): void {
  process.once('message', (input) => {
    work(input as In).then(
      (result) => process.send!({ result }, () => process.exit(0)),
      (error: unknown) => process.send!({ error: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1)),
    );
  });
}
