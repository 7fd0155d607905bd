import { TASK_STATES } from '../../lib/workflow.js';
import type { ExecutionOutcome } from './execute.js';
import { causeMessage } from './progress.js';

/**
 * The last line of a local run that did not succeed, in the report's words: the execution's Fail
 * state carries a static Cause written for every restore of its kind ("Atlas reported the restore
 * job failed, or a step could not finish"), which would be untrue of a refused or invalid dry run.
 * The report's "Why" says what happened to this one.
 */

interface NotifyOutput {
  notification?: { outcome?: string; message?: string };
}

/** The outcome and reason of the last report the run sent, if it sent one. */
function lastReport(result: ExecutionOutcome): { outcome?: string; why?: string } | undefined {
  // Notify, its last try after the history could not be written, or its dead-letter try (lib/workflow.ts).
  const notifies: string[] = [TASK_STATES.notify, TASK_STATES.notifyLastTry, TASK_STATES.notifyDeadLetter];
  const exits = result.events.filter((e) => e.type === 'StateExited' && notifies.includes((e as { state: { name: string } }).state.name));
  const last = exits.at(-1) as { state: { output?: NotifyOutput } } | undefined;
  const notification = last?.state.output?.notification;
  if (!notification) return undefined;
  const why = notification.message?.split('\n').find((l) => l.startsWith('Why: '))?.slice('Why: '.length);
  return { ...(notification.outcome ? { outcome: notification.outcome } : {}), ...(why ? { why } : {}) };
}

const ENDED_AS: Record<string, string> = {
  FAILED: 'failed',
  CANCELLED: 'was cancelled',
  EXPIRED: 'expired',
  TIMED_OUT: 'passed its deadline',
  REFUSED: 'was refused',
};

export function endingLine(result: ExecutionOutcome, dryRun: boolean): string {
  const report = lastReport(result);
  const what = dryRun ? 'The dry run' : 'The restore';
  const why = report?.why ?? causeMessage(result.cause);
  if (report?.outcome === 'REFUSED') return `${what} was refused; nothing was created: ${why}`;
  if (dryRun) return `${what} could not check the plan; nothing was created: ${why}`;
  const ended = (report?.outcome && ENDED_AS[report.outcome]) ?? `ended ${result.error ?? 'without succeeding'}`;
  return `${what} ${ended}: ${why}`;
}
