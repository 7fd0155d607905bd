import { describe, expect, it } from 'vitest';
import type { AtlasRequest, AtlasResponse, AtlasTransport } from '../../../functions/core/atlas/transport.js';
import { AtlasConflictError, AtlasCreateOutcomeUnknownError, AtlasInvalidRequestError } from '../../../functions/core/domain/errors.js';
import { findTargetBusy, reconcileCreate } from '../../../functions/core/restore/adopt.js';
import { cloudKind, flexKind, legacyKind, tenantKind } from '../../../functions/core/restore/kinds/index.js';
import { parseRestoreRequest, type RestoreRequest } from '../../../functions/core/restore/request.js';

/**
 * Adopt and reconcile against a small in-memory AtlasTransport: lists per path, a POST handler,
 * and a log of every call, so "never POST twice" is counted, not assumed.
 */

const G1 = '65f1a0000000000000000001';
const G2 = '65f1a0000000000000000002';
const SNAP = '65f1b0000000000000000105';
const OTHER_SNAP = '65f1b0000000000000000104';
const NOW = new Date('2026-06-01T12:00:00Z');
const PIT = Math.floor(NOW.getTime() / 1000) - 3600;
const CLOUD_JOBS = `/api/atlas/v2/groups/${G1}/clusters/prod-cluster/backup/restoreJobs`;

type Call = Pick<AtlasRequest, 'method' | 'path' | 'query' | 'body'>;

class FakeAtlas implements AtlasTransport {
  readonly calls: Call[] = [];
  readonly lists = new Map<string, unknown[]>();
  onPost: (path: string, body: unknown) => unknown = () => {
    throw new Error('unexpected POST');
  };

  async request<T = unknown>(req: AtlasRequest): Promise<AtlasResponse<T>> {
    this.calls.push({ method: req.method, path: req.path, query: req.query, body: req.body });
    if (req.method === 'POST') return { status: 200, body: this.onPost(req.path, req.body) as T, headers: {} };
    if (req.method === 'GET' && this.lists.has(req.path)) return { status: 200, body: { results: this.lists.get(req.path) } as T, headers: {} };
    throw new Error(`unexpected ${req.method} ${req.path}`);
  }

  async listAll<T = unknown>(req: Omit<AtlasRequest, 'method' | 'body'>): Promise<T[]> {
    this.calls.push({ method: 'GET', path: req.path, query: req.query });
    return (this.lists.get(req.path) ?? []) as T[];
  }

  posts(): Call[] {
    return this.calls.filter((c) => c.method === 'POST');
  }
}

const automated = (snapshotId = SNAP, clusterName = 'staging-cluster'): RestoreRequest =>
  parseRestoreRequest(
    { kind: 'cloud', source: { groupId: G1, clusterName: 'prod-cluster' }, deliveryType: 'automated', snapshotId, target: { groupId: G2, clusterName } },
    NOW,
  );

const cloudJob = (id: string, extra: Record<string, unknown> = {}) => ({
  id,
  deliveryType: 'automated',
  snapshotId: SNAP,
  targetGroupId: G2,
  targetClusterName: 'staging-cluster',
  cancelled: false,
  failed: false,
  expired: false,
  ...extra,
});

const createVia = (atlas: FakeAtlas, request: RestoreRequest) => () => cloudKind.create(atlas, request as Parameters<typeof cloudKind.create>[1]);

