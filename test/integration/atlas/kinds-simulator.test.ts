import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClient } from '../../../functions/core/atlas/index.js';
import { AtlasConflictError, AtlasCreateOutcomeUnknownError } from '../../../functions/core/domain/errors.js';
import { findTargetBusy, reconcileCreate } from '../../../functions/core/restore/adopt.js';
import { chooseSnapshot } from '../../../functions/core/restore/choose.js';
import { kindFor } from '../../../functions/core/restore/kinds/index.js';
import { listLegacyCheckpoints } from '../../../functions/core/restore/kinds/legacy.js';
import { parseRestoreRequest, type RestoreRequest } from '../../../functions/core/restore/request.js';
import { isTerminal, type RestoreJobRef, type RestoreState, type RestoreStatus } from '../../../functions/core/restore/status.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, STAGING, defaultWorld, noWait } from './helpers.js';

/**
 * Every restore kind through the real client against the simulator (manual clock): create, let
 * simulated time pass, read until the job ends; the outcomes Atlas can give; snapshots and their
 * choice on the simulator's data; adopting a running job and a create whose answer was lost.
 */

const MIN = 60_000;
const HOUR = 60 * MIN;
const snap = (n: string) => `65f1b${n.padStart(19, '0')}`;

let sim: SimulatorHandle;
let atlas: AtlasClient;

beforeEach(async () => {
  // The era before Atlas removed the shared-tier endpoints, so the tenant kind can still be checked.
  sim = await startSimulator({ ...defaultWorld(), tenantApi: 'served' }, { clock: 'manual', seed: 11 });
  atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
});
afterEach(async () => {
  await atlas.close();
  await sim.stop();
});

const request = (input: Record<string, unknown>): RestoreRequest => parseRestoreRequest(input, new Date(sim.clock.now()));

/** Reads the job every `stepMs` of simulated time until it ends; returns the end and each state seen. */
async function followToEnd(ref: RestoreJobRef, stepMs = 30_000, maxLooks = 400): Promise<{ end: RestoreStatus; seen: RestoreState[] }> {
  const seen: RestoreState[] = [];
  const kind = kindFor({ kind: ref.kind } as RestoreRequest);
  for (let look = 0; look < maxLooks; look++) {
    const status = await kind.get(atlas, ref);
    if (seen.at(-1) !== status.state) seen.push(status.state);
    if (isTerminal(status.state)) return { end: status, seen };
    sim.clock.advance(stepMs);
  }
  throw new Error(`job ${ref.jobId} did not end after ${maxLooks} looks`);
}

async function create(r: RestoreRequest): Promise<RestoreJobRef> {
  return kindFor(r).create(atlas, r);
}

const postsTo = (path: string) => sim.requests().filter((e) => e.method === 'POST' && e.path === path && e.status !== 401);

