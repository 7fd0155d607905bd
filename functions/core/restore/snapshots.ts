import * as z from 'zod';

/** A snapshot of any kind, normalised. Kinds map Atlas's fields onto this. */
export const Snapshot = z.object({
  id: z.string(),
  /** ISO-8601. Cloud: `createdAt`; flex/tenant: `finishTime` or `startTime`; legacy: `created.date`. */
  createdAt: z.string(),
  status: z.enum(['queued', 'inProgress', 'completed', 'failed']),
  /** Cloud only; undefined elsewhere. */
  snapshotType: z.enum(['scheduled', 'onDemand', 'fallback']).optional(),
  mongodVersion: z.string().optional(),
  /** Cloud: the snapshot's size on disk (bytes), for the preflight's disk rule. */
  storageSizeBytes: z.number().nonnegative().optional(),
  sharded: z.boolean().optional(),
  expiresAt: z.string().optional(),
});
export type Snapshot = z.infer<typeof Snapshot>;

/** How a plan or a request picks its snapshot. */
export const SnapshotChoice = z.discriminatedUnion('by', [
  z.object({ by: z.literal('id'), id: z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id') }).strict(),
  z
    .object({
      by: z.literal('latest'),
      /** Only snapshots of this type. */
      snapshotType: z.enum(['scheduled', 'onDemand']).optional(),
      /** Refuse a snapshot older than this (minutes, relative to the trigger time). */
      maxAgeMinutes: z.number().int().positive().optional(),
      /** Latest completed strictly before this moment (ISO-8601), e.g. "before the alarm". */
      before: z.iso.datetime({ offset: true }).optional(),
    })
    .strict(),
]);
export type SnapshotChoice = z.infer<typeof SnapshotChoice>;
