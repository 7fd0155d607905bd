import { ERROR_NAMES } from '../domain/errors.js';
import { DEFAULT_RUN_LIMITS } from '../plans/runLimits.js';
import { pollsUntilHeard } from '../workflow/wake.js';
import { isAlertWake } from '../workflow/wake.js';
import { backstopDelaySeconds, nextPollDelaySeconds } from '../restore/pollPolicy.js';
import { isTerminal, type RestoreStatus } from '../restore/status.js';
import type { LookFailure, Notice, PollProgress, WorkflowState } from '../workflow/contract.js';
import type { z } from 'zod';

/**
 * The job-lifetime rule, in one place: from the moment a create may have reached Atlas until Atlas
 * says the job ended, the restore keeps its target locked and keeps looking. Create, poll and cancel
 * all end by asking `decideNext` what the workflow does now:
 *
 * - the job ended → report it (the end, or the closing report after an interim one);
 * - the deadline passed → cancel once (where Atlas can), then say once that the job still runs,
 *   then keep looking at the slow cadence;
 * - Atlas cannot be read (key revoked, job not found, a step that keeps crashing) → say once that
 *   the job may still run, keep looking at the slow cadence (credentials are often fixed within the hour);
 * - the watch limit passed with the job not seen to end → the last report, which says the job may
 *   still run and when the target's lock lapses. Never a silent end.
 */

/** Consecutive failed looks (other than a refused key, which is reported at once) before people are told. */
export const FAILED_LOOKS_BEFORE_NOTICE = 3;

/**
 * The slow cadence (past the deadline, or while Atlas cannot be read) is the plan's cap but at most
 * 5 minutes. The cap (up to an hour) is sized for a healthy restore whose age makes a late look
 * cheap; here the age says nothing: a late job's end frees a locked target someone is waiting for,
 * and a refused key is often fixed within minutes, so both are looked at every few minutes. The
 * cost stays small: a whole default watch (24 h) at 5 minutes is 288 looks, ~2,600 history events.
 */
const WATCH_CADENCE_MAX_SECONDS = 300;

/**
 * After an alert woke a restore whose job still showed running, one quick re-look this long after:
 * the alert may be about another restore in the project, or Atlas may show the end a little after
 * it alerts. Then the backstop again. One re-look keeps a foreign alert at two looks per waiting restore.
 */
const RECHECK_AFTER_ALERT_SECONDS = 30;

/** Errors that mean "we cannot see the job", not "the job ended": the key or its access is gone. */
const ACCESS_ERRORS: ReadonlySet<string> = new Set([ERROR_NAMES.authFailed, ERROR_NAMES.credentials]);

export interface LookOutcome {
  status: RestoreStatus;
  /** Set when this look failed: the status is then the last one seen. */
  failure?: z.infer<typeof LookFailure>;
}

/** The next WorkflowState after a look at Atlas (or a failed one): count it, then decide. */
export function afterLook(state: WorkflowState, look: LookOutcome, now: Date): WorkflowState {
  const { restore } = state;
  const previous = settleReportedNotice(state.poll);
  const failures = look.failure ? (previous.failures ?? 0) + 1 : 0;
  const woken = isAlertWake(state.wake);
  const poll: PollProgress = {
    ...previous,
    count: state.poll.count + 1,
    failures,
    ...(look.failure ? { lastFailure: look.failure } : {}),
    lookedAt: now.toISOString(),
  };
  if (!look.failure) {
    delete poll.lastFailure;
    poll.seenAt = now.toISOString();
  }
  if (woken) poll.alertWakes = (previous.alertWakes ?? 0) + 1;
  // Notify tells a look an alert asked for from one the backstop made (functions/core/push/missed.ts).
  if (woken) poll.wokenByAlert = true;
  else delete poll.wokenByAlert;
  const rechecks = woken ? 1 : Math.max(0, (previous.rechecks ?? 0) - 1);
  if (rechecks > 0) poll.rechecks = rechecks;
  else delete poll.rechecks;
  return decideNext({ restore, status: look.status, poll }, now);
}

/**
 * A poll that runs after an interim report: the report went out (notify would have failed the
 * execution otherwise), so the notice moves to `noticesSent` and is never sent again.
 */
export function settleReportedNotice(poll: PollProgress): PollProgress {
  if (poll.next !== 'report' || !poll.notice) return poll;
  const { notice, ...rest } = poll;
  return { ...rest, next: 'wait', noticesSent: [...new Set([...(poll.noticesSent ?? []), notice])] };
}

/**
 * Atlas accepted our cancel (204), the read after it failed, and no later look read the job: all we
 * know is that the cancel was taken (a look at the cancel's own instant was before it).
 */
export function unseenSinceCancel(poll: PollProgress): boolean {
  if (!poll.cancelAcceptedAt) return false;
  return !poll.seenAt || Date.parse(poll.seenAt) <= Date.parse(poll.cancelAcceptedAt);
}

