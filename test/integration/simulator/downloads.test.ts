import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle, WorldInput } from '../../../local/simulator/index.js';
import { api, cloudJobs, FLEX_SNAP, HOUR, P1, S, send, startTestSimulator, testWorld, V2024 } from './helpers.js';

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const download = (snapshotId: string) => ({ deliveryType: 'download', snapshotId });

/** A world whose cluster "many" has `n` completed snapshots. */
function worldWithSnapshots(n: number, limit?: number): WorldInput {
  const world = testWorld();
  world.projects[0]?.clusters?.push({
    name: 'many',
    dataVersion: 'many-v1',
    snapshots: Array.from({ length: n }, (_, i) => ({ id: `5ec0${i.toString(16).padStart(20, '0')}`, createdAt: `-${i + 1}h` })),
  });
  if (limit !== undefined) world.limits = { maxActiveDownloadsPerProject: limit };
  return world;
}
const snapId = (i: number) => `5ec0${i.toString(16).padStart(20, '0')}`;

describe('download limits', () => {
  it('allows one active download per snapshot (409), and another once the link expires', async () => {
    sim = await startTestSimulator();
    expect((await api(sim).post(cloudJobs(), download(S.recent))).status).toBe(200);
    const second = await api(sim).post(cloudJobs(), download(S.recent));
    expect(second.status).toBe(409);
    expect(second.json).toMatchObject({ error: 409, errorCode: 'CANNOT_DOWNLOAD_SNAPSHOT_CONCURRENTLY', reason: 'Conflict' });
    // Another snapshot is fine.
    expect((await api(sim).post(cloudJobs(), download(S.old))).status).toBe(200);
    // Ready but not yet expired: still active.
    sim.clock.advance(10 * 60_000);
    expect((await api(sim).post(cloudJobs(), download(S.recent))).status).toBe(409);
    sim.clock.advance(4 * HOUR);
    expect((await api(sim).post(cloudJobs(), download(S.recent))).status).toBe(200);
  });

  it('frees the slot when a ready download is cancelled', async () => {
    sim = await startTestSimulator();
    const first = await api(sim).post(cloudJobs(), download(S.recent));
    sim.clock.advance(10 * 60_000);
    expect((await api(sim).delete(`${cloudJobs()}/${first.json.id}`)).status).toBe(204);
    const job = (await api(sim).get(`${cloudJobs()}/${first.json.id}`)).json;
    expect(job).toMatchObject({ cancelled: true, deliveryUrl: [] });
    expect((await api(sim).post(cloudJobs(), download(S.recent))).status).toBe(200);
  });

  it('caps active downloads per project at 20 by default, across Flex and cloud', async () => {
    sim = await startTestSimulator(worldWithSnapshots(20));
    for (let i = 0; i < 19; i++) expect((await api(sim).post(cloudJobs('many'), download(snapId(i)))).status).toBe(200);
    expect((await api(sim).post(`/groups/${P1}/flexClusters/flexsrc/backup/download`, { snapshotId: FLEX_SNAP }, { accept: V2024 })).status).toBe(200);
    const refused = await api(sim).post(cloudJobs('many'), download(snapId(19)));
    expect(refused.status).toBe(409);
    expect(refused.json.errorCode).toBe('TOO_MANY_SNAPSHOT_DOWNLOADS');
    expect(sim.jobs()).toHaveLength(20);
  });

  it('takes its cap from the world', async () => {
    sim = await startTestSimulator(worldWithSnapshots(3, 2));
    expect((await api(sim).post(cloudJobs('many'), download(snapId(0)))).status).toBe(200);
    expect((await api(sim).post(cloudJobs('many'), download(snapId(1)))).status).toBe(200);
    expect((await api(sim).post(cloudJobs('many'), download(snapId(2)))).json.errorCode).toBe('TOO_MANY_SNAPSHOT_DOWNLOADS');
  });

  it('serves a download only to a link with its token', async () => {
    sim = await startTestSimulator();
    sim.scriptOutcome({ kind: 'cloud.download', outcome: 'succeed', durationSeconds: 60 });
    const job = (await api(sim).post(cloudJobs(), download(S.recent))).json;
    sim.clock.advance(60_000);
    const url: string = (await api(sim).get(`${cloudJobs()}/${job.id}`)).json.deliveryUrl[0];
    expect((await send('', 'GET', url, { accept: null })).status).toBe(200);
    expect((await send('', 'GET', url.replace(/\/[a-f0-9]+\/restore-/, '/00/restore-'), { accept: null })).status).toBe(404);
  });
});
