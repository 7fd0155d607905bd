import { DEFAULT_POLL, DEFAULT_RUN_LIMITS } from '../functions/core/plans/schema.js';
import { EVENTS_PER_POLL, HISTORY_EVENTS, detectionGoalSeconds, nextPollDelaySeconds, simulatePolling } from '../functions/core/restore/pollPolicy.js';

/**
 * What waiting costs, for restores of 2 min to 24 h: Atlas calls, state transitions, history events
 * and the worst delay between the job ending and someone noticing, beside the goal (seen within
 * max(30 s, 5 % of its age)). Our adaptive policy twice: the default plan (floor 30 s, cap 3,600 s,
 * deadline 12 h, so a 24-hour restore is cancelled at 12 h) and a plan whose deadline allows 24 h;
 * beside a fixed 4 s poll (Atlas CLI `watch`), a fixed 30 s poll (the Atlas CloudFormation
 * resource's callback, most scripts) and the limit: one call at the moment the job ends. All are
 * costed as if run by our state machine, so the columns compare.
 */

export const DURATIONS = [
  ['2 min', 120],
  ['10 min', 600],
  ['1 h', 3600],
  ['6 h', 6 * 3600],
  ['24 h', 24 * 3600],
] as const;

interface OurPlan {
  label: string;
  floorSeconds: number;
  capSeconds: number;
  deadlineMinutes: number;
}

const DEFAULT_PLAN: OurPlan = { label: `default plan (${DEFAULT_POLL.floorSeconds}-${DEFAULT_POLL.capSeconds} s, deadline 12 h)`, ...DEFAULT_POLL, deadlineMinutes: DEFAULT_RUN_LIMITS.deadlineMinutes };
/** The same polling with `deadlineMinutes: 1500`: the 24-hour restore runs to its end. */
const DAY_PLAN: OurPlan = { label: `plan with deadlineMinutes 1500 (${DEFAULT_POLL.floorSeconds}-${DEFAULT_POLL.capSeconds} s)`, ...DEFAULT_POLL, deadlineMinutes: 1500 };

export interface PollingRow {
  duration: string;
  policy: string;
  /** How the restore ends for us: seen ending, or cancelled at the deadline. */
  outcome: string;
  atlasCalls: number;
  stateTransitions: number;
  historyEvents: number;
  worstDetectionDelaySeconds: number | '-';
  goalSeconds: number;
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
  return { duration, policy, outcome: 'seen ending', atlasCalls: 1 + polls, ...workflowCost(polls), worstDetectionDelaySeconds: every, goalSeconds: goal(seconds) };
}

const goal = (seconds: number) => Math.round(detectionGoalSeconds(seconds));

/** The cancel step at the deadline: the cancel call and a re-read of the job (orchestrate/cancel.ts). */
const CANCEL_ATLAS_CALLS = 2;

function ours(duration: string, seconds: number, plan: OurPlan): PollingRow {
  const deadlineSeconds = plan.deadlineMinutes * 60;
  const cost = simulatePolling({ durationSeconds: seconds, floorSeconds: plan.floorSeconds, capSeconds: plan.capSeconds, deadlineSeconds });
  return {
    duration,
    policy: plan.label,
    // Timed out: counted up to the cancel, taken to succeed (the re-read sees the job cancelled).
    outcome: cost.timedOut ? `cancelled at ${plan.deadlineMinutes / 60} h` : 'seen ending',
    atlasCalls: 1 + cost.polls + (cost.timedOut ? CANCEL_ATLAS_CALLS : 0),
    stateTransitions: cost.stateTransitions,
    historyEvents: cost.historyEvents,
    worstDetectionDelaySeconds: cost.timedOut ? '-' : waitInForceAt(seconds, plan, deadlineSeconds),
    goalSeconds: goal(seconds),
  };
}

export function measurePolling(): PollingRow[] {
  const rows: PollingRow[] = [];
  for (const [duration, seconds] of DURATIONS) {
    rows.push(ours(duration, seconds, DEFAULT_PLAN));
    rows.push(ours(duration, seconds, DAY_PLAN));
    rows.push(fixed(duration, seconds, 4, 'fixed 4 s (Atlas CLI watch)'));
    rows.push(fixed(duration, seconds, 30, 'fixed 30 s (CloudFormation, scripts)'));
    rows.push({ duration, policy: 'limit (one look at the end)', outcome: 'seen ending', atlasCalls: 2, ...workflowCost(1), worstDetectionDelaySeconds: 0, goalSeconds: goal(seconds) });
  }
  return rows;
}

/**
 * The worst delay for a job ending around `seconds`: it ends just after a look, and is seen one
 * whole wait later; the wait in force then is the one that spans `seconds`.
 */
function waitInForceAt(seconds: number, plan: OurPlan, deadlineSeconds: number): number {
  let age = 0;
  for (;;) {
    const wait = nextPollDelaySeconds({ ageSeconds: age, floorSeconds: plan.floorSeconds, capSeconds: plan.capSeconds, secondsUntilDeadline: Math.max(1, deadlineSeconds - age) });
    if (age + wait >= seconds) return wait;
    age += wait;
  }
}
