import type { Context } from 'aws-lambda';
import type { AtlasClientEvent } from '../core/atlas/client.js';
import { AD_HOC_PLAN, METRIC } from '../core/domain/observability.js';
import type { StepDeps } from '../core/orchestrate/deps.js';
import { countingAtlasCalls } from '../core/orchestrate/atlasCalls.js';
import { ERROR_NAMES } from '../core/domain/errors.js';
import { stepDeps, type StepEnvironmentOptions } from './environment.js';
import { powertools } from './powertools.js';

/**
 * The Lambda side of a workflow step: logging context (the restore id is the correlation id),
 * Atlas error metrics, and errors rethrown with their typed `name` (Lambda reports it as
 * `errorType`, which the state machine's Retry and Catch match). The step itself is core code.
 */
export function stepHandler<P, R>(
  options: Pick<StepEnvironmentOptions, 'plans' | 'lockTable' | 'guardTable' | 'alertsHeard'>,
  uncounted: (payload: P, deps: StepDeps) => Promise<R>,
) {
  const step = countingAtlasCalls(uncounted);
  const { logger, stepMetrics } = powertools();
  let plan = AD_HOC_PLAN;
  const onAtlasEvent = (event: AtlasClientEvent) => {
    // 401s are Digest challenges, not failures: auth failures are counted from the thrown error.
    if (event.type !== 'response' || event.status === undefined) return;
    if (event.status === 429) stepMetrics.add(METRIC.atlasThrottled, 1, plan);
    else if (event.status >= 500) stepMetrics.add(METRIC.atlasServerErrors, 1, plan);
  };
  return async (payload: P, context?: Context): Promise<R> => {
    if (context) logger.addContext(context);
    const restoreId = restoreIdOf(payload);
    if (restoreId) logger.appendKeys({ restoreId });
    plan = planOf(payload) ?? AD_HOC_PLAN;
    try {
      const deps = await stepDeps({ ...options, logger, metrics: stepMetrics, onAtlasEvent });
      return await step(payload, deps);
    } catch (err) {
      const error = err instanceof Error ? err : new Error(String(err));
      if (error.name === ERROR_NAMES.authFailed) stepMetrics.add(METRIC.atlasAuthFailures, 1, plan);
      // The message is for people and never holds a secret (the Atlas client redacts); the stack stays in the log.
      logger.error('Step failed', { errorName: error.name, errorMessage: error.message });
      throw error;
    } finally {
      logger.resetKeys();
    }
  };
}

function restoreIdOf(payload: unknown): string | undefined {
  const p = payload as { restoreId?: unknown; restore?: { restoreId?: unknown } } | undefined;
  const id = p?.restoreId ?? p?.restore?.restoreId;
  return typeof id === 'string' ? id : undefined;
}

function planOf(payload: unknown): string | undefined {
  const p = payload as { input?: { planName?: unknown }; restore?: { planName?: unknown } } | undefined;
  const name = p?.restore?.planName ?? p?.input?.planName;
  return typeof name === 'string' ? name : undefined;
}