describe('cloud backup', () => {
  const source = { groupId: PROD, clusterName: 'prod-cluster' };
  const staging = { groupId: STAGING, clusterName: 'staging-cluster' };

  it('automated: the latest scheduled snapshot onto staging, followed to SUCCEEDED; the target holds its data', async () => {
    const snapshots = await kindFor({ kind: 'cloud' } as RestoreRequest).listSnapshots(atlas, source);
    expect(snapshots).toHaveLength(7);
    expect(chooseSnapshot(snapshots, { by: 'latest' }, new Date(sim.clock.now())).id).toBe(snap('106'));
    const chosen = chooseSnapshot(snapshots, { by: 'latest', snapshotType: 'scheduled' }, new Date(sim.clock.now()));
    expect(chosen.id).toBe(snap('105'));

    const r = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: chosen.id, target: staging });
    const ref = await create(r);
    expect(ref).toMatchObject({ kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' });
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);

    const { end, seen } = await followToEnd(ref);
    expect(seen).toEqual(['RUNNING', 'SUCCEEDED']);
    expect(end).toMatchObject({ kind: 'cloud', state: 'SUCCEEDED', jobIds: [ref.jobId], snapshotId: snap('105') });
    expect(end.finishedAt).toBeDefined();
    const expected = sim.cluster(PROD, 'prod-cluster').snapshots.find((s) => s.id === snap('105'))?.dataVersion;
    expect(sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(expected);
    // An ended job is not in flight any more.
    expect(await kindFor(r).findInFlight(atlas, r)).toBeUndefined();
  });

  it('pointInTime onto the recovery cluster brings back the data of that moment', async () => {
    const at = Math.floor(sim.clock.now() / 1000) - 3 * 3600;
    const r = request({ kind: 'cloud', source, deliveryType: 'pointInTime', target: { groupId: PROD, clusterName: 'recovery-cluster' }, pointInTimeUTCSeconds: at });
    const ref = await create(r);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    expect((await followToEnd(ref)).end.state).toBe('SUCCEEDED');
    expect(sim.cluster(PROD, 'recovery-cluster').dataVersion).toBe('prod-v4');
  });

  it('download: SUCCEEDED once the link is there, with the link and its expiry; EXPIRED once it lapses', async () => {
    const r = request({ kind: 'cloud', source, deliveryType: 'download', snapshotId: snap('104') });
    const ref = await create(r);
    const { end } = await followToEnd(ref);
    expect(end.state).toBe('SUCCEEDED');
    expect(end.delivery?.urls).toHaveLength(1);
    expect(end.delivery?.urls[0]).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
    expect(Date.parse(end.delivery?.expiresAt ?? '') - Date.parse(end.finishedAt ?? '')).toBe(4 * HOUR);
    sim.clock.advance(4 * HOUR + MIN);
    expect((await kindFor(r).get(atlas, ref)).state).toBe('EXPIRED');
  });

  it('a job Atlas fails ends FAILED, and the target keeps its data', async () => {
    sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'fail' });
    const before = sim.cluster(STAGING, 'staging-cluster').dataVersion;
    const ref = await create(request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('105'), target: staging }));
    expect((await followToEnd(ref)).end.state).toBe('FAILED');
    expect(sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(before);
  });

  it('cancel: the job ends CANCELLED; cancelling it again is a conflict (405)', async () => {
    const r = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('105'), target: staging });
    const ref = await create(r);
    sim.clock.advance(2 * MIN);
    await kindFor(r).cancel(atlas, ref);
    expect((await followToEnd(ref)).end.state).toBe('CANCELLED');
    const again = await kindFor(r).cancel(atlas, ref).catch((e: unknown) => e);
    expect(again).toBeInstanceOf(AtlasConflictError);
    expect((again as AtlasConflictError).status).toBe(405);
    expect((again as AtlasConflictError).errorCode).toBe('ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED');
  });

  it('a sharded cluster: both snapshot lists merged into one entry per snapshot, flagged sharded', async () => {
    const snapshots = await kindFor({ kind: 'cloud' } as RestoreRequest).listSnapshots(atlas, { groupId: PROD, clusterName: 'prod-sharded' });
    expect(snapshots.map((s) => s.id).sort()).toEqual([snap('201'), snap('202'), snap('203')]);
    expect(snapshots.every((s) => s.sharded === true)).toBe(true);
    expect(chooseSnapshot(snapshots, { by: 'latest', before: new Date(sim.clock.now() - 2 * HOUR).toISOString() }, new Date(sim.clock.now())).id).toBe(snap('202'));
  });

  it('findTargetBusy sees another running restore of the source onto the same target', async () => {
    const running = await create(request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('105'), target: staging }));
    const other = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('104'), target: staging });
    expect(await kindFor(other).findInFlight(atlas, other)).toBeUndefined();
    expect(await findTargetBusy(atlas, other)).toEqual(running);
    const elsewhere = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('104'), target: { groupId: PROD, clusterName: 'recovery-cluster' } });
    expect(await findTargetBusy(atlas, elsewhere)).toBeUndefined();
  });

  it('reconcileCreate adopts the job a lost answer created: exactly one POST made a job', async () => {
    const jobsPath = `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/restoreJobs`;
    sim.setFaults({ rules: [{ match: `POST ${jobsPath}`, script: ['lostAnswer'] }] });
    const r = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('105'), target: staging });
    const kind = kindFor(r);
    let creates = 0;
    const result = await reconcileCreate(atlas, kind, r, async () => {
      creates++;
      return kind.create(atlas, r);
    });
    expect(creates).toBe(1);
    expect(result.adopted).toBe(true);
    const jobs = sim.jobs({ family: 'cloud' });
    expect(jobs).toHaveLength(1);
    expect(result.ref.jobId).toBe(jobs[0]?.id);
    const posts = postsTo(jobsPath);
    expect(posts).toHaveLength(1);
    expect(posts[0]?.fault).toMatch(/lost answer/);
  });

  it('reconcileCreate rethrows the ambiguity when the lost POST made nothing to adopt, and never POSTs again', async () => {
    const jobsPath = `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/restoreJobs`;
    sim.setFaults({ rules: [{ match: `POST ${jobsPath}`, script: ['lostAnswer'] }] });
    // Atlas refuses this one (the snapshot is still in progress), and the refusal is lost too.
    const r = request({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: snap('107'), target: staging });
    const kind = kindFor(r);
    const err = await reconcileCreate(atlas, kind, r, () => kind.create(atlas, r)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(sim.jobs()).toHaveLength(0);
    expect(postsTo(jobsPath)).toHaveLength(1);
  });
});

