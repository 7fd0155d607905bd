import { Agent, type Dispatcher } from 'undici';
import { describe, expect, it } from 'vitest';
import { clearTokenCache, createAtlasClient } from '../../../functions/core/atlas/index.js';
import {
  AtlasAuthFailedError,
  AtlasCreateOutcomeUnknownError,
  AtlasInvalidRequestError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
} from '../../../functions/core/domain/errors.js';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { expectNothingLeaked } from '../../unit/atlas/helpers.js';
import { ADMIN_KEY, PROD, READER_KEY, SERVICE_ACCOUNT, STAGING, freshSimulatorEach, noWait } from './helpers.js';

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
freshSimulatorEach((s) => (sim = s));

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

/**
 * An undici dispatcher that notes every Authorization header the client sends, so a test knows
 * the tokens and Digest responses it must never see again in an error.
 */
function recordingDispatcher(): { dispatcher: Dispatcher; sent: string[] } {
  const sent: string[] = [];
  const dispatcher = new Agent().compose((dispatch) => (options, handler) => {
    const auth = (options.headers as Record<string, string> | undefined)?.authorization;
    if (auth) sent.push(auth);
    return dispatch(options, handler);
  });
  return { dispatcher, sent };
}

/** The values inside the headers sent: bearer tokens, Basic pairs, Digest response and cnonce. */
function partsOf(headers: readonly string[]): string[] {
  return headers.flatMap((h) => [h, h.replace(/^\w+\s+/, ''), ...[...h.matchAll(/\b(?:response|cnonce)="([^"]+)"/g)].map((m) => m[1] as string)]);
}

describe('a server that echoes the credentials it was sent', () => {
  it('Digest: a 400 and a 500 on a create echo the private key in every case and encoding; no variant reaches the error', async () => {
    const { dispatcher, sent } = recordingDispatcher();
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, dispatcher, ...noWait });
    await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    sim.setFaults({
      rules: [
        { match: `GET ${snapshots}`, script: [{ status: 400 }], echoCredentials: true },
        { match: `POST ${restoreJobs}`, script: [{ status: 500 }], echoCredentials: true },
      ],
    });
    const invalid = await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' }).catch((e: unknown) => e);
    expect(invalid).toBeInstanceOf(AtlasInvalidRequestError);
    const unknown = await atlas.request({ method: 'POST', path: restoreJobs, version: '2023-01-01', body: automatedBody }).catch((e: unknown) => e);
    expect(unknown).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(sim.requests().filter((r) => r.fault?.includes('echoing credentials'))).toHaveLength(2);
    for (const error of [invalid, unknown]) expectNothingLeaked(error, [ADMIN_KEY.publicKey, ADMIN_KEY.privateKey, ...partsOf(sent)]);
    await atlas.close();
    await dispatcher.close();
  });

  it('service account: a refused token and a refused client secret come back echoed; no variant reaches the error', async () => {
    const { dispatcher, sent } = recordingDispatcher();
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: SERVICE_ACCOUNT, dispatcher, ...noWait });
    sim.setFaults({ rules: [{ match: `GET ${snapshots}`, errorRate: 1, errorStatuses: [401], echoCredentials: true }] });
    const refusedToken = await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' }).catch((e: unknown) => e);
    expect(refusedToken).toBeInstanceOf(AtlasAuthFailedError);
    expect(sent.filter((h) => h.startsWith('Bearer '))).toHaveLength(2);

    clearTokenCache();
    sim.setFaults({ rules: [{ match: 'createOAuthToken', errorRate: 1, errorStatuses: [401], echoCredentials: true }] });
    const refusedSecret = await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' }).catch((e: unknown) => e);
    expect(refusedSecret).toBeInstanceOf(AtlasAuthFailedError);
    expect(sim.requests().filter((r) => r.fault?.includes('echoing credentials')).length).toBeGreaterThanOrEqual(3);
    for (const error of [refusedToken, refusedSecret]) expectNothingLeaked(error, [SERVICE_ACCOUNT.clientId, SERVICE_ACCOUNT.clientSecret, ...partsOf(sent)]);
    await atlas.close();
    await dispatcher.close();
  });
});

describe('a create is sent once after any doubt', () => {
  const postsTo = (path: string) => sim.requests().filter((r) => r.method === 'POST' && r.path === path && r.auth.type !== 'none');

  /** A Digest client holding a nonce, so the POST under test goes out authenticated the first time. */
  async function readyClient(extra: Partial<Parameters<typeof createAtlasClient>[0]> = {}) {
    const atlas = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait, ...extra });
    await atlas.request({ method: 'GET', path: snapshots, version: '2023-01-01' });
    return atlas;
  }
  const create = (atlas: ReturnType<typeof createAtlasClient>) =>
    atlas.request({ method: 'POST', path: restoreJobs, version: '2023-01-01', body: automatedBody }).catch((e: unknown) => e);

  it.each([
    ['answered 503', { status: 503 }],
    ['answered 502', { status: 502 }],
    ['whose connection dropped after the body went out', 'drop'],
  ] as const)('a create %s is AtlasCreateOutcomeUnknown after exactly one POST', async (_what, action) => {
    const atlas = await readyClient();
    sim.setFaults({ rules: [{ match: `POST ${restoreJobs}`, script: [action] }] });
    expect(await create(atlas)).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(postsTo(restoreJobs)).toHaveLength(1);
    await atlas.close();
  });

  it('a create whose answer does not come in time is AtlasCreateOutcomeUnknown after exactly one POST', async () => {
    const atlas = await readyClient({ timeouts: { headersMs: 300, bodyMs: 300 } });
    sim.setFaults({ rules: [{ match: `POST ${restoreJobs}`, script: [{ delayMs: 2500 }] }] });
    expect(await create(atlas)).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(postsTo(restoreJobs)).toHaveLength(1);
    await atlas.close();
  });

  it('a create answered 429 was not processed: it is sent again and exactly one job exists', async () => {
    const atlas = await readyClient();
    sim.setFaults({ rules: [{ match: `POST ${restoreJobs}`, script: [{ status: 429 }] }] });
    expect(await create(atlas)).toMatchObject({ status: 200 });
    expect(postsTo(restoreJobs)).toHaveLength(2);
    expect(sim.jobs()).toHaveLength(1);
    await atlas.close();
  });
});
