import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** The shopper's cookie: a random id, nothing else. Each shopper is one YunST member (the payer). */
export const SHOPPER_COOKIE = 'tsy_demo_shopper';
const SHOPPER_ID = /^[0-9a-f]{20}$/;
const ONE_YEAR_MS = 365 * 24 * 3600_000;

/** The YunST `bizUserId` of a shopper. */
export const bizUserIdOf = (shopperId: string): string => `demo-${shopperId}`;

function cookieValue(req: Request, name: string): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index > 0 && part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/** The shopper of this request, or undefined when the browser has no (valid) shopper cookie. */
export function shopperOf(req: Request): string | undefined {
  const value = cookieValue(req, SHOPPER_COOKIE);
  return value !== undefined && SHOPPER_ID.test(value) ? value : undefined;
}

/** The shopper of this request, starting a new one (and setting its cookie) when there is none. */
export function ensureShopper(req: Request, res: Response): string {
  const known = shopperOf(req);
  if (known) return known;
  const shopperId = randomBytes(10).toString('hex');
  res.cookie(SHOPPER_COOKIE, shopperId, { httpOnly: true, sameSite: 'lax', path: '/', maxAge: ONE_YEAR_MS });
  return shopperId;
}
