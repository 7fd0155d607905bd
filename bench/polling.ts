import { EVENTS_PER_POLL, HISTORY_EVENTS, nextPollDelaySeconds, simulatePolling } from '../functions/core/restore/pollPolicy.js';

/**
 * What waiting costs, for restores of 2 min to 24 h: Atlas calls, state transitions, history events
 * and the worst delay between the job ending and someone noticing. Our adaptive policy (the default
 * plan settings: floor 15 s, cap 300 s) beside a fixed 4 s poll (Atlas CLI `watch`), a fixed 30 s
 * poll (the Atlas CloudFormation resource's callback, most scripts) and the limit: one call at the
 * moment the job ends. All are costed as if run by our state machine, so the columns compare.
 */

export const DURATIONS = [
  ['2 min', 120],
  ['10 min', 600],
  ['1 h', 3600],
  ['6 h', 6 * 3600],
  ['24 h', 24 * 3600],
] as const;

export interface PollingRow {
  duration: string;
  policy: string;
  atlasCalls: number;
  stateTransitions: number;
  historyEvents: number;
  worstDetectionDelaySeconds: number;
}

/** The workflow around n polls: create + IsDryRun, n × (wait, poll, choice), notify + choice + Succeed. */
function workflowCost(polls: number) {
  return {
    stateTransitions: 2 + polls * 3 + 3,
    historyEvents: HISTORY_EVENTS.execution + HISTORY_EVENTS.task + HISTORY_EVENTS.choice + polls * EVENTS_PER_POLL + HISTORY_EVENTS.task + HISTORY_EVENTS.choice + HISTORY_EVENTS.succeed,
  };
}

function fixed(duration: string, seconds: number, every: number, policy: string): PollingRow {
  const polls = Math.ceil(seconds / every);
  // A job ending just after a poll is seen a whole interval later.
  return { duration, policy, atlasCalls: 1 + polls, ...workflowCost(polls), worstDetectionDelaySeconds: every };
}

export function measurePolling(floorSeconds = 15, capSeconds = 300): PollingRow[] {
  const rows: PollingRow[] = [];
  for (const [duration, seconds] of DURATIONS) {
    const ours = simulatePolling({ durationSeconds: seconds, floorSeconds, capSeconds });
    rows.push({
      duration,
      policy: `adaptive ${floorSeconds}-${capSeconds} s`,
      atlasCalls: 1 + ours.polls,
      stateTransitions: ours.stateTransitions,
      historyEvents: ours.historyEvents,
      worstDetectionDelaySeconds: waitInForceAt(seconds, floorSeconds, capSeconds),
    });
    rows.push(fixed(duration, seconds, 4, 'fixed 4 s (Atlas CLI watch)'));
    rows.push(fixed(duration, seconds, 30, 'fixed 30 s (CloudFormation, scripts)'));
    rows.push({ duration, policy: 'limit (one look at the end)', atlasCalls: 2, ...workflowCost(1), worstDetectionDelaySeconds: 0 });
  }
  return rows;
}

/**
 * The worst delay for a job ending around `seconds`: it ends just after a look, and is seen one
 * whole wait later; the wait in force then is the one that spans `seconds`.
 */
function waitInForceAt(seconds: number, floorSeconds: number, capSeconds: number): number {
  let age = 0;
  for (;;) {
    const wait = nextPollDelaySeconds({ ageSeconds: age, floorSeconds, capSeconds, secondsUntilDeadline: Number.POSITIVE_INFINITY });
    if (age + wait >= seconds) return wait;
    age += wait;
  }
}
