import { randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';

/** The shopper's cookie: a random id, nothing else. Each shopper is one YunST member (the payer). */
export const SHOPPER_COOKIE = 'tsy_demo_shopper';
const SHOPPER_ID = /^[0-9a-f]{20}$/;
const ONE_YEAR_MS = 365 * 24 * 3600_000;

/** The YunST `bizUserId` of a shopper. */
export const bizUserIdOf = (shopperId: string): string => `demo-${shopperId}`;

/** A cookie of the request, read from its header (the demo mounts no cookie parser). */
export function cookieValue(req: Request, name: string): string | undefined {
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

/**
 * The demo's "simulate" switch (sandbox only): where the shop page pretends to run, because a page cannot change its own
 * User-Agent. Unset, the User-Agent decides, so a real phone inside WeChat still gets the WeChat methods.
 */
export const SIMULATE_COOKIE = 'tsy_demo_simulate';
export const SIMULATED_ENVIRONMENTS = ['desktop', 'mobile', 'wechat', 'alipay'] as const;
export type SimulatedEnvironment = (typeof SIMULATED_ENVIRONMENTS)[number];

const isSimulated = (value: unknown): value is SimulatedEnvironment => SIMULATED_ENVIRONMENTS.includes(value as SimulatedEnvironment);

/** The environment the switch chose for this request, or undefined (no cookie, or one the demo never set). */
export function simulatedEnvironmentOf(req: Request): SimulatedEnvironment | undefined {
  const value = cookieValue(req, SIMULATE_COOKIE);
  return isSimulated(value) ? value : undefined;
}

/** Sets the switch (a session cookie: a new browser starts with its real User-Agent) or clears it with `null`. */
export function setSimulatedEnvironment(res: Response, value: SimulatedEnvironment | null): void {
  if (value === null) res.clearCookie(SIMULATE_COOKIE, { path: '/' });
  else res.cookie(SIMULATE_COOKIE, value, { httpOnly: true, sameSite: 'lax', path: '/' });
}

export function parseSimulatedEnvironment(value: unknown): SimulatedEnvironment | null | undefined {
  if (value === null) return null;
  return isSimulated(value) ? value : undefined;
}

/**
 * The payer's accounts in the wallets' JS methods, as a merchant's server knows them after the wallet's login (WeChat's
 * OAuth openid for the official account, Alipay's user_id for the life account). Here: derived from the shopper id, the
 * same each visit, shaped like the real ones (a 28-character openid starting with `o`, a 16-digit user_id starting 2088).
 */
export function sandboxWalletAccountsOf(shopperId: string): { weChatPublic: string; aliPayService: string } {
  const digits = BigInt(`0x${shopperId}`).toString().padStart(12, '0').slice(-12);
  return { weChatPublic: `oTsyDemo${shopperId}`, aliPayService: `2088${digits}` };
}
