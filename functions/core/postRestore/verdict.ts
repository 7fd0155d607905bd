import { firstFailedStep, STEP_TIMEOUT_ERROR, stepOutcomes, type StepsState } from './results.js';

/**
 * Why a restore whose data Atlas restored is still not fit for use: the first post-restore step
 * that failed or timed out, in words; undefined when every step that ran passed (or none ran).
 * `causeMessage` strips traces and redacts (../domain/redact.ts): a step's error comes from the
 * user's code and goes to chat channels.
 */
export function failedStepReason(steps: StepsState | undefined, causeMessage: (cause: string | undefined) => string): string | undefined {
  const outcomes = stepOutcomes(steps, (e) => describeStepError(e, causeMessage));
  const failed = firstFailedStep(outcomes);
  if (!failed) return undefined;
  return `the data was restored, but post-restore step ${failed.index + 1} (${failed.step.name}) ${failed.step.failure}; any steps after it did not run`;
}

export function describeStepError(e: { Error: string; Cause?: string }, causeMessage: (cause: string | undefined) => string): string {
  if (e.Error === STEP_TIMEOUT_ERROR) return 'timed out (its timeoutSeconds passed)';
  return `failed: ${e.Error}: ${causeMessage(e.Cause)}`;
}
