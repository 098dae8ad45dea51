// What a benchmark hands the runner (a section: a table and its notes) and how docs/benchmarks.md is written from them.
import { cpus, release, totalmem } from 'node:os';

export interface Table {
  readonly headers: readonly string[];
  /** Cells as printed; numbers are formatted by the benchmark (it knows their unit and precision). */
  readonly rows: readonly (readonly string[])[];
  /** Columns aligned right (numbers); default: every column but the first. */
  readonly right?: readonly boolean[];
}

export interface Section {
  /** One of SECTION_ORDER: the place of the section in the document. */
  readonly id: string;
  readonly title: string;
  /** The command that produced the figures, as a reader would type it. */
  readonly command: string;
  /** What one row means, under the title. */
  readonly summary?: string;
  readonly tables: readonly Table[];
  /** Paragraphs after the tables: goals met or missed and why, what was measured and how. */
  readonly notes: readonly string[];
  /** An SVG drawn from the same figures, written beside the document and shown under the tables. */
  readonly plot?: { readonly file: string; readonly svg: string; readonly alt: string };
}

/** Where each section goes; a benchmark that is not available leaves its place empty (no heading, no figures). */
export const SECTION_ORDER = [
  'payment-creation',
  'status-reads',
  'sse-streams',
  'sse-fan-out',
  'notification-screen',
  'crypto',
  'widget-sizes',
] as const;
export type SectionId = (typeof SECTION_ORDER)[number];

/** The machine every figure was measured on, from `os`: CPU model, cores, RAM, Node, kernel. */
export function machineLine(): string {
  const cpu = cpus();
  const model = (cpu[0]?.model ?? 'unknown CPU').replace(/\s+/g, ' ').trim();
  return `${model}, ${cpu.length} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${process.platform} ${release()} ${process.arch}`;
}

export function renderTable(table: Table): string {
  const right = table.right ?? table.headers.map((_, i) => i > 0);
  const cells = (row: readonly string[]) => row.map((cell) => cell.replace(/\|/g, '\\|'));
  const widths = table.headers.map((header, i) => Math.max(header.length, 3, ...table.rows.map((row) => cells(row)[i]!.length)));
  const line = (row: readonly string[]) => `| ${cells(row).map((cell, i) => (right[i] ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (right[i] ? `${'-'.repeat(w + 1)}:` : `:${'-'.repeat(w + 1)}`)).join('|')}|`;
  for (const row of table.rows) if (row.length !== table.headers.length) throw new Error(`a row of ${row.length} cells under ${table.headers.length} headers: ${row.join(' | ')}`);
  return [line(table.headers), rule, ...table.rows.map(line)].join('\n');
}

export interface DocumentInput {
  readonly sections: readonly Section[];
  readonly quick: boolean;
  readonly machine: string;
  readonly generatedAt: Date;
  /** Sections left out and why (a benchmark not available on this branch, a store not configured). */
  readonly omitted: readonly string[];
}

export function renderDocument(input: DocumentInput): string {
  const order = new Map<string, number>(SECTION_ORDER.map((id, index) => [id, index]));
  for (const section of input.sections) if (!order.has(section.id)) throw new Error(`section "${section.id}" has no place in SECTION_ORDER`);
  const sections = [...input.sections].sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const out: string[] = [
    '# Benchmarks',
    '',
    '<!-- Written by `npm run bench` (packages/bench/src/run.ts). Do not edit: run the command again. -->',
    '',
    input.quick
      ? '**Smoke run (`BENCH_QUICK=1`): about a second per benchmark, to show the scripts work. These figures are not measurements.**'
      : `Measured on ${input.generatedAt.toISOString().slice(0, 10)} by \`npm run bench\`. Performance is never asserted in a test; these figures are what this run saw.`,
    '',
    `Machine: ${input.machine}.`,
    '',
  ];
  if (sections.length > 1) {
    out.push(...sections.map((section) => `- [${section.title}](#${anchorOf(section.title)})`), '');
  }
  for (const section of sections) {
    out.push(`## ${section.title}`, '');
    if (section.summary) out.push(section.summary, '');
    out.push(`Command: \`${section.command}\`  `, `Machine: ${input.machine}`, '');
    for (const table of section.tables) out.push(renderTable(table), '');
    if (section.plot) out.push(`![${section.plot.alt}](${section.plot.file})`, '');
    for (const note of section.notes) out.push(note, '');
  }
  if (input.omitted.length) out.push('## Not measured in this run', '', ...input.omitted.map((line) => `- ${line}`), '');
  return `${out.join('\n').trimEnd()}\n`;
}

/** GitHub's heading anchor: lower case, punctuation dropped, spaces to dashes. */
export function anchorOf(title: string): string {
  return title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s-]/gu, '')
    .trim()
    .replace(/\s/g, '-');
}

// Number formats shared by the benchmarks.
export const fixed = (n: number, digits = 1) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
export const percent = (n: number) => `${fixed(n * 100, 0)} %`;
