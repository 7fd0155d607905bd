import * as z from 'zod';

/**
 * A drill plan restores on its schedule into a scratch target and runs its verification steps, to
 * prove the backups restore; its records count towards the auditor summary (../history/summary.ts). The stack
 * alarms when a drill fails and when none passed within `passWithinDays`; 7 at most, the longest a
 * CloudWatch alarm can look back.
 */
export const DrillSettings = z
  .object({
    passWithinDays: z.number().int().min(1).max(7).default(7),
  })
  .strict();
export type DrillSettings = z.infer<typeof DrillSettings>;
