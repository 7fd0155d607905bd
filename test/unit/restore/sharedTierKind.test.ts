import { describe, expect, it } from 'vitest';
import { AtlasConflictError } from '../../../functions/core/domain/errors.js';
import { flexKind } from '../../../functions/core/restore/kinds/flex.js';
import { sameSharedRequest, sharedStatus, type SharedJob } from '../../../functions/core/restore/kinds/sharedTier.js';
import { tenantKind } from '../../../functions/core/restore/kinds/tenant.js';
import type { FlexRestoreRequest, TenantRestoreRequest } from '../../../functions/core/restore/request.js';
import { FakeAtlas, IDS } from './fakeAtlas.js';

/** Flex and shared-tier (tenant) restores: a `status` string, a named target or a download link. */

const FLEX_SOURCE = { groupId: IDS.prodGroup, clusterName: 'flex-prod' };
const FLEX_TARGET = { groupId: IDS.stagingGroup, clusterName: 'flex-staging' };
const FLEX_BACKUP = `/api/atlas/v2/groups/${IDS.prodGroup}/flexClusters/flex-prod/backup`;
const TENANT_BACKUP = `/api/atlas/v2/groups/${IDS.prodGroup}/clusters/flex-prod/backup/tenant`;

const job = (fields: Partial<SharedJob>): SharedJob => ({ id: IDS.job1, status: 'RUNNING', snapshotId: IDS.snapshotNew, deliveryType: 'RESTORE', ...fields });

describe('sharedStatus', () => {
  it.each([
    ['PENDING', 'PENDING'],
    ['QUEUED', 'PENDING'],
    ['RUNNING', 'RUNNING'],
    ['COMPLETED', 'SUCCEEDED'],
    ['FAILED', 'FAILED'],
    ['CLOSED', 'SUCCEEDED'],
  ] as const)('a restore job in %s is %s', (atlas, ours) => {
    const s = sharedStatus('flex', job({ status: atlas }));
    expect(s.state).toBe(ours);
    expect(s.atlasStatus).toBe(atlas);
    expect(s.kind).toBe('flex');
  });

  it('an unknown status is RUNNING (the deadline ends the wait), and Atlas words are kept', () => {
    const s = sharedStatus('tenant', job({ status: 'REPLICATING' }));
    expect(s).toMatchObject({ kind: 'tenant', state: 'RUNNING', atlasStatus: 'REPLICATING' });
  });

  it('a COMPLETED download carries snapshotUrl and its expiry', () => {
    const s = sharedStatus(
      'flex',
      job({ deliveryType: 'DOWNLOAD', status: 'COMPLETED', snapshotUrl: 'https://dl.example.net/snap.tgz', expirationDate: '2026-03-01T15:00:00Z' }),
    );
    expect(s.state).toBe('SUCCEEDED');
    expect(s.delivery).toEqual({ urls: ['https://dl.example.net/snap.tgz'], expiresAt: '2026-03-01T15:00:00Z' });
  });

  it('a COMPLETED download without a link is RUNNING (still written), or EXPIRED once it had an expiry', () => {
    expect(sharedStatus('flex', job({ deliveryType: 'DOWNLOAD', status: 'COMPLETED' })).state).toBe('RUNNING');
    expect(sharedStatus('flex', job({ deliveryType: 'DOWNLOAD', status: 'COMPLETED', expirationDate: '2026-03-01T15:00:00Z' })).state).toBe('EXPIRED');
  });

  it('a COMPLETED restore has no delivery; dates are kept', () => {
    const s = sharedStatus(
      'tenant',
      job({ status: 'COMPLETED', restoreScheduledDate: '2026-03-01T10:00:00Z', restoreFinishedDate: '2026-03-01T10:07:00Z' }),
    );
    expect(s).toEqual({
      kind: 'tenant',
      state: 'SUCCEEDED',
      jobIds: [IDS.job1],
      snapshotId: IDS.snapshotNew,
      createdAt: '2026-03-01T10:00:00Z',
      finishedAt: '2026-03-01T10:07:00Z',
      atlasStatus: 'COMPLETED',
    });
  });
});

