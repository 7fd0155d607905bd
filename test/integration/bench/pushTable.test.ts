import { describe, expect, it } from 'vitest';
import { measureBackstopTrade, measurePush } from '../../../bench/push.js';
import { table } from '../../../bench/table.js';
import { docNumber as n, docTable } from './docTable.js';

/**
 * The push bench on the simulator's manual clock: docs/benchmarks.md promises two runs print the same table on
 * any machine. Two short lengths keep it quick; the longer rows run the same code for longer.
 */
const SHORT = [
  ['2 min', 120],
  ['10 min', 600],
] as const;

describe('push bench', () => {
  it('two runs in a row print identical tables, and the rows say what the modes promise', { timeout: 300_000 }, async () => {
    const first = await measurePush(SHORT);
    const second = await measurePush(SHORT);
    expect(table(second)).toBe(table(first));

    const row = (duration: string, mode: string) => first.find((r) => r.duration === duration && r.mode === mode)!;
    for (const [duration] of SHORT) {
      for (const r of first.filter((x) => x.duration === duration)) {
        expect(r.outcome, `${duration} ${r.mode}`).toBe('seen ending');
        expect(r.detectionDelaySeconds, `${duration} ${r.mode}`).toBeLessThanOrEqual(r.goalSeconds);
      }
      // Never alerted: polled exactly as without push (same Atlas calls), only the waits are callback tasks.
      expect(row(duration, 'push, never alerted').atlasCalls).toBe(row(duration, 'push off (polling)').atlasCalls);
    }
    // docs/benchmarks.md's push table: its short rows are these figures, mode by mode in the bench's order.
    const documented = docTable('docs/benchmarks.md', '| restore lasts | push, alerts arriving');
    for (const [duration] of SHORT) {
      const cells = first.filter((r) => r.duration === duration).map((r) => `${n(r.atlasCalls)} / ${n(r.historyEvents)} / ${n(r.detectionDelaySeconds)} s`);
      expect(documented.get(duration), `docs/benchmarks.md push row ${duration}`).toEqual(cells);
    }
    // A 10-minute restore heard from costs fewer calls than polling it.
    expect(row('10 min', 'push, alerts arriving').atlasCalls).toBeLessThan(row('10 min', 'push off (polling)').atlasCalls);
  });

  it('the backstop trade: a higher percent costs fewer calls while alerts arrive, and loosens the lost-alert bound', { timeout: 120_000 }, async () => {
    const [twenty, fifty] = await measureBackstopTrade([20, 50], 6 * 3600);
    expect(fifty!['alerts arriving: calls']).toBeLessThan(twenty!['alerts arriving: calls']);
    expect(twenty!['alerts lost: end seen within']).toBe('4,320 s');
    expect(fifty!['alerts lost: end seen within']).toBe('10,800 s');
  });
});
