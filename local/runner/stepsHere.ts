import type { Plan } from '../../functions/core/plans/schema.js';
import type { LocalStep } from './localSteps.js';

/**
 * A plan's post-restore steps on this machine. Outside the demo there is no local stand-in for a
 * step's Lambda function or state machine, so a local run of such a plan would restore the data and
 * then fail the masking or verification: a staging refresh left unmasked. `run` therefore refuses
 * such a plan before anything is created, unless asked to skip the steps; then each step is a stand-in
 * that fails on purpose, so the report and the history say VERIFICATION_FAILED: the steps were not
 * run and the data is unverified (and unmasked, where a step masks).
 */

const SKIP_STEPS_FLAG = '--skip-steps';

const describeStep = (s: NonNullable<Plan['postRestore']>[number]): string =>
  s.type === 'lambda' ? `${s.name} (Lambda ${s.functionArn})` : `${s.name} (state machine ${s.stateMachineArn})`;

const stepNames = (plan: Plan): string => (plan.postRestore ?? []).map((s) => s.name).join(', ');

/** Why the plan cannot run here as it is, and what to do instead; undefined when it can. */
export function stepsCannotRunHere(plan: Plan): string | undefined {
  const steps = plan.postRestore ?? [];
  if (!steps.length) return undefined;
  const target = plan.restore.type === 'download' ? 'the download' : plan.restore.target.clusterName;
  return [
    `Plan ${plan.name} has post-restore steps that cannot run on this machine: ${steps.map(describeStep).join('; ')}.`,
    `Restoring without them would leave ${target} with data that was not masked or verified, so nothing was done.`,
    `Run it in the stack, where its steps run: npm run restore -- remote start --api <ApiUrl> --plan ${plan.name}`,
    `Or restore without the steps on purpose: add ${SKIP_STEPS_FLAG} (the report and the history then say the steps were not run and the data is unverified and unmasked).`,
  ].join('\n');
}

class PostRestoreStepsSkippedError extends Error {
  override readonly name = 'PostRestoreStepsSkipped';
}

/** Stand-ins for every step of the plan that fail at once, saying the steps were skipped on request. */
export function skippedSteps(plan: Plan): Record<string, LocalStep> {
  const message =
    `not run: ${SKIP_STEPS_FLAG} was given, so none of this plan's post-restore steps (${stepNames(plan)}) ran on this machine; ` +
    'the restored data is unverified and not masked';
  return Object.fromEntries(
    (plan.postRestore ?? []).map((s) => [
      s.type === 'lambda' ? s.functionArn : s.stateMachineArn,
      async () => {
        throw new PostRestoreStepsSkippedError(message);
      },
    ]),
  );
}

/** The closing line of a run whose steps were skipped: the restore ran, the steps did not. */
export function skippedLine(plan: Plan): string {
  const target = plan.restore.type === 'download' ? 'the download' : plan.restore.target.clusterName;
  return `Restored, but the post-restore steps (${stepNames(plan)}) were NOT run (${SKIP_STEPS_FLAG}): the data on ${target} is unverified and not masked. The report and the history say VERIFICATION_FAILED.`;
}
