import type { ClientEnvironment } from '@tsy/contract';
import type { CheckoutHooks } from '../checkout/hooks.js';
import { clientEnvironment } from '../checkout/methods.js';
import { isIP, isIPv6 } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import type { Log } from '../checkout/context.js';
import type { Language } from '../checkout/errors.js';
import { SANDBOX_FALLBACK_CONSUMER_IP, type BffConfig } from '../config/config.js';

/** The client as the HTTP layer sees it; the checkout services get this, never the request's headers. */
export interface ClientInfo {
  readonly userAgent: string | undefined;
  /** Where the page runs (decides which methods can work): the merchant's `resolveEnvironment` hook, else the User-Agent. */
  readonly environment: ClientEnvironment;
  /** The payer's public IP, or the configured fallback when the connection is local/private. */
  readonly consumerIp: string;
  /** The client's address as the host app sees it (`req.ip`, private ones too): what rate limits count per client. */
  readonly ip: string;
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
export async function clientInfo(req: Request, fallbackConsumerIp: string, hooks: Pick<CheckoutHooks, 'resolveEnvironment'> = {}): Promise<ClientInfo> {
  const ip = req.ip ?? req.socket.remoteAddress ?? '';
  const userAgent = req.get('user-agent');
  const decided = hooks.resolveEnvironment ? await hooks.resolveEnvironment(req) : undefined;
  const environment = decided !== undefined && CLIENT_ENVIRONMENTS.includes(decided) ? decided : clientEnvironment(userAgent);
  return { userAgent, environment, consumerIp: isPublicIp(ip) ? ip.replace(/^::ffff:/, '') : fallbackConsumerIp, ip: clientIp(req) };
}

/**
 * The client as the rate limits and the stream cap count it: `req.ip` (the host app's `trust proxy` decides it) — an IPv4
 * address without its `::ffff:` prefix, or an IPv6 address's /64 network (`2001:db8:1:2::/64`): one subscriber usually
 * holds a whole /64, and counting each of its 2^64 addresses apart would count nothing.
 */
export function clientIp(req: Request): string {
  const ip = (req.ip ?? req.socket.remoteAddress ?? '').replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/, '');
  return isIPv6(ip) ? `${ipv6Groups(ip).slice(0, 4).join(':')}::/64` : ip;
}

/** The eight groups of an IPv6 address, `::` expanded, without leading zeros (a zone `%eth0` is dropped). */
function ipv6Groups(ip: string): string[] {
  const [head = '', tail] = ip.split('%')[0]!.split('::') as [string, string | undefined];
  const part = (text: string) => (text ? text.split(':') : []);
  const left = part(head);
  const right = tail === undefined ? [] : part(tail);
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return groups.map((group) => (group.includes('.') ? group : group.replace(/^0+(?=.)/, '').toLowerCase()));
}

const CLIENT_ENVIRONMENTS: readonly ClientEnvironment[] = ['desktop', 'mobile', 'wechat', 'alipay'];

/**
 * Says once, at the first request (the first moment a mounted router knows its app), where `consumerIp` comes from: the
 * host app's `trust proxy` decides `req.ip`, whatever the config's `trustProxy` says (that one is the standalone server's).
 */
export function announceConsumerIpSource(config: BffConfig, log: Log): (req: Request, res: Response, next: NextFunction) => void {
  let announced = false;
  return (req, _res, next) => {
    if (!announced) {
      announced = true;
      const setting = req.app.get('trust proxy') as unknown;
      const fallback = config.fallbackConsumerIp === SANDBOX_FALLBACK_CONSUMER_IP && config.environment === 'sandbox' ? `${config.fallbackConsumerIp} (the sandbox default)` : config.fallbackConsumerIp;
      log('info', `consumerIp from req.ip (trust proxy: ${JSON.stringify(setting ?? false)}); private/loopback addresses become ${fallback}`);
      if (setting === true) {
        log('warn', '`trust proxy` is true: every hop is trusted, so the leftmost X-Forwarded-For — which any client can write — becomes req.ip, the address the rate limits count and consumerIp is sent as; set the number of proxies or their addresses instead');
      }
      if (config.trustProxy !== false && JSON.stringify(config.trustProxy) !== JSON.stringify(setting ?? false)) {
        log('warn', `config.trustProxy (${JSON.stringify(config.trustProxy)}) is not applied to a mounted router: set the host app's \`trust proxy\``);
      }
    }
    next();
  };
}

/** zh unless the client prefers English (Accept-Language). */
export function requestLanguage(req: Request): Language {
  const preferred = req.acceptsLanguages('zh', 'zh-CN', 'en', 'en-US');
  return typeof preferred === 'string' && preferred.startsWith('en') ? 'en' : 'zh';
}
