import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { AD_HOC_PLAN, METRIC, outcomeMetricName } from '../functions/core/domain/observability.js';
import { EVIDENCE_METRIC } from '../functions/core/history/metrics.js';
import { scheduleExpressionOf } from '../functions/core/plans/scheduleExpression.js';
import type { PlansConfig } from '../functions/core/plans/schema.js';
import { reportUndeliveredQuery, scheduledRunWindow, type RestoreAlarms } from './alarms.js';
import { planMetric } from './plan-metric.js';
import { scheduledPlans } from './plans.js';

export interface RestoreDashboardProps {
  plans: PlansConfig;
  stateMachine: sfn.StateMachine;
  alarms: RestoreAlarms;
}

const WIDTH = 24;
const HALF = 12;
const THIRD = 8;
const HEIGHT = 6;
const PERIOD = Duration.hours(1);

/** The outcomes charted one widget each, with a line per plan. */
const OUTCOME_WIDGETS = [
  { title: 'Restores started', metric: METRIC.restoreStarted },
  { title: 'Restores succeeded', metric: outcomeMetricName('SUCCEEDED') },
  { title: 'Restores failed', metric: outcomeMetricName('FAILED') },
  { title: 'Restores cancelled', metric: outcomeMetricName('CANCELLED') },
  { title: 'Restores expired', metric: outcomeMetricName('EXPIRED') },
  { title: 'Restores timed out', metric: outcomeMetricName('TIMED_OUT') },
  { title: 'Restores refused', metric: outcomeMetricName('REFUSED') },
  { title: 'Restored but post-restore step failed', metric: outcomeMetricName('VERIFICATION_FAILED') },
] as const;

/** RTO and RPO per plan, one widget each (seconds, max per hour). */
const EVIDENCE_WIDGETS = [
  { title: 'RTO: trigger to restored (s, per plan)', metric: EVIDENCE_METRIC.rto },
  { title: 'RTO: trigger to verified (s, per plan)', metric: EVIDENCE_METRIC.rtoVerified },
  { title: 'RPO: data lost, by snapshot or point in time (s, per plan)', metric: EVIDENCE_METRIC.rpo },
] as const;

const ATLAS_ERROR_KINDS = [
  { label: 'Throttled (429)', metric: METRIC.atlasThrottled },
  { label: 'Server errors (5xx)', metric: METRIC.atlasServerErrors },
  { label: 'Auth failures (401/403)', metric: METRIC.atlasAuthFailures },
] as const;

/** What holds, cooldowns and repeated trigger events did (docs/operations.md, "Holds"). */
const HOLD_KINDS = [
  { label: 'Holds placed', metric: METRIC.holdsPlaced },
  { label: 'Refused: target held', metric: METRIC.refusedByHold },
  { label: 'Refused: plan cooling down', metric: METRIC.refusedByCooldown },
  { label: 'Duplicate trigger events (ended quietly)', metric: METRIC.duplicateTriggers },
] as const;

/**
 * One dashboard per stack: what the restores did (per plan), how Atlas answered, whether the
 * outcomes went out, what the schedules are, and the state machine's own view. The plans are known
 * at synth, so every line is an explicit metric (no SEARCH): a plan's line exists before its first run.
 */
/** What to do about a line on the undelivered-reports graph (docs/operations.md says more). */
const REPLAY_MARKDOWN = [
  '### Reports undelivered',
  'A channel did not take a report through every retry of notify. The restore ended as reported on the other channels; the report is kept 15 days for replay.',
  '',
  'The notify log line `ReportUndelivered` names the report id and channel. Fix the channel, then:',
  '',
  '`npm run restore -- reports replay --report <reportId> --function <NotifyFunctionName>`',
  '',
  'Only the channels that missed it are sent it, once each.',
].join('\n');

