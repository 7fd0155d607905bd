import { describe, expect, it } from 'vitest';
import { measurePolling } from '../../../bench/polling.js';
import { measureBackstopTrade } from '../../../bench/push.js';
import { atlasRun, measureScale, tightRun } from '../../../bench/scale.js';
import { docNumber as n, docTable } from './docTable.js';

/**
 * The benchmark tables of the docs (docs/benchmarks.md, and the backstop trade in docs/push.md) are
 * what `npm run bench` prints: these tables come out the same on any machine, so a figure that went
 * stale after a change is a false promise. The rows that take long to run (the push table's long
 * restores, the 500 and 2,000 scale runs) are left to the bench; test/integration/bench/pushTable.test.ts
 * checks the push table's short rows.
 */
describe('benchmark figures in the docs', () => {
  it('the polling table is the replay of the poll policy', () => {
    const rows = measurePolling();
    const cell = (duration: string, policy: RegExp) => {
      const r = rows.find((x) => x.duration === duration && policy.test(x.policy))!;
      const delay = r.worstDetectionDelaySeconds === '-' ? r.outcome : `${n(r.worstDetectionDelaySeconds)} s`;
      return `${n(r.atlasCalls)} / ${n(r.historyEvents)} / ${delay}`;
    };
    const table = docTable('docs/benchmarks.md', '| restore lasts | goal | default plan');
    expect([...table.keys()]).toEqual([...new Set(rows.map((r) => r.duration))]);
    for (const [duration, cells] of table) {
      const goal = rows.find((x) => x.duration === duration)!.goalSeconds;
      expect(cells, duration).toEqual([`${n(goal)} s`, cell(duration, /^default plan/), cell(duration, /deadlineMinutes 1500/), cell(duration, /fixed 4 s/), cell(duration, /fixed 30 s/)]);
    }
  });

  it('the backstop trade table is what the bench measures', { timeout: 120_000 }, async () => {
    const table = docTable('docs/push.md', '| backstopPercent |');
    const rows = await measureBackstopTrade([...table.keys()].map(Number));
    for (const r of rows) {
      expect(table.get(String(r.backstopPercent)), `backstopPercent ${r.backstopPercent}`).toEqual([
        n(r['alerts arriving: calls']),
        n(r['alerts arriving: events']),
        r['alerts lost: end seen within'],
      ]);
    }
  });

  it('the scale rows of 100 restores are what the bench measures', { timeout: 300_000 }, async () => {
    const table = docTable('docs/benchmarks.md', '| run | projects | bucket |');
    for (const run of [atlasRun(100), tightRun(100)]) {
      const { row } = await measureScale(run);
      expect(table.get(row.run), row.run).toEqual([
        n(row.projects),
        row.bucket.replace(/\d{4,}/g, (d) => n(Number(d))),
        row.succeeded,
        n(row.callsPerRestore),
        n(row.idealPerRestore),
        n(row.timesIdeal),
        n(row.answers429),
        n(row.stateRetries),
        `${n(row.detectP50s)} / ${n(row.detectP99s)} / ${n(row.detectMaxS)} s`,
        n(row.historyEventsMax),
      ]);
    }
  });
});
