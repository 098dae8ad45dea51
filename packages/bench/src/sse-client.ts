// The SSE load client, in a process of its own (startConversation) with its own open-files limit: it holds the event
// streams (`GET /api/checkout/payments/:bizOrderNo/events`, one connection each), counts what arrives on them, and for
// the fan-out presses "pay" in the sandbox's wallet page itself, so the trigger and every delivery are stamped on this
// process's one monotonic clock (performance.now()).
import { request as httpRequest, type ClientRequest, type IncomingMessage } from 'node:http';
import { walletAction, walletUrlOf } from '@tsy/testing';
import { serveRequests } from './processes.js';

export interface StreamTarget {
  readonly bizOrderNo: string;
  readonly payer: string;
}

export interface OpenResult {
  /** Streams whose first `event: state` arrived. */
  readonly held: number;
  /** Streams refused or broken before their first state, by HTTP status or error code. */
  readonly refused: Record<string, number>;
  readonly seconds: number;
}

export interface CountResult {
  /** `: heartbeat` comments received on all streams since the last count. */
  readonly heartbeats: number;
  /** Streams the server closed since the last count. */
  readonly lost: number;
  readonly open: number;
}

export interface FanOutResult {
  /** Per payment, in order: ms from the wallet's "pay" to each of its streams' `state: success`. */
  readonly deliveries: number[][];
  /** Per payment: ms from "pay" to the wallet page's answer. */
  readonly walletAnswers: number[];
}

interface Stream {
  readonly target: StreamTarget;
  readonly req: ClientRequest;
  res?: IncomingMessage;
  state?: string;
  successAt?: number;
  held: boolean;
  closing: boolean;
}

const streams: Stream[] = [];
const byPayment = new Map<string, Stream[]>();
let heartbeats = 0;
let lost = 0;
/** Called on every `state: success`, by the fan-out waiting for a payment's streams. */
let onSuccess: ((stream: Stream) => void) | undefined;

/** Opens one stream; resolves with its outcome once its first state arrived or it failed. */
function openStream(base: URL, target: StreamTarget, timeoutMs: number): Promise<'held' | string> {
  return new Promise((resolve) => {
    let settled = false;
    const settle = (outcome: string) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    const req = httpRequest({
      host: base.hostname,
      port: base.port,
      path: `/api/checkout/payments/${encodeURIComponent(target.bizOrderNo)}/events`,
      headers: { accept: 'text/event-stream', 'x-bench-payer': target.payer },
      // A connection of its own, never pooled: a stream is a connection held open.
      agent: false,
    });
    const stream: Stream = { target, req, held: false, closing: false };
    const timer = setTimeout(() => {
      req.destroy();
      settle('no first state in time');
    }, timeoutMs);
    req.on('error', (error: NodeJS.ErrnoException) => settle(error.code ?? error.message));
    req.on('response', (res) => {
      stream.res = res;
      if (res.statusCode !== 200) {
        res.resume();
        settle(`HTTP ${res.statusCode}`);
        return;
      }
      res.setEncoding('utf8');
      let buffer = '';
      res.on('data', (chunk: string) => {
        buffer += chunk;
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (block.startsWith(':')) {
            heartbeats++;
            continue;
          }
          if (!/^event: state$/m.test(block)) continue;
          const data = /^data: (.*)$/m.exec(block)?.[1];
          const state = data ? (JSON.parse(data) as { state?: string }).state : undefined;
          stream.state = state;
          if (state === 'success' && stream.successAt === undefined) {
            stream.successAt = performance.now();
            onSuccess?.(stream);
          }
          if (!settled) {
            stream.held = true;
            streams.push(stream);
            const list = byPayment.get(target.bizOrderNo) ?? [];
            list.push(stream);
            byPayment.set(target.bizOrderNo, list);
            settle('held');
          }
        }
      });
      res.on('close', () => {
        if (stream.held && !stream.closing) lost++;
        settle('closed before its first state');
      });
    });
    req.end();
  });
}

