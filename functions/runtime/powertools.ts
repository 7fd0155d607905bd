import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, PLAN_DIMENSION } from '../core/domain/observability.js';
import type { StepMetrics } from '../core/orchestrate/deps.js';

/**
 * Powertools Logger and Metrics, once per container. Service name and namespace come from the
 * environment lib/ sets (POWERTOOLS_SERVICE_NAME, POWERTOOLS_METRICS_NAMESPACE); the namespace is
 * also given here so a local run emits under the same name. Tracing is left to Lambda's active
 * X-Ray tracing: the Tracer package would pull aws-xray-sdk-core into every cold start.
 */
export function powertools(): { logger: Logger; metrics: Metrics; stepMetrics: StepMetrics } {
  const logger = new Logger();
  const metrics = new Metrics({ namespace: METRICS_NAMESPACE });
  const stepMetrics: StepMetrics = {
    add(name, value, plan, dimensions = {}) {
      // One EMF blob per data point: the plan dimension differs between points of one invocation.
      const single = metrics.singleMetric();
      single.addDimension(PLAN_DIMENSION, plan);
      for (const [dimension, v] of Object.entries(dimensions)) single.addDimension(dimension, v);
      single.addMetric(name, name.endsWith('Seconds') ? MetricUnit.Seconds : MetricUnit.Count, value);
    },
  };
  return { logger, metrics, stepMetrics };
}
