import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RestoreRecord } from '../../../functions/core/history/record.js';
import { historyRecord } from '../../support/historyRecords.js';
import { summarize, summaryLine } from '../../../functions/core/history/summary.js';
import { HistoryUsageError, parseSince, runHistoryCommand } from '../../../local/commands/history.js';
import { FileRestoreHistory } from '../../../local/runner/fileHistory.js';

/** The auditor's view: `history` over a history file, its filters, formats and summary. */

const NOW = new Date('2026-12-01T12:00:00Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

const rec = historyRecord;

function capture() {
  const lines: string[] = [];
  return { lines, out: { line: (l: string) => void lines.push(l), error: (l: string) => void lines.push(`ERR ${l}`), heading: () => undefined, box: () => undefined, color: false } as never };
}

async function historyWith(records: RestoreRecord[]): Promise<FileRestoreHistory> {
  const history = new FileRestoreHistory(join(mkdtempSync(join(tmpdir(), 'history-')), 'history.json'));
  for (const r of records) await history.record(r);
  return history;
}

const RECORDS = [
  rec('d-1', 'drill', daysAgo(100), 900), // before the window
  rec('d-2', 'drill', daysAgo(80), 600),
  rec('d-3', 'drill', daysAgo(50), 1200, { outcome: 'VERIFICATION_FAILED' }),
  rec('d-4', 'drill', daysAgo(20), 300),
  rec('o-1', 'other', daysAgo(10), 60, { drill: false }),
];

describe('history command', () => {
  it('lists one plan since 90 days as CSV, oldest first, nothing of other plans or older', async () => {
    const { lines, out } = capture();
    expect(await runHistoryCommand({ plan: 'drill', since: '90d', format: 'csv' }, await historyWith(RECORDS), out, () => NOW)).toBe(0);
    expect(lines[0]).toMatch(/^started,plan,drill,outcome/);
    expect(lines.slice(1).map((l) => l.split(',')[5])).toEqual(['d-2', 'd-3', 'd-4']);
  });

  it('shows each restore\'s polls and Atlas calls, in CSV, table and JSON', async () => {
    const counted = [rec('c-1', 'calls', daysAgo(5), 60, { polls: 12, atlasCalls: 31 })];
    const csv = capture();
    await runHistoryCommand({ plan: 'calls', since: '30d', format: 'csv' }, await historyWith(counted), csv.out, () => NOW);
    const header = csv.lines[0]!.split(',');
    const row = csv.lines[1]!.split(',');
    expect(row[header.indexOf('polls')]).toBe('12');
    expect(row[header.indexOf('Atlas calls')]).toBe('31');
    const table = capture();
    await runHistoryCommand({ plan: 'calls', since: '30d' }, await historyWith(counted), table.out, () => NOW);
    expect(table.lines[0]).toMatch(/polls\s+Atlas calls/);
    expect(table.lines[1]).toMatch(/\b12\s+31\b/);
    const json = capture();
    await runHistoryCommand({ plan: 'calls', since: '30d', format: 'json' }, await historyWith(counted), json.out, () => NOW);
    expect((JSON.parse(json.lines.join('\n')) as { records: RestoreRecord[] }).records[0]).toMatchObject({ polls: 12, atlasCalls: 31 });
  });

  it('prints the summary an auditor reads: drills passed, RTO p50/p90/max, RPO max', async () => {
    const { lines, out } = capture();
    await runHistoryCommand({ plan: 'drill', since: '90d' }, await historyWith(RECORDS), out, () => NOW);
    expect(lines.at(-1)).toBe(
      `Plan drill since ${daysAgo(90)}: 3 restores; drills passed 2 of 3; RTO (trigger to restored) p50 10 min 0 s, p90 20 min 0 s, max 20 min 0 s; RPO max 40 min 0 s`,
    );
  });

  it('JSON carries the records and the summary', async () => {
    const { lines, out } = capture();
    await runHistoryCommand({ plan: 'other', since: '30d', format: 'json' }, await historyWith(RECORDS), out, () => NOW);
    const json = JSON.parse(lines.join('\n')) as { records: RestoreRecord[]; summary: ReturnType<typeof summarize> };
    expect(json.records.map((r) => r.restoreId)).toEqual(['o-1']);
    expect(json.summary).toMatchObject({ restores: 1, drills: 0, rto: { p50: 60, p90: 60, max: 60 } });
  });

  it('refuses a bad --since or --format, naming the option and the rule', async () => {
    expect(() => parseSince('last week', NOW)).toThrow(HistoryUsageError);
    expect(() => parseSince('last week', NOW)).toThrow(/--since must be a number of days or hours/);
    await expect(runHistoryCommand({ format: 'xml' }, await historyWith([]), capture().out, () => NOW)).rejects.toThrow(/--format must be one of table, csv, json/);
  });

  it('keeps one record per restore id in the file', async () => {
    const history = await historyWith([RECORDS[1]!]);
    expect(await history.record({ ...RECORDS[1]!, outcome: 'FAILED' })).toBe(false);
    expect((await history.list({})).map((r) => r.outcome)).toEqual(['SUCCEEDED']);
  });

  it('percentiles are by nearest rank over restores that restored data', () => {
    const s = summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map((n) => rec(`r${n}`, 'p', daysAgo(n), n * 60)));
    expect(s.rto).toEqual({ p50: 300, p90: 540, max: 600 });
    expect(summaryLine(summarize([]))).toBe('0 restores; drills passed 0 of 0; RTO: no restore restored data');
  });
});
