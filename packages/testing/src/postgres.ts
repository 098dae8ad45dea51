import { execFileSync, spawn } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A PostgreSQL cluster of its own for one test run: in a temp folder, on a free port of 127.0.0.1, trust auth. */
export interface RunningPostgres {
  /** The cluster's `postgres` database (superuser `postgres`, no password). */
  readonly url: string;
  /** A fresh, empty database in the cluster: its URL. */
  createDatabase(): Promise<string>;
  /** Stops the cluster (fast shutdown: connections are cut, as in a database restart) and starts it again on the same port. */
  restart(options?: { downMs?: number }): Promise<void>;
  /** Stops the cluster and removes its folder. */
  stop(): Promise<void>;
}

const MISSING =
  'PostgreSQL server binaries (initdb, pg_ctl) not found on PATH nor in /usr/lib/postgresql/*/bin: install Debian\'s `postgresql` package (`apt-get install -y postgresql`, or `node scripts/setup.mjs --postgres`)';

/** Where initdb and pg_ctl are: PATH first, then Debian's versioned folders (newest first). */
export function findPostgresBin(where: { path?: string; debianRoot?: string } = {}): string {
  for (const dir of (where.path ?? process.env.PATH ?? '').split(':')) {
    if (dir && existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
  }
  const debian = where.debianRoot ?? '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian).filter((name) => /^\d+$/.test(name)).sort((a, b) => Number(b) - Number(a));
    for (const version of versions) {
      const dir = join(debian, version, 'bin');
      if (existsSync(join(dir, 'initdb')) && existsSync(join(dir, 'pg_ctl'))) return dir;
    }
  }
  throw new Error(MISSING);
}

/** The server refuses to run as root: as root (CI, this sandbox), initdb and the server run as the `postgres` user. */
function runAs(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  try {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    return { uid, gid };
  } catch {
    throw new Error('running as root, PostgreSQL must run as another user, and the user `postgres` does not exist (Debian\'s `postgresql` package creates it)');
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function run(file: string, args: string[], user: { uid: number; gid: number } | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { ...(user ?? {}), stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_ALL: 'C' } });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`${file} ${args.join(' ')} exited with ${code}:\n${output}`))));
  });
}

/**
 * Starts a throwaway PostgreSQL cluster: initdb into a temp folder (owned by `postgres` when we are root), a free port on
 * 127.0.0.1 and a socket in that folder, trust auth (local test use only). Throws, naming the package, when PostgreSQL is
 * not installed: tests that need it fail rather than skip.
 */
export async function startPostgres(): Promise<RunningPostgres> {
  const bin = findPostgresBin();
  const user = runAs();
  const root = mkdtempSync(join(tmpdir(), 'tsy-pg-'));
  const data = join(root, 'data');
  if (user) chownSync(root, user.uid, user.gid);
  await run(join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--no-sync'], user);
  const port = await freePort();
  const log = join(root, 'server.log');
  // Durability is of no use to a throwaway cluster; speed is.
  const options = `-p ${port} -k ${root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200`;
  const start = () => run(join(bin, 'pg_ctl'), ['-D', data, '-l', log, '-o', options, '-w', '-t', '60', 'start'], user);
  const stopCluster = (mode: 'fast' | 'immediate') => run(join(bin, 'pg_ctl'), ['-D', data, '-m', mode, '-w', '-t', '60', 'stop'], user);
  await start();
  const base = `postgres://postgres@127.0.0.1:${port}`;
  let databases = 0;
  let stopped = false;
  // pg_ctl leaves the server running on its own: a test process that ends without stop() must not leave it behind.
  const onExit = () => {
    if (stopped) return;
    try {
      execFileSync(join(bin, 'pg_ctl'), ['-D', data, '-m', 'immediate', '-w', 'stop'], { ...(user ?? {}), stdio: 'ignore' });
    } catch {
      // already down
    }
    rmSync(root, { recursive: true, force: true });
  };
  process.once('exit', onExit);
  return {
    url: `${base}/postgres`,
    async createDatabase() {
      const name = `tsy_test_${++databases}`;
      await createDatabase(base, name);
      return `${base}/${name}`;
    },
    async restart(opts = {}) {
      await stopCluster('fast');
      if (opts.downMs) await new Promise((resolve) => setTimeout(resolve, opts.downMs));
      await start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', onExit);
      await stopCluster('immediate').catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** CREATE DATABASE through the server itself (node-postgres), so no client binary is needed. */
async function createDatabase(base: string, name: string): Promise<void> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: `${base}/postgres` });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
}
