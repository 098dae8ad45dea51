// The benchmark scripts must not rot: the runner in its smoke mode (BENCH_QUICK=1, about a second per benchmark) writes
// a well-formed document into a temporary file — every section of this branch, in the fixed order, each with its
// command, the machine and a table whose rows fit its headers. No figure is checked: performance is never asserted.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { SECTION_ORDER, machineLine } from '../src/document.js';

const dir = mkdtempSync(join(tmpdir(), 'tsy-bench-test-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run bench, smoke mode', () => {
  it('writes a well-formed docs/benchmarks.md into the file it is given', { timeout: 240_000 }, async () => {
    const out = join(dir, 'benchmarks.md');
    const runner = fileURLToPath(new URL('../src/run.ts', import.meta.url));
    await promisify(execFile)(process.execPath, ['--conditions=development', '--import', 'tsx', runner], {
      env: { ...process.env, BENCH_QUICK: '1', BENCH_OUT: out },
      maxBuffer: 16 * 1024 * 1024,
      timeout: 230_000,
    });
    const doc = readFileSync(out, 'utf8');
    assert.match(doc, /^# Benchmarks\n/);
    assert.match(doc, /Smoke run \(`BENCH_QUICK=1`\)/);
    assert.ok(doc.includes(`Machine: ${machineLine()}`), 'the machine is named');

    const sections = doc.split(/^## /m).slice(1).map((text) => ({ title: text.slice(0, text.indexOf('\n')), text }));
    const measured = sections.filter((section) => section.title !== 'Not measured in this run');
    const titles = measured.map((section) => section.title);
    // This branch's benchmarks, in the document's order.
    assert.deepEqual(titles, ['Payment creation', 'Status reads', 'SSE streams per instance', 'SSE fan-out', 'Notification to screen', 'Signing and verification', 'Widget sizes']);
    assert.equal(SECTION_ORDER.indexOf('payment-creation'), 0);
    for (const section of measured) {
      assert.match(section.text, /^Command: `npm run bench`/m, `${section.title}: its command`);
      assert.match(section.text, /^Machine: /m, `${section.title}: its machine`);
      const tables = section.text.split('\n\n').filter((block) => block.startsWith('|')).map((block) => block.split('\n'));
      assert.ok(tables.length >= 1, `${section.title}: a table`);
      const cells = (line: string) => line.split(/(?<!\\)\|/).length;
      for (const lines of tables) {
        assert.ok(lines.length >= 3 && /^\|:?-+:?\|/.test(lines[1]!), `${section.title}: headers, a rule and a row at least`);
        for (const line of lines) assert.equal(cells(line), cells(lines[0]!), `${section.title}: a row of as many cells as headers: ${line}`);
      }
      assert.doesNotMatch(section.text, /NaN|undefined|Infinity/, `${section.title}: no figure missing`);
    }
    // Both stores are measured (PostgreSQL in a throwaway cluster of @tsy/testing); what this branch cannot measure is said, not faked.
    assert.match(doc, /^\| SQLite \(WAL, on disk\) +\| +200 \|/m);
    assert.match(doc, /^\| PostgreSQL \(throwaway cluster, same machine\) +\| +200 \|/m);
    assert.doesNotMatch(doc, /PostgreSQL: not measured/);
    const plot = /!\[[^\]]*\]\(([^)]+\.svg)\)/.exec(doc);
    assert.ok(plot && existsSync(join(dir, plot[1]!)) && readFileSync(join(dir, plot[1]!), 'utf8').startsWith('<svg'), 'the plot is written beside the document');
  });
});
