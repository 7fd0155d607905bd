import { describe, expect, it } from 'vitest';
import { AtlasUnavailableError } from '../../../functions/core/domain/errors.js';
import { cloudKind, cloudStatus, sameCloudRequest, type CloudJob } from '../../../functions/core/restore/kinds/cloud.js';
import type { CloudRestoreRequest } from '../../../functions/core/restore/request.js';
import { RestoreStatus } from '../../../functions/core/restore/status.js';
import { FakeAtlas, IDS, PROD, STAGING } from './fakeAtlas.js';

/** Cloud Backup jobs carry no status: flags, finishedAt and the delivery links tell the state. */

const BACKUP = `/api/atlas/v2/groups/${IDS.prodGroup}/clusters/prod-cluster/backup`;

const job = (fields: Partial<CloudJob>): CloudJob => ({ id: IDS.job1, deliveryType: 'automated', snapshotId: IDS.snapshotNew, ...fields });

describe('cloudStatus', () => {
  it('a job with no flags and no finishedAt is RUNNING', () => {
    const s = cloudStatus(job({ cancelled: false, failed: false, expired: false }));
    expect(s).toMatchObject({ kind: 'cloud', state: 'RUNNING', jobIds: [IDS.job1], snapshotId: IDS.snapshotNew });
    expect(s.finishedAt).toBeUndefined();
  });

  it('finishedAt without a flag is SUCCEEDED, with the time kept, and the status fits the shared schema', () => {
    const done = cloudStatus(job({ finishedAt: '2026-03-01T11:00:00Z' }));
    expect(done).toMatchObject({ state: 'SUCCEEDED', finishedAt: '2026-03-01T11:00:00Z' });
    expect(RestoreStatus.parse(done)).toEqual(done);
  });

  it('a pointInTime job behaves like an automated one', () => {
    const pit = job({ deliveryType: 'pointInTime', snapshotId: undefined, pointInTimeUTCSeconds: 1_772_000_000 });
    expect(cloudStatus(pit).state).toBe('RUNNING');
    expect(cloudStatus({ ...pit, finishedAt: '2026-03-01T11:00:00Z' }).state).toBe('SUCCEEDED');
  });

  it('failed:true without finishedAt is FAILED, never RUNNING forever', () => {
    expect(cloudStatus(job({ failed: true })).state).toBe('FAILED');
  });

  it('failed:true with finishedAt is FAILED, not SUCCEEDED', () => {
    expect(cloudStatus(job({ failed: true, finishedAt: '2026-03-01T11:00:00Z' })).state).toBe('FAILED');
  });

  it('cancelled:true is CANCELLED, whatever else the job says', () => {
    expect(cloudStatus(job({ cancelled: true, failed: true })).state).toBe('CANCELLED');
    expect(cloudStatus(job({ cancelled: true })).atlasStatus).toBe('cancelled');
  });

  it('expired:true is EXPIRED, even for a download that still lists links', () => {
    const s = cloudStatus(job({ deliveryType: 'download', expired: true, deliveryUrl: ['https://restore.example.net/a.tar.gz'] }));
    expect(s.state).toBe('EXPIRED');
    expect(s.delivery).toBeUndefined();
  });

  it('a download without deliveryUrl is still RUNNING, even with finishedAt', () => {
    expect(cloudStatus(job({ deliveryType: 'download' })).state).toBe('RUNNING');
    expect(cloudStatus(job({ deliveryType: 'download', deliveryUrl: [] })).state).toBe('RUNNING');
    expect(cloudStatus(job({ deliveryType: 'download', deliveryUrl: [''], finishedAt: '2026-03-01T11:00:00Z' })).state).toBe('RUNNING');
  });

  it('a download with deliveryUrl is SUCCEEDED with the links and their expiry', () => {
    const s = cloudStatus(
      job({ deliveryType: 'download', deliveryUrl: ['https://restore.example.net/a.tar.gz'], expiresAt: '2026-03-02T11:00:00Z' }),
    );
    expect(s.state).toBe('SUCCEEDED');
    expect(s.delivery).toEqual({ urls: ['https://restore.example.net/a.tar.gz'], expiresAt: '2026-03-02T11:00:00Z' });
  });

  it('a sharded download lists each replica set link once, after deliveryUrl', () => {
    const s = cloudStatus(
      job({
        deliveryType: 'download',
        deliveryUrl: ['https://restore.example.net/shard0.tar.gz'],
        components: [{ downloadUrl: 'https://restore.example.net/shard0.tar.gz' }, { downloadUrl: 'https://restore.example.net/shard1.tar.gz' }, {}],
      }),
    );
    expect(s.delivery?.urls).toEqual(['https://restore.example.net/shard0.tar.gz', 'https://restore.example.net/shard1.tar.gz']);
    expect(s.delivery).not.toHaveProperty('expiresAt');
  });
});

