import type { StepMetrics } from '../orchestrate/deps.js';
import type { RestoreRecord } from './record.js';

/**
 * The evidence as metrics (namespace and dimensions as every other: ../domain/observability.ts), for the
 * dashboard's RTO and RPO per plan and the drill alarms (lib/drill-alarms.ts). Names shared with lib/.
 */
export const EVIDENCE_METRIC = {
  /** Trigger to restore finished. */
  rto: 'RtoSeconds',
  /** Trigger to the last post-restore step passed. */
  rtoVerified: 'RtoVerifiedSeconds',
  /** Trigger minus the snapshot's or point in time's time. */
  rpo: 'RpoSeconds',
  /** Trigger minus the newest marker a step found in the restored data. */
  rpoData: 'RpoDataSeconds',
  drillsPassed: 'DrillsPassed',
  drillsFailed: 'DrillsFailed',
} as const;

/** A drill passed when the restore and all its steps succeeded. */
export const drillPassed = (r: RestoreRecord): boolean => r.outcome === 'SUCCEEDED';

export function countEvidence(r: RestoreRecord, metrics: StepMetrics): void {
  // RTO and RPO of a restore that did not restore anything would be meaningless numbers.
  if (r.outcome === 'SUCCEEDED' || r.outcome === 'VERIFICATION_FAILED') {
    metrics.add(EVIDENCE_METRIC.rto, r.rto.restoreSeconds, r.plan);
    if (r.rto.verifiedSeconds !== undefined) metrics.add(EVIDENCE_METRIC.rtoVerified, r.rto.verifiedSeconds, r.plan);
    if (r.rpo.seconds !== undefined) metrics.add(EVIDENCE_METRIC.rpo, r.rpo.seconds, r.plan);
    if (r.rpo.dataSeconds !== undefined) metrics.add(EVIDENCE_METRIC.rpoData, r.rpo.dataSeconds, r.plan);
  }
  if (r.drill) metrics.add(drillPassed(r) ? EVIDENCE_METRIC.drillsPassed : EVIDENCE_METRIC.drillsFailed, 1, r.plan);
}
