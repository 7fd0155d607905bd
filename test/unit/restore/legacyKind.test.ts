import { describe, expect, it } from 'vitest';
import { AtlasConflictError } from '../../../functions/core/domain/errors.js';
import { legacyKind, legacyStatus, type LegacyJob } from '../../../functions/core/restore/kinds/legacy.js';
import type { LegacyRestoreRequest } from '../../../functions/core/restore/request.js';
import { FakeAtlas, IDS, PROD, STAGING } from './fakeAtlas.js';

/** Legacy restores come in batches (one job per shard + config server); the batch ends when every job has. */

const BASE = `/api/atlas/v2/groups/${IDS.prodGroup}/clusters/prod-cluster`;

const job = (id: string, statusName: string, fields: Partial<LegacyJob> = {}): LegacyJob => ({
  id,
  batchId: IDS.batch,
  statusName,
  snapshotId: IDS.snapshotNew,
  created: '2026-03-01T10:00:00Z',
  delivery: { methodName: 'HTTP', targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' },
  ...fields,
});

describe('legacyStatus', () => {
  it('all FINISHED → SUCCEEDED, with every job id and the batch', () => {
    const s = legacyStatus([job(IDS.job1, 'FINISHED'), job(IDS.job2, 'FINISHED'), job(IDS.job3, 'FINISHED')]);
    expect(s).toMatchObject({ kind: 'legacy', state: 'SUCCEEDED', jobIds: [IDS.job1, IDS.job2, IDS.job3], batchId: IDS.batch, atlasStatus: 'FINISHED ×3' });
    expect(s.delivery).toBeUndefined();
  });

  it('a batch with jobs still running is RUNNING, with Atlas words counted', () => {
    const s = legacyStatus([job(IDS.job1, 'FINISHED'), job(IDS.job2, 'IN_PROGRESS'), job(IDS.job3, 'IN_PROGRESS')]);
    expect(s.state).toBe('RUNNING');
    expect(s.atlasStatus).toBe('IN_PROGRESS ×2, FINISHED ×1');
  });

  // Documented in legacy.ts: the batch stays RUNNING while other shards are still written, so the
  // target lock is not freed early; it is FAILED once every job has ended.
  it('one BROKEN job fails the batch once the others have ended', () => {
    expect(legacyStatus([job(IDS.job1, 'BROKEN'), job(IDS.job2, 'IN_PROGRESS')]).state).toBe('RUNNING');
    expect(legacyStatus([job(IDS.job1, 'FINISHED'), job(IDS.job2, 'BROKEN'), job(IDS.job3, 'KILLED')]).state).toBe('FAILED');
  });

  it('KILLED → CANCELLED, ranked below FAILED and above EXPIRED', () => {
    expect(legacyStatus([job(IDS.job1, 'KILLED')]).state).toBe('CANCELLED');
    expect(
      legacyStatus([
        job(IDS.job1, 'KILLED'),
        job(IDS.job2, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'EXPIRED', url: 'https://l.example.net/2' } }),
      ]).state,
    ).toBe('CANCELLED');
  });

  it('a FINISHED download whose delivery EXPIRED (or ran out of downloads) is EXPIRED', () => {
    expect(legacyStatus([job(IDS.job1, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'EXPIRED' } })]).state).toBe('EXPIRED');
    expect(legacyStatus([job(IDS.job1, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'MAX_DOWNLOADS_EXCEEDED' } })]).state).toBe('EXPIRED');
    expect(legacyStatus([job(IDS.job1, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'INTERRUPTED' } })]).state).toBe('FAILED');
  });

  it('IN_PROGRESS with a delivery NOT_STARTED is PENDING; one job alone keeps its own word', () => {
    const s = legacyStatus([job(IDS.job1, 'IN_PROGRESS', { delivery: { methodName: 'HTTP', statusName: 'NOT_STARTED' } })]);
    expect(s.state).toBe('PENDING');
    expect(s.atlasStatus).toBe('IN_PROGRESS');
  });

  it('a finished download batch lists urlV2 (preferred) or url, and the earliest expiry', () => {
    const s = legacyStatus([
      job(IDS.job1, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'READY', url: 'https://l.example.net/old1', urlV2: 'https://l.example.net/v2/1', expires: '2026-03-03T00:00:00Z' } }),
      job(IDS.job2, 'FINISHED', { delivery: { methodName: 'HTTP', statusName: 'READY', url: 'https://l.example.net/2', expires: '2026-03-02T00:00:00Z' } }),
    ]);
    expect(s.state).toBe('SUCCEEDED');
    expect(s.delivery).toEqual({ urls: ['https://l.example.net/v2/1', 'https://l.example.net/2'], expiresAt: '2026-03-02T00:00:00Z' });
  });

  it('refuses an empty batch', () => {
    expect(() => legacyStatus([])).toThrow();
  });
});

