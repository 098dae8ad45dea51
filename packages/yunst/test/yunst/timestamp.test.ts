import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { formatCstTimestamp, parseCstTimestamp } from '../../src/index.js';

describe('CST timestamps', () => {
  it('formats an instant as China Standard Time, crossing the date line', () => {
    assert.equal(formatCstTimestamp(new Date('2026-11-26T16:30:05Z')), '2026-11-27 00:30:05');
    assert.equal(formatCstTimestamp(new Date('2026-12-31T15:59:59.999Z')), '2026-12-31 23:59:59');
  });

  it('is the same whatever the machine time zone is', () => {
    const script = fileURLToPath(new URL('../../src/timestamp.ts', import.meta.url));
    const code = `import(${JSON.stringify(script)}).then(m => console.log(m.formatCstTimestamp(new Date('2026-06-01T00:00:00Z'))))`;
    for (const tz of ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai']) {
      const out = execFileSync(process.execPath, ['--import', 'tsx', '-e', code], { env: { ...process.env, TZ: tz }, encoding: 'utf8' });
      assert.equal(out.trim(), '2026-06-01 08:00:00', tz);
    }
  });

  it('parses back to the same instant and refuses impossible or mis-shaped times', () => {
    const instant = new Date('2026-02-28T23:59:59Z');
    assert.equal(parseCstTimestamp(formatCstTimestamp(instant))?.getTime(), instant.getTime());
    for (const bad of ['2026-02-30 10:00:00', '2026-11-2610:00:00', '2026-11-26 24:00:00', '2026-11-26T10:00:00', '']) {
      assert.equal(parseCstTimestamp(bad), undefined, bad);
    }
  });
});
