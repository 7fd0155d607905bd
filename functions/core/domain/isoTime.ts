/**
 * An ISO 8601 date and time as people and programs write it (`2026-12-01T03:00:00Z`,
 * `2026-12-01T04:00+01:00`, a bare date `2026-12-01` for midnight UTC), read strictly: a day that
 * does not exist (February 30, 25:00) or anything after the time (`2026-01-01junk`) is refused,
 * where `Date.parse` would roll it over into another day or read whatever it can.
 */

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2}))?$/;

/** Epoch milliseconds of an ISO 8601 time, or undefined when it names no real moment. */
export function readIsoTime(text: string): number | undefined {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', sec = '00', zone = 'Z'] = m;
  const ms = Date.parse(m[4] === undefined ? `${text}T00:00:00Z` : text);
  if (!Number.isFinite(ms)) return undefined;
  // The fields must survive the round trip at their own offset: Date.parse rolls Feb 30 into March.
  const offset = zone === 'Z' ? 0 : (zone.startsWith('-') ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  const local = new Date(ms + offset * 60_000);
  const same =
    local.getUTCFullYear() === Number(y) &&
    local.getUTCMonth() + 1 === Number(mo) &&
    local.getUTCDate() === Number(d) &&
    local.getUTCHours() === Number(h) &&
    local.getUTCMinutes() === Number(mi) &&
    local.getUTCSeconds() === Number(sec);
  return same ? ms : undefined;
}
