import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, CHECKPOINT, HOUR, LEGACY_SH_SNAP, LEGACY_SNAP, MIN, P1, send, START, startTestSimulator, UNKNOWN_ID } from './helpers.js';

const rs = `/groups/${P1}/clusters/legacyrs`;
const sharded = `/groups/${P1}/clusters/legacysh`;
const automatedTo = (targetClusterName: string) => ({ methodName: 'AUTOMATED_RESTORE', targetGroupId: P1, targetClusterName });
const data = (sim: SimulatorHandle, name: string) => sim.cluster(P1, name).dataVersion;

describe('legacy backup restores: lifecycle', () => {
  let sim: SimulatorHandle;
  afterEach(async () => sim?.stop());

  it('answers a page with one job for a replica set and reaches FINISHED', async () => {
    sim = await startTestSimulator();
    const created = await api(sim).post(`${rs}/restoreJobs`, { snapshotId: LEGACY_SNAP, delivery: automatedTo('dst') });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ totalCount: 1 });
    const [job] = created.json.results;
    expect(job).toMatchObject({
      clusterName: 'legacyrs',
      groupId: P1,
      snapshotId: LEGACY_SNAP,
      statusName: 'IN_PROGRESS',
      delivery: { methodName: 'HTTP', targetGroupId: P1, targetClusterName: 'dst', statusName: 'NOT_STARTED' },
    });
    expect(job).not.toHaveProperty('batchId');
    sim.clock.advance(20 * MIN);
    expect((await api(sim).get(`${rs}/restoreJobs/${job.id}`)).json).toMatchObject({ statusName: 'FINISHED', delivery: { statusName: 'READY' } });
    expect(data(sim, 'dst')).toBe('lrs-v1');
    expect(data(sim, 'legacyrs')).toBe('lrs-v2');
  });

  it('restores a sharded cluster as a batch: one job per shard and the config server, data moves when all finish', async () => {
    sim = await startTestSimulator();
    const created = await api(sim).post(`${sharded}/restoreJobs`, { checkpointId: CHECKPOINT, delivery: automatedTo('ldst') });
    const jobs = created.json.results as { id: string; batchId: string; clusterId: string }[];
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs.map((j) => j.batchId)).size).toBe(1);
    expect(new Set(jobs.map((j) => j.clusterId)).size).toBe(3);
    const batch = await api(sim).get(`${sharded}/restoreJobs?batchId=${jobs[0]?.batchId}`);
    expect(batch.json.totalCount).toBe(3);
    const statuses = async () => (await api(sim).get(`${sharded}/restoreJobs`)).json.results.map((j: { statusName: string }) => j.statusName).sort();
    sim.clock.advance(21 * MIN);
    expect(await statuses()).toEqual(['FINISHED', 'FINISHED', 'IN_PROGRESS']);
    expect(data(sim, 'ldst')).toBe('ldst-v0');
    sim.clock.advance(1 * MIN);
    expect(await statuses()).toEqual(['FINISHED', 'FINISHED', 'FINISHED']);
    expect(data(sim, 'ldst')).toBe('lsh-v1');
  });

  it('a scripted failure breaks the batch: one BROKEN job and no data written', async () => {
    sim = await startTestSimulator();
    sim.scriptOutcome({ cluster: 'legacysh', outcome: 'fail' });
    await api(sim).post(`${sharded}/restoreJobs`, { snapshotId: LEGACY_SH_SNAP, delivery: automatedTo('ldst') });
    sim.clock.advance(HOUR);
    const names = (await api(sim).get(`${sharded}/restoreJobs`)).json.results.map((j: { statusName: string }) => j.statusName).sort();
    expect(names).toEqual(['BROKEN', 'FINISHED', 'FINISHED']);
    expect(data(sim, 'ldst')).toBe('ldst-v0');
  });

  it('restores a point in time by milliseconds or by oplog timestamp (last 24 hours)', async () => {
    sim = await startTestSimulator();
    await api(sim).post(`${rs}/restoreJobs`, { pointInTimeUTCMillis: START - 2 * HOUR, delivery: automatedTo('dst') });
    await api(sim).post(`${rs}/restoreJobs`, {
      oplogTs: new Date(START - 20 * HOUR).toISOString(),
      oplogInc: 1,
      delivery: automatedTo('other'),
    });
    sim.clock.advance(HOUR);
    expect(data(sim, 'dst')).toBe('lrs-v2');
    expect(data(sim, 'other')).toBe('lrs-v1');
  });

  it('delivers an HTTP download with url, expiry and hashes', async () => {
    sim = await startTestSimulator();
    const created = await api(sim).post(`${rs}/restoreJobs`, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'HTTP', expirationHours: 2 } });
    const id = created.json.results[0].id;
    sim.clock.advance(10 * MIN);
    const job = (await api(sim).get(`${rs}/restoreJobs/${id}`)).json;
    expect(job).toMatchObject({ statusName: 'FINISHED', delivery: { methodName: 'HTTP', statusName: 'READY', expirationHours: 2, expires: '2026-01-15T14:10:00Z' } });
    expect(job.hashes[0].typeName).toBe('SHA1');
    expect(JSON.parse((await send('', 'GET', job.delivery.url, { accept: null })).text).dataVersion).toBe('lrs-v1');
    sim.clock.advance(2 * HOUR);
    expect((await api(sim).get(`${rs}/restoreJobs/${id}`)).json.delivery.statusName).toBe('EXPIRED');
  });
});

