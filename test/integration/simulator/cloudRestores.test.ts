import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, HOUR, MIN, P1, P2, S, send, START, startTestSimulator, testWorld } from './helpers.js';

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const automated = (snapshotId = S.recent, target = 'dst', group = P1) => ({
  deliveryType: 'automated',
  snapshotId,
  targetClusterName: target,
  targetGroupId: group,
});
const data = (name: string, group = P1) => sim.cluster(group, name).dataVersion;

describe('cloud backup restore jobs: lifecycle on the manual clock', () => {
  it('runs an automated restore to success and only then replaces the target data', async () => {
    sim = await startTestSimulator();
    const created = await api(sim).post(cloudJobs(), automated());
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('application/vnd.atlas.2023-01-01+json;charset=utf-8');
    expect(created.json).toMatchObject({
      deliveryType: 'automated',
      snapshotId: S.recent,
      targetClusterName: 'dst',
      targetGroupId: P1,
      cancelled: false,
      failed: false,
      expired: false,
      timestamp: new Date(START - 5 * HOUR).toISOString().replace('.000Z', 'Z'),
    });
    expect(created.json).not.toHaveProperty('finishedAt');
    expect(created.json).not.toHaveProperty('status');
    expect(created.json.id).toMatch(/^[a-f0-9]{24}$/);
    const path = `${cloudJobs()}/${created.json.id}`;

    sim.clock.advance(599_000);
    expect((await api(sim).get(path)).json).not.toHaveProperty('finishedAt');
    expect(data('dst')).toBe('dst-v0');

    sim.clock.advance(1_000);
    const done = await api(sim).get(path);
    expect(done.json).toMatchObject({ cancelled: false, failed: false, expired: false, finishedAt: '2026-01-15T12:10:00Z' });
    // The snapshot taken 5 h ago holds the data written 10 h ago; source and bystanders are untouched.
    expect(data('dst')).toBe('src-v2');
    expect(data('src')).toBe('src-v3');
    expect(data('other')).toBe('other-v0');
    expect(data('dst2', P2)).toBe('dst2-v0');
  });

  it('a scripted failure ends failed=true with finishedAt, and the target keeps its data', async () => {
    sim = await startTestSimulator();
    sim.scriptOutcome({ cluster: 'src', kind: 'cloud.automated', outcome: 'fail' });
    const { json } = await api(sim).post(cloudJobs(), automated());
    sim.clock.advance(10 * MIN);
    const job = (await api(sim).get(`${cloudJobs()}/${json.id}`)).json;
    expect(job).toMatchObject({ failed: true, cancelled: false, expired: false, finishedAt: '2026-01-15T12:10:00Z' });
    expect(data('dst')).toBe('dst-v0');
    // The rule was for one job only: the next one succeeds.
    const next = await api(sim).post(cloudJobs(), automated());
    sim.clock.advance(10 * MIN);
    expect((await api(sim).get(`${cloudJobs()}/${next.json.id}`)).json.failed).toBe(false);
    expect(data('dst')).toBe('src-v2');
  });

  it('cancels a running job (204, empty body), leaves the target alone, and refuses a second cancel with 405', async () => {
    sim = await startTestSimulator();
    const { json } = await api(sim).post(cloudJobs(), automated());
    sim.clock.advance(2 * MIN);
    const cancelled = await api(sim).delete(`${cloudJobs()}/${json.id}`);
    expect(cancelled.status).toBe(204);
    expect(cancelled.text).toBe('');
    sim.clock.advance(HOUR);
    const job = (await api(sim).get(`${cloudJobs()}/${json.id}`)).json;
    expect(job).toMatchObject({ cancelled: true, failed: false });
    expect(job).not.toHaveProperty('finishedAt');
    expect(data('dst')).toBe('dst-v0');
    const again = await api(sim).delete(`${cloudJobs()}/${json.id}`);
    expect(again.status).toBe(405);
    expect(again.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(again.json).toMatchObject({ error: 405, errorCode: 'ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED', reason: 'Method Not Allowed' });
  });

  it('refuses to cancel a job that already finished', async () => {
    sim = await startTestSimulator();
    const { json } = await api(sim).post(cloudJobs(), automated());
    sim.clock.advance(11 * MIN);
    expect((await api(sim).delete(`${cloudJobs()}/${json.id}`)).json.errorCode).toBe('ATLAS_BACKUP_CANCEL_SHARD_RESTORE_JOB_NOT_ALLOWED');
    expect(data('dst')).toBe('src-v2');
  });

  it('scripted expire and kill end expired=true / cancelled=true with no data written; hang never ends', async () => {
    sim = await startTestSimulator();
    sim.scriptOutcome({ cluster: 'src', outcome: 'expire' });
    sim.scriptOutcome({ cluster: 'src', target: 'other', outcome: 'kill' });
    const expiring = await api(sim).post(cloudJobs(), automated());
    const killed = await api(sim).post(cloudJobs(), automated(S.recent, 'other'));
    sim.clock.advance(HOUR);
    expect((await api(sim).get(`${cloudJobs()}/${expiring.json.id}`)).json).toMatchObject({ expired: true, failed: false, cancelled: false });
    expect((await api(sim).get(`${cloudJobs()}/${killed.json.id}`)).json).toMatchObject({ cancelled: true, expired: false });
    expect(data('dst')).toBe('dst-v0');
    expect(data('other')).toBe('other-v0');

    sim.scriptOutcome({ cluster: 'src', outcome: 'hang' });
    const hanging = await api(sim).post(cloudJobs(), automated());
    sim.clock.advance(30 * 24 * HOUR);
    const job = (await api(sim).get(`${cloudJobs()}/${hanging.json.id}`)).json;
    expect(job).toMatchObject({ cancelled: false, failed: false, expired: false });
    expect(job).not.toHaveProperty('finishedAt');
    expect(data('dst')).toBe('dst-v0');
  });

  it('restores a point in time: the data as of that moment, by seconds or by oplog timestamp', async () => {
    sim = await startTestSimulator();
    const pit = (seconds: number, target: string) => ({
      deliveryType: 'pointInTime',
      targetClusterName: target,
      targetGroupId: P1,
      pointInTimeUTCSeconds: seconds,
    });
    const sevenHoursAgo = (START - 7 * HOUR) / 1000;
    const a = await api(sim).post(cloudJobs(), pit(sevenHoursAgo, 'dst'));
    expect(a.status).toBe(200);
    expect(a.json).toMatchObject({ deliveryType: 'pointInTime', pointInTimeUTCSeconds: sevenHoursAgo, targetClusterName: 'dst' });
    const b = await api(sim).post(cloudJobs(), {
      deliveryType: 'pointInTime',
      targetClusterName: 'other',
      targetGroupId: P1,
      oplogTs: (START - 30 * MIN) / 1000,
      oplogInc: 3,
    });
    expect(b.json).toMatchObject({ oplogTs: (START - 30 * MIN) / 1000, oplogInc: 3 });
    // dst2 lives in project two: naming the wrong target project finds no such cluster.
    expect((await api(sim).post(cloudJobs(), pit((START - 12 * HOUR) / 1000, 'dst2'))).json.errorCode).toBe('CLUSTER_NOT_FOUND');
    sim.clock.advance(15 * MIN);
    expect(data('dst')).toBe('src-v2');
    expect(data('other')).toBe('src-v3');
    const d = await api(sim).post(cloudJobs(), { ...pit((START - 12 * HOUR) / 1000, 'dst2'), targetGroupId: P2 });
    expect(d.status).toBe(200);
    sim.clock.advance(15 * MIN);
    expect(data('dst2', P2)).toBe('src-v1');
    expect(data('src')).toBe('src-v3');
  });

  it('prepares a download: deliveryUrl once ready, the right data behind it, then expiry', async () => {
    sim = await startTestSimulator();
    const created = await api(sim).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.old });
    expect(created.json).toMatchObject({ deliveryType: 'download', snapshotId: S.old, deliveryUrl: [] });
    expect(created.json).not.toHaveProperty('targetClusterName');
    const path = `${cloudJobs()}/${created.json.id}`;
    sim.clock.advance(5 * MIN);
    const ready = (await api(sim).get(path)).json;
    expect(ready.deliveryUrl).toHaveLength(1);
    expect(ready).toMatchObject({ finishedAt: '2026-01-15T12:05:00Z', expiresAt: '2026-01-15T16:05:00Z', expired: false });
    const file = await send('', 'GET', ready.deliveryUrl[0], { accept: null });
    expect(file.status).toBe(200);
    expect(JSON.parse(file.text)).toMatchObject({ snapshotId: S.old, dataVersion: 'src-v1', clusterName: 'src' });
    sim.clock.advance(4 * HOUR);
    const expired = (await api(sim).get(path)).json;
    expect(expired).toMatchObject({ expired: true, deliveryUrl: [] });
    expect((await send('', 'GET', ready.deliveryUrl[0], { accept: null })).status).toBe(410);
    expect(sim.clusters().map((c) => c.dataVersion)).toEqual(testClusterData());
  });

  it('restores a sharded cluster onto a sharded cluster with one component per shard and config server', async () => {
    sim = await startTestSimulator();
    const job = await api(sim).post(cloudJobs('shardsrc'), automated(S.sharded, 'sharddst'));
    expect(job.json.components.map((c: { replicaSetName: string }) => c.replicaSetName)).toHaveLength(4);
    const download = await api(sim).post(cloudJobs('shardsrc'), { deliveryType: 'download', snapshotId: S.sharded });
    sim.clock.advance(10 * MIN);
    const ready = (await api(sim).get(`${cloudJobs('shardsrc')}/${download.json.id}`)).json;
    expect(ready.deliveryUrl).toHaveLength(4);
    expect(ready.components.every((c: { downloadUrl?: string }) => c.downloadUrl?.startsWith(sim.baseUrl))).toBe(true);
    expect(data('sharddst')).toBe('shard-v1');
  });

  it('takes durations from the cluster sequence and scripted rules before the defaults', async () => {
    const world = testWorld();
    const src = world.projects[0]?.clusters?.find((c) => c.name === 'src');
    if (src) src.durationSequence = [30];
    sim = await startTestSimulator(world);
    sim.scriptOutcome({ cluster: 'src', target: 'other', outcome: 'succeed', durationSeconds: 90 });
    const first = await api(sim).post(cloudJobs(), automated());
    const second = await api(sim).post(cloudJobs(), automated(S.recent, 'other'));
    sim.clock.advance(30_000);
    expect((await api(sim).get(`${cloudJobs()}/${first.json.id}`)).json.finishedAt).toBe('2026-01-15T12:00:30Z');
    expect((await api(sim).get(`${cloudJobs()}/${second.json.id}`)).json).not.toHaveProperty('finishedAt');
    sim.clock.advance(60_000);
    expect((await api(sim).get(`${cloudJobs()}/${second.json.id}`)).json.finishedAt).toBe('2026-01-15T12:01:30Z');
    expect(sim.jobs({ clusterName: 'src' }).map((j) => j.phase)).toEqual(['succeeded', 'succeeded']);
  });

  it('lists jobs newest first with Atlas paging', async () => {
    sim = await startTestSimulator();
    const ids: string[] = [];
    for (const target of ['dst', 'other']) {
      ids.push((await api(sim).post(cloudJobs(), automated(S.recent, target))).json.id);
      sim.clock.advance(1_000);
    }
    ids.push((await api(sim).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.recent })).json.id);
    const page1 = await api(sim).get(`${cloudJobs()}?itemsPerPage=2`);
    expect(page1.json.totalCount).toBe(3);
    expect(page1.json.results.map((j: { id: string }) => j.id)).toEqual([ids[2], ids[1]]);
    expect(page1.json.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'next']);
    const page2 = await api(sim).get(`${cloudJobs()}?itemsPerPage=2&pageNum=2&includeCount=false`);
    expect(page2.json.results.map((j: { id: string }) => j.id)).toEqual([ids[0]]);
    expect(page2.json).not.toHaveProperty('totalCount');
  });
});

function testClusterData(): string[] {
  return testWorld().projects.flatMap((p) => (p.clusters ?? []).map((c) => c.dataVersion));
}

describe('realtime clock', () => {
  it('moves jobs on by itself, scaled (an hour of simulated time per real second)', async () => {
    sim = await startTestSimulator(testWorld(), { clock: { scale: 3_600 } });
    sim.scriptOutcome({ cluster: 'src', outcome: 'succeed', durationSeconds: 36 });
    const { json } = await api(sim).post(cloudJobs(), automated());
    // 36 simulated seconds are 10 real milliseconds: poll (bounded) until it is done.
    let job = json;
    for (let i = 0; i < 50 && job.finishedAt === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      job = (await api(sim).get(`${cloudJobs()}/${json.id}`)).json;
    }
    expect(job.finishedAt).toBeDefined();
    expect(data('dst')).toBe('src-v2');
    expect(sim.clock.mode).toBe('realtime');
  });
});
