// The SSE benchmark must not rot: in smoke mode (BENCH_QUICK=1: 200 streams, 4 payments × 3 streams) it runs the real
// processes — sandbox, BFF, the load client — and writes its two sections. What is checked is what the run did, not how
// fast: every stream asked for was held, every stream of every paid payment got the success, and no figure is missing.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-sse-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** The cells of the table rows of a section (header and rule lines left out). */
const rowsOf = (text: string) =>
  text
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\|:?-/.test(line))
    .slice(1)
    .map((line) => line.slice(2, -2).split(' | ').map((cell) => cell.trim()));

describe('the SSE benchmark, smoke mode', () => {
  it('holds every stream, delivers every success and writes both sections', { timeout: 120_000 }, async () => {
    const out = join(dir, 'benchmarks.md');
    const runner = fileURLToPath(new URL('../src/run.ts', import.meta.url));
    await promisify(execFile)(process.execPath, ['--conditions=development', '--import', 'tsx', runner], {
      env: { ...process.env, BENCH_QUICK: '1', BENCH_ONLY: 'sse', BENCH_OUT: out },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 110_000,
    });
    const doc = readFileSync(out, 'utf8');
    const sections = Object.fromEntries(doc.split(/^## /m).slice(1).map((text) => [text.slice(0, text.indexOf('\n')), text]));
    assert.deepEqual(Object.keys(sections).filter((title) => title !== 'Not measured in this run'), ['SSE streams per instance', 'SSE fan-out']);

    const streams = rowsOf(sections['SSE streams per instance']!);
    const held = streams.find((row) => row[0]!.startsWith('streams held'));
    assert.ok(held, 'a row of the streams held');
    const [, got, asked] = /^([\d,]+) of ([\d,]+)$/.exec(held[1]!) ?? [];
    assert.ok(asked && Number(asked.replace(/,/g, '')) > 0, `streams asked: ${held[1]}`);
    assert.equal(got, asked, 'every stream asked for got its first state');
    for (const row of ['resident memory per stream', 'JS heap per stream']) assert.ok(streams.some((r) => r[0] === row), `a row "${row}"`);
    assert.match(sections['SSE streams per instance']!, /Goals: ≥ 10,000 streams on one instance at ≤ 20\.0 KB each/);
    assert.match(sections['SSE streams per instance']!, /Open-files limits \(`prlimit --nofile`, read back from `\/proc\/<pid>\/limits`\): BFF [\d,]+, client [\d,]+/);

    const fanOut = rowsOf(sections['SSE fan-out']!);
    const one = fanOut.find((row) => row[0]!.startsWith('one instance'));
    assert.ok(one, 'a row of one instance');
    for (const row of fanOut) assert.equal(Number(row[3]), Number(row[1]) * Number(row[2]), `${row[0]}: a delivery per stream of every payment`);
    // Two instances on one PostgreSQL (a throwaway cluster of @tsy/testing): streams on B, the notification to A.
    const two = fanOut.find((row) => row[0]!.startsWith('two instances'));
    assert.ok(two, `a row of two instances: ${fanOut.map((row) => row[0]).join('; ')}`);
    assert.doesNotMatch(doc, /SSE fan-out across two instances .*not measured/);
    assert.match(sections['SSE fan-out']!, /Goal (met|missed) \(one instance/);

    for (const text of Object.values(sections)) assert.doesNotMatch(text, /NaN|undefined|Infinity/, 'no figure missing');
  });
});
