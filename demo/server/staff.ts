import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { cookieValue } from './shopper.js';

/** The staff session cookie: a random id naming a session kept on the server, nothing else. */
export const STAFF_COOKIE = 'tsy_demo_staff';
/** A shift: after this the cashier signs in again. */
const SESSION_MS = 8 * 3600_000;
const SESSION_ID = /^[0-9a-f]{64}$/;

/** A staff PIN: 6–12 digits. */
export const STAFF_PIN = /^\d{6,12}$/;

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The demo's staff sign-in: one PIN from the demo's configuration, compared in constant time (digests of equal length,
 * so neither the content nor the length of the PIN shows in the timing), and server-side sessions behind an HttpOnly,
 * SameSite=Strict cookie — a page of another site can neither read it nor send it along.
 */
export class StaffSessions {
  private readonly sessions = new Map<string, { readonly expiresAt: number }>();
  private readonly pinDigest: Buffer | undefined;

  /** Without a PIN nobody signs in (the counter is closed). */
  constructor(pin: string | undefined, private readonly now: () => number = Date.now) {
    if (pin !== undefined && !STAFF_PIN.test(pin)) throw new Error('the staff PIN must be 6–12 digits');
    this.pinDigest = pin === undefined ? undefined : digest(pin);
  }

  pinMatches(candidate: unknown): boolean {
    return this.pinDigest !== undefined && typeof candidate === 'string' && timingSafeEqual(digest(candidate), this.pinDigest);
  }

  /** A new session; the request's old one (if any) ends: a session id known before the sign-in is never signed in. */
  signIn(req: Request, res: Response, secure: boolean): void {
    this.prune();
    const old = cookieValue(req, STAFF_COOKIE);
    if (old) this.sessions.delete(old);
    const id = randomBytes(32).toString('hex');
    this.sessions.set(id, { expiresAt: this.now() + SESSION_MS });
    res.cookie(STAFF_COOKIE, id, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: SESSION_MS });
  }

  signOut(req: Request, res: Response): void {
    const id = cookieValue(req, STAFF_COOKIE);
    if (id) this.sessions.delete(id);
    res.clearCookie(STAFF_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/' });
  }

  /** Whether the request comes from a signed-in member of staff. */
  isStaff(req: Request): boolean {
    const id = cookieValue(req, STAFF_COOKIE);
    if (!id || !SESSION_ID.test(id)) return false;
    const session = this.sessions.get(id);
    if (!session) return false;
    if (session.expiresAt <= this.now()) {
      this.sessions.delete(id);
      return false;
    }
    return true;
  }

  private prune(): void {
    const now = this.now();
    for (const [id, session] of this.sessions) if (session.expiresAt <= now) this.sessions.delete(id);
  }
}