describe('flexKind against a fake transport (2024-11-13)', () => {
  const restore: FlexRestoreRequest = { kind: 'flex', source: FLEX_SOURCE, deliveryType: 'restore', snapshotId: IDS.snapshotNew, target: FLEX_TARGET };

  it('create POSTs to /restoreJobs with the target deployment and project', async () => {
    const atlas = new FakeAtlas().on('POST', `${FLEX_BACKUP}/restoreJobs`, { id: IDS.job1, status: 'QUEUED' });
    const ref = await flexKind.create(atlas, restore);
    expect(ref).toEqual({ kind: 'flex', groupId: IDS.prodGroup, clusterName: 'flex-prod', jobId: IDS.job1 });
    expect(atlas.calls).toEqual([
      {
        method: 'POST',
        path: `${FLEX_BACKUP}/restoreJobs`,
        version: '2024-11-13',
        list: false,
        body: { snapshotId: IDS.snapshotNew, targetDeploymentItemName: 'flex-staging', targetProjectId: IDS.stagingGroup },
      },
    ]);
  });

  it('a download POSTs {snapshotId} to /download', async () => {
    const atlas = new FakeAtlas().on('POST', `${FLEX_BACKUP}/download`, { id: IDS.job2, status: 'PENDING', deliveryType: 'DOWNLOAD' });
    await flexKind.create(atlas, { kind: 'flex', source: FLEX_SOURCE, deliveryType: 'download', snapshotId: IDS.snapshotOld });
    expect(atlas.calls).toEqual([{ method: 'POST', path: `${FLEX_BACKUP}/download`, version: '2024-11-13', list: false, body: { snapshotId: IDS.snapshotOld } }]);
  });

  it('get reads /restoreJobs/{id}', async () => {
    const atlas = new FakeAtlas().on('GET', `${FLEX_BACKUP}/restoreJobs/${IDS.job1}`, { id: IDS.job1, status: 'FAILED' });
    const s = await flexKind.get(atlas, { kind: 'flex', groupId: IDS.prodGroup, clusterName: 'flex-prod', jobId: IDS.job1 });
    expect(s.state).toBe('FAILED');
    expect(atlas.calls[0]).toMatchObject({ method: 'GET', version: '2024-11-13', list: false });
  });

  it('cancel throws AtlasConflictError without any request', async () => {
    const atlas = new FakeAtlas();
    await expect(flexKind.cancel(atlas, { kind: 'flex', groupId: IDS.prodGroup, clusterName: 'flex-prod', jobId: IDS.job1 })).rejects.toBeInstanceOf(
      AtlasConflictError,
    );
    expect(atlas.calls).toEqual([]);
    expect(flexKind.cancellable).toBe(false);
  });

  it('list is paged, newest first by restoreScheduledDate, and recovers target (project defaults to the source)', async () => {
    const atlas = new FakeAtlas().on('GET', `${FLEX_BACKUP}/restoreJobs`, [
      { id: IDS.job1, status: 'COMPLETED', snapshotId: IDS.snapshotOld, deliveryType: 'RESTORE', targetDeploymentItemName: 'flex-staging', restoreScheduledDate: '2026-02-01T00:00:00Z' },
      { id: IDS.job2, status: 'RUNNING', snapshotId: IDS.snapshotNew, deliveryType: 'DOWNLOAD', restoreScheduledDate: '2026-02-03T00:00:00Z' },
    ]);
    const listed = await flexKind.list(atlas, FLEX_SOURCE);
    expect(listed.map((j) => j.ref.jobId)).toEqual([IDS.job2, IDS.job1]);
    expect(listed[0]?.request).toEqual({ kind: 'flex', source: FLEX_SOURCE, deliveryType: 'download', snapshotId: IDS.snapshotNew });
    expect(listed[1]?.request.target).toEqual({ groupId: IDS.prodGroup, clusterName: 'flex-staging' });
    expect(atlas.calls[0]).toMatchObject({ list: true, version: '2024-11-13', path: `${FLEX_BACKUP}/restoreJobs` });
  });

  it('listSnapshots normalises status and takes finishTime, then startTime, as the time', async () => {
    const atlas = new FakeAtlas().on('GET', `${FLEX_BACKUP}/snapshots`, [
      { id: IDS.snapshotOld, status: 'COMPLETED', startTime: '2026-02-01T02:59:00Z', finishTime: '2026-02-01T03:00:00Z', mongoDBVersion: '8.0.1' },
      { id: IDS.snapshotNew, status: 'RUNNING', startTime: '2026-02-02T03:00:00Z' },
    ]);
    expect(await flexKind.listSnapshots(atlas, FLEX_SOURCE)).toEqual([
      { id: IDS.snapshotOld, createdAt: '2026-02-01T03:00:00Z', status: 'completed', mongodVersion: '8.0.1' },
      { id: IDS.snapshotNew, createdAt: '2026-02-02T03:00:00Z', status: 'inProgress' },
    ]);
  });

  it('findInFlight adopts a running job with the same snapshot and target', async () => {
    const atlas = new FakeAtlas().on('GET', `${FLEX_BACKUP}/restoreJobs`, [
      { id: IDS.job1, status: 'QUEUED', snapshotId: IDS.snapshotNew, deliveryType: 'RESTORE', targetDeploymentItemName: 'flex-staging', targetProjectId: IDS.stagingGroup },
    ]);
    expect((await flexKind.findInFlight(atlas, restore))?.jobId).toBe(IDS.job1);
    const other = new FakeAtlas().on('GET', `${FLEX_BACKUP}/restoreJobs`, [
      { id: IDS.job1, status: 'QUEUED', snapshotId: IDS.snapshotNew, deliveryType: 'RESTORE', targetDeploymentItemName: 'flex-staging' },
    ]);
    // Target project defaults to the source's, which is not the requested one.
    expect(await flexKind.findInFlight(other, restore)).toBeUndefined();
  });
});