describe('reconcileCreate', () => {
  it('adopts the job of the same request already in flight, without a POST', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, [cloudJob('a1'), cloudJob('a2', { finishedAt: '2026-06-01T11:00:00Z' })]);
    const result = await reconcileCreate(atlas, cloudKind, automated(), createVia(atlas, automated()));
    expect(result).toEqual({ ref: { kind: 'cloud', groupId: G1, clusterName: 'prod-cluster', jobId: 'a1' }, adopted: true });
    expect(atlas.posts()).toHaveLength(0);
  });

  it('creates when the only matching job has ended, or the running one is another request', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, [cloudJob('done', { finishedAt: '2026-06-01T11:00:00Z' }), cloudJob('other', { snapshotId: OTHER_SNAP })]);
    atlas.onPost = () => cloudJob('new1');
    const result = await reconcileCreate(atlas, cloudKind, automated(), createVia(atlas, automated()));
    expect(result).toEqual({ ref: expect.objectContaining({ jobId: 'new1' }), adopted: false });
    expect(atlas.posts()).toEqual([
      {
        method: 'POST',
        path: CLOUD_JOBS,
        query: undefined,
        body: { deliveryType: 'automated', snapshotId: SNAP, targetGroupId: G2, targetClusterName: 'staging-cluster' },
      },
    ]);
  });

  it('a lost answer: adopts the job the POST made, and POSTs exactly once', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, []);
    atlas.onPost = () => {
      atlas.lists.set(CLOUD_JOBS, [cloudJob('made')]);
      throw new AtlasCreateOutcomeUnknownError('socket closed after the request was sent');
    };
    const create = async () => {
      await atlas.request({ method: 'POST', path: CLOUD_JOBS, version: '2023-01-01', body: {} });
      throw new Error('unreachable');
    };
    const result = await reconcileCreate(atlas, cloudKind, automated(), create);
    expect(result).toEqual({ ref: expect.objectContaining({ jobId: 'made' }), adopted: true });
    expect(atlas.posts()).toHaveLength(1);
  });

  it('a lost answer with nothing to adopt rethrows the ambiguity instead of POSTing again', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, [cloudJob('other', { snapshotId: OTHER_SNAP })]);
    const lost = new AtlasCreateOutcomeUnknownError('lost');
    let creates = 0;
    const err = await reconcileCreate(atlas, cloudKind, automated(), async () => {
      creates++;
      throw lost;
    }).catch((e: unknown) => e);
    expect(err).toBe(lost);
    expect(creates).toBe(1);
    // Looked before, and once more after the lost answer.
    expect(atlas.calls.filter((c) => c.path === CLOUD_JOBS)).toHaveLength(2);
  });

  it('any other create error is rethrown as it is, without a second look', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, []);
    const refused = new AtlasInvalidRequestError('400 INVALID_ATTRIBUTE');
    await expect(reconcileCreate(atlas, cloudKind, automated(), () => Promise.reject(refused))).rejects.toBe(refused);
    expect(atlas.calls).toHaveLength(1);
  });
});

describe('findInFlight: the same choice', () => {
  const pitRequest = (extra: Record<string, number>) =>
    parseRestoreRequest(
      { kind: 'cloud', source: { groupId: G1, clusterName: 'prod-cluster' }, deliveryType: 'pointInTime', target: { groupId: G2, clusterName: 'staging-cluster' }, ...extra },
      NOW,
    ) as Parameters<typeof cloudKind.findInFlight>[1];

  it('cloud pointInTime matches on the moment, whatever base snapshot Atlas reports', async () => {
    const atlas = new FakeAtlas();
    const pitJob = (id: string, extra: Record<string, unknown>) => cloudJob(id, { deliveryType: 'pointInTime', snapshotId: OTHER_SNAP, ...extra });
    atlas.lists.set(CLOUD_JOBS, [pitJob('p1', { pointInTimeUTCSeconds: PIT - 60 }), pitJob('p2', { pointInTimeUTCSeconds: PIT }), pitJob('o1', { oplogTs: PIT, oplogInc: 3 })]);
    expect((await cloudKind.findInFlight(atlas, pitRequest({ pointInTimeUTCSeconds: PIT })))?.jobId).toBe('p2');
    expect((await cloudKind.findInFlight(atlas, pitRequest({ oplogTs: PIT, oplogInc: 3 })))?.jobId).toBe('o1');
    expect(await cloudKind.findInFlight(atlas, pitRequest({ oplogTs: PIT, oplogInc: 4 }))).toBeUndefined();
  });

  it('cloud: a download never adopts an automated restore of the same snapshot', async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, [cloudJob('a1')]);
    const download = parseRestoreRequest({ kind: 'cloud', source: { groupId: G1, clusterName: 'prod-cluster' }, deliveryType: 'download', snapshotId: SNAP }, NOW);
    expect(await cloudKind.findInFlight(atlas, download as Parameters<typeof cloudKind.findInFlight>[1])).toBeUndefined();
  });

  it('flex and tenant: same snapshot and target (project defaulting to the source), read from the job', async () => {
    for (const [kind, jobsPath] of [
      [flexKind, `/api/atlas/v2/groups/${G2}/flexClusters/flex-dev/backup/restoreJobs`],
      [tenantKind, `/api/atlas/v2/groups/${G2}/clusters/flex-dev/backup/tenant/restores`],
    ] as const) {
      const atlas = new FakeAtlas();
      atlas.lists.set(jobsPath, [
        { id: 'f0', snapshotId: SNAP, deliveryType: 'RESTORE', status: 'COMPLETED', targetDeploymentItemName: 'flex-target', restoreScheduledDate: '2026-06-01T11:00:00Z' },
        { id: 'f1', snapshotId: SNAP, deliveryType: 'RESTORE', status: 'QUEUED', targetDeploymentItemName: 'flex-target', restoreScheduledDate: '2026-06-01T11:30:00Z' },
      ]);
      const request = parseRestoreRequest(
        { kind: kind.name, source: { groupId: G2, clusterName: 'flex-dev' }, snapshotId: SNAP, target: { groupId: G2, clusterName: 'flex-target' } },
        NOW,
      );
      expect((await kind.findInFlight(atlas, request as never))?.jobId).toBe('f1');
      const elsewhere = parseRestoreRequest({ ...request, target: { groupId: G2, clusterName: 'other' } }, NOW);
      expect(await kind.findInFlight(atlas, elsewhere as never)).toBeUndefined();
      expect(atlas.posts()).toHaveLength(0);
    }
  });

  it('legacy: one entry per batch; a point in time matches the moment the job restores to', async () => {
    const jobsPath = `/api/atlas/v2/groups/${G1}/clusters/legacy-rs/restoreJobs`;
    const at = NOW.getTime() - 3_600_000;
    const legacyJob = (id: string, statusName: string, restoredTo: number, extra: Record<string, unknown> = {}) => ({
      id,
      statusName,
      created: '2026-06-01T11:59:00Z',
      timestamp: { date: new Date(restoredTo).toISOString(), increment: 1 },
      delivery: { methodName: 'HTTP', targetGroupId: G2, targetClusterName: 'staging-cluster', statusName: 'IN_PROGRESS' },
      ...extra,
    });
    const atlas = new FakeAtlas();
    atlas.lists.set(jobsPath, [legacyJob('l1', 'IN_PROGRESS', at - 60_000), legacyJob('l2', 'IN_PROGRESS', at)]);
    const request = parseRestoreRequest(
      {
        kind: 'legacy',
        source: { groupId: G1, clusterName: 'legacy-rs' },
        pointInTimeUTCMillis: at,
        delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: G2, clusterName: 'staging-cluster' } },
      },
      NOW,
    );
    expect(await legacyKind.findInFlight(atlas, request as never)).toEqual({
      kind: 'legacy',
      groupId: G1,
      clusterName: 'legacy-rs',
      jobId: 'l2',
      jobIds: ['l2'],
    });
  });
});

