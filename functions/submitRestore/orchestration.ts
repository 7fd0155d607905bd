import type { RestoreActions } from '../core/api/deps.js';
import { createRestoreStep } from '../core/orchestrate/create.js';
import { stepDeps } from '../runtime/environment.js';
import { dynamoGuardTable } from '../runtime/guardTable.js';
import { dynamoLockTable } from '../runtime/lockTable.js';
import { loadPlansConfig } from '../runtime/plans.js';
import { powertools } from '../runtime/powertools.js';

/**
 * The seam between the API and the workflow steps: a dry run resolves and checks exactly as the
 * create step would (it IS the create step, told to create nothing), and a cancel calls the same
 * restore kind as the deadline's cancel step. Loaded lazily by ./index.ts: only these two need Atlas.
 */
export async function restoreActions(): Promise<RestoreActions> {
  const { logger, stepMetrics } = powertools();
  const deps = () => stepDeps({ plans: loadPlansConfig, lockTable: dynamoLockTable, guardTable: dynamoGuardTable, logger, metrics: stepMetrics });
  return {
    async dryRun(input, restoreId) {
      const result = await createRestoreStep({ input, restoreId }, await deps());
      // createRestoreStep answers a dry run with its DryRunResult; anything else would be a bug.
      if (!('dryRun' in result)) throw new Error('The create step did not answer a dry run as one');
      const { dryRun: _flag, restoreId: _id, ...rest } = result;
      return rest;
    },
    async cancel(state) {
      // Unlike the deadline's cancel step, a person asked: Atlas's refusal (405, 404) goes back as is.
      const d = await deps();
      await d.kinds[state.restore.job.kind].cancel(await d.atlas(), state.restore.job);
    },
    async createSentAt(restoreId) {
      return (await deps()).locks.createSentAt(restoreId);
    },
  };
}
