import * as z from 'zod';
import { MAX_HOLD_HOURS } from '../plans/runRules.js';

/**
 * How long a person holds a target, as people write it: `90m`, `4h`, `2d` (or minutes as a number
 * through the API's `forMinutes`). Always bounded: a forgotten hold must end on its own.
 */

const MAX_HOLD_MINUTES = MAX_HOLD_HOURS * 60;
const UNIT_MINUTES: Record<string, number> = { m: 1, h: 60, d: 24 * 60 };

export const HoldMinutes = z
  .number()
  .int('must be a whole number of minutes')
  .min(1, 'must be at least 1 minute')
  .max(MAX_HOLD_MINUTES, `must be at most ${MAX_HOLD_MINUTES} minutes (30 days)`);

/** `4h` → 240; undefined when it is not a duration of this form. */
export function parseHoldDuration(text: string): number | undefined {
  const m = /^\s*(\d{1,6})\s*([mhd])\s*$/i.exec(text);
  return m ? Number(m[1]) * UNIT_MINUTES[m[2]!.toLowerCase()]! : undefined;
}

export const HoldDuration = z
  .string()
  .transform((text, ctx) => {
    const minutes = parseHoldDuration(text);
    if (minutes === undefined) {
      ctx.addIssue({ code: 'custom', message: 'must be a duration such as 90m, 4h or 2d' });
      return z.NEVER;
    }
    return minutes;
  })
  .pipe(HoldMinutes);