describe('flex', () => {
  const source = { groupId: STAGING, clusterName: 'flex-dev' };

  it('restore: latest snapshot onto flex-target, PENDING → RUNNING → SUCCEEDED, data moved', async () => {
    const snapshots = await kindFor({ kind: 'flex' } as RestoreRequest).listSnapshots(atlas, source);
    const chosen = chooseSnapshot(snapshots, { by: 'latest' }, new Date(sim.clock.now()));
    expect(chosen.id).toBe(snap('1403'));
    const r = request({ kind: 'flex', source, snapshotId: chosen.id, target: { groupId: STAGING, clusterName: 'flex-target' } });
    const ref = await create(r);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    const { end, seen } = await followToEnd(ref, 15_000);
    expect(seen).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
    expect(end).toMatchObject({ kind: 'flex', state: 'SUCCEEDED', atlasStatus: 'COMPLETED', snapshotId: snap('1403') });
    expect(sim.cluster(STAGING, 'flex-target').dataVersion).toBe(sim.cluster(STAGING, 'flex-dev').snapshots.find((s) => s.id === snap('1403'))?.dataVersion);
  });

  it('a failed restore is FAILED', async () => {
    sim.scriptOutcome({ cluster: 'flex-dev', kind: 'flex', outcome: 'fail' });
    const ref = await create(request({ kind: 'flex', source, snapshotId: snap('1402'), target: { groupId: STAGING, clusterName: 'flex-target' } }));
    expect((await followToEnd(ref)).end.state).toBe('FAILED');
  });

  it('download: SUCCEEDED with its link, EXPIRED four hours later', async () => {
    const r = request({ kind: 'flex', source, deliveryType: 'download', snapshotId: snap('1401') });
    const ref = await create(r);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    const { end } = await followToEnd(ref);
    expect(end.state).toBe('SUCCEEDED');
    expect(end.delivery?.urls).toHaveLength(1);
    sim.clock.advance(4 * HOUR + MIN);
    expect((await kindFor(r).get(atlas, ref)).state).toBe('EXPIRED');
  });

  it('cancel is refused without calling Atlas', async () => {
    const ref = await create(request({ kind: 'flex', source, snapshotId: snap('1403'), target: { groupId: STAGING, clusterName: 'flex-target' } }));
    const before = sim.requests().length;
    await expect(kindFor({ kind: 'flex' } as RestoreRequest).cancel(atlas, ref)).rejects.toBeInstanceOf(AtlasConflictError);
    expect(sim.requests()).toHaveLength(before);
  });
});

