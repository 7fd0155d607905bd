import { METRIC } from '../domain/observability.js';
import type { StepLogger, StepMetrics } from '../orchestrate/deps.js';
import type { RestoreState } from '../restore/status.js';
import type { NotifyInput } from '../workflow/contract.js';
import type { AlertWaiters } from './waiters.js';

/**
 * A missed alert: a restore in projects whose alerts were arriving ended the way Atlas alerts on,
 * the backstop (not an alert) saw the end, and no alert came from its projects for it. Alerts that
 * stop arriving (a rotated webhook secret, a changed receiver URL, a deleted alert configuration)
 * would otherwise leave every restore there relying on the slow backstop for weeks, silently.
 *
 * Notify checks this for the restore that ended (it has the final state), says so in the report,
 * counts AlertMissed (an alarm, lib/alarms.ts) and notes the miss per project, so the projects'
 * next restores are polled as usual until an alert arrives again (./heard.ts). Nothing here may
 * cost the report: a store that cannot be read or written is logged and the report goes out.
 */

/**
 * The ends Atlas raises a restore alert for, by the kinds that listen (./restorePush.ts; the event
 * types in ./alert.ts). Cloud Backup has CPS_RESTORE_SUCCESSFUL and _FAILED only: a cancelled or
 * expired job raises nothing, so its end owes no alert. Collection restores also have
 * CPS_COLLECTION_RESTORE_CANCELED (and PARTIAL_SUCCESS, which ends as SUCCEEDED or FAILED).
 */
const ALERTED_ENDS: Readonly<Partial<Record<string, readonly RestoreState[]>>> = {
  cloud: ['SUCCEEDED', 'FAILED'],
  collection: ['SUCCEEDED', 'FAILED', 'CANCELLED'],
};

/**
 * Room for an alert racing the look, and for Atlas's clock and ours disagreeing: a look less than
 * this after the job's end may have beaten the alert to the receiver (nothing is concluded), and an
 * alert received up to this long before Atlas's stated end counts as the end's.
 */
const ALERT_SLACK_MS = 60_000;

/** An end an alert was owed for and no alert woke the restore to see. */
export interface OwedAlert {
  /** The restore's projects: an alert from either would have been its own. */
  groupIds: string[];
  /** When the job ended: Atlas's finish time, or the restore's start when Atlas gave none. */
  endedAt: Date;
}

/** The alert this restore's end was owed and no alert woke it for, or undefined (no store read). */
export function alertOwed(input: Pick<NotifyInput, 'restore' | 'status' | 'poll'>): OwedAlert | undefined {
  const { restore, status, poll } = input;
  const push = restore?.push;
  // Projects not heard from are polled as usual already, and say so in the report.
  if (!restore || !push || push.heard === false || !status || !poll) return undefined;
  if (!ALERTED_ENDS[restore.request.kind]?.includes(status.state)) return undefined;
  // Create saw the end (an adopted job already over: no wait), or an alert woke the look that saw it.
  if (poll.count < 1 || poll.wokenByAlert) return undefined;
  const finished = Date.parse(status.finishedAt ?? '');
  const endedAt = Number.isNaN(finished) ? Date.parse(restore.startedAt) : finished;
  const lookedAt = Date.parse(poll.lookedAt ?? '');
  if (Number.isNaN(endedAt) || Number.isNaN(lookedAt) || lookedAt - endedAt < ALERT_SLACK_MS) return undefined;
  return { groupIds: [...new Set(push.groupIds)], endedAt: new Date(endedAt) };
}

/** True when no alert from the restore's projects reached the receiver since the job's end. */
export async function alertMissed(owed: OwedAlert, waiters: AlertWaiters): Promise<boolean> {
  for (const groupId of owed.groupIds) {
    const last = await waiters.lastAlert(groupId);
    if (last && last.at.getTime() >= owed.endedAt.getTime() - ALERT_SLACK_MS) return false;
  }
  return true;
}

export interface MissedAlertDeps {
  /** The waiters table (absent where push is not wired: nothing is checked). */
  alertWaiters?: () => Promise<AlertWaiters>;
  now(): Date;
  logger: StepLogger;
  metrics: StepMetrics;
}

/** Before the report: the alert this restore missed, if it did. Never throws: an unreadable store is no miss. */
export async function findMissedAlert(input: Pick<NotifyInput, 'restore' | 'status' | 'poll'>, deps: MissedAlertDeps): Promise<OwedAlert | undefined> {
  const owed = alertOwed(input);
  if (!owed || !deps.alertWaiters) return undefined;
  try {
    return (await alertMissed(owed, await deps.alertWaiters())) ? owed : undefined;
  } catch (err) {
    deps.logger.warn("Could not tell whether an Atlas alert came for this restore's end; reporting without it", { errorName: (err as Error)?.name });
    return undefined;
  }
}

/**
 * After the report: count the miss and note it on each project, so their next restores are polled
 * as usual until an alert arrives again. Never throws: a miss that cannot be noted costs polling
 * speed for one more restore, never the report.
 */
export async function recordMissedAlert(missed: OwedAlert, plan: string, deps: MissedAlertDeps): Promise<void> {
  deps.metrics.add(METRIC.alertMissed, 1, plan);
  deps.logger.warn("AlertMissed: no Atlas alert came for this restore's end; the backstop saw it", {
    groupIds: missed.groupIds,
    endedAt: missed.endedAt.toISOString(),
  });
  if (!deps.alertWaiters) return;
  try {
    const waiters = await deps.alertWaiters();
    const at = deps.now();
    for (const groupId of missed.groupIds) await waiters.noteMissed(groupId, at);
  } catch (err) {
    deps.logger.warn("Could not note the missed alert: the projects' next restore still waits on the backstop", { errorName: (err as Error)?.name });
  }
}
