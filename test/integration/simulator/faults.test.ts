import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { FaultsInput, SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, P1, S, send, startTestSimulator, testWorld, token } from './helpers.js';

/** Faults on demand: each class, deterministic from the seed. Calls use Bearer tokens: one request per call. */

const sims: SimulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(faults: FaultsInput, seed = 7): Promise<{ sim: SimulatorHandle; call: (method: string, path: string, body?: unknown) => Promise<string> }> {
  const sim = await startTestSimulator(testWorld(), { seed });
  sims.push(sim);
  const bearer = `Bearer ${(await token(sim.baseUrl)).json.access_token}`;
  sim.setFaults(faults);
  const call = async (method: string, path: string, body?: unknown) => {
    try {
      const answer = await send(sim.baseUrl, method, `/api/atlas/v2${path}`, { authorization: bearer, ...(body !== undefined && { body }) });
      return String(answer.status);
    } catch {
      return 'no answer';
    }
  };
  return { sim, call };
}

const cluster = `/groups/${P1}/clusters/src`;
const mixed: FaultsInput = { rules: [{ match: 'getCluster', errorRate: 0.3, dropRate: 0.15, lostAnswerRate: 0.1 }] };

async function sequence(seed: number, n = 30): Promise<string[]> {
  const { call } = await start(mixed, seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push(await call('GET', cluster));
  return out;
}

describe('faults', () => {
  it('draws the same errors, drops and lost answers for the same seed, and others for another seed', async () => {
    const a = await sequence(7);
    const b = await sequence(7);
    const c = await sequence(8);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    expect(new Set(a)).toEqual(new Set(['200', '500', '503', 'no answer']));
  });

  it('fails whole bursts in a row, at the same places for the same seed', async () => {
    const bursts: FaultsInput = { rules: [{ match: 'getCluster', burst: { probability: 0.15, length: 3, status: 503 } }] };
    const run = async () => {
      const started = await start(bursts, 3);
      const statuses: string[] = [];
      for (let i = 0; i < 40; i++) statuses.push(await started.call('GET', cluster));
      return { sim: started.sim, out: statuses };
    };
    const { sim, out } = await run();
    expect((await run()).out).toEqual(out);
    const runs = out.join(',').split(/,?200,?/).filter(Boolean).map((run) => run.split(',').length);
    expect(runs.length).toBeGreaterThan(0);
    for (const length of runs) expect(length % 3).toBe(0);
    const failed = sim.requests().find((e) => e.status === 503);
    expect(failed).toMatchObject({ errorCode: 'SERVICE_UNAVAILABLE', fault: expect.stringContaining('burst') });
  });

  it('plays a script first: 500, 503, then the real answer, and no job is created by a failed call', async () => {
    const { sim, call } = await start({
      rules: [{ match: 'POST /api/atlas/v2/groups/*/clusters/*/backup/restoreJobs', script: [{ status: 500 }, { status: 503 }] }],
    });
    const body = { deliveryType: 'download', snapshotId: S.recent };
    expect(await call('POST', cloudJobs(), body)).toBe('500');
    expect(sim.jobs()).toHaveLength(0);
    expect(await call('POST', cloudJobs(), body)).toBe('503');
    expect(await call('POST', cloudJobs(), body)).toBe('200');
    expect(sim.jobs()).toHaveLength(1);
    expect(sim.requests().slice(-3).map((e) => e.fault)).toEqual([
      'rule 0 (POST /api/atlas/v2/groups/*/clusters/*/backup/restoreJobs): scripted 500',
      'rule 0 (POST /api/atlas/v2/groups/*/clusters/*/backup/restoreJobs): scripted 503',
      undefined,
    ]);
  });

  it('drops a connection before doing anything', async () => {
    const { sim, call } = await start({ rules: [{ match: 'createBackupRestoreJob', script: ['drop'] }] });
    expect(await call('POST', cloudJobs(), { deliveryType: 'download', snapshotId: S.recent })).toBe('no answer');
    expect(sim.jobs()).toHaveLength(0);
    const entry = sim.requests().at(-1);
    expect(entry).toMatchObject({ operation: 'createBackupRestoreJob', fault: expect.stringContaining('drop') });
    expect(entry?.status).toBeUndefined();
  });

  it('creates the job but loses the answer: exactly one job exists afterwards', async () => {
    const { sim, call } = await start({ rules: [{ match: 'createBackupRestoreJob', script: ['lostAnswer'] }] });
    const body = { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 };
    expect(await call('POST', cloudJobs(), body)).toBe('no answer');
    const list = await api(sim).get(cloudJobs());
    expect(list.json.totalCount).toBe(1);
    expect(list.json.results[0]).toMatchObject({ targetClusterName: 'dst', snapshotId: S.recent });
    expect(sim.jobs()).toHaveLength(1);
    const entry = sim.requests().find((e) => e.operation === 'createBackupRestoreJob');
    expect(entry?.fault).toContain('lost answer');
    expect(entry?.status).toBeUndefined();
    // A retry now meets Atlas's own rule: the target is busy.
    expect(await call('POST', cloudJobs(), body)).toBe('409');
  });

  it('slows answers down', async () => {
    const { sim } = await start({ rules: [{ match: 'getCluster', delayMs: 40 }] });
    const bearer = `Bearer ${(await token(sim.baseUrl)).json.access_token}`;
    const url = `${sim.baseUrl}/api/atlas/v2${cluster}`;
    await expect(request(url, { headers: { authorization: bearer }, signal: AbortSignal.timeout(5) })).rejects.toThrow();
    const patient = await request(url, { headers: { authorization: bearer } });
    expect(patient.statusCode).toBe(200);
    await patient.body.text();
    expect(sim.requests().at(-1)?.fault).toBe('rule 0 (getCluster): delay 40 ms');
  });

  it('changes faults at run time and takes them from the world at start', async () => {
    const { sim, call } = await start({ rules: [] });
    expect(await call('GET', cluster)).toBe('200');
    sim.setFaults({ rules: [{ match: '*', errorRate: 1, errorStatuses: [502] }] });
    expect(await call('GET', cluster)).toBe('502');
    sim.setFaults({});
    expect(await call('GET', cluster)).toBe('200');

    const world = testWorld();
    world.faults = { rules: [{ match: 'getCluster', script: [{ status: 500 }] }] };
    const fromWorld = await startTestSimulator(world);
    sims.push(fromWorld);
    expect((await api(fromWorld).get(cluster)).status).toBe(500);
    expect((await api(fromWorld).get(cluster)).status).toBe(200);
  });
});
