import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';

/**
 * File names no server of the demo ever answers: keys, certificates, key passwords and SQLite databases with their WAL and
 * shared-memory files. A second line behind keeping the data folder outside every served folder.
 */
export const SECRET_FILE = /\.(pfx|p12|key|pem|crt|cer|password|sqlite\d?|db)(-wal|-shm|-journal)?$|-(wal|shm|journal)$/i;

/** Dot folders a dev server must reach: Vite's pre-bundled dependencies and pnpm's package store, both under node_modules. */
const TOOL_FOLDERS = new Set(['.vite', '.pnpm']);

/**
 * Whether a request path names a dot file or dot folder (`.data`, `.env`, `..`) or a secret file type, looked at the way
 * a server resolves it: percent-decoded until nothing changes (`%2e`, `%252e`, `%2f`), `\` taken as a separator too, the
 * query cut off at the first `?` after decoding as well as before (`merchant.pfx%3Fraw`).
 */
export function isForbiddenPath(url: string): boolean {
  let path = url.split('?')[0]!.split('#')[0]!;
  for (let round = 0; round < 4; round++) {
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return true;
    }
    if (decoded === path) break;
    path = decoded;
  }
  if (path.includes('\0') || /%[0-9a-f]{2}/i.test(path)) return true;
  const segments = path.split(/[?#]/)[0]!.split(/[\\/]+/);
  return segments.some((segment, i) => {
    if (segment.startsWith('.') && !(TOOL_FOLDERS.has(segment) && segments[i - 1] === 'node_modules')) return true;
    return SECRET_FILE.test(segment);
  });
}

type Next = (error?: unknown) => void;
interface MinimalRequest {
  url?: string;
  originalUrl?: string;
}
interface MinimalResponse {
  statusCode: number;
  setHeader(name: string, value: string): unknown;
  end(body?: string): unknown;
}

/** Connect/Express middleware: a 404 for any forbidden path (see `isForbiddenPath`), before anything looks for a file. */
export function refuseSecretFiles() {
  return function refuseSecretFilesMiddleware(req: MinimalRequest, res: MinimalResponse, next: Next): void {
    if (!isForbiddenPath(req.originalUrl ?? req.url ?? '/')) return next();
    res.statusCode = 404;
    res.setHeader('content-type', 'text/plain; charset=utf-8');
    res.setHeader('cache-control', 'no-store');
    res.end('Not found\n');
  };
}

/** The real path of `path`, also when it does not exist yet (the real path of its nearest existing ancestor, plus the rest). */
function realPathOf(path: string): string {
  let existing = resolve(path);
  const rest: string[] = [];
  while (!existsSync(existing) && dirname(existing) !== existing) {
    rest.unshift(basename(existing));
    existing = dirname(existing);
  }
  return join(realpathSync(existing), ...rest);
}

const isWithin = (root: string, path: string): boolean => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/** The served folder `dir` lies in (as given or through symbolic links), or undefined when it lies in none. */
export function servedRootContaining(dir: string, servedRoots: readonly string[]): string | undefined {
  const candidates = [resolve(dir), realPathOf(dir)];
  return servedRoots.find((root) => {
    const roots = [resolve(root), realPathOf(root)];
    return roots.some((r) => candidates.some((candidate) => isWithin(r, candidate)));
  });
}
