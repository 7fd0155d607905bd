import { DEFAULT_HISTORY_RETENTION_DAYS } from './record.js';

/**
 * "Since when" for listing the history, as people say it: `90d`, `12h`, or an ISO-8601 date. The
 * CLI and `GET /restores` read it alike. Absent: the default retention, i.e. everything still kept.
 */

export const SINCE_RULE = 'must be a number of days or hours (90d, 12h) or an ISO-8601 date';

/** The start of the window, or undefined when the text is none of the accepted forms. */
export function readSince(since: string | undefined, now: Date): Date | undefined {
  if (since === undefined) return new Date(now.getTime() - DEFAULT_HISTORY_RETENTION_DAYS * 86_400_000);
  const relative = /^(\d{1,4})([dh])$/.exec(since);
  if (relative) return new Date(now.getTime() - Number(relative[1]) * (relative[2] === 'd' ? 86_400_000 : 3_600_000));
  const at = Date.parse(since);
  if (/^\d{4}-\d{2}-\d{2}/.test(since) && !Number.isNaN(at)) return new Date(at);
  return undefined;
}