async function open(input: { base: string; targets: StreamTarget[]; concurrency: number; streamTimeoutMs: number }): Promise<OpenResult> {
  const base = new URL(input.base);
  const refused: Record<string, number> = {};
  let held = 0;
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < input.targets.length) {
      const outcome = await openStream(base, input.targets[next++]!, input.streamTimeoutMs);
      if (outcome === 'held') held++;
      else refused[outcome] = (refused[outcome] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: Math.min(input.concurrency, input.targets.length) }, worker));
  return { held, refused, seconds: (performance.now() - started) / 1000 };
}

function count(): CountResult {
  const result = { heartbeats, lost, open: streams.length - lost };
  heartbeats = 0;
  lost = 0;
  return result;
}

async function closeAll(): Promise<{ closed: number }> {
  const closed = streams.length;
  await Promise.all(
    streams.map(
      (stream) =>
        new Promise<void>((resolve) => {
          stream.closing = true;
          if (stream.req.destroyed) return resolve();
          stream.req.once('close', () => resolve());
          stream.req.destroy();
        }),
    ),
  );
  streams.length = 0;
  byPayment.clear();
  lost = 0;
  heartbeats = 0;
  return { closed };
}

/**
 * Pays the payments one after the other in the sandbox's wallet page; each waits until every stream of its payment got
 * `state: success` (or `timeoutMs` passed: then the run fails, naming the payment and how many streams got it).
 */
async function fanOut(input: { sandboxUrl: string; payments: string[]; timeoutMs: number }): Promise<FanOutResult> {
  const deliveries: number[][] = [];
  const walletAnswers: number[] = [];
  // The wallet pages are found first: the lookup is no part of the payer's "pay".
  const wallets = await Promise.all(input.payments.map((bizOrderNo) => walletUrlOf(input.sandboxUrl, bizOrderNo)));
  for (const [i, bizOrderNo] of input.payments.entries()) {
    const mine = byPayment.get(bizOrderNo) ?? [];
    if (mine.length === 0) throw new Error(`payment ${bizOrderNo}: no stream open`);
    if (mine.some((stream) => stream.state !== 'pending')) throw new Error(`payment ${bizOrderNo}: a stream is at ${mine.find((s) => s.state !== 'pending')!.state} before the pay`);
    let waiting!: () => void;
    const all = new Promise<void>((resolve) => (waiting = resolve));
    onSuccess = (stream) => {
      if (stream.target.bizOrderNo === bizOrderNo && mine.every((s) => s.successAt !== undefined)) waiting();
    };
    const triggered = performance.now();
    const status = await walletAction(wallets[i]!, 'pay');
    walletAnswers.push(performance.now() - triggered);
    if (status !== 200) throw new Error(`payment ${bizOrderNo}: the wallet page answered HTTP ${status} to "pay"`);
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), input.timeoutMs)));
    const outcome = await Promise.race([all.then(() => 'ok' as const), late]);
    clearTimeout(timer);
    onSuccess = undefined;
    if (outcome === 'late') {
      const got = mine.filter((s) => s.successAt !== undefined).length;
      throw new Error(`payment ${bizOrderNo}: ${got} of its ${mine.length} streams got state success within ${input.timeoutMs / 1000} s of the pay (states now: ${[...new Set(mine.map((s) => s.state))].join(', ')}; ${lost} streams closed by the server)`);
    }
    deliveries.push(mine.map((stream) => stream.successAt! - triggered));
  }
  return { deliveries, walletAnswers };
}

serveRequests(async (request) => {
  switch (request.kind) {
    case 'open':
      return open(request as unknown as Parameters<typeof open>[0]);
    case 'count':
      return count();
    case 'close':
      return closeAll();
    case 'fan-out':
      return fanOut(request as unknown as Parameters<typeof fanOut>[0]);
    default:
      throw new Error(`unknown request ${request.kind}`);
  }
});
