import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atlasOrigin } from '../../../local/commands/atlasTarget.js';
import { describeOrigin, runHistoryCommand } from '../../../local/commands/history.js';
import type { Output } from '../../../local/commands/output.js';
import { FileRestoreHistory } from '../../../local/runner/fileHistory.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { historyRecord } from '../../support/historyRecords.js';
import { defaultWorld } from '../atlas/helpers.js';

/**
 * Local history says which Atlas each run went to, and `history` never summarises a scaled
 * simulator's times together with real Atlas's: a 34 s run against a simulator at ×600 is 5 h 40 min
 * of simulated time, which must not become the RTO of restores against real Atlas.
 */

function collector(): Output & { lines: string[] } {
  const lines: string[] = [];
  const push = (t: string) => void lines.push(t);
  return { color: false, line: push, heading: push, box: push, error: push, lines };
}

const sims: SimulatorHandle[] = [];
afterAll(async () => {
  for (const s of sims) await s.stop();
});

describe('which Atlas a local run went to', () => {
  it('asks the simulator how fast its clock runs; says nothing it was not told', async () => {
    const sim = await startSimulator(defaultWorld(), { clock: { scale: 600 } });
    sims.push(sim);
    const host = new URL(sim.baseUrl).host;
    expect(await atlasOrigin({ baseUrl: sim.baseUrl, from: 'MONGODB_ATLAS_BASE_URL', ignored: [] })).toEqual({ host, simulator: true, scale: 600 });
    const manual = await startSimulator(defaultWorld(), { clock: 'manual' });
    sims.push(manual);
    expect((await atlasOrigin({ baseUrl: manual.baseUrl, from: 'MONGODB_ATLAS_BASE_URL', ignored: [] })).scale).toBe(0);
    // Real Atlas is not asked anything.
    expect(await atlasOrigin({ baseUrl: 'https://cloud.mongodb.com', from: 'default', ignored: [] })).toEqual({ host: 'cloud.mongodb.com', simulator: false });
  });

  it('keeps each record with its Atlas and summarises each Atlas apart', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'history-')), 'history.json');
    const simulated = new FileRestoreHistory(file, { host: '127.0.0.1:8090', simulator: true, scale: 600 });
    const real = new FileRestoreHistory(file, { host: 'cloud.mongodb.com', simulator: false });
    await simulated.record(historyRecord('sim-1', 'nightly', '2026-12-01T01:00:00Z', 20_400));
    await real.record(historyRecord('real-1', 'nightly', '2026-12-02T01:00:00Z', 600));
    await real.record(historyRecord('real-2', 'nightly', '2026-12-03T01:00:00Z', 1200));
    const now = () => new Date('2026-12-05T00:00:00Z');

    const table = collector();
    await runHistoryCommand({ plan: 'nightly', since: '30d' }, new FileRestoreHistory(file), table, now);
    const summaries = table.lines.filter((l) => l.startsWith('Plan nightly since'));
    expect(summaries).toHaveLength(2);
    expect(summaries[0]).toMatch(/on the local simulator at 127\.0\.0\.1:8090 \(clock ×600: simulated times\): 1 restore/);
    expect(summaries[1]).toMatch(/on Atlas at cloud\.mongodb\.com: 2 restores/);
    // The real runs' RTO is theirs alone: p50 10 min, max 20 min, not the simulator's 5 h 40 min.
    expect(summaries[1]).toContain('max 20 min');
    expect(summaries[1]).not.toContain('5 h');

    const json = collector();
    await runHistoryCommand({ plan: 'nightly', since: '30d', format: 'json' }, new FileRestoreHistory(file), json, now);
    const parsed = JSON.parse(json.lines.join('\n')) as { summary: unknown; summaries: { atlas: { host: string }; summary: { restores: number } }[]; records: { atlas?: unknown }[] };
    expect(parsed.summary).toBeNull();
    expect(parsed.summaries.map((s) => [s.atlas.host, s.summary.restores])).toEqual([
      ['127.0.0.1:8090', 1],
      ['cloud.mongodb.com', 2],
    ]);
    expect(parsed.records.every((r) => r.atlas)).toBe(true);
  });

  it('names the Atlas of a history from one Atlas in its one summary line, and says when none was recorded', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'history-')), 'history.json');
    await new FileRestoreHistory(file).record(historyRecord('old-1', 'nightly', '2026-12-01T01:00:00Z', 600));
    const out = collector();
    await runHistoryCommand({ plan: 'nightly', since: '30d' }, new FileRestoreHistory(file), out, () => new Date('2026-12-05T00:00:00Z'));
    expect(out.lines.filter((l) => l.startsWith('Plan nightly since'))).toHaveLength(1);
    expect(describeOrigin(undefined)).toMatch(/not recorded/);
    expect(describeOrigin({ host: 'cloud.mongodb.com', simulator: false })).toBe('Atlas at cloud.mongodb.com');
  });
});
