/**
 * Fault injection, so tests and demos can watch slbc cope with a bad day at AWS. A rule picks
 * calls by `service:Action` (`*` matches any run of characters: `elbv2:*`, `*:Describe*`) and
 * may, in order of precedence:
 *
 * - `failNext: N`     fail the next N matching calls (with `errorCode`, else throttling);
 * - `errorCode`       fail matching calls with this code (each with probability `errorRate`, default 1);
 * - `throttleRate`    throttle each matching call with this probability (0..1);
 * - `latencyMs`       delay every matching call (applies alongside any of the above).
 *
 * Randomness comes from a seeded generator so a failing run can be replayed exactly.
 */
import * as z from 'zod';

export const faultRuleSchema = z
  .object({
    match: z.string().regex(/^[\w*-]+:[\w*-]+$/, 'must look like service:Action (wildcards * allowed)'),
    throttleRate: z.number().min(0).max(1).optional(),
    errorCode: z.string().min(1).optional(),
    errorStatus: z.number().int().min(400).max(599).optional(),
    errorMessage: z.string().optional(),
    errorRate: z.number().min(0).max(1).optional(),
    failNext: z.number().int().min(1).optional(),
    latencyMs: z.number().min(0).max(60_000).optional(),
  })
  .strict();

export type FaultRule = z.infer<typeof faultRuleSchema>;

export const faultConfigSchema = z.union([
  faultRuleSchema,
  z.object({ rules: z.array(faultRuleSchema), seed: z.number().int().optional() }).strict(),
]);

/** What the server must do to one call; `fail` undefined means answer normally. */
export interface FaultDecision {
  latencyMs: number;
  fail?: { kind: 'throttle' } | { kind: 'error'; code: string; status: number; message: string };
}

interface ActiveRule extends FaultRule {
  id: number;
  pattern: RegExp;
  remaining?: number;
}

const NO_FAULT: FaultDecision = Object.freeze({ latencyMs: 0 });

export class Faults {
  private rules: ActiveRule[] = [];
  private nextId = 1;
  private random: () => number;

  constructor(seed = 1) {
    this.random = seededRandom(seed);
  }

  /** Adds a rule (validated); returns its id for `remove`. */
  add(rule: FaultRule): number {
    const parsed = faultRuleSchema.parse(rule);
    const id = this.nextId++;
    this.rules.push({
      ...parsed,
      id,
      pattern: globToRegExp(parsed.match),
      ...(parsed.failNext === undefined ? {} : { remaining: parsed.failNext }),
    });
    return id;
  }

  remove(id: number): boolean {
    const before = this.rules.length;
    this.rules = this.rules.filter((rule) => rule.id !== id);
    return this.rules.length !== before;
  }

  clear(): void {
    this.rules = [];
  }

  reseed(seed: number): void {
    this.random = seededRandom(seed);
  }

  list(): Array<FaultRule & { id: number; remaining?: number }> {
    return this.rules.map(({ pattern: _pattern, ...rule }) => ({ ...rule }));
  }

  /** Decides the fate of one call. Every matching rule adds its latency; the first failure wins. */
  decide(service: string, action: string): FaultDecision {
    if (this.rules.length === 0) return NO_FAULT;
    const key = `${service}:${action}`;
    let latencyMs = 0;
    let fail: FaultDecision['fail'];
    for (const rule of this.rules) {
      if (!rule.pattern.test(key)) continue;
      latencyMs += rule.latencyMs ?? 0;
      if (fail === undefined) fail = this.failureOf(rule, key);
    }
    this.rules = this.rules.filter((rule) => rule.remaining === undefined || rule.remaining > 0);
    return fail === undefined ? { latencyMs } : { latencyMs, fail };
  }

  private failureOf(rule: ActiveRule, key: string): FaultDecision['fail'] {
    if (rule.remaining !== undefined) {
      if (rule.remaining <= 0) return undefined;
      rule.remaining--;
      return rule.errorCode === undefined ? { kind: 'throttle' } : this.errorOf(rule, key);
    }
    if (rule.errorCode !== undefined && this.random() < (rule.errorRate ?? 1)) return this.errorOf(rule, key);
    if (rule.throttleRate !== undefined && this.random() < rule.throttleRate) return { kind: 'throttle' };
    return undefined;
  }

  private errorOf(rule: ActiveRule, key: string): FaultDecision['fail'] {
    const status = rule.errorStatus ?? 400;
    return {
      kind: 'error',
      code: rule.errorCode ?? 'InternalFailure',
      status,
      message: rule.errorMessage ?? `injected fault for ${key}`,
    };
  }
}

export function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*');
  return new RegExp(`^${escaped}$`);
}

/** mulberry32: tiny, fast and good enough to make fault sequences reproducible. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