describe('legacy backup restores: validation, snapshots and checkpoints', () => {
  let sim: SimulatorHandle;
  beforeAll(async () => {
    sim = await startTestSimulator();
  });
  afterAll(async () => sim.stop());

  const cases: [name: string, path: string, body: unknown, status: number, code: string, field?: string][] = [
    ['no delivery', rs, { snapshotId: LEGACY_SNAP }, 400, 'MISSING_ATTRIBUTE', 'delivery'],
    ['no methodName', rs, { snapshotId: LEGACY_SNAP, delivery: {} }, 400, 'MISSING_ATTRIBUTE', 'delivery.methodName'],
    ['an unknown methodName', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'FTP' } }, 400, 'INVALID_ENUM_VALUE', 'delivery.methodName'],
    ['SCP', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'SCP' } }, 400, 'INVALID_DELIVERY_SCP', 'delivery.methodName'],
    ['QUERY', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'QUERY' } }, 400, 'UNSUPPORTED_DELIVERY_METHOD', 'delivery.methodName'],
    ['nothing to restore', rs, { delivery: automatedTo('dst') }, 400, 'MISSING_ONE_OF_MANY_ATTRIBUTES', 'snapshotId'],
    ['two things to restore', rs, { snapshotId: LEGACY_SNAP, pointInTimeUTCMillis: START - HOUR, delivery: automatedTo('dst') }, 400, 'INVALID_ATTRIBUTE', 'pointInTimeUTCMillis'],
    ['oplogTs without oplogInc', rs, { oplogTs: '2026-01-15T11:00:00Z', delivery: automatedTo('dst') }, 400, 'MISSING_ATTRIBUTE', 'oplogInc'],
    ['oplogInc without oplogTs', rs, { oplogInc: 4, delivery: automatedTo('dst') }, 400, 'MISSING_ATTRIBUTE', 'oplogTs'],
    ['an oplogTs that is not ISO-8601', rs, { oplogTs: 'yesterday', oplogInc: 1, delivery: automatedTo('dst') }, 400, 'VALIDATION_ERROR', 'oplogTs'],
    ['a point in time older than 24 hours', rs, { pointInTimeUTCMillis: START - 25 * HOUR, delivery: automatedTo('dst') }, 400, 'INVALID_PIT_RESTORE_TIME', 'pointInTimeUTCMillis'],
    ['a point in time in the future', rs, { pointInTimeUTCMillis: START + MIN, delivery: automatedTo('dst') }, 400, 'INVALID_PIT_RESTORE_TIME', 'pointInTimeUTCMillis'],
    ['a point in time before 2008', rs, { pointInTimeUTCMillis: 1_000, delivery: automatedTo('dst') }, 400, 'VALIDATION_ERROR', 'pointInTimeUTCMillis'],
    ['a point in time by HTTP', rs, { pointInTimeUTCMillis: START - HOUR, delivery: { methodName: 'HTTP' } }, 400, 'LEGACY_PIT_RESTORE_UNSUPPORTED', 'pointInTimeUTCMillis'],
    ['automated without targetGroupId', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', targetClusterName: 'dst' } }, 400, 'MISSING_ATTRIBUTE', 'delivery.targetGroupId'],
    ['automated without a target cluster', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: P1 } }, 400, 'MISSING_ONE_OF_MANY_ATTRIBUTES', 'delivery.targetClusterName'],
    ['HTTP with a target', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'HTTP', targetClusterName: 'dst' } }, 400, 'INVALID_ATTRIBUTE', 'delivery.targetClusterName'],
    ['expirationHours of 0', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'HTTP', expirationHours: 0 } }, 400, 'VALIDATION_ERROR', 'delivery.expirationHours'],
    ['a read-only delivery field', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'HTTP', statusName: 'READY' } }, 400, 'ATTRIBUTE_READ_ONLY', 'delivery.statusName'],
    ['a checkpoint on a replica set', rs, { checkpointId: CHECKPOINT, delivery: automatedTo('dst') }, 400, 'CHECKPOINT_RESTORE_UNSUPPORTED_FOR_REPLICA_SETS', 'checkpointId'],
    ['a point in time on a sharded cluster', sharded, { pointInTimeUTCMillis: START - HOUR, delivery: automatedTo('ldst') }, 400, 'PIT_RESTORE_ONLY_SUPPORTED_FOR_REPLICA_SETS'],
    ['an unknown checkpoint', sharded, { checkpointId: UNKNOWN_ID, delivery: automatedTo('ldst') }, 404, 'CHECKPOINT_NOT_FOUND'],
    ['an unknown snapshot', rs, { snapshotId: UNKNOWN_ID, delivery: automatedTo('dst') }, 404, 'SNAPSHOT_NOT_FOUND'],
    ['an unknown target cluster id', rs, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: P1, targetClusterId: UNKNOWN_ID } }, 404, 'INVALID_CLUSTER_ID'],
    ['a target of another topology', rs, { snapshotId: LEGACY_SNAP, delivery: automatedTo('ldst') }, 400, 'INVALID_ATTRIBUTE', 'delivery.targetClusterName'],
    ['a cloud backup cluster', `/groups/${P1}/clusters/src`, { snapshotId: LEGACY_SNAP, delivery: { methodName: 'HTTP' } }, 400, 'INCORRECT_BACKUP_API_ENDPOINT'],
  ];
  it.each(cases)('refuses %s', async (_name, path, body, status, code, field) => {
    const answer = await api(sim).post(`${path}/restoreJobs`, body);
    expect(answer.status).toBe(status);
    expect(answer.json.errorCode).toBe(code);
    if (field) expect(answer.json.badRequestDetail.fields.map((f: { field: string }) => f.field)).toContain(field);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('finds a target by cluster id as well as by name', async () => {
    const local = await startTestSimulator();
    try {
      const dstId = local.cluster(P1, 'dst').id;
      const created = await api(local).post(`${rs}/restoreJobs`, {
        snapshotId: LEGACY_SNAP,
        delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: P1, targetClusterId: dstId },
      });
      expect(created.json.results[0].delivery).toMatchObject({ targetClusterName: 'dst', targetClusterId: dstId });
    } finally {
      await local.stop();
    }
  });

  it('lists snapshots by completion', async () => {
    const incomplete = sim.addSnapshot(P1, 'legacyrs', { status: 'inProgress' });
    const ids = async (q: string) => (await api(sim).get(`${rs}/snapshots${q}`)).json.results.map((s: { id: string }) => s.id);
    expect(await ids('')).toEqual([LEGACY_SNAP]);
    expect(await ids('?completed=true')).toEqual([LEGACY_SNAP]);
    expect(await ids('?completed=false')).toEqual([incomplete.id]);
    expect(await ids('?completed=all')).toEqual([incomplete.id, LEGACY_SNAP]);
    expect((await api(sim).get(`${rs}/snapshots?completed=maybe`)).json.errorCode).toBe('INVALID_QUERY_PARAMETER');
    const one = (await api(sim).get(`${rs}/snapshots/${LEGACY_SNAP}`)).json;
    expect(one).toMatchObject({ id: LEGACY_SNAP, complete: true, clusterName: 'legacyrs', created: { date: '2026-01-15T06:00:00Z' } });
    expect(one.parts).toHaveLength(1);
    expect((await api(sim).get(`${sharded}/snapshots/${LEGACY_SH_SNAP}`)).json.parts).toHaveLength(3);
  });

  it('lists checkpoints under backupCheckpoints and the older checkpoints path', async () => {
    for (const path of ['backupCheckpoints', 'checkpoints']) {
      const list = (await api(sim).get(`${sharded}/${path}`)).json;
      expect(list).toMatchObject({ totalCount: 1, results: [{ id: CHECKPOINT, restorable: true, timestamp: '2026-01-15T10:00:00Z' }] });
      expect((await api(sim).get(`${sharded}/${path}/${CHECKPOINT}`)).json.id).toBe(CHECKPOINT);
      expect((await api(sim).get(`${sharded}/${path}/${UNKNOWN_ID}`)).json.errorCode).toBe('CHECKPOINT_NOT_FOUND');
    }
    expect((await api(sim).get(`${rs}/restoreJobs?batchId=nope`)).json.errorCode).toBe('INVALID_QUERY_PARAMETER');
    expect((await api(sim).get(`${rs}/restoreJobs/${UNKNOWN_ID}`)).json.errorCode).toBe('RESTORE_JOB_NOT_FOUND');
  });
});
