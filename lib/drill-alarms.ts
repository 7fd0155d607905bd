import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { Construct } from 'constructs';
import { EVIDENCE_METRIC } from '../functions/core/history/metrics.js';
import type { Plan } from '../functions/core/plans/schema.js';
import { planMetric } from './plan-metric.js';

/**
 * Per drill plan (functions/core/plans/drillSettings.ts): an alarm when a drill fails (the restore or a
 * verification step), and one when no drill passed within the plan's `passWithinDays` (hourly
 * datapoints of DrillsPassed, every one of them empty; a drill never run breaches too).
 */
export function drillAlarms(scope: Construct, plans: readonly Plan[]): cloudwatch.Alarm[] {
  const alarms: cloudwatch.Alarm[] = [];
  for (const plan of plans.filter((p) => p.drill)) {
    alarms.push(
      new cloudwatch.Alarm(scope, `DrillFailed-${plan.name}`, {
        alarmDescription: `A restore drill of plan "${plan.name}" failed: the restore or one of its verification steps did not pass. The notification and the restore history (npm run restore -- history) say which.`,
        metric: planMetric(EVIDENCE_METRIC.drillsFailed, plan.name),
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    );
    const hours = plan.drill!.passWithinDays * 24;
    alarms.push(
      new cloudwatch.Alarm(scope, `NoPassingDrill-${plan.name}`, {
        alarmDescription: `No restore drill of plan "${plan.name}" passed in the last ${plan.drill!.passWithinDays} days: the drills failed, did not run, or the schedule is off. Auditors need a passing drill in every window.`,
        metric: planMetric(EVIDENCE_METRIC.drillsPassed, plan.name, { period: Duration.hours(1) }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: hours,
        datapointsToAlarm: hours,
        treatMissingData: cloudwatch.TreatMissingData.BREACHING,
      }),
    );
  }
  return alarms;
}
