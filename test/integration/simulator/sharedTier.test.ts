import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, FLEX_SNAP, HOUR, P1, P2, S, send, startTestSimulator, TENANT_SNAP, testWorld, UNKNOWN_ID, V2023, V2024 } from './helpers.js';

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const flex = `/groups/${P1}/flexClusters/flexsrc/backup`;
const tenant = `/groups/${P1}/clusters/tenantsrc/backup/tenant`;
const flexApi = () => {
  const a = api(sim);
  return {
    get: (path: string) => a.get(path, { accept: V2024 }),
    post: (path: string, body: unknown) => a.post(path, body, { accept: V2024 }),
  };
};
const data = (name: string, group = P1) => sim.cluster(group, name).dataVersion;

describe('Flex restores (2024-11-13)', () => {
  it('moves PENDING → QUEUED → RUNNING → COMPLETED and only then writes the target', async () => {
    sim = await startTestSimulator();
    const created = await flexApi().post(`${flex}/restoreJobs`, { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst' });
    expect(created.status).toBe(200);
    expect(created.headers['content-type']).toBe('application/vnd.atlas.2024-11-13+json;charset=utf-8');
    expect(created.json).toMatchObject({
      status: 'PENDING',
      deliveryType: 'RESTORE',
      instanceName: 'flexsrc',
      projectId: P1,
      snapshotId: FLEX_SNAP,
      targetDeploymentItemName: 'flexdst',
      targetProjectId: P1,
      restoreScheduledDate: '2026-01-15T12:00:00Z',
    });
    const path = `${flex}/restoreJobs/${created.json.id}`;
    const seen: string[] = [];
    for (const step of [0, 30_000, 30_000, 239_000, 1_000]) {
      sim.clock.advance(step);
      seen.push((await flexApi().get(path)).json.status);
      if (seen.at(-1) !== 'COMPLETED') expect(data('flexdst')).toBe('flexdst-v0');
    }
    expect(seen).toEqual(['PENDING', 'QUEUED', 'RUNNING', 'RUNNING', 'COMPLETED']);
    expect((await flexApi().get(path)).json.restoreFinishedDate).toBe('2026-01-15T12:05:00Z');
    expect(data('flexdst')).toBe('flex-v1');
    expect(data('flexsrc')).toBe('flex-v1');
    expect(data('dst')).toBe('dst-v0');
  });

  it('ends FAILED without touching the target when scripted, and restores onto a dedicated cluster too', async () => {
    sim = await startTestSimulator();
    sim.scriptOutcome({ kind: 'flex', outcome: 'fail' });
    const failed = await flexApi().post(`${flex}/restoreJobs`, { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst' });
    sim.clock.advance(HOUR);
    expect((await flexApi().get(`${flex}/restoreJobs/${failed.json.id}`)).json.status).toBe('FAILED');
    expect(data('flexdst')).toBe('flexdst-v0');
    const dedicated = await flexApi().post(`${flex}/restoreJobs`, { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'dst2', targetProjectId: P2 });
    expect(dedicated.status).toBe(200);
    sim.clock.advance(HOUR);
    expect(data('dst2', P2)).toBe('flex-v1');
  });

  it('prepares a download with snapshotUrl and expirationDate', async () => {
    sim = await startTestSimulator();
    const created = await flexApi().post(`${flex}/download`, { snapshotId: FLEX_SNAP });
    expect(created.json).toMatchObject({ deliveryType: 'DOWNLOAD', status: 'PENDING' });
    expect(created.json).not.toHaveProperty('snapshotUrl');
    sim.clock.advance(120_000);
    const done = (await flexApi().get(`${flex}/restoreJobs/${created.json.id}`)).json;
    expect(done).toMatchObject({ status: 'COMPLETED', expirationDate: '2026-01-15T16:02:00Z' });
    const file = await send('', 'GET', done.snapshotUrl, { accept: null });
    expect(JSON.parse(file.text)).toMatchObject({ dataVersion: 'flex-v1', snapshotId: FLEX_SNAP });
    const list = (await flexApi().get(`${flex}/restoreJobs`)).json;
    expect(list).toMatchObject({ totalCount: 1, results: [{ id: created.json.id }] });
  });

  it('lists and reads snapshots in the Flex shape', async () => {
    sim = await startTestSimulator();
    const list = (await flexApi().get(`${flex}/snapshots`)).json;
    expect(list.results).toEqual([
      expect.objectContaining({ id: FLEX_SNAP, status: 'COMPLETED', finishTime: '2026-01-15T10:00:00Z', mongoDBVersion: '8.0.4' }),
    ]);
    expect((await flexApi().get(`${flex}/snapshots/${FLEX_SNAP}`)).json.id).toBe(FLEX_SNAP);
    expect((await flexApi().get(`${flex}/snapshots/${UNKNOWN_ID}`)).json).toMatchObject({ error: 404, errorCode: 'SNAPSHOT_NOT_FOUND' });
  });

  const invalid: [name: string, body: unknown, status: number, code: string, field?: string][] = [
    ['no snapshotId', { targetDeploymentItemName: 'flexdst' }, 400, 'MISSING_ATTRIBUTE', 'snapshotId'],
    ['no target', { snapshotId: FLEX_SNAP }, 400, 'MISSING_ATTRIBUTE', 'targetDeploymentItemName'],
    ['a target name with a space', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flex dst' }, 400, 'VALIDATION_ERROR', 'targetDeploymentItemName'],
    ['a 65-character target name', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'x'.repeat(65) }, 400, 'VALIDATION_ERROR', 'targetDeploymentItemName'],
    ['a malformed targetProjectId', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst', targetProjectId: 'p' }, 400, 'VALIDATION_ERROR', 'targetProjectId'],
    ['an unknown attribute', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst', deliveryMode: 'x' }, 400, 'INVALID_ATTRIBUTE', 'deliveryMode'],
    ['a read-only attribute', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst', status: 'COMPLETED' }, 400, 'ATTRIBUTE_READ_ONLY', 'status'],
    // Letters of any script are allowed (the pattern needs the u flag), so this one is well-formed but absent.
    ['a well-formed unicode name that does not exist', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'café-(2)' }, 404, 'CLUSTER_NOT_FOUND'],
    ['an unknown target project', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst', targetProjectId: UNKNOWN_ID }, 404, 'GROUP_NOT_FOUND'],
    ['an unknown snapshot', { snapshotId: UNKNOWN_ID, targetDeploymentItemName: 'flexdst' }, 404, 'SNAPSHOT_NOT_FOUND'],
    ['a shared-tier target', { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'tenantdst' }, 400, 'INVALID_ATTRIBUTE', 'targetDeploymentItemName'],
  ];
  it.each(invalid)('refuses %s', async (_name, body, status, code, field) => {
    sim = await startTestSimulator();
    const answer = await flexApi().post(`${flex}/restoreJobs`, body);
    expect(answer.status).toBe(status);
    expect(answer.json.errorCode).toBe(code);
    if (field) expect(answer.json.badRequestDetail.fields[0].field).toBe(field);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('has no cancel and speaks only 2024-11-13', async () => {
    sim = await startTestSimulator();
    const created = await flexApi().post(`${flex}/restoreJobs`, { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst' });
    expect((await api(sim).delete(`${flex}/restoreJobs/${created.json.id}`, { accept: V2024 })).status).toBe(405);
    expect((await api(sim).get(`${flex}/restoreJobs`, { accept: V2023 })).status).toBe(406);
    expect((await flexApi().get(`${flex}/restoreJobs/${UNKNOWN_ID}`)).json.errorCode).toBe('RESTORE_JOB_NOT_FOUND');
  });
});

/** Before Atlas removed the shared-tier endpoints (2026-04-17): the world keeps serving them. */
const oldEra = () => ({ ...testWorld(), tenantApi: 'served' as const });

describe('the retired shared-tier ("tenant") API', () => {
  it('answers every endpoint 410 VERSION_GONE by default, after authentication, and creates nothing', async () => {
    sim = await startTestSimulator();
    const answers = [
      await api(sim).post(`${tenant}/restore`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: 'tenantdst' }),
      await api(sim).post(`${tenant}/download`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: 'tenantsrc' }),
      await api(sim).get(`${tenant}/restores`),
      await api(sim).get(`${tenant}/restores/${UNKNOWN_ID}`),
      await api(sim).get(`${tenant}/snapshots`),
      await api(sim).get(`${tenant}/snapshots/${TENANT_SNAP}`),
    ];
    for (const a of answers) {
      expect(a.status).toBe(410);
      expect(a.headers['content-type']).toContain('application/json');
      expect(a.json).toMatchObject({ error: 410, errorCode: 'VERSION_GONE', reason: 'Gone' });
    }
    expect(sim.jobs()).toHaveLength(0);
    expect((await send(sim.baseUrl, 'GET', `/api/atlas/v2${tenant}/restores`, {})).status).toBe(401);
  });
});

describe('shared-tier ("tenant") restores (2023-01-01)', () => {
  it('restores a snapshot onto another M2/M5 cluster', async () => {
    sim = await startTestSimulator(oldEra());
    const created = await api(sim).post(`${tenant}/restore`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: 'tenantdst' });
    expect(created.status).toBe(200);
    expect(created.json).toMatchObject({ status: 'PENDING', deliveryType: 'RESTORE', clusterName: 'tenantsrc', projectId: P1, targetDeploymentItemName: 'tenantdst' });
    sim.clock.advance(200_000);
    expect((await api(sim).get(`${tenant}/restores/${created.json.id}`)).json.status).toBe('RUNNING');
    expect(data('tenantdst')).toBe('m2dst-v0');
    sim.clock.advance(100_000);
    expect((await api(sim).get(`${tenant}/restores/${created.json.id}`)).json).toMatchObject({ status: 'COMPLETED', restoreFinishedDate: '2026-01-15T12:05:00Z' });
    expect(data('tenantdst')).toBe('m2-v1');
    const list = await api(sim).get(`${tenant}/restores?itemsPerPage=1`);
    // No paging on this list: itemsPerPage means nothing here.
    expect(list.json).toMatchObject({ totalCount: 1, results: [{ id: created.json.id }] });
  });

  it('downloads, lists snapshots and reports its own not-found codes', async () => {
    sim = await startTestSimulator(oldEra());
    // TenantRestore, the download's body, requires targetDeploymentItemName.
    expect((await api(sim).post(`${tenant}/download`, { snapshotId: TENANT_SNAP })).json).toMatchObject({
      errorCode: 'MISSING_ATTRIBUTE',
      parameters: ['targetDeploymentItemName'],
    });
    const download = await api(sim).post(`${tenant}/download`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: 'tenantsrc' });
    expect(download.json).toMatchObject({ deliveryType: 'DOWNLOAD', clusterName: 'tenantsrc' });
    sim.clock.advance(120_000);
    expect((await api(sim).get(`${tenant}/restores/${download.json.id}`)).json.snapshotUrl).toContain('/sim-downloads/');
    const snapshots = (await api(sim).get(`${tenant}/snapshots`)).json;
    expect(snapshots).toMatchObject({ totalCount: 1, results: [{ id: TENANT_SNAP, status: 'COMPLETED' }] });
    expect((await api(sim).get(`${tenant}/snapshots/${UNKNOWN_ID}`)).json.errorCode).toBe('TENANT_SNAPSHOT_NOT_FOUND');
    expect((await api(sim).get(`${tenant}/restores/${UNKNOWN_ID}`)).json.errorCode).toBe('TENANT_RESTORE_NOT_FOUND');
    expect((await api(sim).post(`${tenant}/restore`, { snapshotId: UNKNOWN_ID, targetDeploymentItemName: 'tenantdst' })).json.errorCode).toBe(
      'TENANT_SNAPSHOT_NOT_FOUND',
    );
  });

  it('refuses the wrong kind of cluster and incompatible targets', async () => {
    const world = oldEra();
    const target = world.projects[0]?.clusters?.find((c) => c.name === 'tenantdst');
    if (target) target.mongoDBVersion = '7.0.2';
    sim = await startTestSimulator(world);
    expect((await api(sim).get(`/groups/${P1}/clusters/src/backup/tenant/snapshots`)).json.errorCode).toBe('INCORRECT_BACKUP_API_ENDPOINT');
    expect((await api(sim).get(`/groups/${P1}/clusters/flexsrc/backup/tenant/snapshots`)).json.errorCode).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
    const restore = (name: string) => api(sim).post(`${tenant}/restore`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: name });
    expect((await restore('tenantdst')).json.errorCode).toBe('TENANT_RESTORE_VERSION_MISMATCH');
    expect((await restore('sharddst')).json.errorCode).toBe('TENANT_RESTORE_INCOMPATIBLE_TOPOLOGY');
    expect((await restore('flexdst')).json.errorCode).toBe('INVALID_ATTRIBUTE');
    expect((await api(sim).post(`${tenant}/restore`, { snapshotId: S.recent })).json.errorCode).toBe('MISSING_ATTRIBUTE');
    expect(sim.jobs()).toHaveLength(0);
  });
});
