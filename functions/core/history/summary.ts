import { formatSeconds } from '../notify/message.js';
import { drillPassed } from './metrics.js';
import type { HistorySummary } from './answer.js';
import type { RestoreRecord } from './record.js';

/**
 * What an auditor asks of the history, in one line: how many drills passed, how long restores
 * took (RTO: p50, p90, max) and the most data one would have lost (RPO max). Only restores that
 * restored data count towards RTO and RPO; percentiles by nearest rank (no interpolation: every
 * figure is one a restore really had).
 */
export type { HistorySummary } from './answer.js';

function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

const spread = (values: number[]) => {
  if (!values.length) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p90: percentile(sorted, 90), max: sorted.at(-1)! };
};

const restoredData = (r: RestoreRecord) => r.outcome === 'SUCCEEDED' || r.outcome === 'VERIFICATION_FAILED';

export function summarize(records: readonly RestoreRecord[]): HistorySummary {
  const drills = records.filter((r) => r.drill);
  const restored = records.filter(restoredData);
  const rpo = restored.map((r) => r.rpo.seconds).filter((s): s is number => s !== undefined);
  const rpoData = restored.map((r) => r.rpo.dataSeconds).filter((s): s is number => s !== undefined);
  const rto = spread(restored.map((r) => r.rto.restoreSeconds));
  const rtoVerified = spread(restored.map((r) => r.rto.verifiedSeconds).filter((s): s is number => s !== undefined));
  return {
    restores: records.length,
    drills: drills.length,
    drillsPassed: drills.filter(drillPassed).length,
    ...(rto ? { rto } : {}),
    ...(rtoVerified ? { rtoVerified } : {}),
    ...(rpo.length ? { rpoMax: Math.max(...rpo) } : {}),
    ...(rpoData.length ? { rpoDataMax: Math.max(...rpoData) } : {}),
  };
}

/** e.g. "3 restores; drills passed 2 of 2; RTO p50 10 min 0 s, p90 12 min 0 s, max 12 min 0 s; RPO max 2 h 5 min". */
export function summaryLine(s: HistorySummary): string {
  const f = formatSeconds;
  return [
    `${s.restores} restore${s.restores === 1 ? '' : 's'}`,
    `drills passed ${s.drillsPassed} of ${s.drills}`,
    s.rto ? `RTO (trigger to restored) p50 ${f(s.rto.p50)}, p90 ${f(s.rto.p90)}, max ${f(s.rto.max)}` : 'RTO: no restore restored data',
    s.rtoVerified && `RTO to verified (restores with steps) p50 ${f(s.rtoVerified.p50)}, max ${f(s.rtoVerified.max)}`,
    s.rpoMax !== undefined ? `RPO max ${f(s.rpoMax)}` : undefined,
    s.rpoDataMax !== undefined && `RPO measured in the data max ${f(s.rpoDataMax)}`,
  ]
    .filter(Boolean)
    .join('; ');
}
