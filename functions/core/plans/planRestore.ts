import * as z from 'zod';
import { ClusterName, EpochSeconds, ObjectId } from '../restore/fields.js';
import { SnapshotChoice } from '../restore/snapshots.js';
import { collectionChoiceFields } from '../restore/collectionRequest.js';

/** What a plan restores and onto what: the `restore` part of a plan (./schema.ts). */

const Target = z.object({ groupId: ObjectId, clusterName: ClusterName }).strict();

/** When the point in time is, relative to what triggered the restore. */
export const PointInTimeRule = z.union([
  z.object({ minutesBeforeTrigger: z.number().int().min(0).max(7 * 24 * 60) }).strict(),
  z.object({ utcSeconds: EpochSeconds }).strict(),
]);
export type PointInTimeRule = z.infer<typeof PointInTimeRule>;

export const PlanRestore = z.discriminatedUnion('type', [
  /** Restore a snapshot onto the target (Atlas wipes the target first). */
  z.object({ type: z.literal('snapshot'), snapshot: SnapshotChoice.default({ by: 'latest' }), target: Target }).strict(),
  /** Produce download links; nothing is overwritten. */
  z.object({ type: z.literal('download'), snapshot: SnapshotChoice.default({ by: 'latest' }) }).strict(),
  /** Continuous-backup point-in-time restore onto the target (cloud and legacy only). */
  z.object({ type: z.literal('pointInTime'), pointInTime: PointInTimeRule, target: Target }).strict(),
  /**
   * Chosen databases and collections of a cloud snapshot (the latest by default) or of a point in
   * time, never both, onto the target (see restore/collectionRequest.ts and ./planMoment.ts).
   */
  z
    .object({ type: z.literal('collections'), snapshot: SnapshotChoice.optional(), pointInTime: PointInTimeRule.optional(), target: Target, ...collectionChoiceFields })
    .strict(),
]);
export type PlanRestore = z.infer<typeof PlanRestore>;
