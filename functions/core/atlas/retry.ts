/**
 * When to try an Atlas call again, and how long to wait. The rule that matters most: a request
 * that may create something (POST, PATCH) is only re-sent when Atlas certainly did not act on it.
 */

export interface RetryOptions {
  /** Attempts per logical call, the first included. Default 5. */
  maxAttempts?: number;
  /** Backoff base: attempt n waits up to baseDelayMs × 2^(n-1). Default 500. */
  baseDelayMs?: number;
  /** Cap on one backoff wait (Retry-After is honoured up to the budget instead). Default 20 000. */
  maxDelayMs?: number;
  /** Time one logical call may take, waits included. Default 60 000. */
  totalBudgetMs?: number;
}

export type RetryPolicy = Required<RetryOptions>;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 5, baseDelayMs: 500, maxDelayMs: 20_000, totalBudgetMs: 60_000 };

export function retryPolicy(options: RetryOptions = {}): RetryPolicy {
  return {
    maxAttempts: Math.max(1, options.maxAttempts ?? DEFAULT_RETRY.maxAttempts),
    baseDelayMs: Math.max(0, options.baseDelayMs ?? DEFAULT_RETRY.baseDelayMs),
    maxDelayMs: Math.max(0, options.maxDelayMs ?? DEFAULT_RETRY.maxDelayMs),
    totalBudgetMs: Math.max(0, options.totalBudgetMs ?? DEFAULT_RETRY.totalBudgetMs),
  };
}

/**
 * Methods whose repetition cannot create a second thing (a second cancel is refused, not doubled;
 * a second PUT replaces the same resource with the same body).
 */
function isRepeatable(method: string): boolean {
  return method === 'GET' || method === 'DELETE' || method === 'PUT';
}

/** "Full jitter" backoff: uniform in [0, min(cap, base × 2^(attempt-1))]. */
export function backoffDelay(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

/** What an answer or failure means for a retry, before budgets are considered. */
export type Verdict =
  | { retry: false }
  | { retry: true; reason: 'throttled'; retryAfterSeconds?: number }
  | { retry: true; reason: 'unavailable' };

/**
 * Status codes after which a request of `method` may be sent again. Only 429 certainly means
 * Atlas refused the request before processing it (its rate limiter answers first). Every 5xx,
 * 503 included, may come from a proxy or load balancer after Atlas already acted on the body
 * (a gateway that timed out waiting for it), so a create answered 5xx is ambiguous, never re-sent.
 */
export function verdictForStatus(method: string, status: number, retryAfterSeconds?: number): Verdict | 'ambiguous' {
  if (status === 429) return { retry: true, reason: 'throttled', ...(retryAfterSeconds !== undefined && { retryAfterSeconds }) };
  if (status >= 500) return isRepeatable(method) ? { retry: true, reason: 'unavailable' } : 'ambiguous';
  return { retry: false };
}

/** A network failure: safe to repeat if nothing was sent or the method is repeatable. */
export function verdictForFailure(method: string, sent: boolean): Verdict | 'ambiguous' {
  if (!sent || isRepeatable(method)) return { retry: true, reason: 'unavailable' };
  return 'ambiguous';
}

/**
 * How long to wait before attempt `attempt + 1`, or undefined to give up now: attempts used up,
 * budget spent, or Atlas asking for a longer pause than the budget has left (better to hand the
 * wait to Step Functions, which waits for free, than to sleep in a Lambda and still fail).
 */
export function nextDelay(
  policy: RetryPolicy,
  attempt: number,
  elapsedMs: number,
  verdict: Extract<Verdict, { retry: true }>,
  random: () => number,
): number | undefined {
  if (attempt >= policy.maxAttempts) return undefined;
  const remaining = policy.totalBudgetMs - elapsedMs;
  if (remaining <= 0) return undefined;
  if (verdict.reason === 'throttled' && verdict.retryAfterSeconds !== undefined) {
    const asked = verdict.retryAfterSeconds * 1000;
    return asked <= remaining ? asked : undefined;
  }
  return Math.min(backoffDelay(policy, attempt, random), remaining);
}
