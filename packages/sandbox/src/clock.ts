import { formatCstTimestamp } from '@tsy/yunst';

/**
 * The sandbox's "now". Every rule that depends on time — timestamp skew, SMS validity, the 10-second resend rule, order
 * expiry, the daily limit — reads this clock, so tests move time forward instead of sleeping.
 */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();

/** A clock that only moves when told to. */
export interface ManualClock extends Clock {
  advance(ms: number): Date;
  set(instant: Date): void;
  /**
   * Calls `listener` after every advance or set; returns the unsubscribe. A sandbox on this clock applies what time alone
   * changes (a D1 refund reaching D+1 14:30) when the clock moves, not only when the order is next looked at.
   */
  onChange(listener: (now: Date) => void): () => void;
}

export function createManualClock(start: Date = new Date()): ManualClock {
  let now = start.getTime();
  const listeners = new Set<(now: Date) => void>();
  const moved = () => {
    for (const listener of [...listeners]) listener(new Date(now));
  };
  const clock = (() => new Date(now)) as ManualClock;
  clock.advance = (ms) => {
    now += ms;
    moved();
    return new Date(now);
  };
  clock.set = (instant) => {
    now = instant.getTime();
    moved();
  };
  clock.onChange = (listener) => {
    const own = (at: Date) => listener(at);
    listeners.add(own);
    return () => listeners.delete(own);
  };
  return clock;
}

/** The change listener of a manual clock; undefined for the system clock (real time needs the timers instead). */
export function onClockChange(clock: Clock, listener: (now: Date) => void): (() => void) | undefined {
  const manual = clock as Partial<ManualClock>;
  return typeof manual.onChange === 'function' ? manual.onChange(listener) : undefined;
}

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** The CST calendar day (`yyyy-MM-dd`) an instant falls on: the platform's daily limits count per CST day. */
export function cstDay(instant: Date): string {
  return formatCstTimestamp(instant).slice(0, 10);
}

export const addMs = (instant: Date, ms: number): Date => new Date(instant.getTime() + ms);

/** `HH:mm` on the CST calendar day after the one `instant` falls on (China has no daylight saving time: UTC+8 all year). */
export function nextCstDayAt(instant: Date, hhmm: string): Date {
  return addMs(new Date(`${cstDay(instant)}T${hhmm}:00+08:00`), DAY);
}
