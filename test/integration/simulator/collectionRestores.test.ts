import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle, WorldInput } from '../../../local/simulator/index.js';
import { api, HOUR, OPERATOR, P1, READER, S, START, startTestSimulator, testWorld, UNKNOWN_ID } from './helpers.js';

/** Collection-level restores (2025-03-12): rules, states, per-collection progress, per-namespace data. */

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const V2025 = 'application/vnd.atlas.2025-03-12+json';
const jobs = `/groups/${P1}/clusters/src/collectionRestoreJobs`;
const dbs = (snapshot: string) => `/groups/${P1}/clusters/src/backup/snapshots/${snapshot}/databases`;
const call = (creds = undefined as typeof READER | undefined) => {
  const a = creds ? api(sim, creds) : api(sim);
  return {
    get: (path: string) => a.get(path, { accept: V2025 }),
    post: (path: string, body: unknown) => a.post(path, body, { accept: V2025 }),
  };
};

function world(): WorldInput {
  const w = testWorld();
  const clusters = w.projects[0]!.clusters!;
  clusters.find((c) => c.name === 'src')!.namespaces = [
    { name: 'shop.orders', documents: 600 },
    { name: 'shop.users', documents: 400 },
    { name: 'logs.events', documents: 5000 },
  ];
  clusters.find((c) => c.name === 'dst')!.namespaces = [
    { name: 'shop.orders', documents: 10 },
    { name: 'shop.users', documents: 10 },
    { name: 'logs.events', documents: 10 },
  ];
  return w;
}

const request = (o: Record<string, unknown> = {}) => ({
  snapshotId: S.recent,
  targetClusterName: 'dst',
  targetGroupId: P1,
  writeStrategy: 'OVERWRITE_EXISTING',
  indexStrategy: 'ALL',
  collections: [{ sourceNamespace: 'shop.orders' }],
  ...o,
});

describe('snapshot namespaces', () => {
  it('lists the databases and collections a snapshot holds, and 404s names it does not', async () => {
    sim = await startTestSimulator(world());
    const list = await call().get(dbs(S.recent));
    expect(list.status).toBe(200);
    expect(list.headers['content-type']).toBe('application/vnd.atlas.2025-03-12+json;charset=utf-8');
    expect(list.json.results.map((d: { name: string }) => d.name)).toEqual(['logs', 'shop']);
    expect((await call().get(`${dbs(S.recent)}/shop/collections`)).json.results.map((c: { name: string }) => c.name)).toEqual(['orders', 'users']);
    expect((await call().get(`${dbs(S.recent)}/shop/collections/orders`)).json).toMatchObject({ name: 'orders' });
    expect((await call().get(`${dbs(S.recent)}/nope`)).status).toBe(404);
    expect((await call().get(`${dbs(S.recent)}/shop/collections/nope`)).status).toBe(404);
    expect((await call().get(dbs(UNKNOWN_ID))).json.errorCode).toBe('SNAPSHOT_NOT_FOUND');
  });
});

