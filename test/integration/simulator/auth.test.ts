import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import {
  ADMIN, api, cloudJobs, digestHeader, HOUR, MIN, OPERATOR, P1, P2, P3, parseChallenge, READER, S, SA, send, START, startTestSimulator, testWorld, token,
} from './helpers.js';

let sim: SimulatorHandle;
afterEach(async () => sim?.stop());

const snapshotsPath = `/api/atlas/v2/groups/${P1}/clusters/src/backup/snapshots`;
const CHALLENGE = /^Digest realm="MMS Public API", domain="", nonce="[^"]+", algorithm=MD5, qop="auth", stale=(true|false)$/;

describe('HTTP Digest', () => {
  it('challenges exactly like Atlas, then accepts a correct answer', async () => {
    sim = await startTestSimulator();
    const first = await send(sim.baseUrl, 'GET', snapshotsPath);
    expect(first.status).toBe(401);
    expect(first.headers['www-authenticate']).toMatch(CHALLENGE);
    expect(first.headers['content-type']).toBe('application/json;charset=utf-8');
    expect(first.json).toMatchObject({ error: 401, errorCode: 'UNAUTHORIZED', reason: 'Unauthorized' });
    const challenge = parseChallenge(first.headers['www-authenticate']);
    expect(challenge.stale).toBe('false');
    const ok = await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: digestHeader(challenge, ADMIN, 'GET', snapshotsPath) });
    expect(ok.status).toBe(200);
    expect(sim.requests().at(-1)?.auth).toEqual({ type: 'digest', principal: 'admin' });
  });

  it('refuses a wrong private key or an unknown public key with a fresh, non-stale challenge', async () => {
    sim = await startTestSimulator();
    for (const creds of [{ user: ADMIN.user, pass: 'wrong' }, { user: 'nobody', pass: ADMIN.pass }]) {
      const challenge = parseChallenge((await send(sim.baseUrl, 'GET', snapshotsPath)).headers['www-authenticate']);
      const answer = await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: digestHeader(challenge, creds, 'GET', snapshotsPath) });
      expect(answer.status).toBe(401);
      expect(answer.json.errorCode).toBe('UNAUTHORIZED');
      const again = parseChallenge(answer.headers['www-authenticate']);
      expect(again.stale).toBe('false');
      expect(again.nonce).not.toBe(challenge.nonce);
    }
  });

  it('marks a nonce stale=true once it is older than its lifetime on the wall clock, and the new nonce works', async () => {
    let wall = START;
    sim = await startTestSimulator(undefined, { wallClock: () => wall });
    const challenge = parseChallenge((await send(sim.baseUrl, 'GET', snapshotsPath)).headers['www-authenticate']);
    const auth = (c: Record<string, string>, nc: number) => ({ authorization: digestHeader(c, ADMIN, 'GET', snapshotsPath, nc) });
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, auth(challenge, 1))).status).toBe(200);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, auth(challenge, 2))).status).toBe(200);
    // Simulated time says nothing about a nonce's age: hours of it pass between polls at --scale 60.
    sim.clock.advance(6 * HOUR);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, auth(challenge, 3))).status).toBe(200);
    wall += 6 * MIN;
    const stale = await send(sim.baseUrl, 'GET', snapshotsPath, auth(challenge, 4));
    expect(stale.status).toBe(401);
    expect(stale.headers['www-authenticate']).toMatch(CHALLENGE);
    const fresh = parseChallenge(stale.headers['www-authenticate']);
    expect(fresh.stale).toBe('true');
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, auth(fresh, 1))).status).toBe(200);
  });

  it('refuses a replayed nonce count and an answer for another URI', async () => {
    sim = await startTestSimulator();
    const challenge = parseChallenge((await send(sim.baseUrl, 'GET', snapshotsPath)).headers['www-authenticate']);
    const header = digestHeader(challenge, ADMIN, 'GET', snapshotsPath, 1);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: header })).status).toBe(200);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: header })).status).toBe(401);
    const other = digestHeader(challenge, ADMIN, 'GET', `${snapshotsPath}/${S.old}`, 5);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: other })).status).toBe(401);
  });

  it('offers and accepts SHA-256 when the world asks for it', async () => {
    const world = testWorld();
    world.auth = { digestAlgorithms: ['SHA-256', 'MD5'] };
    sim = await startTestSimulator(world);
    const first = await send(sim.baseUrl, 'GET', snapshotsPath);
    const offers = first.headers['www-authenticate'] as string[];
    expect(offers).toHaveLength(2);
    expect(offers[0]).toContain('algorithm=SHA-256');
    const challenge = parseChallenge(offers[0]);
    const ok = await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: digestHeader(challenge, ADMIN, 'GET', snapshotsPath, 1, 'SHA-256') });
    expect(ok.status).toBe(200);
    const wrong = await send(sim.baseUrl, 'GET', snapshotsPath, {
      authorization: digestHeader(challenge, { ...ADMIN, pass: 'nope' }, 'GET', snapshotsPath, 2, 'SHA-256'),
    });
    expect(wrong.status).toBe(401);
  });

  it('does not take Basic credentials on the Admin API', async () => {
    sim = await startTestSimulator();
    const basic = `Basic ${Buffer.from(`${ADMIN.user}:${ADMIN.pass}`).toString('base64')}`;
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: basic })).status).toBe(401);
  });
});

