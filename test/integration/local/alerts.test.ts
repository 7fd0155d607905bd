import { createHmac } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createAtlasClient, type AtlasClient } from '../../../functions/core/atlas/index.js';
import { RESTORE_ALERT_EVENT_TYPES } from '../../../functions/core/atlas/alertConfigs.js';
import { checkAlerts, probeReceiver, runAlertsCommand, setupAlerts, shownUrlMatches, type PostDelivery } from '../../../local/commands/alerts.js';
import { receiveAlert } from '../../../functions/core/push/receive.js';
import { MemoryAlertWaiters } from '../../../functions/core/push/waiters.js';
import type { Output } from '../../../local/commands/output.js';
import { startSimulator, type SimulatorHandle } from '../../../local/simulator/index.js';
import { ADMIN_KEY, PROD, STAGING, defaultWorld, noWait } from '../atlas/helpers.js';
import { runCli } from './inProcess.js';

/**
 * `alerts setup` / `alerts check` against the real simulator: idempotent setup, an honest check,
 * and the proof that the two fit: after setup, a restore's end reaches the receiver, signed.
 */

const SECRET = 'whsec-command-test-0a1b2c3d4e5f';
const URL_ = 'https://abc123.execute-api.eu-west-1.amazonaws.com/prod/atlas-alerts';

let sim: SimulatorHandle;
let client: AtlasClient;
beforeEach(async () => {
  sim = await startSimulator(defaultWorld(), { clock: 'manual', seed: 3 });
  client = createAtlasClient({ baseUrl: sim.baseUrl, credentials: ADMIN_KEY, ...noWait });
});
afterEach(async () => {
  await client.close();
  await sim.stop();
});

const configsPath = (group = PROD) => `/api/atlas/v2/groups/${group}/alertConfigs`;

function recorder(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { color: false, lines, line: (t) => void lines.push(t), heading: (t) => void lines.push(`# ${t}`), box: (t) => void lines.push(t), error: (t) => void lines.push(`! ${t}`) };
}

function envFor(extra: Record<string, string> = {}): Record<string, string> {
  return {
    MONGODB_ATLAS_BASE_URL: sim.baseUrl,
    MONGODB_ATLAS_PUBLIC_API_KEY: ADMIN_KEY.publicKey,
    MONGODB_ATLAS_PRIVATE_API_KEY: ADMIN_KEY.privateKey,
    ...extra,
  };
}

describe('setupAlerts / checkAlerts', () => {
  it('creates one enabled config per restore event; a second run changes nothing', async () => {
    expect((await checkAlerts({ client, project: PROD, url: URL_ })).wired).toBe(false);
    const first = await setupAlerts({ client, project: PROD, url: URL_, secret: SECRET });
    expect(first.changed).toBe(true);
    expect(first.changes.map((c) => [c.eventTypeName, c.action])).toEqual(RESTORE_ALERT_EVENT_TYPES.map((e) => [e, 'created']));
    expect(first.changes.map((c) => c.eventTypeName)).toEqual(expect.arrayContaining(['CPS_RESTORE_SUCCESSFUL', 'CPS_RESTORE_FAILED', 'CPS_COLLECTION_RESTORE_SUCCESSFUL']));
    const writes = () => sim.requests().filter((r) => r.method !== 'GET').length;
    const writesAfterFirst = writes();
    const second = await setupAlerts({ client, project: PROD, url: URL_, secret: SECRET });
    expect(second.changed).toBe(false);
    expect(second.changes.map((c) => c.action)).toEqual(RESTORE_ALERT_EVENT_TYPES.map(() => 'unchanged'));
    expect(second.changes.map((c) => c.id)).toEqual(first.changes.map((c) => c.id));
    expect(writes()).toBe(writesAfterFirst);

    const check = await checkAlerts({ client, project: PROD, url: URL_ });
    expect(check.wired).toBe(true);
    expect(check.events).toEqual(
      RESTORE_ALERT_EVENT_TYPES.map((eventTypeName, i) => ({ eventTypeName, present: true, enabled: true, pointsAtUrl: true, id: first.changes[i]!.id })),
    );
    // Another project is its own.
    expect((await checkAlerts({ client, project: STAGING, url: URL_ })).wired).toBe(false);
  });

  it('says not wired for a disabled config or another URL, and setup repairs a disabled one in place', async () => {
    const { changes } = await setupAlerts({ client, project: PROD, url: URL_, secret: SECRET });
    const failedId = changes[1]!.id;
    await client.request({ method: 'PATCH', path: `${configsPath()}/${failedId}`, version: '2023-01-01', body: { enabled: false } });
    const check = await checkAlerts({ client, project: PROD, url: URL_ });
    expect(check.wired).toBe(false);
    expect(check.events[1]).toEqual({ eventTypeName: 'CPS_RESTORE_FAILED', present: true, enabled: false, pointsAtUrl: true, id: failedId });
    const elsewhere = await checkAlerts({ client, project: PROD, url: 'https://other.example.net/alerts' });
    expect(elsewhere.wired).toBe(false);
    expect(elsewhere.events.every((e) => !e.pointsAtUrl)).toBe(true);

    const repaired = await setupAlerts({ client, project: PROD, url: URL_, secret: SECRET });
    expect(repaired.changes.map((c) => [c.action, c.id])).toEqual(changes.map((c, i) => [i === 1 ? 'updated' : 'unchanged', c.id]));
    expect(repaired.changes[1]!.why).toBe('it was disabled');
    expect((await checkAlerts({ client, project: PROD, url: URL_ })).wired).toBe(true);
    expect((await client.listAll({ path: configsPath(), version: '2023-01-01' })).length).toBe(RESTORE_ALERT_EVENT_TYPES.length);
  });

  it('re-sends the secret with force (Atlas never shows it back)', async () => {
    await setupAlerts({ client, project: PROD, url: URL_, secret: SECRET });
    const forced = await setupAlerts({ client, project: PROD, url: URL_, secret: 'whsec-rotated-99887766', force: true });
    expect(forced.changes.map((c) => c.action)).toEqual(RESTORE_ALERT_EVENT_TYPES.map(() => 'updated'));
  });

  it('refuses a bad project id, a plain-http URL off this machine and an empty secret before calling Atlas', async () => {
    const before = sim.requests().length;
    await expect(setupAlerts({ client, project: 'prod', url: URL_, secret: SECRET })).rejects.toThrow('--project must be an Atlas project id');
    await expect(setupAlerts({ client, project: PROD, url: 'http://receiver.example.com/a', secret: SECRET })).rejects.toThrow('--url must use https');
    await expect(setupAlerts({ client, project: PROD, url: URL_, secret: ' ' })).rejects.toThrow('the webhook secret is empty');
    expect(sim.requests()).toHaveLength(before);
  });

  it('matches the partly masked URL Atlas shows against the receiver URL', () => {
    expect(shownUrlMatches('https://abc123.execute-api.eu-west-1.amazonaws.com/****', URL_)).toBe(true);
    expect(shownUrlMatches(URL_, URL_)).toBe(true);
    expect(shownUrlMatches('https://other.example.net/****', URL_)).toBe(false);
    expect(shownUrlMatches('https://abc123.execute-api.eu-west-1.amazonaws.com/other', URL_)).toBe(false);
    expect(shownUrlMatches('https://abc1.3.execute-api.eu-west-1.amazonaws.com/****', URL_)).toBe(false);
  });
});

