import { YUNST_API_VERSION, YUNST_METHODS, YUNST_UNCODED_MESSAGES, parseCstTimestamp, parseFormBody, verifySource } from '@tsy/yunst';
import type { Request } from 'express';
import { MINUTE } from '../clock.js';
import type { SandboxConfig } from '../config.js';
import { SoaError } from './errors.js';

/** The merchant clock may differ from the platform's by at most 10 minutes (spec §3.1). */
const MAX_CLOCK_SKEW_MS = 10 * MINUTE;

/**
 * The request's fields, decoded once with the form rules (`+` is a space). POST reads the body, GET the query string (the
 * spec's own example is a GET URL). Express's parsers are not used: they turn a repeated field into an array, where the
 * platform core's rule is that the first occurrence wins.
 */
export function requestFields(req: Request): Record<string, string> {
  if (req.method === 'POST') return typeof req.body === 'string' ? parseFormBody(req.body) : {};
  const query = req.originalUrl.indexOf('?');
  return query < 0 ? {} : parseFormBody(req.originalUrl.slice(query + 1));
}

export interface OpenedRequest {
  readonly service: string;
  readonly method: string;
  readonly param: unknown;
}

const ENVELOPE_FIELDS = ['sysid', 'sign', 'timestamp', 'v', 'req'] as const;

/**
 * Checks the envelope in the platform's order — presence, application, version, clock skew, signature, then the `req` JSON —
 * and returns the request it carries. The signature is checked over the exact `req` text received, before it is parsed.
 */
export function openEnvelope(fields: Record<string, string>, config: SandboxConfig): OpenedRequest {
  for (const name of ENVELOPE_FIELDS) {
    if (!fields[name]) throw SoaError.of('10001', name);
  }
  const { sysid, sign, timestamp, v, req } = fields as Record<(typeof ENVELOPE_FIELDS)[number], string>;
  if (sysid !== config.sysid) throw SoaError.of('20000', sysid);
  if (v !== YUNST_API_VERSION) throw SoaError.of('10000', `v must be ${YUNST_API_VERSION}`);
  const sent = parseCstTimestamp(timestamp);
  if (!sent || Math.abs(sent.getTime() - config.clock().getTime()) > MAX_CLOCK_SKEW_MS) throw SoaError.uncoded(YUNST_UNCODED_MESSAGES.staleTimestamp);
  if (!verifySource(sysid + req + timestamp, sign, config.merchantVerifyKey)) throw SoaError.of('20019');

  let parsed: unknown;
  try {
    parsed = JSON.parse(req);
  } catch {
    throw SoaError.of('10000', 'req is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw SoaError.of('10000', 'req is not a JSON object');
  const { service, method, param } = parsed as Record<string, unknown>;
  if (service === undefined || service === '') throw SoaError.of('10001', 'service');
  if (typeof service !== 'string' || !Object.hasOwn(YUNST_METHODS, service)) throw SoaError.of('10002', String(service));
  if (method === undefined || method === '') throw SoaError.of('10001', 'method');
  if (typeof method !== 'string' || !Object.hasOwn(YUNST_METHODS[service as keyof typeof YUNST_METHODS], method)) {
    throw SoaError.of('10003', String(method));
  }
  if (param === undefined || param === null) throw SoaError.of('10001', 'param');
  return { service, method, param };
}
