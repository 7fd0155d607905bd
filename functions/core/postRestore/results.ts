import * as z from 'zod';

/**
 * What the post-restore states (lib/post-restore.ts) leave in the workflow state under `$.steps`:
 * one entry per step that started, keyed `s1`, `s2`, … in plan order. Step Functions writes these
 * with Pass states and ResultPaths, so the field names here and there must agree.
 */

/** A Step Functions Catch result. Declared here (not imported from the contract) so the contract can import this module. */
const StepError = z.object({ Error: z.string(), Cause: z.string().optional() });

const StepEntry = z.object({
  name: z.string(),
  type: z.enum(['lambda', 'stateMachine']),
  startedAt: z.string(),
  /** Written when the step's task ended, passed or failed. */
  ended: z.object({ at: z.string() }).optional(),
  /** The function's answer, or the state machine's output (and its execution ARN). */
  result: z.object({ output: z.unknown().optional(), executionArn: z.string().optional() }).optional(),
  error: StepError.optional(),
});
type StepEntry = z.infer<typeof StepEntry>;

export const StepsState = z.record(z.string().regex(/^s\d{1,2}$/), StepEntry);
export type StepsState = z.infer<typeof StepsState>;

/** The key of step number `n` (1-based) under `$.steps`. */
export const stepKey = (n: number): string => `s${n}`;

export interface StepOutcome {
  name: string;
  type: StepEntry['type'];
  passed: boolean;
  /** Seconds from the step's start to its end (absent when it did not end). */
  seconds?: number;
  startedAt: string;
  endedAt?: string;
  /** The step's answer (a verification function's counts, a masking job's summary). */
  output?: unknown;
  executionArn?: string;
  /** Why it failed, in words ("timed out", the error name and message). */
  failure?: string;
}

/** The steps that ran, in plan order. */
export function stepOutcomes(steps: StepsState | undefined, describeError: (e: { Error: string; Cause?: string }) => string): StepOutcome[] {
  if (!steps) return [];
  return Object.entries(steps)
    .sort(([a], [b]) => Number(a.slice(1)) - Number(b.slice(1)))
    .map(([, s]) => {
      const seconds = s.ended ? Math.max(0, Math.round((Date.parse(s.ended.at) - Date.parse(s.startedAt)) / 1000)) : undefined;
      const output = s.result?.output;
      return {
        name: s.name,
        type: s.type,
        passed: !s.error && !!s.ended,
        ...(seconds !== undefined && !Number.isNaN(seconds) ? { seconds } : {}),
        startedAt: s.startedAt,
        ...(s.ended ? { endedAt: s.ended.at } : {}),
        ...(output !== undefined && output !== null ? { output } : {}),
        ...(s.result?.executionArn ? { executionArn: s.result.executionArn } : {}),
        ...(s.error ? { failure: describeError(s.error) } : !s.ended ? { failure: 'it did not finish' } : {}),
      };
    });
}

/** A step timed out: Step Functions' own error name for a task past its TimeoutSeconds. */
export const STEP_TIMEOUT_ERROR = 'States.Timeout';

/** The first step that failed, for the report's reason. */
export function firstFailedStep(outcomes: StepOutcome[]): { index: number; step: StepOutcome } | undefined {
  const index = outcomes.findIndex((s) => !s.passed);
  return index === -1 ? undefined : { index, step: outcomes[index]! };
}

/** Longest JSON text of a step's output kept in a report: outputs can be large, chat messages cannot. */
const MAX_OUTPUT_CHARS = 300;

export function outputText(output: unknown): string {
  const text = typeof output === 'string' ? output : JSON.stringify(output);
  return text.length > MAX_OUTPUT_CHARS ? `${text.slice(0, MAX_OUTPUT_CHARS - 1)}…` : text;
}
