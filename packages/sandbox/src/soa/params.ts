import type { z } from 'zod';
import { SoaError } from './errors.js';

type Issue = z.core.$ZodIssue;

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let value = root;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function isEmpty(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && Object.keys(value).length === 0;
}

/** `payMethod.SCAN_ALIPAY.limitPay`, `recieverList[0].amount`. */
function fieldName(path: readonly PropertyKey[]): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : `${i === 0 ? '' : '.'}${String(key)}`)).join('') || 'param';
}

/**
 * spec §7 system errors: a required field that is missing or empty is 10001 参数不能为空, a string or list over its maximum
 * length is 10004 参数长度超长, anything else invalid is 10000 参数错误.
 */
function classify(issue: Issue, param: unknown): { code: '10000' | '10001' | '10004'; field: string } {
  if (issue.code === 'unrecognized_keys') return { code: '10000', field: issue.keys.map((key) => fieldName([...issue.path, key])).join(', ') };
  const field = fieldName(issue.path);
  if (isEmpty(valueAt(param, issue.path))) return { code: '10001', field };
  if (issue.code === 'too_big' && (issue.origin === 'string' || issue.origin === 'array')) return { code: '10004', field };
  return { code: '10000', field };
}

const PRIORITY = { '10001': 0, '10004': 1, '10000': 2 } as const;

/**
 * Validates `param` with the shared schema (the same one the BFF client checks before sending). Of several problems, a
 * missing field is reported first, then an over-long one, then the rest — one error, naming its field, as the platform does.
 */
export function parseParam<S extends z.ZodType>(schema: S, param: unknown): z.output<S> {
  const result = schema.safeParse(param);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => ({ issue, ...classify(issue, param) }));
  problems.sort((a, b) => PRIORITY[a.code] - PRIORITY[b.code]);
  const { code, field, issue } = problems[0]!;
  throw SoaError.of(code, code === '10000' ? `${field} (${issue.message})` : field);
}
