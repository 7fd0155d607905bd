import { readIsoTime } from '../domain/isoTime.js';
import { DEFAULT_HISTORY_RETENTION_DAYS } from './record.js';

/**
 * "Since when" for listing the history, as people say it: `90d`, `12h`, or an ISO-8601 date. The
 * CLI and `GET /restores` read it alike. Absent: the default retention, i.e. everything still kept.
 */

export const SINCE_RULE = 'must be a number of days or hours (90d, 12h) or an ISO-8601 date that exists (2026-12-01 or 2026-12-01T03:00:00Z)';

/** The start of the window, or undefined when the text is none of the accepted forms. */
export function readSince(since: string | undefined, now: Date): Date | undefined {
  if (since === undefined) return new Date(now.getTime() - DEFAULT_HISTORY_RETENTION_DAYS * 86_400_000);
  const relative = /^(\d{1,4})([dh])$/.exec(since);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000));
  // Strictly: 2026-02-30 is no date (Date.parse reads it as March 2) and 2026-01-01junk is not one either.
  const at = readIsoTime(since);
  return at === undefined ? undefined : new Date(at);
}
