import { NotificationIncompleteError, NotificationUndeliverableError } from '../domain/errors.js';
import { ruleOf } from '../domain/issueRule.js';
import { AD_HOC_PLAN, CHANNEL_DIMENSION, METRIC, outcomeMetricName } from '../domain/observability.js';
import type { StepLogger, StepMetrics } from '../orchestrate/deps.js';
import type { TargetHolds } from '../orchestrate/holds.js';
import type { TargetLocks } from '../orchestrate/locks.js';
import { holdAfterSuccess } from '../orchestrate/planHold.js';
import type { PlansConfig } from '../plans/schema.js';
import { restoreTarget } from '../restore/request.js';
import { NotifyInput, Trigger, type NotifyResult } from '../workflow/contract.js';
import type { WebhookOptions } from '../notify/channels/webhook.js';
import { reportFor } from '../notify/downloadLinks.js';
import { buildReport, renderText, type RestoreReport } from '../notify/message.js';
import { deliverOnce } from '../notify/deliverOnce.js';
import type { DeliveryLedger } from '../notify/ledger.js';
import { decideOutcome } from '../notify/outcome.js';
import { enabledChannels, type NotifyChannels, type NotifySettings } from '../notify/send.js';
import type { UndeliveredReports } from '../notify/undelivered.js';
import { keepHistory } from '../history/keep.js';
import { countEvidence } from '../history/metrics.js';
import type { RestoreHistory } from '../history/store.js';
import { findMissedAlert, recordMissedAlert } from '../push/missed.js';
import type { AlertWaiters } from '../push/waiters.js';

export type { NotifyChannels } from '../notify/send.js';

/**
 * The notify step: decide the outcome, build the one report, send it on every channel the restore
 * enabled, free the target, count the outcome. Every end state goes through here exactly once per
 * run, so it never throws over its input (an unreadable one is reported as FAILED). It throws while
 * any channel has not taken the report: NotificationUndeliverable when none took it,
 * NotificationIncomplete when some did; the state machine retries it with backoff and each retry
 * sends only to the channels still missing it. The outcome is counted only on the try that does not
 * throw. After the retries the state machine runs the dead-letter try (`$.undelivered` set): it
 * sends nothing, keeps the report for replay (../notify/undelivered.ts), counts ReportUndelivered
 * per missing channel, and ends the step normally, so the execution ends with the restore's outcome.
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
  /** Milliseconds this invocation has left: each channel's call is bounded by it (../notify/send.ts channelBudgetMs). */
  remainingMs?: () => number;
  /** Where the dead-letter try keeps a report a channel did not take (../notify/undelivered.ts). */
  undelivered?: UndeliveredReports;
}

/** A restore without a plan: the plan defaults (create uses the same for ad-hoc runs). */
const DEFAULT_SETTINGS: NotifySettings = { sns: true, eventBridge: true };

