import type { RestoreReport } from '../notify/message.js';
import { AD_HOC_PLAN } from '../observability.js';
import type { StepLogger } from '../orchestrate/deps.js';
import type { PlansConfig } from '../plans/schema.js';
import type { NotifyInput } from '../workflow/contract.js';
import { buildRestoreRecord, DEFAULT_HISTORY_RETENTION_DAYS, type RestoreRecord } from './record.js';
import type { RestoreHistory } from './store.js';

/**
 * Notify's part of the history: the record of a restore that ended (never of an interim report).
 * A write that fails throws, so notify is retried and the evidence is not lost; the retry sends no
 * report again (the delivery records) and writes the record only if it is still missing.
 */
export async function keepHistory(
  input: NotifyInput,
  report: RestoreReport,
  deps: { history: RestoreHistory; plans: PlansConfig; logger: StepLogger; retentionDays?: number },
): Promise<RestoreRecord | undefined> {
  if (report.phase === 'interim') return undefined;
  const planName = report.planName ?? AD_HOC_PLAN;
  const plan = deps.plans.plans.find((p) => p.name === report.planName);
  const record = buildRestoreRecord(input, report, {
    planName,
    drill: plan?.drill !== undefined,
    retentionDays: deps.retentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS,
  });
  const written = await deps.history.record(record);
  deps.logger.info(written ? 'Restore history recorded' : 'Restore history already had this restore', { restoreId: record.restoreId, outcome: record.outcome });
  return record;
}
