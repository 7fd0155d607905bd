import * as z from 'zod';

/**
 * Plan settings that govern a plan's runs over time rather than one restore: how long its target
 * stays held after a success, and the shortest interval between two of its runs.
 */

/** The longest a hold or a cooldown may be given in hours or minutes: 30 days. */
export const MAX_HOLD_HOURS = 30 * 24;

/**
 * After a successful restore, keep the target held (no restore onto it, from any plan or person)
 * for N hours, or until someone releases it. Meant for recovery plans: the next alarm must not
 * wipe the cluster people are examining.
 */
export const HoldAfterSuccess = z.union([
  z.object({ hours: z.number().int().min(1).max(MAX_HOLD_HOURS) }).strict(),
  z.object({ untilReleased: z.literal(true) }).strict(),
]);
export type HoldAfterSuccess = z.infer<typeof HoldAfterSuccess>;

/** The shortest interval between two starts of the plan, whatever triggers them. */
export const CooldownMinutes = z.number().int().min(1).max(MAX_HOLD_HOURS * 60);
