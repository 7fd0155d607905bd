import { describe, expect, it } from 'vitest';
import { longestGapMinutes } from '../../lib/schedule-interval.js';

const HOUR = 60;
const DAY = 24 * HOUR;

describe('longestGapMinutes (AWS cron)', () => {
  it.each([
    ['cron(0 3 * * ? *)', DAY],
    ['cron(0 */6 * * ? *)', 6 * HOUR],
    ['cron(15,45 * * * ? *)', 30],
    ['cron(0 8-18/2 * * ? *)', 14 * HOUR],
    // Friday 03:00 to Monday 03:00.
    ['cron(0 3 ? * MON-FRI *)', 3 * DAY],
    ['cron(0 3 ? * 2-6 *)', 3 * DAY],
    ['cron(30 4 ? * SUN *)', 7 * DAY],
    // The 1st of the month: the longest gap is a 31-day month.
    ['cron(0 3 1 * ? *)', 31 * DAY],
    // Once a year, every 1 January: 365 or 366 days.
    ['cron(0 0 1 JAN ? *)', 366 * DAY],
  ])('%s → %i minutes', (cron, minutes) => {
    expect(longestGapMinutes(cron)).toBe(minutes);
  });

  it.each(['cron(0 3 L * ? *)', 'cron(0 3 ? * 6#3 *)', 'cron(0 3 15W * ? *)', 'cron(0 3 * * ? 2027)', 'rate(1 day)', 'cron(0 3 * *)', 'cron(0 25 * * ? *)'])(
    'gives up on %s rather than guessing',
    (cron) => {
      expect(longestGapMinutes(cron)).toBeUndefined();
    },
  );
});
