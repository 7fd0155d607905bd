import { NotificationUndeliverableError } from '../domain/errors.js';
import { ruleOf } from '../domain/issueRule.js';
import { AD_HOC_PLAN, METRIC, outcomeMetricName } from '../domain/observability.js';
import type { StepLogger, StepMetrics } from '../orchestrate/deps.js';
import type { TargetHolds } from '../orchestrate/holds.js';
import type { TargetLocks } from '../orchestrate/locks.js';
import { holdAfterSuccess } from '../orchestrate/planHold.js';
import type { PlansConfig } from '../plans/schema.js';
import { restoreTarget } from '../restore/request.js';
import { NotifyInput, Trigger, type NotifyResult } from '../workflow/contract.js';
import type { WebhookOptions } from '../notify/channels/webhook.js';
import { reportFor } from '../notify/downloadLinks.js';
import { buildReport, renderText } from '../notify/message.js';
import { deliverOnce } from '../notify/deliverOnce.js';
import type { DeliveryLedger } from '../notify/ledger.js';
import { decideOutcome } from '../notify/outcome.js';
import type { NotifyChannels, NotifySettings } from '../notify/send.js';
import { keepHistory } from '../history/keep.js';
import { countEvidence } from '../history/metrics.js';
import type { RestoreHistory } from '../history/store.js';
import { findMissedAlert, recordMissedAlert } from '../push/missed.js';
import type { AlertWaiters } from '../push/waiters.js';

export type { NotifyChannels } from '../notify/send.js';

/**
 * The notify step: decide the outcome, build the one report, send it on every channel the restore
 * enabled, free the target, count the outcome. Every end state goes through here exactly once per
 * run, so it never throws over its input (an unreadable one is reported as FAILED) and throws only
 * when no channel at all took the report (NotificationUndeliverable), so the execution fails loudly
 * instead of ending unreported, and a retry cannot duplicate anything since nothing went out.
 *
 * Retry safety: the report is deterministic for the same input (see ../notify/message.ts), so its
 * reportId is too; a channel that took it is recorded under that id (../notify/ledger.ts) and a re-run
 * sends only to the channels that did not, which makes a report exactly once per channel. The one
 * exception is a channel that took it just before the function died, unrecorded: it gets it again
 * (never the reverse, a report recorded but not sent). The lock release is idempotent, and the
 * outcome metrics are counted only once a report went out.
 */

export interface NotifyDeps {
  channels: NotifyChannels;
  /** Routes a run refused before it had a context to its plan's channels. */
  plans: PlansConfig;
  locks: TargetLocks;
  /** Which channels already took a report: a re-run sends only to the others. */
  ledger: DeliveryLedger;
  /** A recovery plan's holdAfterSuccess is placed here before the lock is released. */
  holds: TargetHolds;
  now(): Date;
  logger: StepLogger;
  metrics: StepMetrics;
  webhook?: WebhookOptions;
  /** One record per restore that ended (../history/keep.ts). */
  history?: RestoreHistory;
  /** Push completion's alert store, to notice an alert Atlas owed this restore and never sent (../push/missed.ts). */
  alertWaiters?: () => Promise<AlertWaiters>;
}

/** A restore without a plan: the plan defaults (create uses the same for ad-hoc runs). */
const DEFAULT_SETTINGS: NotifySettings = { sns: true, eventBridge: true };