describe('findTargetBusy', () => {
  it("finds any running job of the source onto the request's target, whatever its snapshot (not an ended, failed or other project's one)", async () => {
    const atlas = new FakeAtlas();
    atlas.lists.set(CLOUD_JOBS, [
      cloudJob('ended', { finishedAt: '2026-06-01T11:00:00Z' }),
      cloudJob('failed', { failed: true }),
      cloudJob('elsewhere', { targetGroupId: G1 }),
      { id: 'dl', deliveryType: 'download', snapshotId: SNAP, cancelled: false, failed: false, expired: false, deliveryUrl: [] },
      cloudJob('busy', { snapshotId: OTHER_SNAP, targetClusterName: 'STAGING-cluster' }),
    ]);
    expect((await findTargetBusy(atlas, automated()))?.jobId).toBe('busy');
    expect(await findTargetBusy(atlas, automated(SNAP, 'recovery-cluster'))).toBeUndefined();
  });

  it('a download overwrites nothing: no target to be busy, and no call to Atlas', async () => {
    const atlas = new FakeAtlas();
    const download = parseRestoreRequest({ kind: 'cloud', source: { groupId: G1, clusterName: 'prod-cluster' }, deliveryType: 'download', snapshotId: SNAP }, NOW);
    expect(await findTargetBusy(atlas, download)).toBeUndefined();
    expect(atlas.calls).toHaveLength(0);
  });
});

describe('cancel where Atlas offers none', () => {
  it('flex, tenant and legacy refuse with AtlasConflictError and make no HTTP call', async () => {
    const atlas = new FakeAtlas();
    for (const kind of [flexKind, tenantKind, legacyKind]) {
      expect(kind.cancellable).toBe(false);
      const err = await kind.cancel(atlas, { kind: kind.name, groupId: G1, clusterName: 'c', jobId: 'j1' }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AtlasConflictError);
      expect((err as Error).message).toMatch(/no way to cancel .* job j1 keeps running/);
    }
    expect(atlas.calls).toHaveLength(0);
    expect(cloudKind.cancellable).toBe(true);
  });
});
