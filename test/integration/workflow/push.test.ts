import { createHmac } from 'node:crypto';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { DeliveryFaultRuleInput } from '../../../local/simulator/alerts/deliveryFaults.js';
import type { TaskHandler } from '../../../local/runner/execute.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness, wireAlerts } from './helpers.js';
import { runPushRestore, simulatorAlerts } from './pushRun.js';

/**
 * Push completion through the synthesised workflow: WaitForAlert ends on a signed Atlas alert for
 * the restore's project (the real receiver handler behind a real local HTTP server), or on its
 * backstop. The simulator is wired with the real `alerts setup` and sends its alerts when the job
 * ends, signed as Atlas signs (its code shares nothing with the receiver); its delivery faults
 * lose, repeat, missign and hurry them. A few alerts are sent by the test itself, signed with node:crypto.
 */

const PLANS = PlansConfig.parse({
  ...TEST_PLANS,
  plans: [
    ...TEST_PLANS.plans,
    {
      name: 'orders-back',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: {
        type: 'collections',
        target: { groupId: STAGING, clusterName: 'staging-cluster' },
        writeStrategy: 'OVERWRITE_EXISTING',
        collections: [{ sourceNamespace: 'shop.orders' }],
      },
    },
    {
      name: 'day-long',
      triggers: { http: true, manual: true },
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      deadlineMinutes: 1500,
    },
  ],
  alerts: { webhookSecretName: 'atlas/alert-webhook' },
});
const h = useWorkflowHarness(PLANS);
const inflight = new Set<Promise<unknown>>();

beforeAll(async () => {
  await wireAlerts(h, [PROD, STAGING]);
});

// Both projects have alerted lately (an earlier restore's end), so their restores wait on the
// backstop: again before each test, as a test that loses every alert notes a missed alert, after
// which the projects' next restore is polled as usual (pushMissed.test.ts).
// test/integration/workflow/pushNotHeard.test.ts covers projects never heard from.
beforeEach(() => alertedLately());

async function alertedLately(): Promise<void> {
  for (const project of [PROD, STAGING]) expect((await deliver(project)).status).toBe(200);
}

afterEach(() => {
  h.settle = async () => undefined;
});

const simulatorAlertsOn = (faults?: DeliveryFaultRuleInput[]) => simulatorAlerts(h, faults);

function sign(body: string, secret: string): string {
  return createHmac('sha1', secret).update(Buffer.from(body, 'utf8')).digest('base64');
}

/** POSTs an Atlas-shaped restore alert to the world's receiver; resolves to the receiver's status. */
async function deliver(
  groupId: string,
  options: { eventTypeName?: string; secret?: string; body?: string; event?: string | null } = {},
): Promise<{ status: number; body: unknown }> {
  const body =
    options.body ??
    JSON.stringify({
      id: `alert-${Math.random().toString(16).slice(2, 10)}`,
      groupId,
      alertConfigId: '6a0000000000000000000001',
      eventTypeName: options.eventTypeName ?? 'CPS_RESTORE_SUCCESSFUL',
      status: 'INFORMATIONAL',
      created: new Date(h.sim.clock.now()).toISOString(),
      humanReadable: 'A restore finished',
    });
  const answer = await fetch(h.world.alerts.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(options.event === null ? {} : { 'x-mms-event': options.event ?? 'alert.inform' }),
      'x-mms-signature': sign(body, options.secret ?? h.world.alerts.webhookSecret),
    },
    body,
  });
  return { status: answer.status, body: await answer.json() };
}

/** Stands in for Atlas: once the job exists, alerts `groupId` at the job's end plus `offsetMs` (negative: before Atlas shows it ended). */
function alertAtJobEnd(groupId: string, offsetMs = 0): (payload: unknown, real: TaskHandler) => Promise<unknown> {
  let armed = false;
  h.settle = async () => {
    await Promise.all([...inflight]);
  };
  return async (payload, real) => {
    if (!armed) {
      armed = true;
      const job = h.sim.jobs({ groupId: PROD, clusterName: 'prod-cluster' }).at(-1)!;
      // finishAt is in whole seconds (as Atlas writes times): the job really ends within the second after it.
      h.sim.clock.schedule(Date.parse(job.finishAt!) + 1000 + offsetMs, () => {
        const sent = deliver(groupId);
        inflight.add(sent);
        void sent.finally(() => inflight.delete(sent));
      });
    }
    return real(payload);
  };
}

/** Runs `cloud-refresh` (a cloud snapshot restore onto staging) with a job of `hours`, returning how it was seen. */
const runRestore = (id: string, hours: number, poll?: (payload: unknown, real: TaskHandler) => Promise<unknown>, planName = 'cloud-refresh') =>
  runPushRestore(h, id, hours * 3600, { ...(poll ? { poll } : {}), planName });

