// The processes a benchmark starts: the sandbox and the BFF as their own binaries, a load client with IPC; and what
// each of them spent on the CPU, read from /proc (the kernel's count, whatever the process itself thinks).
import { spawn, fork, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
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

/** The soft and hard limits of open files of a process, from /proc/<pid>/limits; undefined off Linux. */
export function openFilesLimitOf(pid: number | 'self'): { soft: number; hard: number } | undefined {
  try {
    const match = /^Max open files\s+(\S+)\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'));
    const value = (text: string) => (text === 'unlimited' ? Number.POSITIVE_INFINITY : Number(text));
    return match ? { soft: value(match[1]!), hard: value(match[2]!) } : undefined;
  } catch {
    return undefined;
  }
}

/** File descriptors a process holds now (its sockets among them), from /proc/<pid>/fd. */
export function openFilesOf(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/fd`).length;
  } catch {
    return undefined;
  }
}

/**
 * The command that runs `node` with its open-files limit set to `nofile` (soft and hard) by util-linux's `prlimit`, which
 * sets it and then execs node, so the pid is node's. Without `nofile`: node itself.
 */
function nodeCommand(nofile: number | undefined): { file: string; prefix: string[] } {
  return nofile === undefined ? { file: process.execPath, prefix: [] } : { file: 'prlimit', prefix: [`--nofile=${nofile}:${nofile}`, process.execPath] };
}

export interface Started {
  readonly child: ChildProcess;
  readonly match: RegExpExecArray;
  output(): string;
  stop(): Promise<void>;
}

/**
 * Spawns `node <args>` and waits for a line of its output to match `ready`; stops it with SIGTERM (SIGKILL after 5 s).
 * `nofile`: its open-files limit (a process holding thousands of connections needs more than the default).
 */
export async function startNode(args: readonly string[], ready: RegExp, env: NodeJS.ProcessEnv, what: string, options: { nofile?: number } = {}): Promise<Started> {
  const command = nodeCommand(options.nofile);
  const child = spawn(command.file, [...command.prefix, ...args], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
    stop: () => stopChild(child, exited, 5000),
  };
}

/** SIGTERM, then SIGKILL if it has not exited after `graceMs`; resolves once it has exited. */
async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
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

/** A TypeScript module in its own Node process that answers several requests over IPC (see serveRequests). */
export interface Conversation {
  readonly pid: number;
  readonly child: ChildProcess;
  /** Sends `request`; rejects with the child's error, or when no answer came within `timeoutMs` (naming `what`). */
  ask<Out>(request: { readonly kind: string } & Record<string, unknown>, timeoutMs: number): Promise<Out>;
  /** Kills the child (SIGKILL when it has not exited 2 s after SIGTERM). */
  stop(): Promise<void>;
}

/** Starts `module` as a conversation partner, its open-files limit set to `nofile` when given. */
export async function startConversation(module: string, what: string, options: { nofile?: number } = {}): Promise<Conversation> {
  const command = nodeCommand(options.nofile);
  const child = spawn(command.file, [...command.prefix, '--conditions=development', '--import', 'tsx', module], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const waiting = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
  let exited: string | undefined;
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.on('message', (message) => {
    const answer = message as { id: number; error?: string; result?: unknown };
    const waiter = waiting.get(answer.id);
    waiting.delete(answer.id);
    if (answer.error !== undefined) waiter?.reject(new Error(`${what}: ${answer.error}`));
    else waiter?.resolve(answer.result);
  });
  child.once('exit', (code, signal) => {
    exited = `${what} exited (${signal ?? code})`;
    for (const waiter of waiting.values()) waiter.reject(new Error(exited));
    waiting.clear();
  });
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', reject);
  });
  let next = 0;
  return {
    pid: child.pid!,
    child,
    ask<Out>(request: { readonly kind: string } & Record<string, unknown>, timeoutMs: number) {
      if (exited) return Promise.reject(new Error(exited));
      const id = next++;
      return new Promise<Out>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error(`${what}: no answer to "${request.kind}" within ${(timeoutMs / 1000).toFixed(0)} s`));
        }, timeoutMs);
        waiting.set(id, {
          resolve: (value) => (clearTimeout(timer), resolve(value as Out)),
          reject: (error) => (clearTimeout(timer), reject(error)),
        });
        child.send({ id, request });
      });
    },
    stop: () => stopChild(child, gone, 2000),
  };
}

/** The child side of startConversation: answers each request with `handle`'s result; exits when the parent is gone. */
export function serveRequests(handle: (request: { kind: string } & Record<string, unknown>) => Promise<unknown>): void {
  process.on('message', (message) => {
    const { id, request } = message as { id: number; request: { kind: string } & Record<string, unknown> };
    handle(request).then(
      (result) => process.send!({ id, result }),
      (error: unknown) => process.send!({ id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
  });
  // The parent died or stopped listening: nothing is left to answer, and the connections must not outlive it.
  process.once('disconnect', () => process.exit(0));
}
