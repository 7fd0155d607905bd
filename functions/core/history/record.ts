import * as z from 'zod';
import type { RestoreReport } from '../notify/message.js';
import type { NotifyInput } from '../workflow/contract.js';

/**
 * The restore history: one record per restore, drill or not, written by notify when the restore
 * ends (never for an interim report), exactly once (./store.ts), kept `retentionDays` (default 400)
 * as the evidence auditors ask for: what was restored from when onto what, who asked, how long it
 * took (RTO) and how much data it would have lost (RPO).
 *
 * RTO is measured from the trigger (the schedule's, alarm's or request's time; the restore's start
 * when the trigger has none) to the restore's end, and to the end of the last post-restore step
 * when the steps passed. RPO is the trigger time minus the snapshot's (or point in time's) time,
 * and, when a step reported `newestMarkerAt` (the newest marker document it found in the restored
 * data), the trigger time minus that: the loss measured in the data itself.
 */

export const DEFAULT_HISTORY_RETENTION_DAYS = 400;

export const RestoreRecord = z.object({
  restoreId: z.string(),
  /** "ad-hoc" for a restore without a plan. */
  plan: z.string(),
  drill: z.boolean(),
  outcome: z.string(),
  reason: z.string().optional(),
  trigger: z.object({ type: z.string(), at: z.string(), by: z.string().optional(), alarmName: z.string().optional() }),
  kind: z.string().optional(),
  source: z.string().optional(),
  target: z.string().optional(),
  snapshotId: z.string().optional(),
  snapshotTakenAt: z.string().optional(),
  pointInTime: z.string().optional(),
  jobIds: z.array(z.string()),
  startedAt: z.string(),
  restoreEndedAt: z.string(),
  verifiedAt: z.string().optional(),
  polls: z.number().int().optional(),
  /** HTTP requests sent to Atlas for the restore, Digest challenges, retries and token requests included. */
  atlasCalls: z.number().int().optional(),
  steps: z.array(z.object({ name: z.string(), passed: z.boolean(), seconds: z.number().optional(), failure: z.string().optional() })),
  rto: z.object({ restoreSeconds: z.number(), verifiedSeconds: z.number().optional() }),
  rpo: z.object({ seconds: z.number().optional(), dataSeconds: z.number().optional() }),
  /** Push on: no Atlas alert came for this restore's end, the backstop saw it (functions/core/push/missed.ts). */
  alertMissed: z.boolean().optional(),
  /** The plan held the target after this restore: until when ("released": until someone releases it). */
  heldUntil: z.string().optional(),
  /** Epoch seconds: the table's TTL. */
  expiresAt: z.number().int(),
});
export type RestoreRecord = z.infer<typeof RestoreRecord>;

const seconds = (from: string, to: string): number => Math.max(0, Math.round((Date.parse(to) - Date.parse(from)) / 1000));

/** The newest marker timestamp any step reported (`newestMarkerAt`, ISO-8601), if one did. */
function newestMarker(report: RestoreReport): string | undefined {
  const marks = (report.steps ?? [])
    .map((s) => (s.output && typeof s.output === 'object' ? (s.output as { newestMarkerAt?: unknown }).newestMarkerAt : undefined))
    .filter((m): m is string => typeof m === 'string' && !Number.isNaN(Date.parse(m)));
  return marks.sort().at(-1);
}

export function buildRestoreRecord(input: NotifyInput, report: RestoreReport, options: { drill: boolean; retentionDays: number; planName: string }): RestoreRecord {
  const trigger = input.restore?.trigger ?? input.trigger;
  const startedAt = report.startedAt ?? report.endedAt;
  const triggerAt = trigger?.time ?? startedAt;
  const steps = report.steps ?? [];
  const allPassed = steps.length > 0 && steps.every((s) => s.passed);
  const verifiedAt = allPassed ? steps.at(-1)?.endedAt : undefined;
  const snapshotTakenAt = input.restore?.snapshotTakenAt;
  const recoveryPoint = report.pointInTime ?? snapshotTakenAt;
  const marker = newestMarker(report);
  return {
    restoreId: report.restoreId ?? report.reportId,
    plan: options.planName,
    drill: options.drill,
    outcome: report.outcome,
    ...(report.reason ? { reason: report.reason } : {}),
    trigger: {
      type: trigger?.type ?? 'unknown',
      at: triggerAt,
      ...(trigger?.requestedBy ? { by: trigger.requestedBy } : {}),
      ...(trigger?.alarmName ? { alarmName: trigger.alarmName } : {}),
    },
    ...(report.kind ? { kind: report.kind } : {}),
    ...(report.source ? { source: report.source } : {}),
    ...(report.target ? { target: report.target } : {}),
    ...(report.snapshotId ? { snapshotId: report.snapshotId } : {}),
    ...(snapshotTakenAt ? { snapshotTakenAt } : {}),
    ...(report.pointInTime ? { pointInTime: report.pointInTime } : {}),
    jobIds: report.jobIds,
    startedAt,
    restoreEndedAt: report.endedAt,
    ...(verifiedAt ? { verifiedAt } : {}),
    ...(report.polls !== undefined ? { polls: report.polls } : {}),
    ...(report.atlasCalls !== undefined ? { atlasCalls: report.atlasCalls } : {}),
    steps: steps.map((s) => ({ name: s.name, passed: s.passed, ...(s.seconds !== undefined ? { seconds: s.seconds } : {}), ...(s.failure ? { failure: s.failure } : {}) })),
    rto: { restoreSeconds: seconds(triggerAt, report.endedAt), ...(verifiedAt ? { verifiedSeconds: seconds(triggerAt, verifiedAt) } : {}) },
    rpo: {
      ...(recoveryPoint ? { seconds: seconds(recoveryPoint, triggerAt) } : {}),
      ...(marker ? { dataSeconds: seconds(marker, triggerAt) } : {}),
    },
    ...(report.alertMissedFrom ? { alertMissed: true } : {}),
    ...(report.heldAfter ? { heldUntil: report.heldAfter.until } : {}),
    expiresAt: Math.ceil(Date.parse(report.endedAt) / 1000) + options.retentionDays * 86_400,
  };
}
