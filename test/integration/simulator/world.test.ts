import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { parseWorld, startSimulator, WorldInvalidError, type SimulatorHandle, type WorldInput } from '../../../local/simulator/index.js';
import { api, HOUR, START, testWorld, V2024 } from './helpers.js';

const defaultWorld = async (): Promise<WorldInput> =>
  JSON.parse(await readFile(new URL('../../../local/simulator/worlds/default.json', import.meta.url), 'utf8')) as WorldInput;

let sim: SimulatorHandle | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

describe('the default world', () => {
  it('has the projects, clusters and credentials the docs promise', async () => {
    const world = parseWorld(await defaultWorld());
    const byName = Object.fromEntries(world.projects.map((p) => [p.name, p]));
    expect(Object.keys(byName)).toEqual(['prod', 'staging']);
    const kinds = (project: string) => Object.fromEntries((byName[project]?.clusters ?? []).map((c) => [c.name, c.kind]));
    expect(kinds('prod')).toMatchObject({ 'prod-cluster': 'dedicated', 'prod-sharded': 'dedicated', 'recovery-cluster': 'dedicated', 'legacy-rs': 'dedicated', 'legacy-sharded': 'dedicated' });
    expect(kinds('staging')).toMatchObject({ 'staging-cluster': 'dedicated', 'flex-dev': 'flex', 'flex-target': 'flex', 'm2-legacy': 'tenant', 'm2-target': 'tenant' });
    const prodCluster = byName.prod?.clusters.find((c) => c.name === 'prod-cluster');
    expect(prodCluster?.pitWindowHours).toBeGreaterThan(0);
    expect(new Set(prodCluster?.snapshots.filter((s) => s.status === 'completed').map((s) => s.snapshotType))).toEqual(new Set(['scheduled', 'onDemand']));
    expect(byName.prod?.clusters.find((c) => c.name === 'prod-sharded')).toMatchObject({ sharded: true, shards: 3 });
    expect(world.credentials.apiKeys[0]?.roles).toEqual({ '*': ['PROJECT_OWNER'] });
    expect(world.credentials.serviceAccounts).toHaveLength(1);
  });

  it('stays fresh: relative times resolve against the start, and PIT restores read the history', async () => {
    sim = await startSimulator(await defaultWorld(), { clock: 'manual', startTime: START });
    const prod = sim.world.projects[0]?.id as string;
    const cluster = sim.cluster(prod, 'prod-cluster');
    expect(cluster.snapshots.find((s) => s.id === '65f1b0000000000000000106')).toMatchObject({ createdAt: '2026-01-15T10:00:00Z', dataVersion: 'prod-v4' });
    const key = { user: 'simadmin', pass: sim.world.credentials.apiKeys[0]?.privateKey as string };
    const pit = await api(sim, key).post(`/groups/${prod}/clusters/prod-cluster/backup/restoreJobs`, {
      deliveryType: 'pointInTime',
      targetClusterName: 'recovery-cluster',
      targetGroupId: prod,
      pointInTimeUTCSeconds: (START - 3 * HOUR) / 1000,
    });
    expect(pit.status).toBe(200);
    sim.clock.advance(HOUR);
    expect(sim.cluster(prod, 'recovery-cluster').dataVersion).toBe('prod-v4');
  });

  it('restores in every family change exactly their target and nothing else', async () => {
    // The shared-tier family only exists in the era before Atlas removed its endpoints.
    sim = await startSimulator({ ...(await defaultWorld()), tenantApi: 'served' }, { clock: 'manual', startTime: START });
    const [prod, staging] = sim.world.projects.map((p) => p.id) as [string, string];
    const key = { user: 'simadmin', pass: sim.world.credentials.apiKeys[0]?.privateKey as string };
    const before = Object.fromEntries(sim.clusters().map((c) => [c.name, c.dataVersion]));
    const calls = [
      api(sim, key).post(`/groups/${prod}/clusters/prod-cluster/backup/restoreJobs`, {
        deliveryType: 'automated',
        snapshotId: '65f1b0000000000000000103',
        targetClusterName: 'staging-cluster',
        targetGroupId: staging,
      }),
      api(sim, key).post(`/groups/${prod}/clusters/prod-sharded/backup/restoreJobs`, {
        deliveryType: 'automated',
        snapshotId: '65f1b0000000000000000202',
        targetClusterName: 'staging-sharded',
        targetGroupId: staging,
      }),
      api(sim, key).post(`/groups/${staging}/flexClusters/flex-dev/backup/restoreJobs`, { snapshotId: '65f1b0000000000000001401', targetDeploymentItemName: 'flex-target' }, { accept: V2024 }),
      api(sim, key).post(`/groups/${staging}/clusters/m2-legacy/backup/tenant/restore`, { snapshotId: '65f1b0000000000000001602', targetDeploymentItemName: 'm2-target' }),
      api(sim, key).post(`/groups/${prod}/clusters/legacy-sharded/restoreJobs`, {
        checkpointId: '65f1d0000000000000000502',
        delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: staging, targetClusterName: 'staging-sharded-2' },
      }),
      api(sim, key).post(`/groups/${prod}/clusters/prod-cluster/backup/restoreJobs`, { deliveryType: 'download', snapshotId: '65f1b0000000000000000105' }),
    ];
    for (const answer of await Promise.all(calls)) expect(answer.status).toBe(200);
    sim.clock.advance(2 * HOUR);
    const after = Object.fromEntries(sim.clusters().map((c) => [c.name, c.dataVersion]));
    expect(after).toEqual({
      ...before,
      'staging-cluster': 'prod-v2',
      'staging-sharded': 'prod-sharded-v2',
      'flex-target': 'flex-dev-v1',
      'm2-target': 'm2-v2',
      'staging-sharded-2': 'legacy-sharded-v2',
    });
  });
});

describe('world validation', () => {
  const broken: [name: string, change: (w: WorldInput) => void, message: RegExp][] = [
    ['a duplicate project id', (w) => w.projects.push({ ...w.projects[0], clusters: [] } as never), /duplicate project id/],
    ['a duplicate cluster name', (w) => w.projects[0]?.clusters?.push({ name: 'src', dataVersion: 'x' }), /duplicate cluster name src/],
    ['roles for an unknown project', (w) => w.credentials?.apiKeys?.push({ publicKey: 'k', privateKey: 'p', roles: { 'ffffffffffffffffffffffff': ['PROJECT_OWNER'] } }), /roles name project/],
    ['an unknown role', (w) => w.credentials?.apiKeys?.push({ publicKey: 'k', privateKey: 'p', roles: { '*': ['PROJECT_GOD' as never] } }), /credentials\.apiKeys\.3\.roles/],
    ['a sharded Flex cluster', (w) => w.projects[0]?.clusters?.push({ name: 'f', kind: 'flex', sharded: true, dataVersion: 'x' }), /cannot be sharded/],
    ['a bad relative time', (w) => w.projects[0]?.clusters?.push({ name: 't', dataVersion: 'x', snapshots: [{ id: 'aaaaaaaaaaaaaaaaaaaaaaaa', createdAt: '-6x' }] }), /createdAt/],
    ['an unknown field', (w) => Object.assign(w, { colour: 'blue' }), /colour|Unrecognized/],
  ];
  it.each(broken)('refuses %s with the path in the message', (_name, change, message) => {
    const world = testWorld();
    change(world);
    expect(() => parseWorld(world)).toThrow(WorldInvalidError);
    expect(() => parseWorld(world)).toThrow(message);
  });

  it('will not start on a broken world', async () => {
    await expect(startSimulator({ projects: [] })).rejects.toThrow(WorldInvalidError);
  });
});
