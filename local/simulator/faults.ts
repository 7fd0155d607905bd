import { z } from 'zod';
import { DeliveryFaultRule } from './alerts/deliveryFaults.js';
import { createRandom, hashSeed } from './random.js';

/**
 * Faults on demand. A rule matches requests by operation name ("createBackupRestoreJob"), by
 * "METHOD /path/glob" ("POST /api/atlas/v2/groups/*\/clusters/*\/backup/restoreJobs") or "*", and then
 * injects errors (optionally echoing the caller's credentials), bursts, slowness, dropped
 * connections, lost answers (optionally landing late) or garbled answers. Each rule draws from its
 * own random stream seeded from the simulator's seed, so the same seed and the same calls give
 * the same faults.
 */

const FaultAction = z.union([
  z.object({ status: z.number().int().min(400).max(599) }).strict(),
  z.object({ delayMs: z.number().int().min(0) }).strict(),
  z.literal('drop'),
  z.literal('lostAnswer'),
  /** Do the work and lose the answer, and the work only shows (lists, gets) this many simulated seconds later. */
  z.object({ landsLate: z.number().positive() }).strict(),
  /** Do the work, then answer 200 with a body cut in the middle (not JSON). */
  z.literal('garbled'),
  z.literal('pass'),
]);
type FaultAction = z.infer<typeof FaultAction>;

export const FaultRule = z
  .object({
    match: z.string().min(1).default('*'),
    /** Probability (0-1) of answering with one of `errorStatuses` instead of doing the work. */
    errorRate: z.number().min(0).max(1).default(0),
    errorStatuses: z.array(z.number().int().min(400).max(599)).min(1).default([500, 503]),
    /** Each request outside a burst starts one with this probability; the burst fails `length` requests in a row. */
    burst: z
      .object({ probability: z.number().min(0).max(1), length: z.number().int().min(1), status: z.number().int().min(400).max(599).default(503) })
      .strict()
      .optional(),
    /** Every matching answer is held back this long (real milliseconds: slowness is about client timeouts). */
    delayMs: z.number().int().min(0).default(0),
    /** Probability of destroying the socket before doing anything. */
    dropRate: z.number().min(0).max(1).default(0),
    /** Probability of doing the work (a create creates) and then destroying the socket instead of answering. */
    lostAnswerRate: z.number().min(0).max(1).default(0),
    /**
     * Every error this rule injects echoes the request's credentials, in many cases and encodings.
     * Requests without an Authorization header pass such a rule untouched.
     */
    echoCredentials: z.boolean().default(false),
    /** Forced outcomes for the next matching requests, in order, before any random draw. */
    script: z.array(FaultAction).default([]),
  })
  .strict();
export type FaultRuleInput = z.input<typeof FaultRule>;

export const TokenBucket = z.object({ capacity: z.number().int().min(1), refillPerSecond: z.number().positive() }).strict();

export const FaultsConfig = z
  .object({
    rules: z.array(FaultRule).default([]),
    /** Per-project token bucket for the Admin API; 429 + Retry-After when empty. Off when absent. */
    rateLimit: TokenBucket.optional(),
    /** Token bucket for POST /api/oauth/token (Atlas allows about 10 a minute). Off when absent. */
    oauthRateLimit: TokenBucket.optional(),
    /** Faults for the alerts the simulator sends to webhooks (see alerts/deliveryFaults.ts). */
    deliveries: z.array(DeliveryFaultRule).default([]),
  })
  .strict();
export type FaultsInput = z.input<typeof FaultsConfig>;
export type FaultsConfig = z.infer<typeof FaultsConfig>;

/** What the pipeline must do with one request. */
export interface FaultDecision {
  drop: boolean;
  lostAnswer: boolean;
  status?: number;
  /** With `status`: the error body echoes the request's credentials. */
  echo?: boolean;
  /** With `lostAnswer`: what the request creates appears only this many (simulated) ms later. */
  landsLateMs?: number;
  /** Do the work, then send a 200 whose body is not JSON. */
  garbled?: boolean;
  delayMs: number;
  /** Which rule fired and how, for the request log. */
  label?: string;
}

interface RuleState {
  rule: z.infer<typeof FaultRule>;
  random: () => number;
  script: FaultAction[];
  burstLeft: number;
}

function globToRegExp(glob: string): RegExp {
  const escaped = glob.replace(/[.+^${}()|[\]\\?]/g, '\\$&').replace(/\*/g, '[^ ]*');
  return new RegExp(`^${escaped}$`);
}

function matches(match: string, operation: string, method: string, path: string): boolean {
  if (match === '*' || match === operation) return true;
  if (!match.includes(' ') && !match.includes('/')) return false;
  const [m, p] = match.includes(' ') ? match.split(/\s+/, 2) : ['*', match];
  if (m !== '*' && m?.toUpperCase() !== method) return false;
  return globToRegExp(p ?? '*').test(path);
}

