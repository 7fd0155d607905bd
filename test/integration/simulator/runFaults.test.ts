import { afterEach, describe, expect, it } from 'vitest';
import type { SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN, api, cloudJobs, digestCall, MIN, P1, S, SA, send, startTestSimulator, token } from './helpers.js';

/**
 * The faults a fault matrix over a whole run needs: a careless server echoing credentials, a key
 * revoked or rotated mid-run, a create that lands late, a garbled answer, a job that hangs until
 * the test lets it finish. Raw HTTP, so these check the simulator, not a client.
 */

const sims: SimulatorHandle[] = [];
afterEach(async () => {
  await Promise.all(sims.splice(0).map((s) => s.stop()));
});

async function start(): Promise<SimulatorHandle> {
  const sim = await startTestSimulator();
  sims.push(sim);
  return sim;
}

const cluster = `/groups/${P1}/clusters/src`;
const automated = { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 };
const bearer = async (sim: SimulatorHandle) => `Bearer ${(await token(sim.baseUrl)).json.access_token as string}`;
/** One request per call (a Digest call's first, unauthenticated try would meet scripted faults first). */
async function postWithToken(sim: SimulatorHandle, path: string, body: unknown) {
  return send(sim.baseUrl, 'POST', `/api/atlas/v2${path}`, { authorization: await bearer(sim), body });
}