describe('shared tier (tenant)', () => {
  const source = { groupId: STAGING, clusterName: 'm2-legacy' };

  it('restore: latest snapshot onto m2-target, followed to SUCCEEDED', async () => {
    const snapshots = await kindFor({ kind: 'tenant' } as RestoreRequest).listSnapshots(atlas, source);
    expect(snapshots).toHaveLength(3);
    const chosen = chooseSnapshot(snapshots, { by: 'latest' }, new Date(sim.clock.now()));
    expect(chosen.id).toBe(snap('1603'));
    const r = request({ kind: 'tenant', source, snapshotId: chosen.id, target: { groupId: STAGING, clusterName: 'm2-target' } });
    const ref = await create(r);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    const { end, seen } = await followToEnd(ref, 15_000);
    expect(seen).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
    expect(end.kind).toBe('tenant');
    expect(sim.cluster(STAGING, 'm2-target').dataVersion).toBe('m2-v3');
  });

  it('a failed restore is FAILED; a download ends with a link', async () => {
    sim.scriptOutcome({ cluster: 'm2-legacy', kind: 'tenant', outcome: 'fail' });
    const failed = await create(request({ kind: 'tenant', source, snapshotId: snap('1602'), target: { groupId: STAGING, clusterName: 'm2-target' } }));
    expect((await followToEnd(failed)).end.state).toBe('FAILED');
    const download = await create(request({ kind: 'tenant', source, deliveryType: 'download', snapshotId: snap('1601') }));
    const { end } = await followToEnd(download);
    expect(end.state).toBe('SUCCEEDED');
    expect(end.delivery?.urls).toHaveLength(1);
  });
});

