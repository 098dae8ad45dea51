import {
  DEFAULT_DELAY_MS,
  DEFAULT_PHASE,
  FAULT_KINDS,
  isAnswerFault,
  type AnswerFaultKind,
  type FaultKind,
  type FaultPhase,
  type FaultRule,
  type FaultSettings,
  type NotificationFaultKind,
  describeIssues,
  faultSettingsSchema,
} from './rules.js';

/** mulberry32: a tiny PRNG with a 32-bit state, good enough to pick faults and the same for the same seed everywhere. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Draws of one stream: a number in [0, 1), an integer below `n`. */
export interface Draws {
  next(): number;
  below(n: number): number;
}

function drawsOf(random: () => number): Draws {
  return { next: random, below: (n) => Math.floor(random() * n) };
}

export interface InjectedFault {
  /** 1, 2, 3 … in the order the faults were injected since the last `set`. */
  readonly seq: number;
  readonly kind: FaultKind;
  readonly method?: string;
  readonly bizOrderNo?: string;
  readonly phase?: FaultPhase;
  /** What exactly was done, e.g. `HTTP 503`, `truncated`, `unknown order ZZUNKNOWN…`. */
  readonly detail?: string;
  /** Which rule (its index in `rules`). */
  readonly rule: number;
  /** Real time, ISO 8601. */
  readonly at: string;
}

export interface FaultReport {
  readonly seed: number;
  readonly rules: readonly FaultRule[];
  readonly counts: Record<FaultKind, number>;
  readonly injected: readonly InjectedFault[];
}

/** A rule that fired for one call or notification; `delayMs` and `phase` are resolved to their defaults. */
export interface FiredFault<K extends FaultKind> {
  readonly kind: K;
  readonly rule: number;
  readonly delayMs: number;
  readonly phase: FaultPhase;
  /** The stream the decision came from, for the fault's own choices (which 5xx, which garbage, which order). */
  readonly draws: Draws;
}

const zeroCounts = (): Record<FaultKind, number> => Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

/**
 * The fault mode's one source of decisions. `set` seeds two mulberry32 streams — one for `/service/soa` answers, one for
 * notifications — so the faults of the calls depend only on the order of the calls, and those of the notifications only
 * on the order of the notifications: the same seed and the same sequence inject the same faults.
 */
export class FaultInjector {
  #settings: FaultSettings = { seed: 0, rules: [] };
  #answers: Draws = drawsOf(mulberry32(0));
  #notifications: Draws = drawsOf(mulberry32(0));
  #fired: number[] = [];
  #counts = zeroCounts();
  #injected: InjectedFault[] = [];
  readonly #onClear: (() => void)[] = [];

  /** Replaces every rule, reseeds, and starts a new log. Invalid settings throw a TypeError naming the field. */
  set(input: FaultSettings): FaultReport {
    const parsed = faultSettingsSchema.safeParse(input);
    if (!parsed.success) throw new TypeError(`sandbox faults: ${describeIssues(parsed.error)}`);
    const settings = parsed.data;
    this.#settings = { seed: settings.seed, rules: settings.rules.map((rule) => ({ ...rule })) };
    this.#answers = drawsOf(mulberry32(settings.seed));
    // A second stream from the same seed: golden-ratio offset so the two never walk the same sequence.
    this.#notifications = drawsOf(mulberry32((settings.seed ^ 0x9e3779b9) >>> 0));
    this.#fired = settings.rules.map(() => 0);
    this.#counts = zeroCounts();
    this.#injected = [];
    return this.report();
  }

