// `npm run bench`: runs every benchmark, one after the other (they share the machine's cores), and writes
// docs/benchmarks.md from what they return. A benchmark is a module exporting `run(ctx): Promise<Section[]>`; its
// sections take their places in SECTION_ORDER. A benchmark that is not on this branch (its module is absent) leaves its
// sections out, and a part it cannot measure (no PostgreSQL) is said under "Not measured in this run" — never faked.
//
// Environment: BENCH_QUICK=1 — a smoke run of about a second per benchmark (the test in npm test); BENCH_OUT=<file> —
// where the document goes (default docs/benchmarks.md; plots beside it); BENCH_ONLY=<id,…> — only these benchmarks
// (then nothing is written unless BENCH_OUT is set, so a partial run cannot replace the whole document).
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine, renderDocument, type Section, type SectionId } from './document.js';

export interface BenchContext {
  readonly quick: boolean;
  readonly cores: number;
  /** Says in the document what this run could not measure, and why. */
  omit(reason: string): void;
}

interface Benchmark {
  readonly id: string;
  /** The sections it writes (for the list of what is missing when its module is absent). */
  readonly sections: readonly SectionId[];
  /** Relative to this file, without extension: `.ts` under tsx, `.js` when built. */
  readonly module: string;
  /** Said when the module is absent. */
  readonly absent?: string;
}

export const BENCHMARKS: readonly Benchmark[] = [
  { id: 'checkout-load', sections: ['payment-creation', 'status-reads'], module: './benchmarks/checkout-load' },
  {
    id: 'sse',
    sections: ['sse-streams', 'sse-fan-out'],
    module: './benchmarks/sse',
    absent: 'Live status (SSE streams per instance, memory per stream, fan-out p50/p99): not measured in this run — its benchmark is not on this branch.',
  },
  { id: 'notification-screen', sections: ['notification-screen'], module: './benchmarks/notification-screen' },
  { id: 'crypto', sections: ['crypto'], module: './benchmarks/crypto' },
  { id: 'widget-sizes', sections: ['widget-sizes'], module: './benchmarks/widget-sizes' },
];

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

function moduleFile(benchmark: Benchmark): string | undefined {
  const base = fileURLToPath(new URL(benchmark.module, import.meta.url));
  return ['.ts', '.js'].map((ext) => base + ext).find((file) => existsSync(file));
}

export async function runBenchmarks(options: { quick: boolean; only?: readonly string[] }): Promise<{ document: string; plots: NonNullable<Section['plot']>[] }> {
  const sections: Section[] = [];
  const omitted: string[] = [];
  const cores = cpus().length;
  for (const benchmark of BENCHMARKS) {
    if (options.only && !options.only.includes(benchmark.id)) continue;
    const file = moduleFile(benchmark);
    if (!file) {
      omitted.push(benchmark.absent ?? `${benchmark.id}: not measured in this run — its benchmark is not on this branch.`);
      continue;
    }
    const started = performance.now();
    console.error(`bench: ${benchmark.id}…`);
    const module = (await import(file)) as { run(ctx: BenchContext): Promise<Section[]> };
    const produced = await module.run({ quick: options.quick, cores, omit: (reason) => omitted.push(reason) });
    for (const section of produced) {
      if (!benchmark.sections.includes(section.id as SectionId)) throw new Error(`${benchmark.id} wrote section "${section.id}", which is not one of its own`);
    }
    sections.push(...produced);
    console.error(`bench: ${benchmark.id} done in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  }
  const document = renderDocument({ sections, quick: options.quick, machine: machineLine(), generatedAt: new Date(), omitted });
  return { document, plots: sections.flatMap((section) => (section.plot ? [section.plot] : [])) };
}

async function main(): Promise<void> {
  const quick = process.env.BENCH_QUICK === '1';
  const only = process.env.BENCH_ONLY?.split(',').map((id) => id.trim()).filter(Boolean);
  for (const id of only ?? []) if (!BENCHMARKS.some((b) => b.id === id)) throw new Error(`BENCH_ONLY: no benchmark "${id}" (${BENCHMARKS.map((b) => b.id).join(', ')})`);
  const out = process.env.BENCH_OUT ? resolve(process.env.BENCH_OUT) : only ? undefined : join(REPO_ROOT, 'docs', 'benchmarks.md');
  const { document, plots } = await runBenchmarks({ quick, ...(only ? { only } : {}) });
  process.stdout.write(document);
  if (!out) return void console.error('bench: BENCH_ONLY without BENCH_OUT: nothing written');
  mkdirSync(dirname(out), { recursive: true });
  for (const plot of plots) {
    const file = join(dirname(out), plot.file);
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, plot.svg);
  }
  writeFileSync(out, document);
  console.error(`bench: wrote ${out}${plots.length ? ` and ${plots.length} plot(s)` : ''}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
