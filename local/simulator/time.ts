/**
 * Times in a world file are ISO-8601 or relative to the moment the simulator starts ("-6h",
 * "+30m", "now"), so a committed world never goes stale: its snapshots are always "6 hours old".
 */

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };
const RELATIVE = /^([+-])(\d+(?:\.\d+)?)(s|m|h|d|w)$/;

/** True for the forms `resolveTime` understands. */
export function isTimeExpression(value: string): boolean {
  return value === 'now' || RELATIVE.test(value) || !Number.isNaN(Date.parse(value));
}

/** Epoch milliseconds for an ISO or relative time, relative to `now`. */
export function resolveTime(value: string, now: number): number {
  if (value === 'now') return now;
  const rel = RELATIVE.exec(value);
  if (rel) {
    const [, sign, amount, unit] = rel;
    const ms = Number(amount) * (UNIT_MS[unit as string] as number);
    return Math.round(sign === '-' ? now - ms : now + ms);
  }
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) throw new Error(`not a time: ${value}`);
  return parsed;
}

/** Atlas writes times as ISO-8601 UTC with seconds precision ("2026-11-22T10:00:00Z"). */
export function iso(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const HOUR = 3_600_000;