  /**
   * Every rule off; the log stays for `report`. Notifications held by `delay` / `reorder` are released and delivered
   * normally (dropped attempts stay dropped).
   */
  clear(): FaultReport {
    this.#settings = { seed: this.#settings.seed, rules: [] };
    this.#fired = [];
    for (const release of this.#onClear) release();
    return this.report();
  }

  report(): FaultReport {
    return { seed: this.#settings.seed, rules: this.#settings.rules.map((rule) => ({ ...rule })), counts: { ...this.#counts }, injected: [...this.#injected] };
  }

  /** Called on `clear` (the notifier releases what it holds). */
  onClear(release: () => void): void {
    this.#onClear.push(release);
  }

  /** The answer fault for one `/service/soa` call, if a rule fires: each matching rule draws once, in order; the first that fires wins. */
  decideAnswer(method: string | undefined, bizOrderNo: string | undefined): FiredFault<AnswerFaultKind> | undefined {
    return this.#decide(this.#answers, (rule) => {
      if (!isAnswerFault(rule.kind)) return false;
      if (rule.kind === 'staleDetail' && method !== 'getOrderDetail') return false;
      return (rule.method === undefined || rule.method === method) && (rule.bizOrderNo === undefined || rule.bizOrderNo === bizOrderNo);
    }) as FiredFault<AnswerFaultKind> | undefined;
  }

  /**
   * The faults of one notification: the first firing delivery fault (drop, dropAll, duplicate, delay, reorder), and an
   * `unknownOrder` that fires beside it.
   */
  decideNotification(bizOrderNo: string): { delivery?: FiredFault<Exclude<NotificationFaultKind, 'unknownOrder'>>; unknownOrder?: FiredFault<'unknownOrder'> } {
    const applies = (rule: FaultRule) => !isAnswerFault(rule.kind) && (rule.bizOrderNo === undefined || rule.bizOrderNo === bizOrderNo);
    const delivery = this.#decide(this.#notifications, (rule) => applies(rule) && rule.kind !== 'unknownOrder');
    const unknownOrder = this.#decide(this.#notifications, (rule) => applies(rule) && rule.kind === 'unknownOrder');
    return {
      ...(delivery && { delivery: delivery as FiredFault<Exclude<NotificationFaultKind, 'unknownOrder'>> }),
      ...(unknownOrder && { unknownOrder: unknownOrder as FiredFault<'unknownOrder'> }),
    };
  }

  /** Logs a fault that was injected (a fired rule whose fault had nothing to change is not logged). */
  record(fault: FiredFault<FaultKind>, about: { method?: string; bizOrderNo?: string; detail?: string }): void {
    this.#fired[fault.rule] = (this.#fired[fault.rule] ?? 0) + 1;
    this.#counts[fault.kind] += 1;
    this.#injected.push({
      seq: this.#injected.length + 1,
      kind: fault.kind,
      ...(about.method !== undefined && { method: about.method }),
      ...(about.bizOrderNo !== undefined && { bizOrderNo: about.bizOrderNo }),
      ...(isAnswerFault(fault.kind) && { phase: fault.phase }),
      ...(about.detail !== undefined && { detail: about.detail }),
      rule: fault.rule,
      at: new Date().toISOString(),
    });
  }

  /** Random choices of the notification stream outside a decision (the order in which held notifications go out). */
  get notificationDraws(): Draws {
    return this.#notifications;
  }

  #decide(draws: Draws, matches: (rule: FaultRule) => boolean): FiredFault<FaultKind> | undefined {
    let fired: FiredFault<FaultKind> | undefined;
    this.#settings.rules.forEach((rule, index) => {
      if (!matches(rule)) return;
      if (rule.times !== undefined && (this.#fired[index] ?? 0) >= rule.times) return;
      // Every matching rule draws, fired or not, so one rule's outcome never shifts the draws of the rules after it.
      const hit = draws.next() < rule.probability;
      if (hit && !fired) {
        fired = {
          kind: rule.kind,
          rule: index,
          delayMs: rule.delayMs ?? DEFAULT_DELAY_MS[rule.kind] ?? 0,
          phase: rule.phase ?? (isAnswerFault(rule.kind) ? DEFAULT_PHASE[rule.kind] : 'after'),
          draws,
        };
      }
    });
    return fired;
  }
}