describe('legacy backup', () => {
  const rs = { groupId: PROD, clusterName: 'legacy-rs' };
  const sharded = { groupId: PROD, clusterName: 'legacy-sharded' };

  it('replica set: the latest completed snapshot onto the recovery cluster, PENDING → RUNNING → SUCCEEDED', async () => {
    const snapshots = await kindFor({ kind: 'legacy' } as RestoreRequest).listSnapshots(atlas, rs);
    expect(snapshots.map((s) => s.status).sort()).toEqual(['completed', 'completed', 'inProgress']);
    const chosen = chooseSnapshot(snapshots, { by: 'latest' }, new Date(sim.clock.now()));
    expect(chosen.id).toBe(snap('402'));
    const r = request({
      kind: 'legacy',
      source: rs,
      snapshotId: chosen.id,
      delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: PROD, clusterName: 'recovery-cluster' } },
    });
    const ref = await create(r);
    expect(ref.jobIds).toEqual([ref.jobId]);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    const { end, seen } = await followToEnd(ref, MIN);
    expect(seen).toEqual(['PENDING', 'RUNNING', 'SUCCEEDED']);
    expect(end).toMatchObject({ kind: 'legacy', atlasStatus: 'FINISHED', snapshotId: snap('402') });
    expect(sim.cluster(PROD, 'recovery-cluster').dataVersion).toBe('legacy-rs-v2');
  });

  it('a broken job is FAILED', async () => {
    sim.scriptOutcome({ cluster: 'legacy-rs', kind: 'legacy', outcome: 'fail' });
    const ref = await create(
      request({ kind: 'legacy', source: rs, snapshotId: snap('401'), delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: PROD, clusterName: 'recovery-cluster' } } }),
    );
    expect((await followToEnd(ref, MIN)).end.state).toBe('FAILED');
  });

  it('HTTP download: SUCCEEDED with its link, EXPIRED after expirationHours', async () => {
    const ref = await create(request({ kind: 'legacy', source: rs, snapshotId: snap('402'), delivery: { methodName: 'HTTP', expirationHours: 1 } }));
    const { end } = await followToEnd(ref, MIN);
    expect(end.state).toBe('SUCCEEDED');
    expect(end.delivery?.urls).toHaveLength(1);
    expect(end.delivery?.expiresAt).toBeDefined();
    sim.clock.advance(HOUR + MIN);
    expect((await kindFor({ kind: 'legacy' } as RestoreRequest).get(atlas, ref)).state).toBe('EXPIRED');
  });

  it('sharded: a checkpoint restore makes one job per shard plus config, and ends only when all have', async () => {
    const checkpoints = await listLegacyCheckpoints(atlas, sharded);
    expect(checkpoints.map((c) => c.id)).toEqual(['65f1d0000000000000000502', '65f1d0000000000000000501']);
    const target = { groupId: STAGING, clusterName: 'staging-sharded-2' };
    const before = sim.cluster(STAGING, 'staging-sharded-2').dataVersion;
    const r = request({ kind: 'legacy', source: sharded, checkpointId: checkpoints[0]?.id, delivery: { methodName: 'AUTOMATED_RESTORE', target } });
    const ref = await create(r);
    expect(ref.jobIds).toHaveLength(3);
    expect(ref.batchId).toMatch(/^[a-f0-9]{24}$/);
    expect(await kindFor(r).findInFlight(atlas, r)).toEqual(ref);
    expect((await findTargetBusy(atlas, r))?.batchId).toBe(ref.batchId);

    // The jobs finish at 1200 s, 1260 s and 1320 s: in between the batch is still running.
    sim.clock.advance(1230_000);
    const partway = await kindFor(r).get(atlas, ref);
    expect(partway).toMatchObject({ state: 'RUNNING', batchId: ref.batchId, atlasStatus: 'IN_PROGRESS ×2, FINISHED ×1' });
    expect(partway.jobIds).toEqual(ref.jobIds);
    expect(sim.cluster(STAGING, 'staging-sharded-2').dataVersion).toBe(before);
    sim.clock.advance(60_000);
    expect((await kindFor(r).get(atlas, ref)).atlasStatus).toBe('IN_PROGRESS ×1, FINISHED ×2');
    sim.clock.advance(60_000);
    const end = await kindFor(r).get(atlas, ref);
    expect(end).toMatchObject({ state: 'SUCCEEDED', atlasStatus: 'FINISHED ×3' });
    expect(sim.cluster(STAGING, 'staging-sharded-2').dataVersion).not.toBe(before);
    // Listed again, the batch is one entry, ended.
    const listed = await kindFor(r).list(atlas, sharded);
    expect(listed).toHaveLength(1);
    expect(listed[0]).toMatchObject({ ref, status: { state: 'SUCCEEDED' } });
  });

  it('sharded: the batch fails when its last job breaks, only once every job has stopped', async () => {
    sim.scriptOutcome({ cluster: 'legacy-sharded', kind: 'legacy', outcome: 'fail' });
    const ref = await create(
      request({ kind: 'legacy', source: sharded, snapshotId: snap('502'), delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: STAGING, clusterName: 'staging-sharded-2' } } }),
    );
    const { end, seen } = await followToEnd(ref, MIN);
    expect(seen.at(-1)).toBe('FAILED');
    expect(end.atlasStatus).toBe('FINISHED ×2, BROKEN ×1');
  });

  it('reconcileCreate adopts the sharded batch a lost answer created: one POST, one batch', async () => {
    const jobsPath = `/api/atlas/v2/groups/${PROD}/clusters/legacy-sharded/restoreJobs`;
    sim.setFaults({ rules: [{ match: `POST ${jobsPath}`, script: ['lostAnswer'] }] });
    const r = request({ kind: 'legacy', source: sharded, snapshotId: snap('502'), delivery: { methodName: 'AUTOMATED_RESTORE', target: { groupId: STAGING, clusterName: 'staging-sharded-2' } } });
    const kind = kindFor(r);
    const result = await reconcileCreate(atlas, kind, r, () => kind.create(atlas, r));
    expect(result.adopted).toBe(true);
    const jobs = sim.jobs({ family: 'legacy' });
    expect(jobs).toHaveLength(3);
    expect(result.ref.batchId).toBe(jobs[0]?.batchId);
    expect([...(result.ref.jobIds ?? [])].sort()).toEqual(jobs.map((j) => j.id).sort());
    expect(postsTo(jobsPath)).toHaveLength(1);
  });
});