/** What the workflow does after this state, and how long it waits if it waits. */
export function decideNext(state: WorkflowState, now: Date): WorkflowState {
  const decided = decideWithoutAlerts(state, now);
  const push = state.restore.push;
  if (!push) return decided;
  // Push completion: every wait may be ended by an Atlas alert (an alert after `lookedAt` is news);
  // a healthy restore's wait is the backstop.
  const poll: PollProgress = { ...decided.poll, untilAlert: true, lookedAt: decided.poll.lookedAt ?? now.toISOString() };
  if (poll.next === 'wait' && !poll.deadlinePassed && !(poll.failures ?? 0)) {
    const nowMs = now.getTime();
    const backstop = backstopDelaySeconds({
      ageSeconds: Math.max(0, (nowMs - Date.parse(state.restore.startedAt)) / 1000),
      percent: push.backstopPercent,
      floorSeconds: push.backstopFloorSeconds,
      secondsUntilDeadline: Math.max(1, (Date.parse(state.restore.deadlineAt) - nowMs) / 1000),
    });
    const wait = poll.rechecks ? Math.min(backstop, RECHECK_AFTER_ALERT_SECONDS) : backstop;
    // Alerts not heard from these projects lately (and none for this restore yet): they may not be
    // set up, so the plain policy's look comes first (functions/core/push/heard.ts).
    poll.waitSeconds = pollsUntilHeard(push, poll) ? Math.min(wait, decided.poll.waitSeconds) : wait;
  }
  return { ...decided, poll };
}

function decideWithoutAlerts(state: WorkflowState, now: Date): WorkflowState {
  const { restore, status } = state;
  const poll: PollProgress = { ...state.poll };
  delete poll.notice;
  const nowMs = now.getTime();
  const deadlineMs = Date.parse(restore.deadlineAt);
  const watchUntilMs = Date.parse(watchUntilOf(restore));
  const ageSeconds = Math.max(0, (nowMs - Date.parse(restore.startedAt)) / 1000);
  const base = { restore, status };

  if (isTerminal(status.state)) return { ...base, poll: { ...poll, deadlinePassed: poll.deadlinePassed, next: 'report', waitSeconds: 1 } };

  const deadlinePassed = poll.deadlinePassed || nowMs >= deadlineMs;
  if (nowMs >= watchUntilMs) return { ...base, poll: { ...poll, deadlinePassed, watchOver: true, next: 'report', waitSeconds: 1 } };

  // The slow cadence for a job we are only watching over: the plan's cap, never past the watch limit.
  const slowWait = Math.max(1, Math.floor(Math.min(restore.poll.capSeconds, WATCH_CADENCE_MAX_SECONDS, (watchUntilMs - nowMs) / 1000)));
  if (deadlinePassed) {
    if (!poll.cancelTried && !(poll.failures ?? 0)) return { ...base, poll: { ...poll, deadlinePassed, next: 'cancel', waitSeconds: slowWait } };
    // Atlas accepted our cancel and no look has read the job since: it is not known to be running.
    // Look again (the failed-look cadence below) rather than report it as still running.
    const notice = unseenSinceCancel(poll) ? undefined : pendingNotice(poll, 'STILL_RUNNING_AFTER_DEADLINE');
    if (notice) return { ...base, poll: { ...poll, deadlinePassed, next: 'report', notice, waitSeconds: slowWait } };
  }
  if ((poll.failures ?? 0) > 0) {
    const refused = ACCESS_ERRORS.has(poll.lastFailure?.name ?? '');
    const notice = refused || (poll.failures ?? 0) >= FAILED_LOOKS_BEFORE_NOTICE ? pendingNotice(poll, 'NOT_VISIBLE') : undefined;
    return { ...base, poll: { ...poll, deadlinePassed, next: notice ? 'report' : 'wait', ...(notice ? { notice } : {}), waitSeconds: slowWait } };
  }
  if (deadlinePassed) return { ...base, poll: { ...poll, deadlinePassed, next: 'wait', waitSeconds: slowWait } };

  const waitSeconds = nextPollDelaySeconds({
    ageSeconds,
    floorSeconds: restore.poll.floorSeconds,
    capSeconds: restore.poll.capSeconds,
    secondsUntilDeadline: Math.max(1, (deadlineMs - nowMs) / 1000),
  });
  return { ...base, poll: { ...poll, deadlinePassed: false, next: 'wait', waitSeconds } };
}

const pendingNotice = (poll: PollProgress, notice: Notice): Notice | undefined => ((poll.noticesSent ?? []).includes(notice) ? undefined : notice);

/** Until when a restore is watched; a state from before `watchUntil` existed gets the default watch. */
function watchUntilOf(restore: WorkflowState['restore']): string {
  return restore.watchUntil ?? new Date(Date.parse(restore.deadlineAt) + DEFAULT_RUN_LIMITS.watchAfterEndMinutes * 60_000).toISOString();
}