describe('OAuth service accounts', () => {
  it('issues a Bearer token that works until it expires', async () => {
    sim = await startTestSimulator();
    const issued = await token(sim.baseUrl);
    expect(issued.status).toBe(200);
    expect(issued.json).toMatchObject({ expires_in: 3600, token_type: 'Bearer' });
    const bearer = { authorization: `Bearer ${issued.json.access_token}` };
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, bearer)).status).toBe(200);
    expect(sim.requests().at(-1)?.auth).toEqual({ type: 'bearer', principal: SA.clientId });
    sim.clock.advance(3_599_000);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, bearer)).status).toBe(200);
    sim.clock.advance(1_000);
    const expired = await send(sim.baseUrl, 'GET', snapshotsPath, bearer);
    expect(expired.status).toBe(401);
    expect(expired.json.errorCode).toBe('UNAUTHORIZED');
    const renewed = await token(sim.baseUrl);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: `Bearer ${renewed.json.access_token}` })).status).toBe(200);
  });

  it('honours a configured token lifetime', async () => {
    const world = testWorld();
    world.auth = { tokenTtlSeconds: 60 };
    sim = await startTestSimulator(world);
    const issued = await token(sim.baseUrl);
    expect(issued.json.expires_in).toBe(60);
    sim.clock.advance(60_000);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: `Bearer ${issued.json.access_token}` })).status).toBe(401);
  });

  it('refuses bad client credentials and bad requests with OAuth error bodies', async () => {
    sim = await startTestSimulator();
    expect((await token(sim.baseUrl, SA.clientId, 'wrong')).json).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    expect((await token(sim.baseUrl, 'mdb_sa_id_nobody', SA.clientSecret)).status).toBe(401);
    const basic = `Basic ${Buffer.from(`${SA.clientId}:${SA.clientSecret}`).toString('base64')}`;
    const form = { authorization: basic, contentType: 'application/x-www-form-urlencoded', accept: 'application/json' };
    const wrongGrant = await send(sim.baseUrl, 'POST', '/api/oauth/token', { ...form, rawBody: 'grant_type=password' });
    expect(wrongGrant.status).toBe(400);
    expect(wrongGrant.json.error).toBe('unsupported_grant_type');
    expect((await send(sim.baseUrl, 'POST', '/api/oauth/token', { ...form, rawBody: 'scope=x' })).json.error).toBe('invalid_request');
    expect((await send(sim.baseUrl, 'POST', '/api/oauth/token', { ...form, contentType: 'application/json', rawBody: '{}' })).json.error).toBe('invalid_request');
    expect((await send(sim.baseUrl, 'POST', '/api/oauth/token', { rawBody: 'grant_type=client_credentials' })).status).toBe(401);
    expect((await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: 'Bearer not-a-token' })).status).toBe(401);
  });

  it('limits token requests when the world says so (429 with Retry-After)', async () => {
    const world = testWorld();
    world.faults = { oauthRateLimit: { capacity: 2, refillPerSecond: 10 / 60 } };
    sim = await startTestSimulator(world);
    expect((await token(sim.baseUrl)).status).toBe(200);
    expect((await token(sim.baseUrl)).status).toBe(200);
    const limited = await token(sim.baseUrl);
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('6');
    sim.clock.advance(6_000);
    expect((await token(sim.baseUrl)).status).toBe(200);
  });
});

