/*
 * The shape of the spec's parameter tables, transcribed as data. Each entry is one row of a table of spec §4 / §5: the type
 * column (String, Long, JSONObject, JSONArray), the 必填 column, and what the 取值/说明 column states explicitly (maximum
 * length, allowed values, format, the platform placeholder). Nothing here comes from the zod schemas of @tsy/yunst: this is
 * the sandbox's second, independent reading of the spec.
 */

/**
 * A refusal reason in the platform's §7 terms: 10001 empty, 10004 too long, 10000 anything else — and 40023, the one code
 * §7 gives a field's values ("退款类型 refundType 取值有误").
 */
export type SpecCode = '10000' | '10001' | '10004' | '40023';

interface FieldBase {
  /** The spec section (and, where useful, the OCR line) the row is transcribed from. */
  readonly section: string;
  /** The 必填 column: 是 → true. */
  readonly required: boolean;
  /**
   * Required only when the order uses one of these payMethod keys ("前台交易时必填", "微信原生 APP 支付必传").
   * The 必填 column of such rows says 否.
   */
  readonly requiredWithPayMethods?: readonly string[];
  /** Where the spec's wording leaves room, what was chosen and why. */
  readonly note?: string;
}

export interface StringField extends FieldBase {
  readonly type: 'String';
  /** "最多 N 个字符", "最长 N", "最大长度 N": counted in characters (Unicode code points), as the spec says 字符. */
  readonly maxChars?: number;
  /** An enumeration from the 取值 column or a §6 dictionary. */
  readonly values?: readonly string[];
  /** The code §7 names for a value outside `values`, where it names one (refundType: 40023); else 10000. */
  readonly valuesCode?: '40023';
  /** A format the spec states (yyyy-MM-dd HH:mm:ss, upper-case hex…), with the words to name it. */
  readonly format?: { readonly pattern: RegExp; readonly what: string };
  /** The field may hold the platform's reserved id `#yunBizUserId_B2C#` (spec §4.2.4 recieverId, §4.2.8, §5.3). */
  readonly platformPlaceholder?: true;
  /** An address field: must not contain `#` at all (spec §3.3: jumpUrl, frontUrl, backUrl). */
  readonly address?: true;
  /** Values the spec forbids by name (consumerIp: 127.0.0.1, localhost). Compared trimmed and case-insensitively. */
  readonly forbidden?: readonly string[];
  /** A String that carries JSON object text ("benefitdetail 的 json 字符串,注意是 String"). */
  readonly jsonObjectText?: true;
}

export interface LongField extends FieldBase {
  readonly type: 'Long';
  readonly values?: readonly number[];
  /** Amounts in fen (spec §2.4) are never negative; `min: 1` where a zero amount makes no sense. */
  readonly min?: number;
}

export interface ObjectField extends FieldBase {
  readonly type: 'JSONObject';
  /** A JSONObject with fixed fields: fields not in the table are refused. */
  readonly fields?: FieldTable;
  /** A JSONObject keyed by names the spec lists (payMethod): at least one key, each key's value checked by its entry. */
  readonly keyed?: Readonly<Record<string, ObjectField | ArrayField>>;
  /** A JSONObject the spec leaves free (createMember extendParam). */
  readonly free?: true;
}

export interface ArrayField extends FieldBase {
  readonly type: 'JSONArray';
  readonly items: ObjectField;
  /** "最多支持 N 个". */
  readonly maxItems?: number;
}

export type FieldSpec = StringField | LongField | ObjectField | ArrayField;

export type FieldTable = Readonly<Record<string, FieldSpec>>;

/** A problem found by a table or a rule, at a field path like `payMethod.SCAN_ALIPAY.limitPay`. */
export interface SpecProblem {
  readonly code: SpecCode;
  readonly field: string;
  readonly reason?: string;
}

/** A rule the spec states in prose across fields (split levels, gateid → paytype…), checked after the rows. */
export interface CrossFieldRule {
  readonly section: string;
  readonly check: (param: Readonly<Record<string, unknown>>) => SpecProblem | undefined;
}

/** One method's request table (the `param` rows) and the cross-field rules beside it. */
export interface MethodTable {
  readonly section: string;
  readonly param: FieldTable;
  readonly rules?: readonly CrossFieldRule[];
}
