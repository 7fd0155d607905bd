import { HISTORY_EVENTS } from '../functions/core/restore/pollPolicy.js';
import type { EventLog } from '../local/runner/execute.js';

/** What a failed Task attempt that is retried adds to a Standard execution's history (scheduled, started, failed). */
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
 * The history events Step Functions would record for a local execution (limit 25,000): the local
 * executor logs fewer kinds of event than AWS, so each state it entered is counted as AWS counts it,
 * with the same figures the polling table uses (functions/core/restore/pollPolicy.ts).
 */
export function historyEvents(events: readonly EventLog[]): number {
  let n = HISTORY_EVENTS.execution;
  for (const e of events) {
    if (e.type === 'StateEntered') n += PER_STATE[(e as { state: { type: string } }).state.type] ?? 2;
    else if (e.type === 'StateRetried') n += EVENTS_PER_RETRY;
  }
  return n;
}