export class FaultEngine {
  private rules: RuleState[] = [];
  private generation = 0;

  constructor(private readonly seed: number) {}

  /** Replaces every rule (their random streams restart from the seed). */
  setRules(rules: z.infer<typeof FaultRule>[]): void {
    this.generation += 1;
    this.rules = rules.map((rule, i) => ({
      rule,
      random: createRandom(hashSeed(this.seed, `fault:${i}:${rule.match}`)),
      script: [...rule.script],
      burstLeft: 0,
    }));
  }

  /** `carriesCredentials`: the request has an Authorization header (echo rules skip those without). */
  decide(operation: string, method: string, path: string, carriesCredentials = true): FaultDecision {
    const decision: FaultDecision = { drop: false, lostAnswer: false, delayMs: 0 };
    for (const [i, state] of this.rules.entries()) {
      if (!matches(state.rule.match, operation, method, path)) continue;
      // Nothing to echo (a Digest client's first, unauthenticated try): leave the rule's script for the next.
      if (state.rule.echoCredentials && !carriesCredentials) continue;
      const label = `rule ${i} (${state.rule.match})`;
      const echo = state.rule.echoCredentials ? { echo: true } : {};
      const echoed = state.rule.echoCredentials ? ', echoing credentials' : '';
      decision.delayMs = Math.max(decision.delayMs, state.rule.delayMs);
      if (decision.delayMs > 0) decision.label ??= `${label}: delay ${decision.delayMs} ms`;
      const forced = state.script.shift();
      // Always the same number of draws per matching request: the sequence depends only on the seed.
      const [dropDraw, lostDraw, burstDraw, errorDraw, pickDraw] = [1, 2, 3, 4, 5].map(() => state.random()) as number[];
      if (forced !== undefined) {
        if (forced === 'drop') return { ...decision, drop: true, label: `${label}: scripted drop` };
        if (forced === 'lostAnswer') return { ...decision, lostAnswer: true, label: `${label}: scripted lost answer` };
        if (forced === 'garbled') return { ...decision, garbled: true, label: `${label}: scripted garbled answer` };
        if (forced === 'pass') continue;
        if ('landsLate' in forced)
          return { ...decision, lostAnswer: true, landsLateMs: forced.landsLate * 1000, label: `${label}: scripted lost answer, lands ${forced.landsLate} s late` };
        if ('status' in forced) return { ...decision, ...echo, status: forced.status, label: `${label}: scripted ${forced.status}${echoed}` };
        decision.delayMs = Math.max(decision.delayMs, forced.delayMs);
        decision.label = `${label}: scripted delay ${forced.delayMs} ms`;
        continue;
      }
      if (state.burstLeft > 0) {
        state.burstLeft -= 1;
        return { ...decision, ...echo, status: state.rule.burst?.status ?? 503, label: `${label}: burst${echoed}` };
      }
      if (dropDraw! < state.rule.dropRate) return { ...decision, drop: true, label: `${label}: drop` };
      if (lostDraw! < state.rule.lostAnswerRate) return { ...decision, lostAnswer: true, label: `${label}: lost answer` };
      const burst = state.rule.burst;
      if (burst && burstDraw! < burst.probability) {
        state.burstLeft = burst.length - 1;
        return { ...decision, ...echo, status: burst.status, label: `${label}: burst${echoed}` };
      }
      if (errorDraw! < state.rule.errorRate) {
        const statuses = state.rule.errorStatuses;
        const status = statuses[Math.min(statuses.length - 1, Math.floor(pickDraw! * statuses.length))] as number;
        return { ...decision, ...echo, status, label: `${label}: error ${status}${echoed}` };
      }
    }
    return decision;
  }
}

/** Classic token bucket on the simulator's clock. */
export class RateLimiter {
  private buckets = new Map<string, { tokens: number; at: number }>();

  constructor(
    private readonly config: z.infer<typeof TokenBucket> | undefined,
    private readonly now: () => number,
  ) {}

  get limit(): number | undefined {
    return this.config?.capacity;
  }

  /** Takes one token for `key`: `{ok, remaining}` or `{ok: false, retryAfterSeconds}`. */
  take(key: string): { ok: true; remaining: number } | { ok: false; retryAfterSeconds: number } | { ok: true; remaining: undefined } {
    if (!this.config) return { ok: true, remaining: undefined };
    const { capacity, refillPerSecond } = this.config;
    const t = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: capacity, at: t };
    bucket.tokens = Math.min(capacity, bucket.tokens + ((t - bucket.at) / 1000) * refillPerSecond);
    bucket.at = t;
    this.buckets.set(key, bucket);
    // A hair of tolerance: refill arithmetic must not turn "retry after 6 s" into 7.
    if (bucket.tokens >= 1 - 1e-9) {
      bucket.tokens = Math.max(0, bucket.tokens - 1);
      return { ok: true, remaining: Math.floor(bucket.tokens) };
    }
    return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - bucket.tokens) / refillPerSecond)) };
  }
}
