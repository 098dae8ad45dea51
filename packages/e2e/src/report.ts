import { isWrong, readTally, resetTally, type TallyRow } from './tally.js';

/**
 * Prints the reliability suite's counts as one table and fails when a section is missing, a must-be-zero count is not 0,
 * or a known-bad control counted nothing. Run after the test files (`npm test` in this package).
 */
const REQUIRED_SECTIONS = ['forged notifications', 'fault runs', 'fault run controls', 'crash safety', 'crash safety controls', 'fuzz', 'logs', 'limits', 'csrf', 'cors', 'payer access', 'load'];

if (process.argv.includes('--reset')) {
  resetTally();
  process.exit(0);
}

const rows = readTally();
const label = (row: TallyRow) => (row.expect === 'zero' ? 'must be 0' : row.expect === 'nonzero' ? 'control: must be > 0' : '');
const table = [['section', 'measure', 'count', 'rule', ''], ...rows.map((row) => [row.section, row.measure, String(row.count), label(row), isWrong(row) ? 'WRONG' : 'ok'])];
const widths = table[0]!.map((_, column) => Math.max(...table.map((line) => line[column]!.length)));
const line = (cells: string[]) => `| ${cells.map((cell, column) => (column === 2 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join(' | ')} |`;
console.log('\nReliability and security suite');
console.log(line(table[0]!));
console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
for (const cells of table.slice(1)) console.log(line(cells));

const missing = REQUIRED_SECTIONS.filter((section) => !rows.some((row) => row.section === section));
const wrong = rows.filter(isWrong);
if (missing.length) console.error(`missing sections (their test did not run or did not record): ${missing.join(', ')}`);
if (wrong.length) console.error(`${wrong.length} count(s) wrong`);
process.exitCode = missing.length || wrong.length || rows.length === 0 ? 1 : 0;
