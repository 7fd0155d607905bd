/**
 * Versioned media types. Each operation declares the dates it supports; a request asking for
 * `application/vnd.atlas.<date>+json` gets the newest supported version at or before that date.
 * No versioned type at all gets the operation's oldest version; a date before the oldest (or not a
 * date) gets 406. Successful answers echo the resolved version; errors are plain JSON.
 */

export const V2023 = '2023-01-01';
export const V2023_02 = '2023-02-01';
export const V2024_08 = '2024-08-05';
export const V2024_11 = '2024-11-13';
export const V2025_03 = '2025-03-12';

const VERSIONED = /^application\/vnd\.atlas\.([^+]+)\+json$/i;

function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** The resolved version, or undefined for "406 Not Acceptable". `supported` is in ascending order. */
export function negotiateVersion(accept: string | undefined, supported: readonly string[]): string | undefined {
  const ranges = (accept ?? '')
    .split(',')
    .map((r) => r.split(';')[0]?.trim() ?? '')
    .filter(Boolean);
  const asked = ranges.map((r) => VERSIONED.exec(r)?.[1]).filter((d): d is string => d !== undefined);
  if (asked.length === 0) return supported[0];
  let best: string | undefined;
  for (const date of asked) {
    if (!isCalendarDate(date)) continue;
    const resolved = supported.filter((v) => v <= date).at(-1);
    if (resolved && (!best || resolved > best)) best = resolved;
  }
  return best;
}

export const mediaType = (version: string): string => `application/vnd.atlas.${version}+json;charset=utf-8`;
export const JSON_TYPE = 'application/json;charset=utf-8';
