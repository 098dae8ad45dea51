import { isIP } from 'node:net';
import type { Request } from 'express';
import type { Language } from '../checkout/errors.js';

/** The client as the HTTP layer sees it; the checkout services get this, never the request's headers. */
export interface ClientInfo {
  readonly userAgent: string | undefined;
  /** The payer's public IP, or the configured fallback when the connection is local/private. */
  readonly consumerIp: string;
}

/** Loopback, private, link-local and unique-local addresses: none of them is a payer's public IP. */
export function isPublicIp(address: string): boolean {
  const ip = address.startsWith('::ffff:') ? address.slice(7) : address;
  if (isIP(ip) === 4) {
    const [a, b] = ip.split('.').map(Number) as [number, number];
    return !(a === 10 || a === 127 || a === 0 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254) || (a === 100 && b >= 64 && b <= 127));
  }
  if (isIP(ip) === 6) {
    const lower = ip.toLowerCase();
    return !(lower === '::1' || lower === '::' || lower.startsWith('fc') || lower.startsWith('fd') || lower.startsWith('fe80'));
  }
  return false;
}

/**
 * The payer as the platform must see it. `req.ip` follows the app's `trust proxy` setting; a local or private address
 * (local demo, tests, an internal proxy not configured as trusted) becomes the configured public fallback, because the
 * platform refuses 127.0.0.1/localhost (spec §4.2.8).
 */
export function clientInfo(req: Request, fallbackConsumerIp: string): ClientInfo {
  const ip = req.ip ?? req.socket.remoteAddress ?? '';
  return { userAgent: req.get('user-agent'), consumerIp: isPublicIp(ip) ? ip.replace(/^::ffff:/, '') : fallbackConsumerIp };
}

/** zh unless the client prefers English (Accept-Language). */
export function requestLanguage(req: Request): Language {
  const preferred = req.acceptsLanguages('zh', 'zh-CN', 'en', 'en-US');
  return typeof preferred === 'string' && preferred.startsWith('en') ? 'en' : 'zh';
}
