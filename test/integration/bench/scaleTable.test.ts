import { describe, expect, it } from 'vitest';
import { TIGHT_BUCKET, atlasRun, type ScaleRun } from '../../../bench/scale.js';
import { measureScaleRuns, scaleTable } from '../../../bench/scaleRuns.js';

/**
 * The scale bench on its virtual clock: the same runs print the same table, whatever else the
 * machine is doing. Small runs (20 restores), one at Atlas's limits and one in a single project on
 * a bucket so tight that 429s, client retries and state machine retries all happen.
 */
const tight: ScaleRun = { name: '20 in one project, tight bucket', restores: 20, projects: 1, bucket: TIGHT_BUCKET };

describe('scale bench', () => {
  it('two runs in a row print identical tables', { timeout: 300_000 }, async () => {
    const runs = [atlasRun(20), tight];
    const first = await measureScaleRuns(runs);
    const second = await measureScaleRuns(runs);
    expect(scaleTable(second)).toBe(scaleTable(first));
    // Not identical because nothing happened: every restore at Atlas's limits ends, and the tight bucket throttles.
    expect(first[0]!.row.succeeded).toBe('20/20');
    // Time that ran ahead of the workflows would let restores end between fewer polls than the policy makes.
    expect(first[0]!.row.timesIdeal).toBeGreaterThanOrEqual(1);
    expect(first[1]!.row.answers429).toBeGreaterThan(0);
    expect(first[1]!.row.stateRetries).toBeGreaterThan(0);
  });
});
