import { connect } from 'node:net';

/**
 * A request written byte for byte on a fresh TCP connection: the method, path, header names, order and duplicates, and
 * the body exactly as given. `fetch` and node:http's client normalise or refuse much of what an attacker can send (odd
 * methods, duplicated or non-ASCII headers, a path that is not percent-encoded UTF-8, a body its headers misdescribe).
 */
export interface RawRequest {
  readonly method: string;
  /** The request target as sent: not encoded here. */
  readonly path: string;
  /** In order, duplicates kept; values are written as UTF-8 bytes (what a non-ASCII header arrives as: obs-text). */
  readonly headers?: readonly (readonly [string, string])[];
  readonly body?: Buffer;
  /** Send the body chunked instead of with a Content-Length. */
  readonly chunked?: boolean;
}

export interface RawAnswer {
  readonly status: number;
  /** Lower-case names; every value of a repeated header. */
  readonly headers: Readonly<Record<string, readonly string[]>>;
  readonly body: Buffer;
  readonly text: string;
  /** An event stream: the answer was taken at its headers and the connection closed (the stream never ends by itself). */
  readonly streamed: boolean;
}

function dechunk(data: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const end = data.indexOf('\r\n', at);
    if (end < 0) break;
    const size = Number.parseInt(data.subarray(at, end).toString('latin1'), 16);
    if (!Number.isFinite(size) || size === 0) break;
    parts.push(data.subarray(end + 2, end + 2 + size));
    at = end + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function parseAnswer(data: Buffer, streamed: boolean): RawAnswer | undefined {
  const headEnd = data.indexOf('\r\n\r\n');
  if (headEnd < 0) return undefined;
  const [statusLine = '', ...lines] = data.subarray(0, headEnd).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine)?.[1] ?? 0);
  const headers: Record<string, string[]> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    (headers[name] ??= []).push(Buffer.from(line.slice(colon + 1).trim(), 'latin1').toString('utf8'));
  }
  const rest = data.subarray(headEnd + 4);
  const chunked = headers['transfer-encoding']?.some((value) => /chunked/i.test(value));
  const length = headers['content-length']?.[0];
  const body = streamed ? rest : chunked ? dechunk(rest) : length !== undefined ? rest.subarray(0, Number(length)) : rest;
  return { status, headers, body, text: body.toString('utf8'), streamed };
}

/** Sends `request` to `base` (http://host:port) with `Connection: close`; answers `undefined` when no answer came in time. */
export function rawRequest(base: string, request: RawRequest, timeoutMs = 10_000): Promise<RawAnswer | undefined> {
  const { hostname, port } = new URL(base);
  const body = request.body;
  const head = [`${request.method} ${request.path} HTTP/1.1`, `Host: ${hostname}:${port}`, 'Connection: close'];
  for (const [name, value] of request.headers ?? []) head.push(`${name}: ${value}`);
  if (body !== undefined) head.push(request.chunked ? 'Transfer-Encoding: chunked' : `Content-Length: ${body.length}`);
  const bytes = Buffer.concat([
    Buffer.from(`${head.join('\r\n')}\r\n\r\n`, 'utf8'),
    ...(body === undefined ? [] : request.chunked ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n0\r\n\r\n')] : [body]),
  ]);
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let done = false;
    const finish = (answer: RawAnswer | undefined) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(answer);
    };
    const timer = setTimeout(() => finish(undefined), timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const data = Buffer.concat(chunks);
      const headEnd = data.indexOf('\r\n\r\n');
      if (headEnd >= 0 && /\r\ncontent-type:\s*text\/event-stream/i.test(data.subarray(0, headEnd).toString('latin1'))) finish(parseAnswer(data, true));
    });
    socket.on('error', () => finish(parseAnswer(Buffer.concat(chunks), false)));
    socket.on('close', () => finish(parseAnswer(Buffer.concat(chunks), false)));
    // The server may answer (and close) before reading everything: a write error then is not the answer's absence.
    socket.write(bytes, () => {});
  });
}
