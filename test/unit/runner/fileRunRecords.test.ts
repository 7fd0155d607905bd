import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cooldownRefusal, startCooldown } from '../../../functions/core/orchestrate/runRecords.js';
import { FileRunRecords, runsFileBeside } from '../../../local/runner/fileRunRecords.js';

/**
 * Local CLI runs keep their cooldown records beside the local holds file: each `run` is its own
 * process, so a store in memory would forget the last start and `run --plan p --yes` three times in
 * two minutes would make three restores.
 */

const TARGET = { groupId: '65f1a0000000000000000002', clusterName: 'staging-cluster' };

describe('FileRunRecords', () => {
  it('a second process (a new store on the same file) sees the first run\'s cooldown, for the plan and its target', async () => {
    const holdsFile = join(mkdtempSync(join(tmpdir(), 'runs-')), 'holds.json');
    const file = runsFileBeside(holdsFile);
    expect(file).toBe(join(holdsFile, '..', 'runs.json'));
    let now = new Date('2026-03-01T10:00:00Z');
    await startCooldown(new FileRunRecords(file, () => now), 'nightly', TARGET, 'local-1', 60);
    expect(JSON.parse(readFileSync(file, 'utf8')).plans.nightly.restoreId).toBe('local-1');

    now = new Date('2026-03-01T10:02:00Z');
    const second = new FileRunRecords(file, () => now);
    expect(await cooldownRefusal(second, 'nightly', TARGET, 'local-2')).toMatchObject({ code: 'COOLDOWN' });
    await expect(startCooldown(second, 'nightly', TARGET, 'local-2', 60)).rejects.toMatchObject({ code: 'COOLDOWN' });
    expect((await cooldownRefusal(new FileRunRecords(file, () => now), undefined, { ...TARGET, clusterName: 'STAGING-cluster' }, 'ad-hoc'))?.message).toContain('was the target of restore local-1');

    now = new Date('2026-03-01T11:00:01Z');
    expect(await cooldownRefusal(new FileRunRecords(file, () => now), 'nightly', TARGET, 'local-3')).toBeUndefined();
  });

  it('a repeated trigger event is recognised across processes', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'runs-')), 'runs.json');
    const now = () => new Date('2026-03-01T10:00:00Z');
    const until = new Date('2026-03-04T10:00:00Z');
    expect(await new FileRunRecords(file, now).claimTrigger('k', 'a', until)).toEqual({ first: true, restoreId: 'a' });
    expect(await new FileRunRecords(file, now).claimTrigger('k', 'b', until)).toEqual({ first: false, restoreId: 'a' });
  });
});
