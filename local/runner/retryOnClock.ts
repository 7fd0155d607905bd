import type { TaskHandler } from './execute.js';

/**
 * The state machine's Retry waits, taken on a shared clock instead of the wall clock. When a Task
 * fails with an error one of its retriers matches (and that retrier has attempts left), the wait
 * Step Functions would make (IntervalSeconds × BackoffRate^n, capped by MaxDelaySeconds, full
 * jitter where the retrier asks for it) is slept on `sleep` before the Task's handler runs again.
 * The executor's own retry wait is set to 0, so the wait passes in simulated time only, and counts
 * as waiting for a clock that moves when everything waits (../simulator/virtualClock.ts).
 */

interface Retrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  BackoffRate?: number;
  MaxAttempts?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

/** The defaults of the States language. */
const DEFAULTS = { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 3 } as const;

export interface RetryClock {
  /** The definition the executor runs: its Tasks' Retry fields. */
  definition: object;
  sleep: (ms: number) => Promise<void>;
  /** For full jitter; seeded, so a run is repeatable. */
  random: () => number;
}

const matches = (retrier: Retrier, error: string) => retrier.ErrorEquals.some((e) => e === error || e === 'States.ALL' || e === 'States.TaskFailed');

/** The wait before the next attempt, or undefined when Step Functions would not retry this failure. */
function retryDelayMs(retriers: Retrier[], attempts: number[], error: string, random: () => number): number | undefined {
  const i = retriers.findIndex((r) => matches(r, error));
  if (i < 0) return undefined;
  const r = retriers[i]!;
  const done = attempts[i] ?? 0;
  if (done >= (r.MaxAttempts ?? DEFAULTS.MaxAttempts)) return undefined;
  attempts[i] = done + 1;
  const seconds = Math.min(r.MaxDelaySeconds ?? Number.POSITIVE_INFINITY, (r.IntervalSeconds ?? DEFAULTS.IntervalSeconds) * (r.BackoffRate ?? DEFAULTS.BackoffRate) ** done);
  return Math.round((r.JitterStrategy === 'FULL' ? random() : 1) * seconds * 1000);
}

export function retryOnClock(handlers: Record<string, TaskHandler>, { definition, sleep, random }: RetryClock): Record<string, TaskHandler> {
  const states = (definition as { States: Record<string, { Retry?: Retrier[] }> }).States;
  return Object.fromEntries(
    Object.entries(handlers).map(([state, handler]) => {
      const retriers = states[state]?.Retry ?? [];
      // Attempts per retrier since the Task last succeeded or gave up, as the executor counts them.
      let attempts: number[] = [];
      let pendingMs: number | undefined;
      const wrapped: TaskHandler = async (payload) => {
        if (pendingMs !== undefined) {
          const ms = pendingMs;
          pendingMs = undefined;
          await sleep(ms);
        }
        try {
          const result = await handler(payload);
          attempts = [];
          return result;
        } catch (error) {
          pendingMs = retryDelayMs(retriers, attempts, error instanceof Error ? error.name || 'Error' : 'Error', random);
          if (pendingMs === undefined) attempts = [];
          throw error;
        }
      };
      return [state, wrapped];
    }),
  );
}