describe('collection restore jobs', () => {
  it('moves INITIALIZING → IN_PROGRESS → FINALIZING → SUCCESSFUL, counts documents, and changes only the named collections', async () => {
    sim = await startTestSimulator(world());
    const created = await call().post(jobs, request({ collections: [{ sourceNamespace: 'shop.orders' }, { sourceNamespace: 'shop.carts' }] }));
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ state: 'INITIALIZING', restoredDocuments: 0, totalDocuments: 600, targetClusterName: 'dst', writeStrategy: 'OVERWRITE_EXISTING' });
    const job = `${jobs}/${created.json.id}`;
    expect((await call().get(`${job}/collections`)).json.results).toEqual([]);
    sim.clock.advance(300_000);
    const half = (await call().get(job)).json;
    expect(half.state).toBe('IN_PROGRESS');
    expect(half.restoredDocuments).toBeGreaterThan(0);
    expect(half.restoredDocuments).toBeLessThan(600);
    const states = (await call().get(`${job}/collections`)).json.results;
    expect(states).toEqual([
      expect.objectContaining({ sourceNamespace: 'shop.orders', state: 'IN_PROGRESS', totalDocuments: 600 }),
      expect.objectContaining({ sourceNamespace: 'shop.carts', state: 'NOT_FOUND', totalDocuments: 0 }),
    ]);
    expect((await call().get(`${job}/collections?state=NOT_FOUND`)).json.results).toHaveLength(1);
    expect((await call().get(`${job}/collections/shop.orders`)).json.sourceNamespace).toBe('shop.orders');
    expect(sim.cluster(P1, 'dst').namespaces['shop.orders']).toBe('dst-v0');
    sim.clock.advance(250_000);
    expect((await call().get(job)).json.state).toBe('FINALIZING');
    sim.clock.advance(60_000);
    const done = (await call().get(job)).json;
    expect(done).toMatchObject({ state: 'SUCCESSFUL', restoredDocuments: 600, totalDocuments: 600, finishedAt: '2026-01-15T12:10:00Z' });
    // S.recent holds src-v2: only shop.orders has it now; the cluster's other collections and data are untouched.
    expect(sim.cluster(P1, 'dst').namespaces).toEqual({ 'shop.orders': 'src-v2', 'shop.users': 'dst-v0', 'logs.events': 'dst-v0' });
    expect(sim.cluster(P1, 'dst').dataVersion).toBe('dst-v0');
    expect(sim.cluster(P1, 'src').namespaces['shop.orders']).toBe('src-v3');
  });

  it('CREATE_NEW onto an existing collection lands under a new name; database suffixes rename a whole database', async () => {
    sim = await startTestSimulator(world());
    const created = await call().post(jobs, request({ writeStrategy: 'CREATE_NEW', collections: [], databases: [{ sourceNamespace: 'shop' }], databaseSuffix: '_copy' }));
    expect(created.status).toBe(201);
    sim.clock.advance(HOUR);
    expect(sim.cluster(P1, 'dst').namespaces).toMatchObject({ 'shop_copy.orders': 'src-v2', 'shop_copy.users': 'src-v2', 'shop.orders': 'dst-v0' });
    const second = await call().post(jobs, request({ writeStrategy: 'CREATE_NEW' }));
    sim.clock.advance(HOUR);
    const states = (await call().get(`${jobs}/${second.json.id}/collections`)).json.results;
    expect(states[0]).toMatchObject({ targetNamespace: 'shop.orders', effectiveTargetNamespace: 'shop.orders_restored', state: 'SUCCESSFUL' });
    expect(sim.cluster(P1, 'dst').namespaces).toMatchObject({ 'shop.orders': 'dst-v0', 'shop.orders_restored': 'src-v2' });
  });

  it('ends FAILED without touching the target when scripted; one collection restore per cluster at a time', async () => {
    sim = await startTestSimulator(world());
    sim.scriptOutcome({ kind: 'collection', outcome: 'fail' });
    const failed = await call().post(jobs, request());
    const busy = await call().post(jobs, request({ targetClusterName: 'other' }));
    expect(busy.status).toBe(409);
    expect(busy.json.errorCode).toBe('COLLECTION_RESTORE_IN_PROGRESS');
    // A whole-cluster restore onto the busy target is refused too.
    const cloud = await api(sim).post(`/groups/${P1}/clusters/src/backup/restoreJobs`, { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 });
    expect(cloud.json.errorCode).toBe('ATLAS_CLUSTER_RESTORE_IN_PROGRESS');
    sim.clock.advance(HOUR);
    expect((await call().get(`${jobs}/${failed.json.id}`)).json).toMatchObject({ state: 'FAILED', errorMessage: expect.any(String) });
    expect((await call().get(`${jobs}/${failed.json.id}/collections`)).json.results[0].state).toBe('FAILED');
    expect(sim.cluster(P1, 'dst').namespaces['shop.orders']).toBe('dst-v0');
    expect((await call().get(jobs)).json).toMatchObject({ totalCount: 1 });
    expect((await call().get(`${jobs}/${UNKNOWN_ID}`)).status).toBe(404);
  });

  it('a point in time holds the collections of the snapshot it starts from (the newest completed at or before it), and needs one', async () => {
    const w = world();
    // S.old (-20h) was taken before shop.users existed; S.recent (-5h) holds it, like the cluster now.
    w.projects[0]!.clusters!.find((c) => c.name === 'src')!.snapshots![0]!.namespaces = [{ name: 'shop.orders', documents: 500 }];
    sim = await startTestSimulator(w);
    const twoCollections = { snapshotId: undefined, collections: [{ sourceNamespace: 'shop.orders' }, { sourceNamespace: 'shop.users' }] };
    const early = await call().post(jobs, request({ ...twoCollections, pointInTimeUtcSeconds: (START - 8 * HOUR) / 1000 }));
    expect(early.status).toBe(201);
    expect(early.json).toMatchObject({ pointInTimeUtcSeconds: (START - 8 * HOUR) / 1000, totalDocuments: 500 });
    sim.clock.advance(HOUR);
    const states = (await call().get(`${jobs}/${early.json.id}/collections`)).json.results;
    expect(states.map((c: { sourceNamespace: string; state: string }) => `${c.sourceNamespace} ${c.state}`)).toEqual(['shop.orders SUCCESSFUL', 'shop.users NOT_FOUND']);
    const late = await call().post(jobs, request({ ...twoCollections, pointInTimeUtcSeconds: (START - 2 * HOUR) / 1000 }));
    expect(late.json.totalDocuments).toBe(1000);
    sim.clock.advance(HOUR);
    const before = sim.jobs().length;
    const none = await call().post(jobs, request({ ...twoCollections, pointInTimeUtcSeconds: (START - 21 * HOUR) / 1000 }));
    expect(none.status).toBe(404);
    expect(none.json.errorCode).toBe('UNABLE_T0_FIND_SNAPSHOT_PRIOR_TO_PIT_RESTORE_OPTIME');
    expect(sim.jobs()).toHaveLength(before);
  });

  it.each([
    ['no writeStrategy', { writeStrategy: undefined }, 400, 'MISSING_ATTRIBUTE'],
    ['no indexStrategy', { indexStrategy: undefined }, 400, 'MISSING_ATTRIBUTE'],
    ['no target', { targetClusterName: undefined }, 400, 'MISSING_ATTRIBUTE'],
    ['an unknown writeStrategy', { writeStrategy: 'MERGE' }, 400, 'INVALID_ENUM_VALUE'],
    ['no namespaces at all', { collections: [] }, 400, 'MISSING_ONE_OF_MANY_ATTRIBUTES'],
    ['more than 100 collections', { collections: Array.from({ length: 101 }, (_, i) => ({ sourceNamespace: `db.c${i}` })) }, 400, 'VALIDATION_ERROR'],
    ['a namespace without sourceNamespace', { collections: [{ targetNamespace: 'a.b' }] }, 400, 'MISSING_ATTRIBUTE'],
    ['snapshotId and a point in time', { pointInTimeUtcSeconds: START / 1000 - 60 }, 400, 'INVALID_ATTRIBUTE'],
    ['no snapshot and no time', { snapshotId: undefined }, 400, 'MISSING_ONE_OF_MANY_ATTRIBUTES'],
    ['a read-only field', { state: 'SUCCESSFUL' }, 400, 'ATTRIBUTE_READ_ONLY'],
    ['an unknown snapshot', { snapshotId: UNKNOWN_ID }, 404, 'SNAPSHOT_NOT_FOUND'],
    ['a Flex target', { targetClusterName: 'flexdst' }, 400, 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API'],
  ] as const)('refuses %s and creates nothing', async (_name, change, status, code) => {
    sim = await startTestSimulator(world());
    const answer = await call().post(jobs, request(change));
    expect(answer.status).toBe(status);
    expect(answer.json.errorCode).toBe(code);
    expect(sim.jobs()).toHaveLength(0);
  });

  it('needs Project Backup Recovery Operator to create and Backup Manager to read; speaks only 2025-03-12', async () => {
    sim = await startTestSimulator(world());
    expect((await call(READER).post(jobs, request())).status).toBe(403);
    expect((await call(READER).get(jobs)).status).toBe(403);
    expect((await api(sim).post(jobs, request())).status).toBe(406);
    expect((await call(OPERATOR).post(jobs, request())).status).toBe(201);
  });
});
