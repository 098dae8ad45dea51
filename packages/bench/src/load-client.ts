// The load client, in a process of its own (started by runChild): autocannon against the BFF, every response's latency
// kept (autocannon's own histogram rounds to whole milliseconds), and the client's own CPU time reported back.
import autocannon from 'autocannon';
import { serveChild } from './processes.js';
import { summarize, type Summary } from './stats.js';

export interface LoadInput {
  readonly base: string;
  readonly kind: 'create' | 'read';
  readonly connections: number;
  readonly warmupSeconds: number;
  readonly seconds: number;
  /** Payers of new payments (create): the order ids name them, so the hooks module knows each order's payer. */
  readonly payers: readonly string[];
  /** Payments to read (read), each with its payer. */
  readonly payments?: readonly { readonly bizOrderNo: string; readonly payer: string }[];
  /** Makes this run's order ids its own. */
  readonly tag: string;
}

export interface LoadResult {
  readonly latencyMs: Summary;
  /** Every latency, for the plot (create only; reads are too many to ship). */
  readonly latencies?: number[];
  readonly requests: number;
  readonly seconds: number;
  readonly statuses: Record<string, number>;
  readonly errors: number;
  readonly timeouts: number;
  readonly cpuSeconds: number;
  /** Payments created in the measured run (create), for the reads. */
  readonly created: { bizOrderNo: string; payer: string }[];
}

function phase(input: LoadInput, seconds: number, measured: boolean): Promise<LoadResult> {
  let seq = 0;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const created: { bizOrderNo: string; payer: string }[] = [];
  const request: autocannon.Request =
    input.kind === 'create'
      ? {
          method: 'POST',
          setupRequest: (req, context) => {
            const n = seq++;
            const payer = n % input.payers.length;
            // One request in flight per connection (no pipelining): the context is this request's.
            (context as { payer?: string }).payer = input.payers[payer]!;
            return {
              ...req,
              path: `/api/checkout/orders/BENCH-${input.tag}-${measured ? 'm' : 'w'}-${payer}-${n}/payments`,
              headers: { 'content-type': 'application/json', 'x-bench-payer': input.payers[payer]!, 'idempotency-key': `${input.tag}-${measured}-${n}` },
              body: '{"method":"SCAN_WEIXIN"}',
            };
          },
          onResponse: (status, body, context) => {
            if (status === 201 && measured && created.length < 5000) {
              created.push({ bizOrderNo: (JSON.parse(body) as { bizOrderNo: string }).bizOrderNo, payer: (context as { payer: string }).payer });
            }
          },
        }
      : {
          method: 'GET',
          setupRequest: (req) => {
            const payment = input.payments![seq++ % input.payments!.length]!;
            return { ...req, path: `/api/checkout/payments/${payment.bizOrderNo}`, headers: { 'x-bench-payer': payment.payer } };
          },
        };
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon({ url: input.base, connections: input.connections, duration: seconds, requests: [request], timeout: 30 }, (error, result) => {
      if (error) return reject(error);
      const cpu = process.cpuUsage(cpuBefore);
      resolve({
        latencyMs: summarize(latencies),
        ...(input.kind === 'create' ? { latencies } : {}),
        requests: latencies.length,
        seconds: (performance.now() - started) / 1000,
        statuses,
        errors: result.errors,
        timeouts: result.timeouts,
        cpuSeconds: (cpu.user + cpu.system) / 1e6,
        created,
      });
    });
    instance.on('response', (_client, status, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[status] = (statuses[status] ?? 0) + 1;
    });
  });
}

async function load(input: LoadInput): Promise<LoadResult> {
  if (input.warmupSeconds > 0) await phase(input, input.warmupSeconds, false);
  return phase(input, input.seconds, true);
}

serveChild(load);
