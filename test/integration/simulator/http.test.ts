import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, P1, P2, S, startTestSimulator, testWorld, V2023, V2024 } from './helpers.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startTestSimulator();
});
afterAll(async () => sim.stop());

const snapshots = `/groups/${P1}/clusters/src/backup/snapshots`;
const flexSnapshots = `/groups/${P1}/flexClusters/flexsrc/backup/snapshots`;
const cluster = `/groups/${P1}/clusters/src`;
const vnd = (date: string) => `application/vnd.atlas.${date}+json`;
const resolved = (date: string) => `application/vnd.atlas.${date}+json;charset=utf-8`;

describe('versioned media types', () => {
  const cases: [name: string, path: string, accept: string | null, status: number, version?: string][] = [
    ['the exact version', snapshots, V2023, 200, '2023-01-01'],
    ['a later date (newest at or before it)', snapshots, vnd('2025-03-12'), 200, '2023-01-01'],
    ['a date before the first version', snapshots, vnd('2022-12-31'), 406],
    ['a date that is not a date', snapshots, vnd('2023-13-45'), 406],
    ['"preview"', snapshots, vnd('preview'), 406],
    ['plain JSON (the oldest version)', snapshots, 'application/json', 200, '2023-01-01'],
    ['no Accept header', snapshots, null, 200, '2023-01-01'],
    ['several types, one usable', snapshots, `${vnd('2022-01-01')}, ${vnd('2024-01-01')};q=0.9`, 200, '2023-01-01'],
    ['Flex at its version', flexSnapshots, V2024, 200, '2024-11-13'],
    ['Flex at a later date', flexSnapshots, vnd('2025-06-01'), 200, '2024-11-13'],
    ['Flex at 2023-01-01', flexSnapshots, V2023, 406],
    ['Flex with no Accept', flexSnapshots, null, 200, '2024-11-13'],
    ['a cluster at 2023-01-15', cluster, vnd('2023-01-15'), 200, '2023-01-01'],
    ['a cluster at 2023-06-01', cluster, vnd('2023-06-01'), 200, '2023-02-01'],
    ['a cluster at 2024-09-01', cluster, vnd('2024-09-01'), 200, '2024-08-05'],
  ];
  it.each(cases)('resolves %s', async (_name, path, accept, status, version) => {
    const answer = await api(sim).get(path, { accept });
    expect(answer.status).toBe(status);
    if (version) {
      expect(answer.headers['content-type']).toBe(resolved(version));
      expect(sim.requests().at(-1)?.version).toBe(version);
    } else {
      expect(answer.headers['content-type']).toBe('application/json;charset=utf-8');
      expect(answer.json).toMatchObject({ error: 406, errorCode: 'INVALID_VERSION_DATE', reason: 'Not Acceptable' });
    }
  });

  it('answers in the shape of the resolved version', async () => {
    const old = (await api(sim).get(cluster, { accept: V2023 })).json;
    const current = (await api(sim).get(cluster, { accept: vnd('2024-08-05') })).json;
    expect(old.replicationSpecs[0]).toHaveProperty('numShards', 1);
    expect(current.replicationSpecs[0]).toHaveProperty('regionConfigs');
    expect(current).toMatchObject({ name: 'src', groupId: P1, clusterType: 'REPLICASET', pitEnabled: true });
  });
});

describe('clusters and the Flex API', () => {
  it('reads clusters of every kind through the right API only', async () => {
    expect((await api(sim).get(`/groups/${P1}/clusters/shardsrc`)).json.clusterType).toBe('SHARDED');
    expect((await api(sim).get(`/groups/${P1}/clusters/tenantsrc`)).status).toBe(200);
    const flex = await api(sim).get(`/groups/${P1}/flexClusters/flexsrc`, { accept: V2024 });
    expect(flex.json).toMatchObject({ name: 'flexsrc', providerSettings: { providerName: 'FLEX' } });
    const flexInClusterApi = await api(sim).get(`/groups/${P1}/clusters/flexsrc`);
    expect(flexInClusterApi.json).toMatchObject({
      error: 400,
      errorCode: 'CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API',
      detail: 'Flex cluster flexsrc cannot be used in the Cluster API.',
      parameters: ['flexsrc'],
    });
    const nonFlex = await api(sim).get(`/groups/${P1}/flexClusters/src`, { accept: V2024 });
    expect(nonFlex.json).toMatchObject({ error: 400, errorCode: 'CANNOT_USE_NON_FLEX_CLUSTER_IN_FLEX_API', parameters: ['src'] });
    expect((await api(sim).get(`/groups/${P1}/clusters/nowhere`)).json).toMatchObject({ error: 404, errorCode: 'CLUSTER_NOT_FOUND' });
    expect((await api(sim).get(`/groups/${P1}/flexClusters/nowhere`, { accept: V2024 })).json.errorCode).toBe('CLUSTER_NOT_FOUND');
    expect((await api(sim).get(`/groups/${P1}/clusters/flexsrc/backup/snapshots`)).json.errorCode).toBe('CANNOT_USE_FLEX_CLUSTER_IN_CLUSTER_API');
  });
});