export class RestoreDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: RestoreDashboardProps) {
    super(scope, id);
    const planNames = [...props.plans.plans.map((p) => p.name), AD_HOC_PLAN];
    const perPlan = (metricName: string, options: cloudwatch.MetricOptions = {}) =>
      planNames.map((plan) => planMetric(metricName, plan, { period: PERIOD, label: plan, ...options }));
    /** The sum over plans of one metric, as one line (metric math ids must start lower-case). */
    const allPlans = (metricName: string, label: string) => {
      // Ids are unique per graph: prefix them with the metric (e.g. notificationsSent0).
      const id = (i: number) => `${metricName.charAt(0).toLowerCase()}${metricName.slice(1)}${i}`;
      return new cloudwatch.MathExpression({
        // FILL: a plan with no data point in a period counts as 0 rather than blanking the sum.
        expression: planNames.map((_, i) => `FILL(${id(i)}, 0)`).join(' + '),
        usingMetrics: Object.fromEntries(planNames.map((plan, i) => [id(i), planMetric(metricName, plan, { period: PERIOD })])),
        label,
        period: PERIOD,
      });
    };

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      defaultInterval: Duration.days(7),
    });

    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Orchestrator alarms', alarms: props.alarms.all, width: WIDTH, height: 4 }),
    );
    this.dashboard.addWidgets(
      ...OUTCOME_WIDGETS.map(
        (w) => new cloudwatch.GraphWidget({ title: `${w.title} (per plan, per hour)`, left: perPlan(w.metric), width: THIRD, height: HEIGHT }),
      ),
    );
    this.dashboard.addWidgets(
      ...(['p50', 'p90', 'Maximum'] as const).map(
        (statistic) =>
          new cloudwatch.GraphWidget({
            title: `Restore duration, ${statistic === 'Maximum' ? 'max' : statistic} (seconds, per plan)`,
            left: perPlan(METRIC.restoreDuration, { statistic }),
            width: THIRD,
            height: HEIGHT,
          }),
      ),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Polls per restore (average, per plan)',
        left: perPlan(METRIC.pollsPerRestore, { statistic: cloudwatch.Stats.AVERAGE }),
        width: THIRD,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Atlas API errors by kind (all plans)',
        left: ATLAS_ERROR_KINDS.map((k) => allPlans(k.metric, k.label)),
        width: THIRD,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'Notifications sent / failed, history records missing (all plans)',
        left: [allPlans(METRIC.notificationsSent, 'Sent'), allPlans(METRIC.notificationsFailed, 'Failed'), allPlans(METRIC.historyRecordMissing, 'History records missing')],
        width: THIRD,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Holds placed, restores refused by a hold or a cooldown, repeated trigger events (all plans)',
        left: HOLD_KINDS.map((k) => allPlans(k.metric, k.label)),
        width: WIDTH,
        height: HEIGHT,
      }),
    );
    // The evidence over time (functions/core/history/metrics.ts): RTO and RPO per plan, the worst of each hour.
    this.dashboard.addWidgets(
      ...EVIDENCE_WIDGETS.map(
        (w) => new cloudwatch.GraphWidget({ title: w.title, left: perPlan(w.metric, { statistic: cloudwatch.Stats.MAXIMUM }), width: THIRD, height: HEIGHT }),
      ),
    );
    const sm = props.stateMachine;
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'State machine executions',
        left: [
          sm.metricStarted({ period: PERIOD, label: 'Started' }),
          sm.metricSucceeded({ period: PERIOD, label: 'Succeeded' }),
          sm.metricFailed({ period: PERIOD, label: 'Failed' }),
          sm.metricTimedOut({ period: PERIOD, label: 'Timed out' }),
        ],
        width: HALF,
        height: HEIGHT,
      }),
      new cloudwatch.GraphWidget({
        title: 'State machine execution time (ms)',
        left: [
          sm.metricTime({ period: PERIOD, statistic: cloudwatch.Stats.p(50), label: 'p50' }),
          sm.metricTime({ period: PERIOD, statistic: cloudwatch.Stats.MAXIMUM, label: 'max' }),
        ],
        width: HALF,
        height: HEIGHT,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({ markdown: scheduleMarkdown(props.plans), width: WIDTH, height: 2 + Math.max(1, scheduledPlans(props.plans).length) }),
    );
    // After the schedule text, which the dashboard test reads as the first text widget.
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Reports undelivered after every retry, by channel (kept for replay)',
        left: [reportUndeliveredQuery({ groupByChannel: true, period: PERIOD })],
        width: THIRD * 2,
        height: HEIGHT,
      }),
      new cloudwatch.TextWidget({ markdown: REPLAY_MARKDOWN, width: THIRD, height: HEIGHT }),
    );
  }
}

/** The schedules as the stack deployed them, so nobody has to open the plans file to read the graphs. */
function scheduleMarkdown(plans: PlansConfig): string {
  const scheduled = scheduledPlans(plans);
  if (!scheduled.length) return '### Scheduled plans\n\nNo plan has a schedule.';
  const rows = scheduled.map((p) => {
    const window = scheduledRunWindow(p);
    const alarm = 'hours' in window ? `no success in ${window.hours} h` : 'none (see docs/operations.md)';
    return `| ${p.name} | \`${scheduleExpressionOf(p.triggers.schedule!)}\` | ${p.triggers.schedule!.timeZone} | ${p.deadlineMinutes} min | ${alarm} |`;
  });
  return ['### Scheduled plans', '', '| plan | schedule | time zone | deadline | "did not succeed" alarm |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
