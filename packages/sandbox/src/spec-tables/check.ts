import { SoaError } from '../soa/errors.js';
import { PLATFORM_PLACEHOLDER } from './dictionaries.js';
import type { ArrayField, FieldSpec, FieldTable, MethodTable, ObjectField, SpecProblem } from './types.js';

/*
 * The sandbox's first line of checks: the raw decoded `param` against the spec's tables (this folder), before and without
 * the shared zod schemas. A problem is answered with the §7 system codes — 10001 参数不能为空 for a required field missing or
 * empty, 10004 参数长度超长 for a value over its length, 10000 参数错误 for the rest — naming the field.
 */

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** A `#…#` value: the form of the platform's reserved ids. */
const isPlaceholderForm = (value: string) => value.length >= 2 && value.startsWith('#') && value.endsWith('#');

/** "如果参数为空,那么该参数可以在 JSON 报文中出现,也可以不出现" (§2.4): null, "", [] and {} are "empty". */
function isEmpty(spec: FieldSpec, value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (value === '') return !(spec.type === 'String' && spec.values?.includes(''));
  if (Array.isArray(value)) return value.length === 0;
  return isObject(value) && Object.keys(value).length === 0 && !(spec.type === 'JSONObject' && spec.free);
}

const problem = (code: SpecProblem['code'], field: string, reason?: string): SpecProblem => ({ code, field, ...(reason !== undefined && { reason }) });

class Walker {
  readonly problems: SpecProblem[] = [];
  /** A field required only with some payMethod is reported after the rows themselves, the payMethod's included. */
  readonly conditional: SpecProblem[] = [];
  constructor(private readonly payMethodKeys: readonly string[]) {}

  table(fields: FieldTable, value: Record<string, unknown>, path: string): void {
    const join = (name: string) => (path ? `${path}.${name}` : name);
    for (const name of Object.keys(value)) {
      if (!Object.hasOwn(fields, name)) this.problems.push(problem('10000', join(name), '规范中没有此字段'));
    }
    for (const [name, spec] of Object.entries(fields)) {
      const field = value[name];
      if (isEmpty(spec, field)) {
        if (spec.required) this.problems.push(problem('10001', join(name)));
        else if (spec.requiredWithPayMethods?.some((key) => this.payMethodKeys.includes(key))) {
          this.conditional.push(problem('10001', join(name), `使用 ${spec.requiredWithPayMethods.join('/')} 时必填`));
        }
        continue;
      }
      this.value(spec, field, join(name));
    }
  }

  value(spec: FieldSpec, value: unknown, path: string): void {
    switch (spec.type) {
      case 'String':
        return this.string(spec, value, path);
      case 'Long':
        if (typeof value !== 'number' || !Number.isInteger(value)) return void this.problems.push(problem('10000', path, '应为 Long (整数)'));
        // A JSON number above 2^53−1 has already lost digits when parsed: the sandbox cannot take it exactly (§4.2.1 note 6
        // allows up to 2^63−1).
        if (!Number.isSafeInteger(value)) return void this.problems.push(problem('10000', path, '超出可精确处理的整数范围'));
        if (spec.min !== undefined && value < spec.min) return void this.problems.push(problem('10000', path, `不能小于 ${spec.min}`));
        if (spec.values && !spec.values.includes(value)) this.problems.push(problem('10000', path, `取值应为 ${spec.values.join('/')}`));
        return;
      case 'JSONObject':
        return this.object(spec, value, path);
      case 'JSONArray':
        return this.array(spec, value, path);
    }
  }

