import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DeliveryFaultRuleInput, SimulatorHandle } from '../../../local/simulator/index.js';
import { api, cloudJobs, digestCall, ADMIN, FLEX_SNAP, P1, P2, S, startTestSimulator, START, testWorld, TENANT_SNAP, V2024 } from './helpers.js';

/**
 * Atlas's side of push completion: when a Cloud Backup restore ends, the simulator POSTs an alert
 * to each enabled matching alert configuration's webhook, signed like Atlas. A real HTTP receiver
 * records what arrives; the signature is checked here with node:crypto, not the simulator's code.
 */

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  raw: Buffer;
}

const SECRET = 'whsec-test-0123456789abcdef';
const RESTORE_MS = 600_000; // cloud.automated's default duration in the simulator
let sim: SimulatorHandle;
let receiver: Server;
let received: Received[];
let answerStatus: number;
let receiverUrl: string;

beforeEach(async () => {
  received = [];
  answerStatus = 200;
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', headers: req.headers, raw: Buffer.concat(chunks) });
      res.writeHead(answerStatus).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/atlas-alerts/abc`;
  // The old era's shared-tier API too: its restores must send no alert either.
  sim = await startTestSimulator({ ...testWorld(), tenantApi: 'served' });
});
afterEach(async () => {
  await sim.stop();
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

function verifies(r: Received, secret = SECRET): boolean {
  const header = r.headers['x-mms-signature'];
  if (typeof header !== 'string') return false;
  const expected = createHmac('sha1', secret).update(r.raw).digest();
  const given = Buffer.from(header, 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function wire(eventTypeName = 'CPS_RESTORE_SUCCESSFUL', extra: Record<string, unknown> = {}, group = P1) {
  const notification = { typeName: 'WEBHOOK', webhookUrl: receiverUrl, webhookSecret: SECRET, ...extra };
  const answer = await api(sim).post(`/groups/${group}/alertConfigs`, { eventTypeName, enabled: true, notifications: [notification] });
  expect(answer.status).toBe(200);
  return answer.json as { id: string; notifications: unknown[] };
}

async function restore(): Promise<string> {
  const answer = await api(sim).post(cloudJobs(), { deliveryType: 'automated', snapshotId: S.recent, targetClusterName: 'dst', targetGroupId: P1 });
  expect(answer.status).toBe(200);
  return answer.json.id as string;
}

/** Moves the simulated clock and waits until every alert due by then has been answered. */
async function advance(ms: number): Promise<void> {
  sim.clock.advance(ms);
  await sim.deliveries.settled();
}

const isoAt = (ms: number) => new Date(START + ms).toISOString().replace('.000Z', 'Z');
const job = async (id: string) => (await api(sim).get(`${cloudJobs()}/${id}`)).json;

describe('alert delivery when a restore job ends', () => {
  it('POSTs an Atlas-shaped alert at the job end, signed Base64(HMAC-SHA1(secret, raw body))', async () => {
    const config = await wire();
    const jobId = await restore();
    await advance(RESTORE_MS - 1000);
    expect(received).toEqual([]);
    await advance(1000);
    expect(received).toHaveLength(1);
    const [alert] = received as [Received];
    expect(alert.path).toBe('/atlas-alerts/abc');
    expect(alert.headers['content-type']).toBe('application/json');
    expect(alert.headers['x-mms-event']).toBe('alert.inform');
    expect(verifies(alert)).toBe(true);
    const body = JSON.parse(alert.raw.toString('utf8'));
    expect(body).toMatchObject({ groupId: P1, alertConfigId: config.id, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', status: 'OPEN' });
    expect(body.id).toMatch(/^[a-f0-9]{24}$/);
    expect(body.created).toBe(isoAt(RESTORE_MS));
    expect(body.updated).toBe(body.created);
    expect(body.humanReadable).toBe('Project: one\nA Cloud Backup restore completed.');
    // "Some restore in project G ended": no job id, no cluster name.
    expect(alert.raw.toString('utf8')).not.toContain(jobId);
    expect(alert.raw.toString('utf8')).not.toMatch(/\bsrc\b|\bdst\b/);
    expect(alert.raw.toString('utf8')).not.toContain(SECRET);

    expect(sim.deliveries.log()).toEqual([
      expect.objectContaining({
        alertId: body.id,
        jobId,
        url: receiverUrl,
        outcome: 'delivered',
        status: 200,
        signed: true,
        at: body.created,
        jobEndedAt: body.created,
        visibleEndAt: body.created,
        body: alert.raw.toString('utf8'),
      }),
    ]);
    expect((await job(jobId)).finishedAt).toBe(body.created);
  });

  it('sends CPS_RESTORE_FAILED for a failed job, only to configs on that event', async () => {
    await wire('CPS_RESTORE_SUCCESSFUL');
    const failedConfig = await wire('CPS_RESTORE_FAILED');
    sim.scriptOutcome({ outcome: 'fail' });
    await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
    expect(JSON.parse(received[0]!.raw.toString('utf8'))).toMatchObject({ eventTypeName: 'CPS_RESTORE_FAILED', alertConfigId: failedConfig.id });
  });

  it('sends nothing for a cancelled, killed or expired job, a disabled config or another project', async () => {
    const config = await wire();
    await wire('CPS_RESTORE_SUCCESSFUL', {}, P2);
    const cancelled = await restore();
    await advance(60_000);
    expect((await api(sim).delete(`${cloudJobs()}/${cancelled}`)).status).toBe(204);
    await advance(RESTORE_MS);
    sim.scriptOutcome({ outcome: 'kill' });
    await restore();
    await advance(RESTORE_MS);
    sim.scriptOutcome({ outcome: 'expire' });
    await restore();
    await advance(RESTORE_MS);
    const off = await digestCall(sim.baseUrl, ADMIN, 'PATCH', `/api/atlas/v2/groups/${P1}/alertConfigs/${config.id}`, { body: { enabled: false } });
    expect(off.json.enabled).toBe(false);
    await restore();
    await advance(RESTORE_MS);
    expect(received).toEqual([]);
    expect(sim.deliveries.log()).toEqual([]);
  });

  it('sends nothing for Flex or shared-tier restores (Atlas has no alert for them)', async () => {
    await wire();
    await wire('CPS_RESTORE_FAILED');
    const flex = await api(sim).post(`/groups/${P1}/flexClusters/flexsrc/backup/restoreJobs`, { snapshotId: FLEX_SNAP, targetDeploymentItemName: 'flexdst' }, { accept: V2024 });
    expect(flex.status).toBe(200);
    const tenant = await api(sim).post(`/groups/${P1}/clusters/tenantsrc/backup/tenant/restore`, { snapshotId: TENANT_SNAP, targetDeploymentItemName: 'tenantdst' });
    expect(tenant.status).toBe(200);
    await advance(3_600_000);
    expect(sim.jobs({ groupId: P1 }).map((j) => j.phase)).toEqual(['succeeded', 'succeeded']);
    expect(received).toEqual([]);
  });

  it('delivers when a hanging job is ended by finishJob, and unsigned when the config has no secret', async () => {
    await wire('CPS_RESTORE_SUCCESSFUL', { webhookSecret: undefined });
    sim.scriptOutcome({ outcome: 'hang' });
    const jobId = await restore();
    await advance(3 * RESTORE_MS);
    expect(received).toEqual([]);
    expect(sim.finishJob(jobId)).toBe(1);
    await sim.deliveries.settled();
    expect(received).toHaveLength(1);
    expect(received[0]!.headers).not.toHaveProperty('x-mms-signature');
    expect(sim.deliveries.log()[0]).toMatchObject({ jobId, signed: false, outcome: 'delivered' });
  });

  it('keeps the real URL and secret behind the masks a PUT sends back', async () => {
    const config = await wire();
    const put = await digestCall(sim.baseUrl, ADMIN, 'PUT', `/api/atlas/v2/groups/${P1}/alertConfigs/${config.id}`, {
      body: { eventTypeName: 'CPS_RESTORE_SUCCESSFUL', enabled: true, notifications: config.notifications },
    });
    expect(put.status).toBe(200);
    await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
    expect(received[0]!.path).toBe('/atlas-alerts/abc');
    expect(verifies(received[0]!)).toBe(true);
  });

  it('records a non-2xx answer as a failed delivery and does not retry', async () => {
    await wire();
    answerStatus = 500;
    await restore();
    await advance(RESTORE_MS);
    await advance(3_600_000);
    expect(received).toHaveLength(1);
    expect(sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'failed', status: 500 })]);
  });

  it('records an unreachable receiver as a failed delivery with no status', async () => {
    await wire();
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
    receiver = createServer();
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    await restore();
    await advance(RESTORE_MS);
    const [record] = sim.deliveries.log();
    expect(record).toMatchObject({ outcome: 'failed' });
    expect(record).not.toHaveProperty('status');
    expect(record!.error).toBeTruthy();
  });
});

describe('delivery faults', () => {
  const withFaults = (deliveries: DeliveryFaultRuleInput[]) => sim.setFaults({ deliveries });

  it('delays an alert by N simulated seconds', async () => {
    await wire();
    withFaults([{ match: 'CPS_RESTORE_SUCCESSFUL', delaySeconds: 45 }]);
    await restore();
    await advance(RESTORE_MS + 44_000);
    expect(received).toEqual([]);
    await advance(1000);
    expect(received).toHaveLength(1);
    expect(sim.deliveries.log()[0]).toMatchObject({ outcome: 'delivered', at: isoAt(RESTORE_MS + 45_000) });
  });

  it('loses an alert: nothing arrives, the log says lost', async () => {
    await wire();
    withFaults([{ script: ['lost'] }]);
    await restore();
    await advance(RESTORE_MS);
    expect(received).toEqual([]);
    expect(sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    // The script is spent: the next restore's alert arrives.
    await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
  });

  it('sends an alert twice, byte for byte', async () => {
    await wire();
    withFaults([{ script: ['duplicate'] }]);
    await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(2);
    expect(received[1]!.raw.equals(received[0]!.raw)).toBe(true);
    expect(received.every((r) => verifies(r))).toBe(true);
    expect(sim.deliveries.log().map((r) => r.copy)).toEqual([1, 2]);
  });

  it('signs an alert with the wrong key', async () => {
    await wire();
    withFaults([{ match: P1, script: ['badSignature'] }]);
    await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
    expect(typeof received[0]!.headers['x-mms-signature']).toBe('string');
    expect(verifies(received[0]!)).toBe(false);
    expect(sim.deliveries.log()[0]).toMatchObject({ badSignature: true, outcome: 'delivered' });
  });

  it('sends an alert early: a GET shows the job ended only N seconds after it arrives', async () => {
    await wire();
    withFaults([{ script: [{ earlySeconds: 20 }] }]);
    const jobId = await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
    const seen = await job(jobId);
    expect(seen).not.toHaveProperty('finishedAt');
    expect(seen.cancelled || seen.failed || seen.expired).toBe(false);
    await advance(19_000);
    expect(await job(jobId)).not.toHaveProperty('finishedAt');
    await advance(1000);
    expect((await job(jobId)).finishedAt).toBe(isoAt(RESTORE_MS + 20_000));
    expect(sim.deliveries.log()[0]).toMatchObject({ at: isoAt(RESTORE_MS), jobEndedAt: isoAt(RESTORE_MS), visibleEndAt: isoAt(RESTORE_MS + 20_000) });
  });

  it('alerts once per job: ending it again during the early lag sends nothing more', async () => {
    await wire();
    withFaults([{ script: [{ earlySeconds: 60 }] }]);
    const jobId = await restore();
    await advance(RESTORE_MS);
    expect(received).toHaveLength(1);
    expect(sim.finishJob(jobId)).toBe(1);
    await advance(120_000);
    expect(received).toHaveLength(1);
    expect(sim.deliveries.log()).toHaveLength(1);
  });

  it('draws the same fates for the same seed', async () => {
    await wire();
    const run = async () => {
      withFaults([{ lostRate: 0.3, duplicateRate: 0.5 }]);
      sim.deliveries.clear();
      for (let i = 0; i < 12; i++) {
        await restore();
        await advance(RESTORE_MS);
      }
      return sim.deliveries.log().map((r) => `${r.outcome}${r.copy}`);
    };
    const first = await run();
    expect(await run()).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['lost1', 'delivered1', 'delivered2']));
  });
});
