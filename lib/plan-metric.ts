import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRICS_NAMESPACE, PLAN_DIMENSION } from '../functions/core/domain/observability.js';
import { SERVICE_NAME } from './functions.js';

/** A metric the handlers emit (EMF, dimensions service + Plan) for one plan. */
export function planMetric(metricName: string, plan: string, props: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRICS_NAMESPACE,
    metricName,
    dimensionsMap: { service: SERVICE_NAME, [PLAN_DIMENSION]: plan },
    statistic: cloudwatch.Stats.SUM,
    period: Duration.minutes(5),
    ...props,
  });
}
