import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { clearTokenCache, createAtlasClient } from '../../../functions/core/atlas/index.js';
import {
  AtlasAuthFailedError,
  AtlasCreateOutcomeUnknownError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
} from '../../../functions/core/errors.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, READER_KEY, SERVICE_ACCOUNT, STAGING, defaultWorld, noWait } from './helpers.js';

/** The real client against the real simulator, over HTTP on 127.0.0.1: auth modes and fault classes. */

const restoreJobs = `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/restoreJobs`;
const snapshots = `/api/atlas/v2/groups/${PROD}/clusters/prod-cluster/backup/snapshots`;
const automatedBody = {
  deliveryType: 'automated',
  snapshotId: '65f1b0000000000000000105',
  targetClusterName: 'staging-cluster',
  targetGroupId: STAGING,
};

let sim: SimulatorHandle;
beforeEach(async () => {
  clearTokenCache();
  sim = await startSimulator(defaultWorld(), { clock: 'manual', seed: 7 });
});
afterEach(async () => {
  await sim.stop();
});

describe('auth modes', () => {
  it('Digest: one challenge, then the nonce is reused for every later call', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
    for (let i = 0; i < 4; i++) await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    const log = sim.requests().filter((r) => r.path === snapshots);
    expect(log.map((r) => r.status)).toEqual([401, 200, 200, 200, 200]);
    await atlas.close();
  });

  it('OAuth service account: one token for many calls, and the token never appears in the request log', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: SERVICE_ACCOUNT, ...noWait });
    await Promise.all(Array.from({ length: 10 }, () => atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' })));
    const log = sim.requests();
    expect(log.filter((r) => r.path === '/api/oauth/token')).toHaveLength(1);
    expect(log.filter((r) => r.path === snapshots && r.status === 200)).toHaveLength(10);
    expect(JSON.stringify(log)).not.toContain(SERVICE_ACCOUNT.clientSecret);
    await atlas.close();
  });

  it('a wrong key fails with AtlasAuthFailed and the message carries no secret', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: { ...ADMIN_KEY, privateKey: 'not-the-key-0000' }, ...noWait });
    const err = await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasAuthFailedError);
    expect((err as Error).message).not.toContain('not-the-key-0000');
    await atlas.close();
  });

  it('a key without the restore role is refused with AtlasAuthFailed and nothing is created', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: READER_KEY, ...noWait });
    const err = await atlas.request({ method: 'POST', path: restoreJobs, version: '2023-01-01', body: automatedBody }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasAuthFailedError);
    expect((err as AtlasAuthFailedError).status).toBe(403);
    expect(sim.jobs()).toHaveLength(0);
    await atlas.close();
  });
});

describe('fault classes', () => {
  it('429 from the per-project token bucket is absorbed by honouring Retry-After', async () => {
    sim.setFaults({ rules: [], rateLimit: { capacity: 2, refillPerSecond: 1 } });
    const waits: number[] = [];
    const atlas = createAtlasClient({
      baseUrl: sim.baseUrl,
      credentials: ADMIN_KEY,
      // Advancing the simulator clock stands in for the wait the client asked for.
      sleep: async (ms) => {
        waits.push(ms);
        sim.clock.advance(ms);
      },
    });
    for (let i = 0; i < 5; i++) await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    expect(sim.requests().some((r) => r.status === 429)).toBe(true);
    expect(waits.length).toBeGreaterThan(0);
    await atlas.close();
  });

  it('429 beyond the attempts becomes AtlasThrottled (a Step Functions Retry takes over)', async () => {
    sim.setFaults({ rules: [{ match: '*', errorRate: 1, errorStatuses: [429] }] });
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, retry: { maxAttempts: 3 }, ...noWait });
    await expect(atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' })).rejects.toBeInstanceOf(AtlasThrottledError);
    await atlas.close();
  });

  it('a burst of 503s is retried to success', async () => {
    sim.setFaults({ rules: [{ match: `GET ${snapshots}`, script: [{ status: 503 }, { status: 503 }, 'pass'] }] });
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
    const res = await atlas.request<{ results: unknown[] }>({ method: 'GET', path: snapshots, version: '2023-01-01' });
    expect(res.status).toBe(200);
    expect(res.body.results.length).toBeGreaterThan(0);
    await atlas.close();
  });

  it('persistent 500s on a GET end as AtlasUnavailable', async () => {
    sim.setFaults({ rules: [{ match: `GET ${snapshots}`, errorRate: 1, errorStatuses: [500] }] });
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, retry: { maxAttempts: 3 }, ...noWait });
    await expect(atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' })).rejects.toBeInstanceOf(AtlasUnavailableError);
    await atlas.close();
  });

  it('a dropped connection on a GET is retried', async () => {
    sim.setFaults({ rules: [{ match: `GET ${snapshots}`, script: ['drop', 'pass'] }] });
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
    await expect(atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' })).resolves.toMatchObject({ status: 200 });
    await atlas.close();
  });

  it('a create whose answer is lost is never re-sent: exactly one job exists and the caller is told to reconcile', async () => {
    sim.setFaults({ rules: [{ match: `POST ${restoreJobs}`, script: ['lostAnswer'] }] });
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
    // Hold a Digest nonce first, so the POST goes out authenticated and the fault hits a real create.
    await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    const err = await atlas.request({ method: 'POST', path: restoreJobs, version: '2023-01-01', body: automatedBody }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(sim.requests().filter((r) => r.method === 'POST' && r.path === restoreJobs && r.status !== 401)).toHaveLength(1);
    expect(sim.jobs()).toHaveLength(1);
    await atlas.close();
  });

  it('slow answers beyond the headers timeout fail as AtlasUnavailable instead of hanging', async () => {
    sim.setFaults({ rules: [{ match: `GET ${snapshots}`, delayMs: 2500 }] });
    const atlas = createAtlasClient({
      baseUrl: sim.baseUrl,
      credentials: ADMIN_KEY,
      timeouts: { headersMs: 300, bodyMs: 300 },
      retry: { maxAttempts: 1 },
      ...noWait,
    });
    await expect(atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' })).rejects.toBeInstanceOf(AtlasUnavailableError);
    await atlas.close();
  });

  it('an unknown cluster maps to AtlasNotFound', async () => {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
    await expect(
      atlas.request({ method: 'GET', path: `/api/atlas/v2/groups/${PROD}/clusters/nope/backup/snapshots`, version: '2023-01-01' }),
    ).rejects.toBeInstanceOf(AtlasNotFoundError);
    await atlas.close();
  });
});
