/**
 * How long to wait before the next look at a restore: 5 % of its age so far, between a floor and a
 * cap, and never past the deadline. The goal it is built for: a restore is seen ending within
 * max(30 s, 5 % of its age). A job that ends just after a look at age `a` is seen one wait later,
 * so a wait of at most max(floor, 5 % of `a`) meets it whenever the floor is at most 30 s; and a
 * 24-hour restore costs about 125 Atlas calls (the default 30 s floor and one-hour cap), so an
 * execution stays far below Step Functions' 25,000-event history limit and Atlas's rate limits.
 */

const POLL_AGE_FRACTION = 0.05;

/** The detection goal the default policy meets: seen ending within max(30 s, 5 % of its age). */
const DETECTION_GOAL = { minSeconds: 30, ageFraction: 0.05 } as const;

/** The longest the goal allows between a restore ending at `ageSeconds` and the look that sees it. */
export const detectionGoalSeconds = (ageSeconds: number): number => Math.max(DETECTION_GOAL.minSeconds, DETECTION_GOAL.ageFraction * ageSeconds);

export interface PollDelayInput {
  /** Seconds since the restore was created. */
  ageSeconds: number;
  floorSeconds: number;
  capSeconds: number;
  /** Seconds left before the plan's deadline: the wait ends at the deadline at the latest. */
  secondsUntilDeadline: number;
}

/** Whole seconds (a Wait state's SecondsPath takes an integer), at least 1. */
export function nextPollDelaySeconds({ ageSeconds, floorSeconds, capSeconds, secondsUntilDeadline }: PollDelayInput): number {
  // Rounded down, never up: a wait a fraction of a second over 5 % of the age would miss the goal
  // for a job that ends just after this look.
  const adaptive = Math.floor(Math.max(0, ageSeconds) * POLL_AGE_FRACTION);
  // The cap is applied last: a plan whose floor exceeds its cap still never waits past the cap.
  const clamped = Math.min(capSeconds, Math.max(floorSeconds, adaptive));
  // Rounded down at the deadline, so the look that notices the deadline is never late.
  return Math.max(1, Math.floor(Math.min(clamped, secondsUntilDeadline)));
}

export interface BackstopDelayInput {
  ageSeconds: number;
  /** The percentage of the age to wait (plans' `alerts.backstopPercent`). */
  percent: number;
  floorSeconds: number;
  secondsUntilDeadline: number;
}

/**
 * The wait of a restore that an Atlas alert can wake (push completion, ../push/): the alert is what
 * normally ends it, so it can be long; it is the backstop for a lost alert. Waiting at most
 * max(floor, percent % of the age at the last look) sees a restore end within max(floor, percent %
 * of its age) with every alert lost, by the same argument as the poll policy's. No cap: the wait
 * grows with the age, which is what keeps a day-long restore at a few dozen looks.
 */
export function backstopDelaySeconds({ ageSeconds, percent, floorSeconds, secondsUntilDeadline }: BackstopDelayInput): number {
  const adaptive = Math.floor((Math.max(0, ageSeconds) * percent) / 100);
  return Math.max(1, Math.floor(Math.min(Math.max(floorSeconds, adaptive), secondsUntilDeadline)));
}

/**
 * History events each state of the restore workflow (lib/workflow.ts) writes in a Standard
 * execution, as Step Functions records them:
 * - a Lambda Task (`lambda:invoke`): TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded,
 *   TaskStateExited → 5 (a Lambda retry adds TaskFailed + TaskScheduled + TaskStarted; not counted);
 * - a Wait: WaitStateEntered, WaitStateExited → 2;
 * - a Choice: ChoiceStateEntered, ChoiceStateExited → 2;
 * - a Succeed: SucceedStateEntered, SucceedStateExited → 2; a Fail: FailStateEntered → 1;
 * - the execution: ExecutionStarted, and ExecutionSucceeded or ExecutionFailed → 2.
 */
export const HISTORY_EVENTS = { task: 5, wait: 2, choice: 2, succeed: 2, fail: 1, execution: 2 } as const;

/** One poll loop: Wait → poll Task → RestoreFinished? Choice. */
export const EVENTS_PER_POLL = HISTORY_EVENTS.wait + HISTORY_EVENTS.task + HISTORY_EVENTS.choice;

export interface PollingSimulation {
  durationSeconds: number;
  floorSeconds: number;
  capSeconds: number;
  /** The plan's deadline, seconds after create; none means the restore is always waited for. */
  deadlineSeconds?: number;
}

export interface PollingCost {
  /** Poll Task runs (looks at Atlas). */
  polls: number;
  /** Seconds between the restore ending and the poll that saw it; undefined when the deadline came first. */
  detectionDelaySeconds: number | undefined;
  /** The deadline passed before the restore ended: the workflow cancelled and reported TIMED_OUT. */
  timedOut: boolean;
  /** States entered, which is what Step Functions bills for a Standard workflow. */
  stateTransitions: number;
  historyEvents: number;
}

/**
 * Replays the workflow for a restore that ends `durationSeconds` after it was created, with the
 * same delays the create and poll steps compute:
 *
 *   create (Task) → IsDryRun (Choice) → [Wait → poll (Task) → RestoreFinished? (Choice)] × polls
 *   → (deadline passed: cancel (Task)) → notify (Task) → RestoreOutcome (Choice) → Succeed | Fail
 *
 * A restore that ends is seen by the first poll at or after its end, and is taken to succeed (a
 * failed one costs the same but for the end state); one still running when a poll lands on the
 * deadline is cancelled (the cancel step runs whether or not Atlas allows it) and ends in Fail.
 */
export function simulatePolling({ durationSeconds, floorSeconds, capSeconds, deadlineSeconds }: PollingSimulation): PollingCost {
  const deadline = deadlineSeconds ?? Number.POSITIVE_INFINITY;
  let age = 0;
  let polls = 0;
  let timedOut = false;
  for (;;) {
    age += nextPollDelaySeconds({ ageSeconds: age, floorSeconds, capSeconds, secondsUntilDeadline: Math.max(1, deadline - age) });
    polls++;
    if (age >= durationSeconds) break;
    if (age >= deadline) {
      timedOut = true;
      break;
    }
  }
  const ok = !timedOut;
  // create + IsDryRun, the loops, [cancel], notify + RestoreOutcome + the end state.
  const stateTransitions = 2 + polls * 3 + (timedOut ? 1 : 0) + 3;
  const historyEvents =
    HISTORY_EVENTS.execution +
    HISTORY_EVENTS.task +
    HISTORY_EVENTS.choice +
    polls * EVENTS_PER_POLL +
    (timedOut ? HISTORY_EVENTS.task : 0) +
    HISTORY_EVENTS.task +
    HISTORY_EVENTS.choice +
    (ok ? HISTORY_EVENTS.succeed : HISTORY_EVENTS.fail);
  return { polls, detectionDelaySeconds: ok ? age - durationSeconds : undefined, timedOut, stateTransitions, historyEvents };
}
