import { HistoryUnavailableError } from '../domain/errors.js';
import type { RestoreReport } from '../notify/message.js';
import { AD_HOC_PLAN, METRIC } from '../domain/observability.js';
import type { StepLogger, StepMetrics } from '../orchestrate/deps.js';
import type { PlansConfig } from '../plans/schema.js';
import type { NotifyInput } from '../workflow/contract.js';
import { buildRestoreRecord, DEFAULT_HISTORY_RETENTION_DAYS, type RestoreRecord } from './record.js';
import type { RestoreHistory } from './store.js';

/**
 * Notify's part of the history: the record of a restore that ended (never of an interim report).
 * A write that fails throws HistoryUnavailable, so notify is retried and the evidence is not lost;
 * the retry sends no report again (the delivery records) and writes the record only if it is still
 * missing. On notify's last try (`lastTry`: the state machine caught HistoryUnavailable after its
 * retries) a failed write no longer throws: the restore's own outcome stands, and the miss is loud
 * instead (the HistoryRecordMissing metric and alarm) with the whole record in the log, once, for
 * an operator to backfill. A record holds no secret (the report's reason is already redacted).
 */
export async function keepHistory(
  input: NotifyInput,
  report: RestoreReport,
  deps: { history: RestoreHistory; plans: PlansConfig; logger: StepLogger; metrics: StepMetrics; retentionDays?: number; lastTry?: boolean },
): Promise<RestoreRecord | undefined> {
  if (report.phase === 'interim') return undefined;
  const planName = report.planName ?? AD_HOC_PLAN;
  const plan = deps.plans.plans.find((p) => p.name === report.planName);
  const record = buildRestoreRecord(input, report, {
    planName,
    drill: plan?.drill !== undefined,
    retentionDays: deps.retentionDays ?? DEFAULT_HISTORY_RETENTION_DAYS,
  });
  let written: boolean;
  try {
    written = await deps.history.record(record);
  } catch (err) {
    const why = `${(err as Error)?.name ?? 'Error'}: ${String((err as Error)?.message ?? err).slice(0, 300)}`;
    if (!deps.lastTry) throw new HistoryUnavailableError(`The restore history could not be written for restore ${record.restoreId} (${why}); notify will try again`);
    deps.metrics.add(METRIC.historyRecordMissing, 1, planName);
    deps.logger.warn('HistoryRecordMissing: the restore history could not be written; backfill this record', { restoreId: record.restoreId, error: why, record });
    return record;
  }
  deps.logger.info(written ? 'Restore history recorded' : 'Restore history already had this restore', { restoreId: record.restoreId, outcome: record.outcome });
  return record;
}
