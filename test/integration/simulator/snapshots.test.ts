import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, HOUR, MIN, P1, S, START, startTestSimulator, UNKNOWN_ID } from './helpers.js';

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const rs = `/groups/${P1}/clusters/src/backup/snapshots`;
const shardedBase = `/groups/${P1}/clusters/shardsrc/backup/snapshots`;

describe('cloud backup snapshots', () => {
  it('lists a replica set newest first with Atlas fields', async () => {
    sim = await startTestSimulator();
    const list = (await api(sim).get(rs)).json;
    expect(list.results.map((s: { id: string }) => s.id)).toEqual([S.running, S.failed, S.recent, S.old]);
    expect(list.results.map((s: { status: string }) => s.status)).toEqual(['inProgress', 'failed', 'completed', 'completed']);
    const one = (await api(sim).get(`${rs}/${S.recent}`)).json;
    expect(one).toMatchObject({
      id: S.recent,
      createdAt: '2026-01-15T07:00:00Z',
      expiresAt: '2026-01-22T07:00:00Z',
      status: 'completed',
      snapshotType: 'onDemand',
      frequencyType: 'daily',
      type: 'replicaSet',
      mongodVersion: '8.0.4',
      cloudProvider: 'AWS',
    });
    expect(one.replicaSetName).toMatch(/^atlas-[a-f0-9]{6}-shard-0$/);
    expect(typeof one.storageSizeBytes).toBe('number');
    expect((await api(sim).get(`${rs}/${UNKNOWN_ID}`)).json).toMatchObject({ error: 404, errorCode: 'SNAPSHOT_NOT_FOUND' });
  });

  it('lists sharded snapshots with a member per shard and config server, without paging', async () => {
    sim = await startTestSimulator();
    const list = (await api(sim).get(`${shardedBase}/shardedClusters?itemsPerPage=1`)).json;
    expect(list.totalCount).toBe(1);
    const [snap] = list.results;
    expect(snap).toMatchObject({ id: S.sharded, type: 'shardedCluster', configServerType: 'DEDICATED', status: 'completed' });
    expect(snap.members).toHaveLength(4);
    expect(snap.snapshotIds).toEqual(snap.members.map((m: { id: string }) => m.id));
    expect(snap.members.at(-1).replicaSetName).toMatch(/-config-0$/);
    expect((await api(sim).get(`${shardedBase}/shardedCluster/${S.sharded}`)).json.members).toHaveLength(4);
    // A replica set has no sharded snapshots.
    expect((await api(sim).get(`${rs}/shardedClusters`)).json).toMatchObject({ results: [], totalCount: 0 });
    expect((await api(sim).get(`${rs}/shardedCluster/${S.recent}`)).json.errorCode).toBe('SNAPSHOT_NOT_FOUND');
  });

  it('finds the closest completed snapshot before a point in time', async () => {
    sim = await startTestSimulator();
    const at = (hoursAgo: number) => (START - hoursAgo * HOUR) / 1000;
    const ids = async (q: string) => (await api(sim).get(`${rs}?${q}`)).json.results.map((s: { id: string }) => s.id);
    expect(await ids(`pointInTimeUtcSeconds=${at(1)}`)).toEqual([S.recent]);
    expect(await ids(`pointInTimeUtcSeconds=${at(10)}`)).toEqual([S.old]);
    expect(await ids(`oplogTs=${at(4)}&oplogInc=1`)).toEqual([S.recent]);
    expect((await api(sim).get(`${rs}?pointInTimeUtcSeconds=${at(1)}&oplogTs=${at(1)}&oplogInc=1`)).json.errorCode).toBe(
      'MUTUALLY_EXCLUSIVE_QUERY_PARAMETERS',
    );
    expect((await api(sim).get(`${rs}?oplogTs=${at(1)}`)).json.errorCode).toBe('MISSING_QUERY_PARAMETER');
  });

  it('takes new snapshots through the handle, capturing the data written before them', async () => {
    sim = await startTestSimulator();
    sim.clock.advance(MIN);
    sim.writeData(P1, 'src', 'src-v4');
    const fresh = sim.addSnapshot(P1, 'src', { snapshotType: 'onDemand', status: 'queued' });
    expect(fresh).toMatchObject({ dataVersion: 'src-v4', status: 'queued', createdAt: '2026-01-15T12:01:00Z' });
    const body = { deliveryType: 'automated', snapshotId: fresh.id, targetClusterName: 'dst', targetGroupId: P1 };
    expect((await api(sim).post(cloudJobs(), body)).status).toBe(409);
    sim.setSnapshotStatus(P1, 'src', fresh.id, 'completed');
    expect((await api(sim).get(rs)).json.results[0]).toMatchObject({ id: fresh.id, status: 'completed' });
    expect((await api(sim).post(cloudJobs(), body)).status).toBe(200);
    sim.clock.advance(HOUR);
    expect(sim.cluster(P1, 'dst').dataVersion).toBe('src-v4');
    expect(sim.cluster(P1, 'dst').history.map((h) => h.dataVersion)).toEqual(['dst-v0', 'src-v4']);
  });
});