const snapshotRestore: LegacyRestoreRequest = {
  kind: 'legacy',
  source: PROD,
  snapshotId: IDS.snapshotNew,
  delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING },
};

describe('legacyKind against a fake transport', () => {
  it('create POSTs the nested delivery and keeps batchId and every jobId', async () => {
    const atlas = new FakeAtlas().on('POST', `${BASE}/restoreJobs`, {
      results: [job(IDS.job1, 'IN_PROGRESS'), job(IDS.job2, 'IN_PROGRESS'), job(IDS.job3, 'IN_PROGRESS')],
      totalCount: 3,
    });
    const ref = await legacyKind.create(atlas, snapshotRestore);
    expect(ref).toEqual({
      kind: 'legacy',
      groupId: IDS.prodGroup,
      clusterName: 'prod-cluster',
      jobId: IDS.job1,
      batchId: IDS.batch,
      jobIds: [IDS.job1, IDS.job2, IDS.job3],
    });
    expect(atlas.calls).toEqual([
      {
        method: 'POST',
        path: `${BASE}/restoreJobs`,
        version: '2023-01-01',
        list: false,
        body: { snapshotId: IDS.snapshotNew, delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' } },
      },
    ]);
  });

  it('create sends a download with its limits, and a point in time in millis', async () => {
    const atlas = new FakeAtlas().on('POST', `${BASE}/restoreJobs`, { results: [job(IDS.job1, 'IN_PROGRESS', { batchId: undefined })] });
    const ref = await legacyKind.create(atlas, {
      kind: 'legacy',
      source: PROD,
      snapshotId: IDS.snapshotOld,
      delivery: { methodName: 'HTTP', expirationHours: 4, maxDownloads: 2 },
    });
    await legacyKind.create(atlas, { kind: 'legacy', source: PROD, pointInTimeUTCMillis: 1_772_000_000_000, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } });
    expect(ref).not.toHaveProperty('batchId');
    expect(ref.jobIds).toEqual([IDS.job1]);
    expect(atlas.calls[0]?.body).toEqual({ snapshotId: IDS.snapshotOld, delivery: { methodName: 'HTTP', expirationHours: 4, maxDownloads: 2 } });
    expect(atlas.calls[1]?.body).toEqual({
      pointInTimeUTCMillis: 1_772_000_000_000,
      delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' },
    });
  });

  it('create answered with no job is an AtlasConflictError', async () => {
    const atlas = new FakeAtlas().on('POST', `${BASE}/restoreJobs`, { results: [] });
    await expect(legacyKind.create(atlas, snapshotRestore)).rejects.toBeInstanceOf(AtlasConflictError);
  });

  it('get reads every job of the ref and folds them', async () => {
    const atlas = new FakeAtlas()
      .on('GET', `${BASE}/restoreJobs/${IDS.job1}`, job(IDS.job1, 'FINISHED'))
      .on('GET', `${BASE}/restoreJobs/${IDS.job2}`, job(IDS.job2, 'IN_PROGRESS'));
    const s = await legacyKind.get(atlas, { kind: 'legacy', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job1, jobIds: [IDS.job1, IDS.job2] });
    expect(s.state).toBe('RUNNING');
    expect(atlas.calls.map((c) => c.path).sort()).toEqual([`${BASE}/restoreJobs/${IDS.job1}`, `${BASE}/restoreJobs/${IDS.job2}`].sort());
    expect(atlas.calls.every((c) => c.version === '2023-01-01')).toBe(true);
  });

  it('get with only a batchId lists the batch by query', async () => {
    const atlas = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'FINISHED'), job(IDS.job2, 'FINISHED')]);
    const s = await legacyKind.get(atlas, { kind: 'legacy', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job1, batchId: IDS.batch });
    expect(s).toMatchObject({ state: 'SUCCEEDED', jobIds: [IDS.job1, IDS.job2] });
    expect(atlas.calls).toEqual([{ method: 'GET', path: `${BASE}/restoreJobs`, version: '2023-01-01', list: true, query: { batchId: IDS.batch } }]);
  });

  it('cancel throws AtlasConflictError without any request', async () => {
    const atlas = new FakeAtlas();
    await expect(legacyKind.cancel(atlas, { kind: 'legacy', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job1 })).rejects.toBeInstanceOf(
      AtlasConflictError,
    );
    expect(atlas.calls).toEqual([]);
  });

  it('list groups jobs into batches, newest batch first; a target means AUTOMATED_RESTORE', async () => {
    const otherBatch = '67b1c2d3e4f5a6b7c8d9ebbb';
    const atlas = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [
      job(IDS.job1, 'FINISHED', { created: '2026-02-01T00:00:00Z' }),
      job(IDS.job2, 'IN_PROGRESS', { batchId: otherBatch, created: '2026-02-05T00:00:00Z', delivery: { methodName: 'HTTP' } }),
      job(IDS.job3, 'FINISHED', { created: '2026-02-01T00:00:00Z' }),
    ]);
    const listed = await legacyKind.list(atlas, PROD);
    expect(listed.map((b) => b.ref.jobIds)).toEqual([[IDS.job2], [IDS.job1, IDS.job3]]);
    expect(listed[0]?.request.delivery).toEqual({ methodName: 'HTTP' });
    expect(listed[1]?.request.delivery).toEqual({ methodName: 'AUTOMATED_RESTORE', target: STAGING });
    expect(listed.map((b) => b.status.state)).toEqual(['RUNNING', 'SUCCEEDED']);
  });

  it('listSnapshots asks for completed=all and normalises', async () => {
    const atlas = new FakeAtlas().on('GET', `${BASE}/snapshots`, [
      { id: IDS.snapshotOld, complete: true, created: { date: '2026-02-01T00:00:00Z', increment: 1 }, parts: [{ mongodVersion: '4.4.18' }, {}] },
      { id: IDS.snapshotNew, complete: false, created: { date: '2026-02-02T00:00:00Z' }, expires: '2026-03-02T00:00:00Z' },
    ]);
    expect(await legacyKind.listSnapshots(atlas, PROD)).toEqual([
      { id: IDS.snapshotOld, createdAt: '2026-02-01T00:00:00Z', status: 'completed', sharded: true, mongodVersion: '4.4.18' },
      { id: IDS.snapshotNew, createdAt: '2026-02-02T00:00:00Z', status: 'inProgress', sharded: false, expiresAt: '2026-03-02T00:00:00Z' },
    ]);
    expect(atlas.calls[0]).toMatchObject({ list: true, query: { completed: 'all' } });
  });

  it('findInFlight adopts a running batch of the same snapshot onto the same target', async () => {
    const atlas = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'IN_PROGRESS'), job(IDS.job2, 'FINISHED')]);
    expect(await legacyKind.findInFlight(atlas, snapshotRestore)).toMatchObject({ jobId: IDS.job1, batchId: IDS.batch, jobIds: [IDS.job1, IDS.job2] });
    const done = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'FINISHED')]);
    expect(await legacyKind.findInFlight(done, snapshotRestore)).toBeUndefined();
    const otherSnapshot = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'IN_PROGRESS', { snapshotId: IDS.snapshotOld })]);
    expect(await legacyKind.findInFlight(otherSnapshot, snapshotRestore)).toBeUndefined();
  });

  it('findInFlight matches a point-in-time request to the second of the moment restored to', async () => {
    const at = Date.parse('2026-03-01T09:30:00Z');
    const request: LegacyRestoreRequest = { kind: 'legacy', source: PROD, pointInTimeUTCMillis: at, delivery: { methodName: 'AUTOMATED_RESTORE', target: STAGING } };
    const near = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'IN_PROGRESS', { snapshotId: undefined, timestamp: { date: '2026-03-01T09:30:00.400Z' } })]);
    expect((await legacyKind.findInFlight(near, request))?.jobId).toBe(IDS.job1);
    const far = new FakeAtlas().on('GET', `${BASE}/restoreJobs`, [job(IDS.job1, 'IN_PROGRESS', { snapshotId: undefined, timestamp: { date: '2026-03-01T09:31:00Z' } })]);
    expect(await legacyKind.findInFlight(far, request)).toBeUndefined();
  });
});