export async function notifyRestoreStep(payload: unknown, deps: NotifyDeps): Promise<NotifyResult> {
  const input = readInput(payload, deps.logger);
  const decision = decideOutcome(input);
  const missedAlert = await findMissedAlert(input, deps);
  const report = { ...buildReport(input, decision, deps.now()), ...(missedAlert ? { alertMissedFrom: missedAlert.groupIds } : {}) };
  const { outcome } = decision;
  const planName = report.planName;
  const settings = input.restore?.notify ?? deps.plans.plans.find((p) => p.name === planName)?.notify ?? DEFAULT_SETTINGS;

  const { delivered, deliveredNow, deliveredEarlier, failed } = await deliverOnce(report, settings, deps.channels, {
    logger: deps.logger,
    webhook: deps.webhook,
    ledger: deps.ledger,
    now: deps.now,
  });
  // The target is freed only when Atlas can no longer write to it (and after a plan's hold is placed).
  if (!decision.jobMayStillRun) {
    if (await holdAfterSuccess(input, outcome, deps)) await releaseTarget(input, deps);
  }
  else if (report.phase !== 'interim')
    deps.logger.warn('The restore ends while its Atlas job may still run: the target lock is left to lapse on its own', {
      reportId: report.reportId,
      jobIds: report.jobIds,
      lockUntil: input.restore?.lockUntil,
    });

  // The evidence, once per restore, before the outcome is counted: a failed write is retried with notify.
  // Its last try (the state machine caught HistoryUnavailable): a failed write is logged and counted, not thrown.
  const lastTry = input.historyError !== undefined;
  // A dry run that create refused or could not check created nothing: no record, no outcome counted.
  const restoreEnded = report.phase !== 'interim' && input.dryRun !== true;
  const record = deps.history && restoreEnded ? await keepHistory(input, report, { history: deps.history, plans: deps.plans, logger: deps.logger, metrics: deps.metrics, lastTry }) : undefined;
  const plan = planName ?? AD_HOC_PLAN;
  // An interim report that reached nobody must not end the watch: count it (the alarm fires) and go on.
  if (failed.length && !delivered.length && report.phase !== 'interim') {
    deps.metrics.add(METRIC.notificationsFailed, failed.length, plan);
    deps.logger.warn('Restore report undeliverable', { outcome, reportId: report.reportId, failed });
    throw new NotificationUndeliverableError(`The ${outcome} report reached none of its channels (${failed.join(', ')}); see the notify logs`);
  }
  if (!delivered.length && !failed.length) deps.logger.warn('The restore enables no notification channel: nothing was sent', { outcome, reportId: report.reportId });

  // An interim report is not an end: the restore is counted once, by its last report.
  if (restoreEnded) {
    deps.metrics.add(outcomeMetricName(outcome), 1, plan);
    if (report.durationSeconds !== undefined) deps.metrics.add(METRIC.restoreDuration, report.durationSeconds, plan);
    if (report.polls !== undefined) deps.metrics.add(METRIC.pollsPerRestore, report.polls, plan);
    if (record) countEvidence(record, deps.metrics);
    if (missedAlert) await recordMissedAlert(missedAlert, plan, deps);
  }
  if (deliveredNow.length) deps.metrics.add(METRIC.notificationsSent, deliveredNow.length, plan);
  if (failed.length) deps.metrics.add(METRIC.notificationsFailed, failed.length, plan);
  deps.logger.info('Restore reported', { outcome, reportId: report.reportId, deliveredNow, deliveredEarlier, failed });
  return {
    outcome,
    delivered,
    deliveredNow,
    deliveredEarlier,
    failed,
    // The message is kept in the execution history and shown by GET /restores/{id}: the API's view of the links.
    message: renderText(reportFor(report, 'api', settings)),
    watching: report.phase === 'interim',
    reportId: report.reportId,
  };
}

export const UNREADABLE_INPUT = 'NotifyInputUnreadable';

/**
 * A NotifyInput, or, when the payload is not one, a stand-in that reports FAILED and keeps what
 * can safely be kept: the plan name (to route the report) and the trigger. Field paths and rules
 * go in the reason, never values.
 */
function readInput(payload: unknown, logger: StepLogger): NotifyInput {
  const parsed = NotifyInput.safeParse(payload);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || '(root)'}: ${ruleOf(i)}`);
  logger.warn('Notify input unreadable', { problems });
  const raw = (payload && typeof payload === 'object' ? payload : {}) as Record<string, unknown>;
  const restore = (raw.restore && typeof raw.restore === 'object' ? raw.restore : {}) as Record<string, unknown>;
  const planName = [restore.planName, raw.planName].find((p): p is string => typeof p === 'string' && p.length > 0);
  const restoreId = typeof restore.restoreId === 'string' ? ` for restore ${restore.restoreId}` : '';
  const trigger = Trigger.safeParse(restore.trigger ?? raw.trigger);
  return {
    ...(planName ? { planName } : {}),
    ...(trigger.success ? { trigger: trigger.data } : {}),
    error: { Error: UNREADABLE_INPUT, Cause: `notify got an input it could not read${restoreId} (${problems.join('; ')}); see the execution history` },
  };
}

/** The restore is over whatever its outcome: the target is free for the next one. */
async function releaseTarget(input: NotifyInput, deps: NotifyDeps): Promise<void> {
  const restore = input.restore;
  const target = restore ? restoreTarget(restore.request) : undefined;
  if (!restore || !target) return;
  try {
    await deps.locks.release(target, restore.restoreId);
  } catch (err) {
    // The lock expires on its own; a report must not be lost over it.
    deps.logger.warn('Could not release the target lock', { errorName: (err as Error)?.name });
  }
}
