import { YUNST_METHODS } from '@tsy/yunst';
import { z } from 'zod';

/** Faults of a `/service/soa` answer. */
export const ANSWER_FAULT_KINDS = ['slow', 'timeout', 'error5xx', 'garbage', 'badSign', 'noSign', 'staleDetail'] as const;
/** Faults of a backUrl notification. */
export const NOTIFICATION_FAULT_KINDS = ['drop', 'dropAll', 'duplicate', 'delay', 'reorder', 'unknownOrder'] as const;
export const FAULT_KINDS = [...ANSWER_FAULT_KINDS, ...NOTIFICATION_FAULT_KINDS] as const;

export type AnswerFaultKind = (typeof ANSWER_FAULT_KINDS)[number];
export type NotificationFaultKind = (typeof NOTIFICATION_FAULT_KINDS)[number];
export type FaultKind = (typeof FAULT_KINDS)[number];
export type FaultPhase = 'before' | 'after';

/** Every `/service/soa` method name, e.g. `consumeApply`, `getOrderDetail`, `pay`. */
const SOA_METHODS: readonly string[] = Object.values(YUNST_METHODS).flatMap((methods) => Object.keys(methods));

export const faultRuleSchema = z
  .strictObject({
    kind: z.enum(FAULT_KINDS),
    /** The soa method the rule applies to; absent = any. Answer faults only. */
    method: z.string().refine((name) => SOA_METHODS.includes(name), { message: `not a soa method (one of ${SOA_METHODS.join(', ')})` }).optional(),
    /** Only calls or notifications about this order; absent = any. */
    bizOrderNo: z.string().min(1).optional(),
    /** Chance the rule fires for one matching call or notification. */
    probability: z.number().min(0).max(1),
    /** slow, timeout, delay, reorder: how long (real milliseconds). */
    delayMs: z.number().int().min(0).max(600_000).optional(),
    /** Answer faults of calls with side effects: `before` = not processed, `after` = processed, then the answer is broken. */
    phase: z.enum(['before', 'after']).optional(),
    /** Fires at most this many times (then the rule stays quiet). */
    times: z.number().int().min(1).optional(),
  })
  .superRefine((rule, issues) => {
    const answer = (ANSWER_FAULT_KINDS as readonly string[]).includes(rule.kind);
    if (!answer && rule.method !== undefined) issues.addIssue({ code: 'custom', path: ['method'], message: `a ${rule.kind} rule is about notifications and takes no method` });
    if (!answer && rule.phase !== undefined) issues.addIssue({ code: 'custom', path: ['phase'], message: `a ${rule.kind} rule is about notifications and takes no phase` });
    if (rule.kind === 'staleDetail' && rule.method !== undefined && rule.method !== 'getOrderDetail') {
      issues.addIssue({ code: 'custom', path: ['method'], message: 'staleDetail applies to getOrderDetail only' });
    }
    if (rule.delayMs !== undefined && !['slow', 'timeout', 'delay', 'reorder'].includes(rule.kind)) {
      issues.addIssue({ code: 'custom', path: ['delayMs'], message: `a ${rule.kind} rule takes no delayMs` });
    }
  });

export const faultSettingsSchema = z.strictObject({
  seed: z.number().int().min(0).max(0xffff_ffff),
  rules: z.array(faultRuleSchema).max(100),
});

export type FaultRule = z.output<typeof faultRuleSchema>;
export type FaultSettings = z.output<typeof faultSettingsSchema>;

export const isAnswerFault = (kind: FaultKind): kind is AnswerFaultKind => (ANSWER_FAULT_KINDS as readonly string[]).includes(kind);

/** Defaults of `delayMs`: a timeout outlasts the YunST client's default 15 s. */
export const DEFAULT_DELAY_MS: Partial<Record<FaultKind, number>> = { slow: 2_000, timeout: 30_000, delay: 1_000, reorder: 1_000 };

/** Calls that fail at the platform's edge are not processed; lost or broken answers are of processed calls. */
export const DEFAULT_PHASE: Record<AnswerFaultKind, FaultPhase> = {
  slow: 'after',
  timeout: 'after',
  error5xx: 'before',
  garbage: 'after',
  badSign: 'after',
  noSign: 'after',
  staleDetail: 'after',
};

/** A readable one-line reason for a refused settings body: `rules[0].probability: …`. */
export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.length ? issue.path.map(String).join('.') : 'body'}: ${issue.message}`).join('; ');
}
