import * as z from 'zod';
import { RESTORE_KIND_NAMES } from './request.js';

/**
 * One status model for the five shapes of Atlas restore job. Every kind module maps its job(s)
 * onto `RestoreStatus`; nothing above the core looks at Atlas's own fields.
 */
const RESTORE_STATES = ['PENDING', 'RUNNING', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const;
export const RestoreState = z.enum(RESTORE_STATES);
export type RestoreState = z.infer<typeof RestoreState>;

/** States after which Atlas will not change the job any more. */
export const TERMINAL_STATES: readonly RestoreState[] = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];
export const isTerminal = (s: RestoreState): boolean => TERMINAL_STATES.includes(s);

/** How to find the job(s) again: what the workflow carries between steps. */
export const RestoreJobRef = z.object({
  kind: z.enum(RESTORE_KIND_NAMES),
  groupId: z.string(),
  clusterName: z.string(),
  /** The job id; for a sharded legacy restore, the first job of the batch. */
  jobId: z.string(),
  /** Legacy sharded restores: every job of the batch must finish. */
  batchId: z.string().optional(),
  jobIds: z.array(z.string()).optional(),
});
export type RestoreJobRef = z.infer<typeof RestoreJobRef>;

export const RestoreStatus = z.object({
  kind: z.enum(RESTORE_KIND_NAMES),
  state: RestoreState,
  /** Every Atlas job id behind this restore (several for a sharded legacy restore). */
  jobIds: z.array(z.string()).min(1),
  batchId: z.string().optional(),
  snapshotId: z.string().optional(),
  /** ISO-8601 times as Atlas reported them, where it did. */
  createdAt: z.string().optional(),
  finishedAt: z.string().optional(),
  /** Downloads: where to fetch the data, and until when. */
  delivery: z
    .object({
      urls: z.array(z.string()),
      expiresAt: z.string().optional(),
    })
    .optional(),
  /** Atlas's own words for the state, for people (e.g. "RUNNING", "IN_PROGRESS ×2, FINISHED ×1"). */
  atlasStatus: z.string(),
  /** Why a job failed or was cancelled, when Atlas said. */
  detail: z.string().optional(),
  /** Collection-level restores: documents restored so far and each collection's state. */
  progress: z
    .object({
      restoredDocuments: z.number().int().nonnegative(),
      totalDocuments: z.number().int().nonnegative(),
      namespaces: z.array(
        z.object({ source: z.string(), target: z.string(), state: z.string(), restoredDocuments: z.number().optional(), totalDocuments: z.number().optional() }),
      ),
    })
    .optional(),
});
export type RestoreStatus = z.infer<typeof RestoreStatus>;