describe('push completion: an Atlas alert wakes the restore', () => {
  it('sees a 90-minute restore end within seconds of the alert, at a handful of looks', async () => {
    simulatorAlertsOn();
    const run = await runRestore('push-alert-1', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'delivered', status: 200 })]);
    // Every wait was the alert wait. The backstop (60 s floor until 5 min, then 20 % of the age, so
    // x1.2 per look) makes 5 + ceil(log(90/5)/log(1.2)) = 21 looks in 90 min, plus the woken one.
    expect(run.alertWaits).toBe(run.polls);
    expect(run.polls).toBeLessThanOrEqual(22);
  });

  it('wakes on an alert from the target project too (Atlas does not say which project alerts)', async () => {
    simulatorAlertsOn([{ lostRate: 1 }]);
    const run = await runRestore('push-alert-target', 1.5, alertAtJobEnd(STAGING));
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
  });

  it('with every alert lost, the backstop still sees the end within max(60 s, 20 % of the age)', async () => {
    simulatorAlertsOn([{ lostRate: 1 }]);
    const run = await runRestore('push-lost-1', 1.5);
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ outcome: 'lost' })]);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeGreaterThan(10);
    expect(run.delaySeconds).toBeLessThanOrEqual(Math.max(60, 0.2 * run.ageSeconds));
  });

  it('a badly signed alert is refused and the backstop sees the end', async () => {
    simulatorAlertsOn([{ badSignatureRate: 1 }]);
    const run = await runRestore('push-badsig-1', 1.5);
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ badSignature: true, status: 401 })]);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeGreaterThan(10);
    expect(run.delaySeconds).toBeLessThanOrEqual(Math.max(60, 0.2 * run.ageSeconds));
  });

  it('an alert sent twice wakes the restore once', async () => {
    simulatorAlertsOn([{ duplicateRate: 1 }]);
    const run = await runRestore('push-dup-1', 1.5);
    expect(h.sim.deliveries.log().map((d) => d.status)).toEqual([200, 200]);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
    expect(run.wakes).toBe(1);
  });

  it('an alert for another project wakes nothing of ours', async () => {
    simulatorAlertsOn([{ lostRate: 1 }]);
    const other = '65f1a00000000000000000ff';
    const run = await runRestore('push-other-1', 1.5, alertAtJobEnd(other));
    await alertedLately();
    simulatorAlertsOn([{ lostRate: 1 }]);
    const lost = await runRestore('push-other-2', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.wakes).toBe(0);
    expect(run.polls).toBe(lost.polls);
    expect(run.delaySeconds).toBe(lost.delaySeconds);
  });

  it('an alert before Atlas shows the job ended leads to a quick re-look, never a wrong end', async () => {
    simulatorAlertsOn([{ earlySeconds: 20 }]);
    const run = await runRestore('push-early-1', 1.5);
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.wakes).toBe(1);
    // Woken 20 s before a GET shows the end: that look sees RUNNING, the re-look 30 s later the end.
    expect(run.delaySeconds).toBeLessThanOrEqual(10 + 30);
    const report = h.world.sent.find((s) => s.channel === 'sns')?.report;
    expect(report?.outcome).toBe('SUCCEEDED');
  });
});

describe('push completion for a day-long restore', () => {
  // The backstop's looks in 24 h: 60 s apart for 5 min, then x1.2 each: 5 + ceil(log(86400/300)/log(1.2)) = 37, plus the woken one.
  const BACKSTOP_LOOKS_IN_24_H = 38;

  it('with alerts arriving: seen within seconds, at most the backstop’s looks, under 1,000 history events', async () => {
    simulatorAlertsOn();
    const run = await runRestore('push-day-alert', 24, undefined, 'day-long');
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(10);
    expect(run.polls).toBeLessThanOrEqual(BACKSTOP_LOOKS_IN_24_H);
    // Every call is a look or one of create's few: no Atlas calls besides. Create's: the snapshot,
    // the busy check and the POST, and the preflight's reads before it (the key's roles, the source
    // and target clusters: functions/core/orchestrate/preflight.ts).
    expect(run.atlasCalls).toBeLessThanOrEqual(run.polls + 9);
    expect(run.historyEvents).toBeLessThanOrEqual(1000);
  });

  it('with every alert lost: seen within max(60 s, 20 % of its age), far below the 25,000-event limit', async () => {
    simulatorAlertsOn([{ lostRate: 1 }]);
    const run = await runRestore('push-day-lost', 24, undefined, 'day-long');
    expect(run.result.status).toBe('SUCCEEDED');
    expect(run.delaySeconds).toBeLessThanOrEqual(Math.max(60, 0.2 * run.ageSeconds));
    expect(run.historyEvents).toBeLessThanOrEqual(1000);
  });
});

describe('push completion for collection-level restores', () => {
  it('a CPS_COLLECTION_RESTORE_* alert wakes the collection restore', async () => {
    simulatorAlertsOn();
    h.sim.scriptOutcome({ cluster: 'prod-cluster', outcome: 'succeed', durationSeconds: 3600 });
    const result = await h.run({ planName: 'orders-back', trigger: { type: 'manual' } }, 'push-collections-1');
    expect(result.status).toBe('SUCCEEDED');
    expect(h.sim.deliveries.log()).toEqual([expect.objectContaining({ eventTypeName: 'CPS_COLLECTION_RESTORE_SUCCESSFUL', status: 200 })]);
    expect((result.output as { poll?: { alertWakes?: number } }).poll?.alertWakes).toBe(1);
  });
});

