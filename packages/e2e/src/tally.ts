import { appendFileSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * What a count must be for the run to pass: `zero` (5xx, false successes, leaks…), `nonzero` (a known-bad control, whose
 * count proves the counter counts), or `info` (variants tried, payments run, faults injected).
 */
export type Expectation = 'zero' | 'nonzero' | 'info';

export interface TallyRow {
  /** The part of the suite, e.g. `forged notifications`. */
  readonly section: string;
  /** What was counted, e.g. `variants tried`, `5xx`, `state changes`. */
  readonly measure: string;
  readonly count: number;
  readonly expect: Expectation;
}

/** Where the test files of this package leave their counts for `report.ts` (one JSON line per row). */
export const TALLY_DIR = process.env.TSY_TALLY_DIR ?? join(dirname(fileURLToPath(import.meta.url)), '..', '.tally');

/** Removes the counts of an earlier run (the test script does this before the suite). */
export function resetTally(): void {
  rmSync(TALLY_DIR, { recursive: true, force: true });
}

/**
 * Records counts of one section. The test asserts its own zeros too; the report adds the table and the check that every
 * control counted something.
 */
export function tally(section: string, rows: Readonly<Record<string, readonly [count: number, expect: Expectation]>>): void {
  mkdirSync(TALLY_DIR, { recursive: true });
  const file = join(TALLY_DIR, `${section.replace(/[^\w-]+/g, '_')}.jsonl`);
  for (const [measure, [count, expect]] of Object.entries(rows)) appendFileSync(file, `${JSON.stringify({ section, measure, count, expect } satisfies TallyRow)}\n`);
}

export function readTally(): TallyRow[] {
  let files: string[];
  try {
    files = readdirSync(TALLY_DIR).filter((file) => file.endsWith('.jsonl'));
  } catch {
    return [];
  }
  return files
    .sort()
    .flatMap((file) => readFileSync(join(TALLY_DIR, file), 'utf8').split('\n').filter(Boolean))
    .map((line) => JSON.parse(line) as TallyRow);
}

/** A row is wrong when a must-be-zero count is not 0, or a control's count is 0. */
export function isWrong(row: TallyRow): boolean {
  return (row.expect === 'zero' && row.count !== 0) || (row.expect === 'nonzero' && row.count === 0);
}