export async function notifyRestoreStep(payload: unknown, deps: NotifyDeps): Promise<NotifyResult> {
  const input = readInput(payload, deps.logger);
  const decision = decideOutcome(input, deps.now());
  const missedAlert = await findMissedAlert(input, deps);
  // The plan's hold goes on before the report goes out, so the report can say it stands (placing it
  // again on a retried notify leaves it as it is), and before the lock is released below, so the
  // target is never neither locked nor held.
  const planHold = decision.jobMayStillRun ? { placed: true } : await holdAfterSuccess(input, decision.outcome, deps);
  const report = {
    ...buildReport(input, decision, deps.now()),
    ...(missedAlert ? { alertMissedFrom: missedAlert.groupIds } : {}),
    ...(planHold.held ? { heldAfter: { clusterName: planHold.held.target.clusterName, until: planHold.held.until ?? 'released' } } : {}),
  };
  const { outcome } = decision;
  const planName = report.planName;
  const settings = input.restore?.notify ?? deps.plans.plans.find((p) => p.name === planName)?.notify ?? DEFAULT_SETTINGS;

  // The dead-letter try: the retries are spent; keep the report for the channels still missing it.
  const deadLetter = input.undelivered !== undefined;
  const { delivered, deliveredNow, deliveredEarlier, failed } = deadLetter
    ? await keepUndelivered(report, settings, deps)
    : await deliverOnce(report, settings, deps.channels, {
        logger: deps.logger,
        webhook: deps.webhook,
        ledger: deps.ledger,
        now: deps.now,
        ...(deps.remainingMs ? { remainingMs: deps.remainingMs } : {}),
      });
  // The target is freed only when Atlas can no longer write to it (and after a plan's hold is placed).
  if (!decision.jobMayStillRun) {
    if (planHold.placed) await releaseTarget(input, deps);
  }
  else if (report.phase !== 'interim')
    deps.logger.warn('The restore ends while its Atlas job may still run: the target lock is left to lapse on its own', {
      reportId: report.reportId,
      jobIds: report.jobIds,
      lockUntil: input.restore?.lockUntil,
    });

  // The evidence, once per restore, before the outcome is counted: a failed write is retried with notify.
  // Its last try (the state machine caught HistoryUnavailable): a failed write is logged and counted, not thrown.
  const lastTry = input.historyError !== undefined || deadLetter;
  // A dry run that create refused or could not check created nothing: no record, no outcome counted.
  const restoreEnded = report.phase !== 'interim' && input.dryRun !== true;
  const record = deps.history && restoreEnded ? await keepHistory(input, report, { history: deps.history, plans: deps.plans, logger: deps.logger, metrics: deps.metrics, lastTry }) : undefined;
  const plan = planName ?? AD_HOC_PLAN;
  // A channel that has not taken the report fails the step, interim reports included: the state
  // machine retries it (only the missing channels are sent to), then runs the dead-letter try.
  if (failed.length && !deadLetter) {
    // What went out on this try is counted though the step fails for a channel that did not take it.
    if (deliveredNow.length) deps.metrics.add(METRIC.notificationsSent, deliveredNow.length, plan);
    deps.metrics.add(METRIC.notificationsFailed, failed.length, plan);
    if (!delivered.length) {
      deps.logger.warn('Restore report undeliverable', { outcome, reportId: report.reportId, failed });
      throw new NotificationUndeliverableError(`The ${outcome} report reached none of its channels (${failed.join(', ')}); see the notify logs`);
    }
    deps.logger.warn('Restore report not taken by every channel: the step is retried for those', { outcome, reportId: report.reportId, delivered, failed });
    throw new NotificationIncompleteError(`The ${outcome} report ${report.reportId} was not taken by ${failed.join(', ')} (taken by ${delivered.join(', ')}); see the notify logs`);
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
  for (const channel of deadLetter ? failed : []) deps.metrics.add(METRIC.reportUndelivered, 1, plan, { [CHANNEL_DIMENSION]: channel });
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

const UNREADABLE_INPUT = 'NotifyInputUnreadable';

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

/**
 * The dead-letter try: no send. The channels not on record as having taken the report are the ones
 * that missed it; the report is kept for them (a store that cannot be written leaves the log line,
 * which names the report and the channels, and the ReportUndelivered alarm).
 */
async function keepUndelivered(report: RestoreReport, settings: NotifySettings, deps: NotifyDeps) {
  const enabled = enabledChannels(settings);
  let taken: string[] = [];
  try {
    taken = (await deps.ledger.taken(report.reportId, enabled)).map((r) => r.channel);
  } catch (err) {
    deps.logger.warn('Could not read which channels took this report: keeping it for every channel', { reportId: report.reportId, errorName: (err as Error)?.name });
  }
  const delivered = enabled.filter((c) => taken.includes(c));
  const failed = enabled.filter((c) => !taken.includes(c));
  if (failed.length) {
    const entry = { reportId: report.reportId, channels: failed, report, settings, at: deps.now().toISOString() };
    try {
      if (!deps.undelivered) throw new Error('no store for undelivered reports in this environment');
      await deps.undelivered.put(entry);
      deps.logger.warn('ReportUndelivered: kept for replay', { reportId: report.reportId, channels: failed, replay: `npm run restore -- reports replay --report ${report.reportId}` });
    } catch (err) {
      deps.logger.warn('ReportUndelivered: could not keep it for replay', { reportId: report.reportId, channels: failed, errorName: (err as Error)?.name, errorMessage: (err as Error)?.message });
    }
  }
  return { delivered, deliveredNow: [] as string[], deliveredEarlier: delivered, failed };
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
