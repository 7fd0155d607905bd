/**
 * The longest gap between two runs of an AWS cron expression (`cron(min hour dom month dow year)`),
 * which sizes the "last scheduled run did not succeed" alarm. Runs are listed, in UTC, over two
 * years from a fixed date: the answer is the same on every synth. A time zone moves runs by at most
 * an hour around a daylight-saving change; the alarm adds a margin for that.
 *
 * Returns undefined for what this does not evaluate (L, W, #, a restricted year): the caller then
 * makes no such alarm and says so, rather than guessing.
 */

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
/** AWS numbers days of the week 1-7 from Sunday. */
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

// Two years that include a leap day (2028), so a yearly or Feb-29-adjacent gap is counted at its longest.
const FROM = Date.UTC(2027, 0, 1);
const SPAN_DAYS = 2 * 366 + 1;
const MINUTE_MS = 60_000;

export function longestGapMinutes(cron: string): number | undefined {
  const fields = /^cron\((.*)\)$/.exec(cron.trim())?.[1]?.trim().split(/\s+/);
  if (fields?.length !== 6) return undefined;
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  if (year !== '*') return undefined;
  const minutes = values(min, 0, 59);
  const hours = values(hour, 0, 23);
  const months = values(month, 1, 12, MONTHS);
  const daysOfMonth = dom === '?' ? undefined : values(dom, 1, 31);
  const daysOfWeek = dow === '?' ? undefined : values(dow, 1, 7, DAYS);
  if (!minutes || !hours || !months || (dom !== '?' && !daysOfMonth) || (dow !== '?' && !daysOfWeek)) return undefined;

  const runs: number[] = [];
  for (let d = 0; d < SPAN_DAYS; d++) {
    const day = new Date(FROM + d * 24 * 60 * MINUTE_MS);
    if (!months.has(day.getUTCMonth() + 1)) continue;
    if (daysOfMonth && !daysOfMonth.has(day.getUTCDate())) continue;
    if (daysOfWeek && !daysOfWeek.has(day.getUTCDay() + 1)) continue;
    for (const h of [...hours].sort((a, b) => a - b)) {
      for (const m of [...minutes].sort((a, b) => a - b)) runs.push(day.getTime() + (h * 60 + m) * MINUTE_MS);
    }
  }
  if (runs.length < 2) return undefined;
  let longest = 0;
  for (let i = 1; i < runs.length; i++) longest = Math.max(longest, runs[i]! - runs[i - 1]!);
  return longest / MINUTE_MS;
}

/** `*`, `5`, `1-5`, `*\/15`, `10-50/10`, `MON-FRI`, lists of these; undefined for anything else. */
function values(field: string, low: number, high: number, names?: string[]): Set<number> | undefined {
  const out = new Set<number>();
  for (const part of field.split(',')) {
    const match = /^(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:\/(\d+))?$/.exec(part);
    if (!match) return undefined;
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    let from: number | undefined;
    let to: number | undefined;
    if (range === '*') {
      from = low;
      to = high;
    } else {
      const [a, b] = range!.split('-');
      from = number(a!, names);
      to = b === undefined ? (stepText === undefined ? from : high) : number(b, names);
    }
    if (from === undefined || to === undefined || step < 1 || from < low || to > high || from > to) return undefined;
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out.size ? out : undefined;
}

function number(text: string, names?: string[]): number | undefined {
  if (/^\d+$/.test(text)) return Number(text);
  const index = names?.indexOf(text.toUpperCase()) ?? -1;
  return index >= 0 ? index + 1 : undefined;
}