describe('the alert receiver', () => {
  it('refuses an unsigned or badly signed alert and wakes nothing', async () => {
    const project = '65f1a00000000000000000aa';
    const bad = await deliver(project, { secret: 'not-the-secret' });
    expect(bad.status).toBe(401);
    const unsigned = await fetch(h.world.alerts.url, { method: 'POST', body: JSON.stringify({ groupId: project, eventTypeName: 'CPS_RESTORE_SUCCESSFUL' }) });
    expect(unsigned.status).toBe(401);
    expect(await h.world.alerts.waiters.lastAlert(project)).toBeUndefined();
    expect((await deliver(project)).status).toBe(200);
    expect(await h.world.alerts.waiters.lastAlert(project)).toBeDefined();
  });

  it('takes a replayed alert once', async () => {
    const body = JSON.stringify({ id: 'alert-replay', groupId: STAGING, eventTypeName: 'CPS_RESTORE_FAILED' });
    const first = await deliver(STAGING, { body });
    const again = await deliver(STAGING, { body });
    expect(first).toEqual({ status: 200, body: { woken: 0 } });
    expect(again).toEqual({ status: 200, body: { woken: 0, duplicate: true } });
  });

  it('takes a replayed alert once whatever event header comes with it, and weeks later', async () => {
    const project = '65f1a00000000000000000ab';
    const body = JSON.stringify({ id: 'alert-replay-2', groupId: project, eventTypeName: 'CPS_RESTORE_SUCCESSFUL' });
    expect(await deliver(project, { body })).toEqual({ status: 200, body: { woken: 0 } });
    const heard = (await h.world.alerts.waiters.lastAlert(project))!.at.getTime();
    // X-MMS-Event is outside the signature: changing or dropping it makes no new delivery.
    expect(await deliver(project, { body, event: 'alert.close' })).toEqual({ status: 200, body: { woken: 0, duplicate: true } });
    expect(await deliver(project, { body, event: null })).toEqual({ status: 200, body: { woken: 0, duplicate: true } });
    h.sim.clock.advance(30 * 24 * 3600_000);
    expect(await deliver(project, { body })).toEqual({ status: 200, body: { woken: 0, duplicate: true } });
    // A replay does not renew the project's evidence that alerts arrive.
    expect((await h.world.alerts.waiters.lastAlert(project))!.at.getTime()).toBe(heard);
  });

  it('refuses (400) a valid, signed delivery replayed after the delivery memory (its updated time is older), and wakes no waiter', async () => {
    const project = '65f1a00000000000000000ad';
    const sent = new Date(h.sim.clock.now()).toISOString();
    const body = JSON.stringify({ id: 'alert-stale', groupId: project, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', created: sent, updated: sent });
    expect(await deliver(project, { body })).toEqual({ status: 200, body: { woken: 0 } });
    const heard = (await h.world.alerts.waiters.lastAlert(project))!.at.getTime();
    // 36 days on, the memory of that delivery is gone: the same signed bytes must not wake anything.
    h.sim.clock.advance(36 * 24 * 3600_000);
    const replayed = await deliver(project, { body });
    expect(replayed.status).toBe(400);
    expect(replayed.body).toEqual({ error: expect.stringContaining('older than this receiver') });
    expect((await h.world.alerts.waiters.lastAlert(project))?.at.getTime() ?? heard).toBe(heard);
  });

  it('refuses an alert body over 64 KiB (413) and one that is not an Atlas alert (400), noting nothing', async () => {
    const project = '65f1a00000000000000000ac';
    const big = JSON.stringify({ groupId: project, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', humanReadable: 'x'.repeat(70_000) });
    expect((await deliver(project, { body: big })).status).toBe(413);
    const notJson = await deliver(project, { body: 'not json' });
    expect(notJson).toEqual({ status: 400, body: { error: 'The alert body is not JSON' } });
    const notAlert = await deliver(project, { body: JSON.stringify({ eventTypeName: 'CPS_RESTORE_SUCCESSFUL' }) });
    expect(notAlert.status).toBe(400);
    expect(notAlert.body).toEqual({ error: expect.stringMatching(/^The alert is not an Atlas alert: groupId /) });
    expect(await h.world.alerts.waiters.lastAlert(project)).toBeUndefined();
  });

  it('answers 200 and ignores alerts that do not concern restores', async () => {
    const other = await deliver(PROD, { eventTypeName: 'OUTSIDE_METRIC_THRESHOLD' });
    expect(other.status).toBe(200);
    expect(other.body).toMatchObject({ woken: 0, ignored: expect.stringContaining('OUTSIDE_METRIC_THRESHOLD') });
  });
});