describe('tenantKind against a fake transport (2023-01-01)', () => {
  const restore: TenantRestoreRequest = { kind: 'tenant', source: FLEX_SOURCE, deliveryType: 'restore', snapshotId: IDS.snapshotNew, target: FLEX_TARGET };

  it('create POSTs to /restore; get reads /restores/{id}', async () => {
    const atlas = new FakeAtlas()
      .on('POST', `${TENANT_BACKUP}/restore`, { id: IDS.job3, status: 'PENDING' })
      .on('GET', `${TENANT_BACKUP}/restores/${IDS.job3}`, { id: IDS.job3, status: 'COMPLETED' });
    const ref = await tenantKind.create(atlas, restore);
    expect(await tenantKind.get(atlas, ref)).toMatchObject({ kind: 'tenant', state: 'SUCCEEDED' });
    expect(atlas.calls.map((c) => [c.method, c.path, c.version])).toEqual([
      ['POST', `${TENANT_BACKUP}/restore`, '2023-01-01'],
      ['GET', `${TENANT_BACKUP}/restores/${IDS.job3}`, '2023-01-01'],
    ]);
  });

  it('lists without paging: one GET reading {results}', async () => {
    const atlas = new FakeAtlas().on('GET', `${TENANT_BACKUP}/restores`, { results: [{ id: IDS.job1, status: 'RUNNING' }] });
    const listed = await tenantKind.list(atlas, FLEX_SOURCE);
    expect(listed).toHaveLength(1);
    expect(atlas.calls).toEqual([{ method: 'GET', path: `${TENANT_BACKUP}/restores`, version: '2023-01-01', list: false }]);
  });

  it('cancel throws AtlasConflictError without any request', async () => {
    const atlas = new FakeAtlas();
    const err = await tenantKind.cancel(atlas, { kind: 'tenant', groupId: IDS.prodGroup, clusterName: 'flex-prod', jobId: IDS.job1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasConflictError);
    expect((err as Error).message).toContain(IDS.job1);
    expect(atlas.calls).toEqual([]);
  });
});

describe('sameSharedRequest', () => {
  const wanted: FlexRestoreRequest = { kind: 'flex', source: FLEX_SOURCE, deliveryType: 'restore', snapshotId: IDS.snapshotNew, target: FLEX_TARGET };
  it('needs the same delivery, snapshot and target', () => {
    expect(sameSharedRequest(wanted, { deliveryType: 'restore', snapshotId: IDS.snapshotNew, target: FLEX_TARGET })).toBe(true);
    expect(sameSharedRequest(wanted, { deliveryType: 'restore', snapshotId: IDS.snapshotOld, target: FLEX_TARGET })).toBe(false);
    expect(sameSharedRequest(wanted, { deliveryType: 'download', snapshotId: IDS.snapshotNew })).toBe(false);
  });
});
