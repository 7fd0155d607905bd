import { formatSeconds } from '../../functions/core/notify/message.js';
import type { RestoreRecord } from '../../functions/core/history/record.js';
import type { RestoreHistory } from '../../functions/core/history/store.js';
import { readSince, SINCE_RULE } from '../../functions/core/history/since.js';
import { summarize, summaryLine } from '../../functions/core/history/summary.js';
import { UsageError } from '../commandLine.js';
import type { Output } from './output.js';

/**
 * `npm run restore -- history --plan NAME --since 90d [--format table|csv|json] [--api URL]`: the
 * restore history for people and auditors, with a summary line (drills passed, RTO p50/p90/max,
 * RPO max), of local runs or, with --api, of a deployed stack (../operator/apiHistory.ts).
 */

export const HISTORY_FORMATS = ['table', 'csv', 'json'] as const;
type HistoryFormat = (typeof HISTORY_FORMATS)[number];

/** A mistake in the command line: one line, exit 2 (../commandLine.ts). */
export class HistoryUsageError extends UsageError {
  override name = 'HistoryUsageError';
}

export interface HistoryOptions {
  plan?: string;
  /** `90d`, `12h`, or an ISO-8601 date. */
  since?: string;
  format?: string;
}

/** `90d` / `12h` before now, or an ISO-8601 date; absent: the history's default 400 days. */
export function parseSince(since: string | undefined, now: Date): Date {
  const at = readSince(since, now);
  if (!at) throw new HistoryUsageError(`--since ${SINCE_RULE}, got "${since}"`);
  return at;
}

const COLUMNS: [string, (r: RestoreRecord) => string][] = [
  ['started', (r) => r.startedAt],
  ['plan', (r) => r.plan],
  ['drill', (r) => (r.drill ? 'yes' : 'no')],
  ['outcome', (r) => r.outcome],
  ['trigger', (r) => [r.trigger.type, r.trigger.by].filter(Boolean).join(' ')],
  ['restore id', (r) => r.restoreId],
  ['snapshot / point in time', (r) => r.pointInTime ?? r.snapshotId ?? ''],
  ['RTO restored', (r) => formatSeconds(r.rto.restoreSeconds)],
  ['RTO verified', (r) => (r.rto.verifiedSeconds !== undefined ? formatSeconds(r.rto.verifiedSeconds) : '')],
  ['RPO', (r) => (r.rpo.seconds !== undefined ? formatSeconds(r.rpo.seconds) : '')],
  ['polls', (r) => (r.polls !== undefined ? String(r.polls) : '')],
  ['Atlas calls', (r) => (r.atlasCalls !== undefined ? String(r.atlasCalls) : '')],
  ['steps', (r) => r.steps.map((s) => `${s.name} ${s.passed ? 'passed' : 'failed'}`).join(', ')],
];

const csvCell = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** Where a local record's restore ran (../runner/fileHistory.ts); a deployed stack's records say nothing. */
type Origin = { host: string; simulator: boolean; scale?: number | undefined };

/** "the local simulator at 127.0.0.1:8090 (clock ×600: simulated times)", "Atlas at cloud.mongodb.com". */
export function describeOrigin(origin: Origin | undefined): string {
  if (!origin) return 'an Atlas not recorded (runs recorded before local history kept it)';
  if (!origin.simulator) return `Atlas at ${origin.host}`;
  const clock = origin.scale === undefined ? '' : origin.scale === 0 ? ' (manual clock: simulated times)' : origin.scale === 1 ? ' (clock ×1)' : ` (clock ×${origin.scale}: simulated times)`;
  return `the local simulator at ${origin.host}${clock}`;
}

/**
 * The records grouped by the Atlas they ran against, in order of first appearance: a summary never
 * mixes a simulator's times with real Atlas's (nor two simulators at different speeds).
 */
function byOrigin(records: RestoreRecord[]): { origin: Origin | undefined; records: RestoreRecord[] }[] {
  const groups = new Map<string, { origin: Origin | undefined; records: RestoreRecord[] }>();
  for (const r of records) {
    const origin = (r as { atlas?: Origin }).atlas;
    const key = JSON.stringify(origin ?? null);
    const group = groups.get(key) ?? { origin, records: [] };
    group.records.push(r);
    groups.set(key, group);
  }
  return [...groups.values()];
}

export async function runHistoryCommand(options: HistoryOptions, history: RestoreHistory, out: Output, now: () => Date = () => new Date()): Promise<number> {
  const format = (options.format ?? 'table') as HistoryFormat;
  if (!HISTORY_FORMATS.includes(format)) throw new HistoryUsageError(`--format must be one of ${HISTORY_FORMATS.join(', ')}, got "${options.format}"`);
  const since = parseSince(options.since, now());
  const records = await history.list({ ...(options.plan ? { plan: options.plan } : {}), since });
  const groups = byOrigin(records);
  // One Atlas: one summary, as always. Several: one per Atlas, and no summary over all of them.
  const summary = groups.length > 1 ? null : summarize(records);
  if (format === 'json') {
    const perAtlas = groups.length > 1 ? { summaries: groups.map((g) => ({ atlas: g.origin ?? null, summary: summarize(g.records) })) } : {};
    out.line(JSON.stringify({ plan: options.plan ?? null, since: since.toISOString(), summary, ...perAtlas, records }, null, 2));
    return 0;
  }
  if (format === 'csv') {
    out.line(COLUMNS.map(([h]) => h).join(','));
    for (const r of records) out.line(COLUMNS.map(([, f]) => csvCell(f(r))).join(','));
    return 0;
  }
  const rows = [COLUMNS.map(([h]) => h), ...records.map((r) => COLUMNS.map(([, f]) => f(r)))];
  const widths = COLUMNS.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  for (const row of rows) out.line(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  out.line('');
  const which = `${options.plan ? `Plan ${options.plan}` : 'All plans'} since ${since.toISOString()}`;
  if (summary) {
    const origin = groups[0]?.origin;
    out.line(`${which}${origin ? ` on ${describeOrigin(origin)}` : ''}: ${summaryLine(summary)}`);
  } else for (const g of groups) out.line(`${which} on ${describeOrigin(g.origin)}: ${summaryLine(summarize(g.records))}`);
  return 0;
}
