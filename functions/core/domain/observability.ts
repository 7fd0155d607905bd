/**
 * Names shared by the handlers (which emit them through Powertools Metrics as EMF) and lib/ (which
 * builds the dashboard and alarms on them). Change both sides together.
 */
export const METRICS_NAMESPACE = 'AtlasRestore';

/** Every metric carries the plan as a dimension ("ad-hoc" for requests without a plan). */
export const PLAN_DIMENSION = 'Plan';
export const AD_HOC_PLAN = 'ad-hoc';
/** ReportUndelivered's second dimension: the channel ("sns", "eventBridge", "webhook:slack", …). */
export const CHANNEL_DIMENSION = 'Channel';

export const METRIC = {
  /** create: a restore job was created or adopted. */
  restoreStarted: 'RestoreStarted',
  /** notify: one per end state, named by outcome (RestoreSucceeded, RestoreFailed, RestoreTimedOut, ...). */
  outcomePrefix: 'Restore',
  /** notify: seconds from start to the end state. */
  restoreDuration: 'RestoreDurationSeconds',
  /** notify: how many polls the restore took. */
  pollsPerRestore: 'PollsPerRestore',
  /** any Atlas-calling handler: API errors by kind. */
  atlasThrottled: 'AtlasThrottled',
  atlasServerErrors: 'AtlasServerErrors',
  atlasAuthFailures: 'AtlasAuthFailures',
  /** notify: per channel delivery. */
  notificationsSent: 'NotificationsSent',
  notificationsFailed: 'NotificationsFailed',
  /**
   * notify's dead-letter step: a channel did not take a report through every retry; the report is
   * kept for replay. Carries CHANNEL_DIMENSION besides the plan.
   */
  reportUndelivered: 'ReportUndelivered',
  /** notify (a recovery plan's holdAfterSuccess) and the API (a person): a target was held. */
  holdsPlaced: 'HoldsPlaced',
  /** create: a restore refused because its target is held. */
  refusedByHold: 'RestoresRefusedByHold',
  /** create: a restore refused because its plan ran less than cooldownMinutes ago. */
  refusedByCooldown: 'RestoresRefusedByCooldown',
  /**
   * notify: a restore that ended without its history record: the history table could not be
   * written on notify's last try; the record is in the notify log for a backfill.
   */
  historyRecordMissing: 'HistoryRecordMissing',
  /** create: a schedule or alarm event delivered again; the repeat ended quietly. */
  duplicateTriggers: 'DuplicateTriggers',
  /**
   * notify (push on): a restore in projects whose Atlas alerts were arriving ended without its
   * alert; the backstop saw it (functions/core/push/missed.ts).
   */
  alertMissed: 'AlertMissed',
} as const;

/** Metric name for an outcome, e.g. TIMED_OUT → RestoreTimedOut. */
export function outcomeMetricName(outcome: string): string {
  const camel = outcome
    .toLowerCase()
    .split('_')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
  return `${METRIC.outcomePrefix}${camel}`;
}

/** Environment variables the stack sets on the functions (lib/ and the handlers agree on these). */
export const ENV = {
  /** Secrets Manager secret with the Atlas profile; unset → MONGODB_ATLAS_* variables (local runs). */
  atlasSecretName: 'ATLAS_SECRET_NAME',
  /** The validated plans config, JSON. esbuild inlines it at bundle time (lib/ `define`); tests set it. */
  plansJson: 'RESTORE_PLANS_JSON',
  /** DynamoDB table holding one lock per restore target; unset → in-process locks (local runner). */
  lockTable: 'RESTORE_LOCK_TABLE',
  stateMachineArn: 'STATE_MACHINE_ARN',
  topicArn: 'NOTIFY_TOPIC_ARN',
  eventBusName: 'NOTIFY_EVENT_BUS',
  /** Push completion (lib/push.ts): the alert waiters table and the webhook secret's name. */
  alertWaitersTable: 'ALERT_WAITERS_TABLE',
  alertWebhookSecretName: 'ALERT_WEBHOOK_SECRET_NAME',
} as const;

/** EventBridge `source` of the events notify puts; `detail-type` is e.g. "Atlas Restore Succeeded". */
export const EVENT_SOURCE = 'atlas-restore-orchestrator';
