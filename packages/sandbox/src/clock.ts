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
}

export function createManualClock(start: Date = new Date()): ManualClock {
  let now = start.getTime();
  const clock = (() => new Date(now)) as ManualClock;
  clock.advance = (ms) => new Date((now += ms));
  clock.set = (instant) => {
    now = instant.getTime();
  };
  return clock;
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