const automated: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: STAGING };
const pit: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'pointInTime', target: STAGING, pointInTimeUTCSeconds: 1_772_000_000 };

describe('cloudKind against a fake transport', () => {
  it('create POSTs the automated body with 2023-01-01 and returns a ref to the job', async () => {
    const atlas = new FakeAtlas().on('POST', `${BACKUP}/restoreJobs`, { id: IDS.job1, deliveryType: 'automated' });
    const ref = await cloudKind.create(atlas, automated);
    expect(ref).toEqual({ kind: 'cloud', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job1 });
    expect(atlas.calls).toEqual([
      {
        method: 'POST',
        path: `${BACKUP}/restoreJobs`,
        version: '2023-01-01',
        list: false,
        body: { deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' },
      },
    ]);
  });

  it('create sends a pointInTime body without snapshotId, and a download body without target', async () => {
    const atlas = new FakeAtlas().on('POST', `${BACKUP}/restoreJobs`, { id: IDS.job2, deliveryType: 'x' });
    await cloudKind.create(atlas, pit);
    await cloudKind.create(atlas, { kind: 'cloud', source: PROD, deliveryType: 'download', snapshotId: IDS.snapshotOld });
    expect(atlas.calls[0]?.body).toEqual({
      deliveryType: 'pointInTime',
      targetGroupId: IDS.stagingGroup,
      targetClusterName: 'staging-cluster',
      pointInTimeUTCSeconds: 1_772_000_000,
    });
    expect(atlas.calls[1]?.body).toEqual({ deliveryType: 'download', snapshotId: IDS.snapshotOld });
  });

  it('create fails with AtlasUnavailableError naming the operation when the answer has no id', async () => {
    const atlas = new FakeAtlas().on('POST', `${BACKUP}/restoreJobs`, { deliveryType: 'automated', deliveryUrl: ['https://secret.example.net/x'] });
    const err = await cloudKind.create(atlas, automated).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasUnavailableError);
    expect((err as Error).message).toContain('create cloud restore job');
    expect((err as Error).message).toContain('id');
    expect((err as Error).message).not.toContain('secret.example.net');
  });

  it('get reads one job by id and maps it', async () => {
    const atlas = new FakeAtlas().on('GET', `${BACKUP}/restoreJobs/${IDS.job1}`, { id: IDS.job1, deliveryType: 'automated', failed: true });
    const status = await cloudKind.get(atlas, { kind: 'cloud', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job1 });
    expect(status.state).toBe('FAILED');
    expect(atlas.calls).toEqual([{ method: 'GET', path: `${BACKUP}/restoreJobs/${IDS.job1}`, version: '2023-01-01', list: false }]);
  });

  it('cancel DELETEs the job', async () => {
    const atlas = new FakeAtlas().on('DELETE', `${BACKUP}/restoreJobs/${IDS.job2}`, undefined);
    await cloudKind.cancel(atlas, { kind: 'cloud', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job2 });
    expect(atlas.calls).toEqual([{ method: 'DELETE', path: `${BACKUP}/restoreJobs/${IDS.job2}`, version: '2023-01-01', list: false }]);
    expect(cloudKind.cancellable).toBe(true);
  });

  it('list keeps Atlas order and recovers each request from the job', async () => {
    const atlas = new FakeAtlas().on('GET', `${BACKUP}/restoreJobs`, [
      { id: IDS.job2, deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' },
      { id: IDS.job1, deliveryType: 'download', snapshotId: IDS.snapshotOld, finishedAt: '2026-01-01T00:00:00Z', deliveryUrl: ['https://d.example.net/1'] },
    ]);
    const listed = await cloudKind.list(atlas, PROD);
    expect(listed.map((j) => j.ref.jobId)).toEqual([IDS.job2, IDS.job1]);
    expect(listed[0]?.request).toEqual({ kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: STAGING });
    expect(listed[1]?.request).not.toHaveProperty('target');
    expect(listed.map((j) => j.status.state)).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(atlas.calls[0]).toMatchObject({ list: true, version: '2023-01-01' });
  });

  it('listSnapshots keeps one copy of a snapshot that paging returned twice', async () => {
    const s = { id: IDS.snapshotOld, createdAt: '2026-01-01T03:00:00Z', status: 'completed' };
    const atlas = new FakeAtlas()
      .on('GET', `${BACKUP}/snapshots`, [s, s])
      .on('GET', `${BACKUP}/snapshots/shardedClusters`, { results: [] });
    expect((await cloudKind.listSnapshots(atlas, PROD)).map((x) => x.id)).toEqual([IDS.snapshotOld]);
  });

  it('listSnapshots merges the sharded list, de-duplicates by id and keeps the sharded copy', async () => {
    const atlas = new FakeAtlas()
      .on('GET', `${BACKUP}/snapshots`, [
        { id: IDS.snapshotOld, createdAt: '2026-01-01T03:00:00Z', status: 'completed', snapshotType: 'scheduled', mongodVersion: '8.0.4' },
        { id: IDS.snapshotNew, createdAt: '2026-01-03T03:00:00Z', status: 'completed', snapshotType: 'onDemand' },
        { id: IDS.job3, createdAt: '2026-01-04T03:00:00Z', status: 'somethingNew', snapshotType: 'weird' },
      ])
      .on('GET', `${BACKUP}/snapshots/shardedClusters`, {
        results: [{ id: IDS.snapshotNew, createdAt: '2026-01-03T03:00:00Z', status: 'completed', snapshotType: 'onDemand', type: 'shardedCluster' }],
      });
    const snaps = await cloudKind.listSnapshots(atlas, PROD);
    expect(snaps.map((s) => s.id).sort()).toEqual([IDS.job3, IDS.snapshotNew, IDS.snapshotOld].sort());
    expect(snaps.find((s) => s.id === IDS.snapshotNew)?.sharded).toBe(true);
    expect(snaps.find((s) => s.id === IDS.snapshotOld)).toEqual({
      id: IDS.snapshotOld,
      createdAt: '2026-01-01T03:00:00Z',
      status: 'completed',
      snapshotType: 'scheduled',
      mongodVersion: '8.0.4',
      sharded: false,
    });
    // An unknown status is never restorable; an unknown type is dropped.
    const odd = snaps.find((s) => s.id === IDS.job3);
    expect(odd?.status).toBe('queued');
    expect(odd).not.toHaveProperty('snapshotType');
    expect(atlas.calls.map((c) => [c.path, c.list, c.version])).toEqual(
      expect.arrayContaining([
        [`${BACKUP}/snapshots`, true, '2023-01-01'],
        [`${BACKUP}/snapshots/shardedClusters`, false, '2023-01-01'],
      ]),
    );
  });

  it('findInFlight adopts only a running job of the same request', async () => {
    const atlas = new FakeAtlas().on('GET', `${BACKUP}/restoreJobs`, [
      // Same request but finished: not in flight.
      { id: IDS.job1, deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster', finishedAt: '2026-01-01T00:00:00Z' },
      // Running, other snapshot.
      { id: IDS.job2, deliveryType: 'automated', snapshotId: IDS.snapshotOld, targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster' },
      // Running, same request, target name in another case (Atlas names are case-insensitive).
      { id: IDS.job3, deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: IDS.stagingGroup, targetClusterName: 'STAGING-cluster' },
    ]);
    expect(await cloudKind.findInFlight(atlas, automated)).toEqual({ kind: 'cloud', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId: IDS.job3 });
  });

  it('findInFlight finds nothing when every matching job has ended', async () => {
    const atlas = new FakeAtlas().on('GET', `${BACKUP}/restoreJobs`, [
      { id: IDS.job1, deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: IDS.stagingGroup, targetClusterName: 'staging-cluster', cancelled: true },
    ]);
    expect(await cloudKind.findInFlight(atlas, automated)).toBeUndefined();
  });
});

describe('sameCloudRequest', () => {
  it('matches a pointInTime job on its moment, not its snapshot', () => {
    expect(sameCloudRequest(pit, { deliveryType: 'pointInTime', target: STAGING, snapshotId: IDS.snapshotOld, pointInTimeUTCSeconds: 1_772_000_000 })).toBe(true);
    expect(sameCloudRequest(pit, { deliveryType: 'pointInTime', target: STAGING, pointInTimeUTCSeconds: 1_772_000_001 })).toBe(false);
  });

  it('matches an oplog pointInTime on both ts and inc', () => {
    const oplog: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'pointInTime', target: STAGING, oplogTs: 1_772_000_000, oplogInc: 3 };
    expect(sameCloudRequest(oplog, { deliveryType: 'pointInTime', target: STAGING, oplogTs: 1_772_000_000, oplogInc: 3 })).toBe(true);
    expect(sameCloudRequest(oplog, { deliveryType: 'pointInTime', target: STAGING, oplogTs: 1_772_000_000, oplogInc: 4 })).toBe(false);
  });

  it('differs on delivery type or target', () => {
    expect(sameCloudRequest(automated, { deliveryType: 'download', snapshotId: IDS.snapshotNew })).toBe(false);
    expect(sameCloudRequest(automated, { deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: { ...STAGING, groupId: IDS.prodGroup } })).toBe(false);
    expect(sameCloudRequest(automated, { deliveryType: 'automated', snapshotId: IDS.snapshotNew })).toBe(false);
  });
});
