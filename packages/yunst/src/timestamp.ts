/**
 * YunST timestamps are China Standard Time wall-clock strings (`yyyy-MM-dd HH:mm:ss`, spec §3.1), whatever the time zone of
 * the machine that builds them. China has had no daylight saving since 1991, so CST is a fixed UTC+8 offset.
 */
const CST_OFFSET_MS = 8 * 60 * 60 * 1000;
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Formats an instant as a YunST timestamp (CST). */
export function formatCstTimestamp(instant: Date = new Date()): string {
  const cst = new Date(instant.getTime() + CST_OFFSET_MS);
  return (
    `${pad(cst.getUTCFullYear(), 4)}-${pad(cst.getUTCMonth() + 1)}-${pad(cst.getUTCDate())} ` +
    `${pad(cst.getUTCHours())}:${pad(cst.getUTCMinutes())}:${pad(cst.getUTCSeconds())}`
  );
}

const CST_PATTERN = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

/** Parses a YunST timestamp (CST) into an instant; `undefined` when it is not a real `yyyy-MM-dd HH:mm:ss` time. */
export function parseCstTimestamp(text: string): Date | undefined {
  const m = CST_PATTERN.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const utc = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-31 over into March; the platform would reject such a time, so do we.
  if (check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day || hour > 23 || minute > 59 || second > 59) return undefined;
  return new Date(utc - CST_OFFSET_MS);
}