describe('after setup, a restore that ends reaches the receiver, signed with the secret', () => {
  let receiver: Server;
  const bodies: { raw: Buffer; signature: unknown }[] = [];
  afterEach(async () => {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  });

  it('wires the simulator end to end', async () => {
    receiver = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        bodies.push({ raw: Buffer.concat(chunks), signature: req.headers['x-mms-signature'] });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/atlas-alerts`;
    await setupAlerts({ client, project: PROD, url, secret: SECRET });
    const create = (group: string, cluster: string, body: Record<string, unknown>) =>
      client.request<{ id: string }>({ method: 'POST', path: `/api/atlas/v2/groups/${group}/clusters/${cluster}/backup/restoreJobs`, version: '2023-01-01', body });
    const wiredJob = await create(PROD, 'prod-cluster', { deliveryType: 'automated', snapshotId: '65f1b0000000000000000105', targetClusterName: 'recovery-cluster', targetGroupId: PROD });
    // A restore in a project that was not wired tells nobody.
    await create(STAGING, 'staging-cluster', { deliveryType: 'download', snapshotId: '65f1b0000000000000001101' });
    sim.clock.advance(3_600_000);
    await sim.deliveries.settled();
    expect(bodies).toHaveLength(1);
    const [alert] = bodies as [{ raw: Buffer; signature: unknown }];
    expect(alert.signature).toBe(createHmac('sha1', SECRET).update(alert.raw).digest('base64'));
    expect(JSON.parse(alert.raw.toString('utf8'))).toMatchObject({ groupId: PROD, eventTypeName: 'CPS_RESTORE_SUCCESSFUL' });
    expect(sim.deliveries.log().map((d) => [d.jobId, d.outcome])).toEqual([[wiredJob.body.id, 'delivered']]);
  });
});

/** The stack's receiver (functions/core/push/receive.ts) holding `secret`, answering over a stand-in transport. */
const receiverHolding = (secret: string, woken: string[] = []): PostDelivery => async (_url, headers, body) => {
  const waiters = new MemoryAlertWaiters();
  const res = await receiveAlert(
    { headers, body },
    { webhookSecret: async () => secret, waiters, wake: async (token) => (woken.push(token), 'woken'), now: () => new Date(), logger: { info: () => undefined, warn: () => undefined, error: () => undefined } as never },
  );
  return { status: res.statusCode, text: JSON.stringify(res.body) };
};

describe('alerts check asks the receiver too', () => {
  it('a signed test delivery the receiver takes (and wakes nothing with) is wired; another secret, an unsigned probe and a stranger are told apart', async () => {
    const woken: string[] = [];
    expect(await probeReceiver(URL_, PROD, SECRET, receiverHolding(SECRET, woken))).toEqual({ kind: 'accepted' });
    expect(woken).toEqual([]);
    expect(await probeReceiver(URL_, PROD, 'another-secret', receiverHolding(SECRET))).toEqual({ kind: 'secret-refused' });
    expect(await probeReceiver(URL_, PROD, undefined, receiverHolding(SECRET))).toEqual({ kind: 'unsigned-refused' });
    const stranger: PostDelivery = async () => ({ status: 200, text: '<html>hello</html>' });
    expect(await probeReceiver(URL_, PROD, SECRET, stranger)).toMatchObject({ kind: 'not-the-receiver', detail: expect.stringContaining('HTTP 200') });
    const refused: PostDelivery = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    };
    expect(await probeReceiver(URL_, PROD, SECRET, refused)).toEqual({ kind: 'not-the-receiver', detail: 'no answer (ECONNREFUSED)' });
  });

  it('over real HTTP: nothing listening is not wired', async () => {
    const answer = await probeReceiver('http://127.0.0.1:9/alerts', PROD, SECRET);
    expect(answer.kind).toBe('not-the-receiver');
  });
});

describe('the command', () => {
  it('setup twice: the second run says nothing changed; check exits 0 when wired, 1 when not', async () => {
    const first = recorder();
    expect(await runAlertsCommand({ action: 'setup', project: PROD, url: URL_ }, first, envFor({ ATLAS_ALERT_WEBHOOK_SECRET: SECRET }))).toBe(0);
    expect(first.lines).toContain(`Done: Atlas now sends restore alerts to ${URL_}.`);
    const second = recorder();
    expect(await runAlertsCommand({ action: 'setup', project: PROD, url: URL_ }, second, envFor({ ATLAS_ALERT_WEBHOOK_SECRET: SECRET }))).toBe(0);
    expect(second.lines.filter((l) => l.includes('already wired, unchanged'))).toHaveLength(RESTORE_ALERT_EVENT_TYPES.length);
    expect(second.lines.at(-1)).toContain('Nothing changed: the project was already wired');
    expect(second.lines[0]).toContain(`project ${PROD} on the local simulator at ${sim.baseUrl}`);

    const wired = recorder();
    expect(await runAlertsCommand({ action: 'check', project: PROD, url: URL_ }, wired, envFor({ ATLAS_ALERT_WEBHOOK_SECRET: SECRET }), receiverHolding(SECRET))).toBe(0);
    expect(wired.lines.slice(1)).toEqual([
      ...RESTORE_ALERT_EVENT_TYPES.map((e) => expect.stringMatching(new RegExp(`^${e}: wired \\(alert configuration [a-f0-9]{24}\\)$`))),
      `Receiver ${URL_}: answered a signed test delivery as the alert receiver does, with this secret`,
      'The project is wired: restores are seen ending within seconds.',
    ]);
    // Atlas sends there, but nothing answers as the receiver: not wired.
    const nobody = recorder();
    const refused: PostDelivery = async () => {
      throw Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    };
    expect(await runAlertsCommand({ action: 'check', project: PROD, url: URL_ }, nobody, envFor(), refused)).toBe(1);
    expect(nobody.lines.at(-1)).toContain('the receiver does not take them');
    // The receiver holds another secret: Atlas's signed alerts would be refused, so not wired.
    const otherSecret = recorder();
    expect(await runAlertsCommand({ action: 'check', project: PROD, url: URL_ }, otherSecret, envFor({ ATLAS_ALERT_WEBHOOK_SECRET: SECRET }), receiverHolding('rotated'))).toBe(1);
    expect(otherSecret.lines.join('\n')).toContain('it holds another one');
    const notWired = recorder();
    expect(await runAlertsCommand({ action: 'check', project: STAGING, url: URL_ }, notWired, envFor(), receiverHolding(SECRET))).toBe(1);
    expect(notWired.lines.slice(1)).toEqual([
      ...RESTORE_ALERT_EVENT_TYPES.map((e) => `${e}: missing`),
      expect.stringContaining('answers as the alert receiver does (its secret was not checked'),
      expect.stringContaining('The project is NOT wired'),
    ]);
    for (const out of [first, second, wired, notWired, nobody, otherSecret]) expect(out.lines.join('\n')).not.toContain(SECRET);
  });

  it('setup without a secret is a usage mistake, and nothing is called', async () => {
    const out = recorder();
    await expect(runAlertsCommand({ action: 'setup', project: PROD, url: URL_ }, out, envFor())).rejects.toThrow(
      "alerts setup needs the receiver's secret: --secret-name NAME (Secrets Manager) or ATLAS_ALERT_WEBHOOK_SECRET",
    );
    expect(sim.requests()).toEqual([]);
  });

  it('is registered in the CLI: check exits 1 with its report, a missing action exits 2', async () => {
    const run = (args: string[]) => runCli(args, envFor());
    const check = await run(['alerts', 'check', '--project', PROD, '--url', URL_]);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('CPS_RESTORE_SUCCESSFUL: missing');
    const usage = await run(['alerts']);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toBe('error: alerts needs a command: setup, check (see npm run restore -- alerts --help)\n');
  }, 120_000);
});