  private string(spec: Extract<FieldSpec, { type: 'String' }>, value: unknown, path: string): void {
    if (typeof value !== 'string') return void this.problems.push(problem('10000', path, '应为 String'));
    if (spec.maxChars !== undefined && [...value].length > spec.maxChars) return void this.problems.push(problem('10004', path, `最多 ${spec.maxChars} 个字符`));
    if (spec.address && value.includes('#')) return void this.problems.push(problem('10000', path, '地址参数不能包含 "#"'));
    if (isPlaceholderForm(value) && !(spec.platformPlaceholder && value === PLATFORM_PLACEHOLDER)) {
      return void this.problems.push(problem('10000', path, spec.platformPlaceholder ? `保留标识只能是 ${PLATFORM_PLACEHOLDER}` : '此字段不能使用 #…# 保留标识'));
    }
    if (spec.forbidden?.includes(value.trim().toLowerCase())) return void this.problems.push(problem('10000', path, `不能使用 ${spec.forbidden.join(' / ')}`));
    if (spec.values && !spec.values.includes(value)) {
      return void this.problems.push(problem(spec.valuesCode ?? '10000', path, `取值应为 ${spec.values.map((v) => JSON.stringify(v)).join('/')}`));
    }
    if (spec.format && !spec.format.pattern.test(value)) return void this.problems.push(problem('10000', path, spec.format.what));
    if (spec.jsonObjectText) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch {
        parsed = undefined;
      }
      if (!isObject(parsed)) this.problems.push(problem('10000', path, '应为 JSON 对象字符串'));
    }
  }

  private object(spec: ObjectField, value: unknown, path: string): void {
    if (!isObject(value)) return void this.problems.push(problem('10000', path, '应为 JSONObject'));
    if (spec.fields) this.table(spec.fields, value, path);
    if (spec.keyed) {
      for (const [key, entry] of Object.entries(value)) {
        const entrySpec = Object.hasOwn(spec.keyed, key) ? spec.keyed[key] : undefined;
        if (!entrySpec) this.problems.push(problem('10000', `${path}.${key}`, '不支持的支付方式'));
        // `{}` is checked as an object, so the message names the field it lacks; null and [] carry nothing at all.
        else if (entry === null || (Array.isArray(entry) && entry.length === 0)) this.problems.push(problem('10001', `${path}.${key}`));
        else this.value(entrySpec, entry, `${path}.${key}`);
      }
    }
  }

  private array(spec: ArrayField, value: unknown, path: string): void {
    if (!Array.isArray(value)) return void this.problems.push(problem('10000', path, '应为 JSONArray'));
    if (spec.maxItems !== undefined && value.length > spec.maxItems) return void this.problems.push(problem('10004', path, `最多 ${spec.maxItems} 个`));
    value.forEach((item, i) => {
      if (isEmpty(spec.items, item)) this.problems.push(problem('10001', `${path}[${i}]`));
      else this.value(spec.items, item, `${path}[${i}]`);
    });
  }
}

const PRIORITY = { '10001': 0, '10004': 1, '10000': 2, '40023': 3 } as const;

/**
 * Every problem of `param` under `table`, the most telling first (missing, then too long, then the rest — the order the
 * second line, `parseParam`, reports in too). The cross-field rules run only on a param whose rows are all correct.
 */
export function specProblems(table: MethodTable, param: unknown): SpecProblem[] {
  if (!isObject(param)) return [problem('10000', 'param', '应为 JSONObject')];
  const payMethod = param.payMethod;
  const walker = new Walker(isObject(payMethod) ? Object.keys(payMethod) : []);
  walker.table(table.param, param, '');
  const problems = [...walker.problems, ...walker.conditional].sort((a, b) => PRIORITY[a.code] - PRIORITY[b.code]);
  if (problems.length > 0) return problems;
  for (const rule of table.rules ?? []) {
    const found = rule.check(param);
    if (found) return [found];
  }
  return [];
}

/** Throws the platform's refusal for the first problem, as the platform answers one error naming its field. */
export function checkAgainstSpec(table: MethodTable, param: unknown): void {
  const [first] = specProblems(table, param);
  if (!first) return;
  throw SoaError.of(first.code, first.reason === undefined ? first.field : `${first.field} (${first.reason})`);
}
