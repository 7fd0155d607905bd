import * as z from 'zod';
import { RestoreRecord } from './record.js';

/**
 * What `GET /restores` answers (../api/history.ts) and `history --api` reads back: the schema the
 * OpenAPI document shows (../api/openapi.ts), so the document follows the record's fields.
 */

const Spread = z.object({ p50: z.number(), p90: z.number(), max: z.number() });

export const HistorySummary = z.object({
  restores: z.number().int(),
  drills: z.number().int(),
  drillsPassed: z.number().int(),
  /** Seconds from trigger to restored, over the restores that restored data. */
  rto: Spread.optional(),
  /** The same, to verified (the post-restore steps passed), where there were steps. */
  rtoVerified: Spread.optional(),
  rpoMax: z.number().optional(),
  rpoDataMax: z.number().optional(),
});
export type HistorySummary = z.infer<typeof HistorySummary>;

export const HistoryAnswer = z.object({
  plan: z.string(),
  since: z.string(),
  summary: HistorySummary,
  summaryLine: z.string(),
  /** Oldest first; at most `limit`, the newest. */
  records: z.array(RestoreRecord),
  /** Present when `limit` left records out: the summary still covers them all. */
  truncated: z.object({ total: z.number().int(), shown: z.number().int() }).optional(),
});
export type HistoryAnswer = z.infer<typeof HistoryAnswer>;