describe('roles', () => {
  it('lets a read-only key read but not restore (403 with Atlas error body)', async () => {
    sim = await startTestSimulator();
    expect((await api(sim, READER).get(`/groups/${P1}/clusters/src/backup/snapshots`)).status).toBe(200);
    const refused = await api(sim, READER).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.recent });
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: 403, errorCode: 'USER_UNAUTHORIZED', reason: 'Forbidden' });
    expect(sim.jobs()).toHaveLength(0);
  });

  it('checks each operation against its own roles and the target project', async () => {
    sim = await startTestSimulator();
    const restore = { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 };
    const created = await api(sim, OPERATOR).post(cloudJobs(), restore);
    expect(created.status).toBe(200);
    // Listing and reading cloud restore jobs needs Project Backup Manager.
    expect((await api(sim, OPERATOR).get(cloudJobs())).status).toBe(403);
    expect((await api(sim, OPERATOR).get(`${cloudJobs()}/${created.json.id}`)).status).toBe(403);
    const crossProject = await api(sim, OPERATOR).post(cloudJobs(), { ...restore, targetClusterName: 'dst2', targetGroupId: P2 });
    expect(crossProject.json).toMatchObject({ error: 403, errorCode: 'CANNOT_RESTORE_TO_TARGET' });
    // Shared-tier and legacy restores need Project Owner; Flex restores need the recovery operator role.
    const tenant = await api(sim, OPERATOR).post(`/groups/${P1}/clusters/tenantsrc/backup/tenant/restore`, {
      snapshotId: S.recent,
      targetDeploymentItemName: 'tenantdst',
    });
    expect(tenant.status).toBe(403);
    expect((await api(sim, READER).post(`/groups/${P1}/flexClusters/flexsrc/backup/restoreJobs`, {}, { accept: 'application/vnd.atlas.2024-11-13+json' })).status).toBe(403);
    expect((await api(sim, OPERATOR).post(`/groups/${P1}/clusters/legacyrs/restoreJobs`, {})).status).toBe(403);
    // A project the key has no role in at all.
    expect((await api(sim, ADMIN).get(`/groups/${P3}/clusters/lonely`)).status).toBe(403);
    // GROUP_OWNER in the world file means Project Owner.
    expect((await api(sim, ADMIN).post(cloudJobs('src'), { ...restore, targetClusterName: 'dst2', targetGroupId: P2 })).status).toBe(200);
  });

  it('gives service accounts their roles too', async () => {
    sim = await startTestSimulator();
    const bearer = `Bearer ${(await token(sim.baseUrl)).json.access_token}`;
    const ok = await send(sim.baseUrl, 'GET', `/api/atlas/v2${cloudJobs()}`, { authorization: bearer });
    expect(ok.status).toBe(200);
    const refused = await send(sim.baseUrl, 'GET', `/api/atlas/v2/groups/${P3}/clusters/lonely`, { authorization: bearer });
    expect(refused.status).toBe(403);
  });
});

describe('request log', () => {
  it('records every call with its caller, status and operation, and never a secret', async () => {
    sim = await startTestSimulator();
    const issued = await token(sim.baseUrl);
    await send(sim.baseUrl, 'GET', snapshotsPath, { authorization: `Bearer ${issued.json.access_token}` });
    await api(sim).post(cloudJobs(), { deliveryType: 'download', snapshotId: S.recent });
    await api(sim).get(`${cloudJobs()}?itemsPerPage=5`);
    await api(sim, { user: ADMIN.user, pass: 'wrong' }).get(cloudJobs());
    const log = sim.requests();
    expect(log.map((e) => [e.method, e.operation, e.status])).toEqual([
      ['POST', 'createOAuthToken', 200],
      ['GET', 'listBackupSnapshots', 200],
      ['POST', 'createBackupRestoreJob', 401],
      ['POST', 'createBackupRestoreJob', 200],
      ['GET', 'listBackupRestoreJobs', 401],
      ['GET', 'listBackupRestoreJobs', 200],
      ['GET', 'listBackupRestoreJobs', 401],
      ['GET', 'listBackupRestoreJobs', 401],
    ]);
    expect(log[0]?.auth).toEqual({ type: 'basic', principal: SA.clientId });
    expect(log[5]).toMatchObject({ query: { itemsPerPage: '5' }, auth: { type: 'digest', principal: 'admin' }, version: '2023-01-01' });
    expect(log[7]).toMatchObject({ errorCode: 'UNAUTHORIZED', auth: { type: 'digest', principal: 'admin' } });
    expect(log.every((e) => typeof e.time === 'number' && e.at.endsWith('Z'))).toBe(true);
    const everything = JSON.stringify(log);
    for (const secret of [ADMIN.pass, SA.clientSecret, issued.json.access_token as string]) expect(everything).not.toContain(secret);
    sim.clearRequests();
    expect(sim.requests()).toEqual([]);
  });
});
