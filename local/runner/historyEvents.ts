import { HISTORY_EVENTS } from '../../functions/core/restore/pollPolicy.js';
import { ALERT_WAIT_STATE } from '../../lib/workflow.js';
import type { EventLog } from './execute.js';

/** A callback task (WaitForAlert): TaskStateEntered, TaskScheduled, TaskStarted, TaskSubmitted, TaskSucceeded or TaskTimedOut, TaskStateExited. */
const CALLBACK_TASK_EVENTS = 6;
/** What a failed Task attempt that is retried adds (scheduled, started, failed). */
const EVENTS_PER_RETRY = 3;

const PER_STATE: Record<string, number> = {
  Task: HISTORY_EVENTS.task,
  Wait: HISTORY_EVENTS.wait,
  Choice: HISTORY_EVENTS.choice,
  Pass: HISTORY_EVENTS.choice,
  Succeed: HISTORY_EVENTS.succeed,
  Fail: HISTORY_EVENTS.fail,
};

/**
 * The history events Step Functions would record for a local execution (limit 25,000 for a
 * Standard one): aws-local-stepfunctions logs fewer kinds of event than AWS, so each state entered
 * is counted as AWS counts it, with the figures the polling table uses
 * (functions/core/restore/pollPolicy.ts).
 */
export function historyEvents(events: readonly EventLog[]): number {
  let total = HISTORY_EVENTS.execution;
  for (const e of events) {
    if (e.type === 'StateRetried') total += EVENTS_PER_RETRY;
    if (e.type !== 'StateEntered') continue;
    const { name, type } = (e as { state: { name: string; type: string } }).state;
    total += name === ALERT_WAIT_STATE ? CALLBACK_TASK_EVENTS : (PER_STATE[type] ?? 2);
  }
  return total;
}