describe('echoCredentials', () => {
  it('an API error echoes the Digest user, its private key in other cases and encodings, and the Authorization header', async () => {
    const sim = await start();
    sim.setFaults({ rules: [{ match: 'getCluster', script: [{ status: 400 }], echoCredentials: true }] });
    const answer = await api(sim).get(cluster);
    expect(answer.status).toBe(400);
    expect(answer.json.errorCode).toBe('SIMULATED_ECHO');
    const text = answer.text;
    for (const shape of [ADMIN.pass, ADMIN.pass.toUpperCase(), encodeURIComponent(ADMIN.pass), Buffer.from(ADMIN.pass).toString('base64')])
      expect(text).toContain(JSON.stringify(shape).slice(1, -1));
    expect(answer.json.detail).toContain(`Authorization: Digest username="${ADMIN.user}"`);
    expect(answer.json.detail).toContain('WWW-Authenticate: Bearer');
    expect(answer.json.parameters).toContain(ADMIN.pass.toUpperCase());
    expect(sim.requests().at(-1)).toMatchObject({ status: 400, fault: expect.stringContaining('echoing credentials') });
    // The request log itself still holds no secret.
    expect(JSON.stringify(sim.requests())).not.toContain(ADMIN.pass);
  });

  it('a bearer call gets its token and its account secret echoed; the token endpoint answers in OAuth shape with the Basic pair and form fields', async () => {
    const sim = await start();
    const auth = await bearer(sim);
    sim.setFaults({ rules: [{ match: '*', errorRate: 1, errorStatuses: [503], echoCredentials: true }] });
    const refused = await send(sim.baseUrl, 'GET', `/api/atlas/v2${cluster}`, { authorization: auth });
    expect(refused.status).toBe(503);
    expect(refused.json.detail).toContain(auth.slice(7).toUpperCase());
    expect(refused.json.detail).toContain(Buffer.from(SA.clientSecret).toString('base64'));

    const tokenAnswer = await send(sim.baseUrl, 'POST', '/api/oauth/token', {
      authorization: `Basic ${Buffer.from(`${SA.clientId}:${SA.clientSecret}`).toString('base64')}`,
      rawBody: `grant_type=client_credentials&client_secret=${encodeURIComponent('form-secret-0001')}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(tokenAnswer.status).toBe(503);
    expect(tokenAnswer.json.error).toBe('invalid_client');
    expect(tokenAnswer.json.error_description).toContain(SA.clientSecret.toUpperCase());
    expect(tokenAnswer.json.error_description).toContain('FORM-SECRET-0001');
  });

  it('is off unless asked: the same fault without it answers the usual body', async () => {
    const sim = await start();
    sim.setFaults({ rules: [{ match: 'getCluster', script: [{ status: 400 }] }] });
    const answer = await api(sim).get(cluster);
    expect(answer.json.errorCode).toBe('SIMULATED_FAULT');
    expect(answer.text).not.toContain(ADMIN.pass);
  });
});

describe('revoking and rotating credentials mid-run', () => {
  it('a revoked API key gets 401 until restored', async () => {
    const sim = await start();
    expect((await api(sim).get(cluster)).status).toBe(200);
    sim.revokeCredential(ADMIN.user);
    const refused = await api(sim).get(cluster);
    expect(refused.status).toBe(401);
    expect(refused.headers['www-authenticate']).toBeDefined();
    sim.restoreCredential(ADMIN.user);
    expect((await api(sim).get(cluster)).status).toBe(200);
  });

  it('a revoked service account: its live token and the token endpoint both answer 401; restored, both work again', async () => {
    const sim = await start();
    const auth = await bearer(sim);
    sim.revokeCredential(SA.clientId);
    expect((await send(sim.baseUrl, 'GET', `/api/atlas/v2${cluster}`, { authorization: auth })).status).toBe(401);
    expect((await token(sim.baseUrl)).status).toBe(401);
    sim.restoreCredential(SA.clientId);
    expect((await send(sim.baseUrl, 'GET', `/api/atlas/v2${cluster}`, { authorization: auth })).status).toBe(200);
    expect((await token(sim.baseUrl)).status).toBe(200);
  });

  it('rotation: the old private key or secret (and the old tokens) stop working, the returned new one works', async () => {
    const sim = await start();
    const newKey = sim.rotateCredential(ADMIN.user);
    expect((await api(sim).get(cluster)).status).toBe(401);
    expect((await digestCall(sim.baseUrl, { user: ADMIN.user, pass: newKey }, 'GET', `/api/atlas/v2${cluster}`)).status).toBe(200);

    const oldToken = await bearer(sim);
    const newSecret = sim.rotateCredential(SA.clientId);
    expect((await send(sim.baseUrl, 'GET', `/api/atlas/v2${cluster}`, { authorization: oldToken })).status).toBe(401);
    expect((await token(sim.baseUrl)).status).toBe(401);
    expect((await token(sim.baseUrl, SA.clientId, newSecret)).status).toBe(200);
  });

  it('refuses to revoke a credential the world does not have', async () => {
    const sim = await start();
    expect(() => sim.revokeCredential('nobody')).toThrow(/no API key or service account nobody/);
  });
});

describe('a create that lands late', () => {
  it('loses the answer, shows nothing right after, and the job appears (once) after the delay', async () => {
    const sim = await start();
    sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: [{ landsLate: 90 }] }] });
    await expect(postWithToken(sim, cloudJobs(), automated)).rejects.toThrow();
    expect(sim.requests().at(-1)).toMatchObject({ operation: 'createBackupRestoreJob', status: undefined, fault: expect.stringContaining('lands 90 s late') });

    expect((await api(sim).get(cloudJobs())).json.totalCount).toBe(0);
    expect((await api(sim).get(`/groups/${P1}/clusters/dst`)).json.stateName).toBe('IDLE');
    const [pending] = sim.jobs();
    expect(pending).toMatchObject({ landed: false });
    expect((await api(sim).get(`${cloudJobs()}/${pending!.id}`)).status).toBe(404);

    sim.clock.advance(89_000);
    expect((await api(sim).get(cloudJobs())).json.totalCount).toBe(0);
    sim.clock.advance(1_000);
    const listed = await api(sim).get(cloudJobs());
    expect(listed.json.results.map((j: { id: string }) => j.id)).toEqual([pending!.id]);
    expect((await api(sim).get(`${cloudJobs()}/${pending!.id}`)).status).toBe(200);
    expect(sim.jobs()[0]).toMatchObject({ landed: true });
  });

  it('before it lands, Atlas knows nothing of it: a second POST is accepted and two jobs land (the danger a client must avoid)', async () => {
    const sim = await start();
    sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: [{ landsLate: 60 }] }] });
    await expect(postWithToken(sim, cloudJobs(), automated)).rejects.toThrow();
    expect((await postWithToken(sim, cloudJobs(), automated)).status).toBe(200);
    sim.clock.advance(60_000);
    expect(sim.jobs()).toHaveLength(2);
  });
});

describe('a garbled answer', () => {
  it('does the work and answers 200 with a body that is not JSON', async () => {
    const sim = await start();
    sim.setFaults({ rules: [{ match: 'createBackupRestoreJob', script: ['garbled'] }] });
    const answer = await postWithToken(sim, cloudJobs(), automated);
    expect(answer.status).toBe(200);
    expect(answer.json).toBeUndefined();
    expect(answer.text.length).toBeGreaterThan(0);
    expect(sim.jobs()).toHaveLength(1);
  });
});

describe('a job that hangs until told', () => {
  it('a cloud restore scripted to hang runs for ever, then finishJob ends it and the target takes the data', async () => {
    const sim = await start();
    sim.scriptOutcome({ cluster: 'src', outcome: 'hang' });
    const created = await api(sim).post(cloudJobs(), automated);
    const id = created.json.id as string;
    sim.clock.advance(48 * 60 * MIN);
    expect((await api(sim).get(`${cloudJobs()}/${id}`)).json.finishedAt).toBeUndefined();
    expect(sim.cluster(P1, 'dst').dataVersion).toBe('dst-v0');

    expect(sim.finishJob(id)).toBe(1);
    const done = await api(sim).get(`${cloudJobs()}/${id}`);
    expect(done.json.finishedAt).toBeDefined();
    expect(sim.cluster(P1, 'dst').dataVersion).not.toBe('dst-v0');
    expect(sim.finishJob(id)).toBe(0);
    expect(() => sim.finishJob('ffffffffffffffffffffffff')).toThrow(/no job or batch/);
  });

  it('a legacy sharded batch finishes as a whole by its batch id, with the outcome asked for', async () => {
    const sim = await start();
    sim.scriptOutcome({ kind: 'legacy', outcome: 'hang' });
    const created = await api(sim).post(`/groups/${P1}/clusters/legacysh/restoreJobs`, {
      snapshotId: '5eb500000000000000000002',
      delivery: { methodName: 'AUTOMATED_RESTORE', targetGroupId: P1, targetClusterName: 'ldst' },
    });
    expect(created.status).toBe(200);
    const batchId = created.json.results[0].batchId as string;
    sim.clock.advance(24 * 60 * MIN);
    expect(sim.jobs({ family: 'legacy' }).every((j) => j.phase === 'running')).toBe(true);
    expect(sim.finishJob(batchId, 'fail')).toBe(3);
    expect(sim.jobs({ family: 'legacy' }).map((j) => j.phase)).toEqual(['failed', 'failed', 'failed']);
    expect(sim.cluster(P1, 'ldst').dataVersion).toBe('ldst-v0');
  });
});
