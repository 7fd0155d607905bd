import * as z from 'zod';
import { ClusterName, ObjectId } from '../restore/fields.js';

/** What an HTTP caller may change on a plan (only the fields the plan's allowOverrides lists). */
export const PlanOverrides = z
  .object({
    snapshotId: z.string().regex(/^[a-f0-9]{24}$/, 'must be a 24-character lowercase hex id').optional(),
    pointInTimeUTCSeconds: z.number().int().min(1_199_145_600).optional(),
    target: z.object({ groupId: ObjectId, clusterName: ClusterName }).strict().optional(),
  })
  .strict();
export type PlanOverrides = z.infer<typeof PlanOverrides>;