describe('a cluster being restored', () => {
  it('shows UPDATING until the restore ends', async () => {
    const local = await startTestSimulator();
    try {
      const dst = `/groups/${P1}/clusters/dst`;
      expect((await api(local).get(dst)).json.stateName).toBe('IDLE');
      await api(local).post(cloudJobs(), { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 });
      expect((await api(local).get(dst)).json.stateName).toBe('UPDATING');
      local.clock.advance(10 * 60_000);
      expect((await api(local).get(dst)).json.stateName).toBe('IDLE');
    } finally {
      await local.stop();
    }
  });
});

describe('envelope, pretty and paging', () => {
  it('wraps a single object in {status, content} with HTTP 200', async () => {
    const answer = await api(sim).get(`${cluster}?envelope=true`);
    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ status: 200, content: { name: 'src' } });
  });

  it('adds status to a list', async () => {
    const answer = await api(sim).get(`${snapshots}?envelope=true&itemsPerPage=1`);
    expect(answer.json).toMatchObject({ status: 200, totalCount: 4 });
    expect(answer.json.results).toHaveLength(1);
  });

  it('wraps a 204 too, and leaves errors alone', async () => {
    const job = await api(sim).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.old });
    const cancelled = await api(sim).delete(`${cloudJobs()}/${job.json.id}?envelope=true`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.json).toEqual({ status: 204 });
    const missing = await api(sim).get(`/groups/${P1}/clusters/nowhere?envelope=true`);
    expect(missing.status).toBe(404);
  });

  it('pretty-prints on request', async () => {
    const plain = await api(sim).get(cluster);
    const pretty = await api(sim).get(`${cluster}?pretty=true`);
    expect(plain.text).not.toContain('\n');
    expect(pretty.text).toContain('\n  "name": "src"');
    expect(JSON.parse(pretty.text)).toEqual(plain.json);
    expect((await api(sim).get(`/groups/${P1}/clusters/nowhere?pretty=true`)).text).toContain('\n  "errorCode"');
  });

  it('pages with links, and past the end gives an empty page', async () => {
    const first = await api(sim).get(`${snapshots}?itemsPerPage=3`);
    expect(first.json.results.map((s: { id: string }) => s.id)).toEqual([S.running, S.failed, S.recent]);
    expect(first.json.links.find((l: { rel: string }) => l.rel === 'next').href).toContain('pageNum=2');
    const second = await api(sim).get(`${snapshots}?itemsPerPage=3&pageNum=2`);
    expect(second.json.results.map((s: { id: string }) => s.id)).toEqual([S.old]);
    expect(second.json.links.map((l: { rel: string }) => l.rel)).toEqual(['self', 'previous']);
    const beyond = await api(sim).get(`${snapshots}?pageNum=9`);
    expect(beyond.json).toMatchObject({ results: [], totalCount: 4 });
  });

  const badQueries: [string, string][] = [
    ['itemsPerPage=0', 'itemsPerPage'],
    ['itemsPerPage=501', 'itemsPerPage'],
    ['pageNum=0', 'pageNum'],
    ['pageNum=two', 'pageNum'],
    ['includeCount=maybe', 'includeCount'],
    ['envelope=yes', 'envelope'],
  ];
  it.each(badQueries)('refuses %s', async (query, field) => {
    const answer = await api(sim).get(`${snapshots}?${query}`);
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ errorCode: 'INVALID_QUERY_PARAMETER', badRequestDetail: { fields: [{ field }] } });
  });

  it('accepts 500 items per page', async () => {
    expect((await api(sim).get(`${snapshots}?itemsPerPage=500`)).status).toBe(200);
  });
});

describe('rate limits', () => {
  let limited: SimulatorHandle;
  afterEach(async () => limited?.stop());

  it('sends RateLimit headers on every 2xx, nominal when no limit is set', async () => {
    const answer = await api(sim).get(cluster);
    expect(answer.headers['ratelimit-limit']).toBe('100');
    expect(answer.headers['ratelimit-remaining']).toBeDefined();
  });

  it('runs a token bucket per project: 429 with Retry-After, then refills on the clock', async () => {
    const world = testWorld();
    world.faults = { rateLimit: { capacity: 3, refillPerSecond: 0.5 } };
    limited = await startTestSimulator(world);
    const remaining: (string | string[] | undefined)[] = [];
    for (let i = 0; i < 3; i++) remaining.push((await api(limited).get(cluster)).headers['ratelimit-remaining']);
    expect(remaining).toEqual(['2', '1', '0']);
    const refused = await api(limited).get(cluster);
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toBe('2');
    expect(refused.headers['ratelimit-limit']).toBe('3');
    expect(refused.headers['ratelimit-remaining']).toBe('0');
    expect(refused.json).toMatchObject({ error: 429, errorCode: 'RATE_LIMITED', reason: 'Too Many Requests' });
    expect(limited.requests().at(-1)?.fault).toBe('rate limited');
    // Another project has its own bucket.
    expect((await api(limited).get(`/groups/${P2}/clusters/dst2`)).status).toBe(200);
    limited.clock.advance(2_000);
    expect((await api(limited).get(cluster)).status).toBe(200);
    expect((await api(limited).get(cluster)).status).toBe(429);
  });
});
