import { SFNClient } from '@aws-sdk/client-sfn';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../../functions/core/api/deps.js';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { PlansConfig, type PlanInput } from '../../../functions/core/plans/schema.js';
import { OUTCOME_STATES } from '../../../lib/workflow.js';
import { PROD, STAGING, TEST_PLANS, useWorkflowHarness } from './helpers.js';

/**
 * Triggers that fire twice, through the synthesised state machine, the real handlers and the
 * simulator (manual clock): a repeated event ends quietly, a recovery plan holds its target after
 * success, a person's hold refuses a scheduled refresh until it ends, a cooldown refuses a run.
 */

const plan = (p: PlanInput): PlanInput => p;
const PLANS = PlansConfig.parse({
  protectedTargets: TEST_PLANS.protectedTargets,
  // A plan's hold is released only by an administrator (issue 24).
  holdAdministrators: ['arn:aws:iam::123456789012:user/admin-*'],
  plans: [
    plan({
      name: 'recovery',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 90 }, target: { groupId: PROD, clusterName: 'recovery-cluster' } },
      triggers: { manual: true, http: false, alarms: ['corruption', 'corruption-2'] },
      holdAfterSuccess: { untilReleased: true },
    }),
    plan({
      name: 'refresh',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      triggers: { manual: true, http: true, schedule: { cron: 'cron(0 3 * * ? *)', timeZone: 'UTC' } },
    }),
    plan({
      name: 'refresh-cooldown',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
      triggers: { manual: true, http: true, schedule: { cron: 'cron(0 3 * * ? *)', timeZone: 'UTC' } },
      cooldownMinutes: 120,
    }),
  ],
});

const h = useWorkflowHarness(PLANS);
const RECOVERY = { groupId: PROD, clusterName: 'recovery-cluster' };
const STAGING_TARGET = { groupId: STAGING, clusterName: 'staging-cluster' };
const MINUTE = 60_000;
const now = () => new Date(h.sim.clock.now()).toISOString();
// Each test's alarm is a new event: the clock (and so the event time) moves on between tests.
beforeEach(() => h.sim.clock.advance(MINUTE));

const alarm = (time: string, alarmName = 'corruption', eventId = `ev-${time}`) => ({
  planName: 'recovery',
  trigger: { type: 'alarm', time, alarmName, eventId },
});
const schedule = (planName: string, time: string) => ({ planName, trigger: { type: 'schedule', time } });

/** The Atlas restore jobs made onto a cluster (whatever their state). */
const creates = (clusterName: string) => h.sim.jobs({ family: 'cloud' }).filter((j) => j.target?.clusterName === clusterName);
const reports = () => h.world.sent.filter((s) => s.channel === 'sns').map((s) => s.report!);
const statesEntered = (result: Awaited<ReturnType<typeof h.run>>) =>
  result.events.filter((e) => e.type === 'StateEntered').map((e) => (e as { state: { name: string } }).state.name);

/** The HTTP API's core on the world's holds, as a person would call it (the caller's ARN is who). */
function api(method: string, path: string, body?: unknown, as = 'arn:aws:iam::123456789012:user/alice') {
  const deps: ApiDeps = {
    sfn: new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:AtlasRestore',
    plans: PLANS,
    actions: { dryRun: async () => { throw new Error('no dry run in this test'); }, cancel: async () => undefined, createSentAt: async () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    holds: async () => h.world.holds,
    history: async () => new MemoryRestoreHistory(),
    now: () => new Date(h.sim.clock.now()),
  };
  return handleApiRequest(
    {
      httpMethod: method,
      path,
      resource: '/{proxy+}',
      // A JSON body says so, as the API requires of every route (functions/core/api/envelope.ts).
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
      body: body === undefined ? null : JSON.stringify(body),
      isBase64Encoded: false,
      requestContext: { requestId: 'r1', identity: { userArn: as } },
    } as never,
    deps,
  );
}

describe('one restore per trigger event', () => {
  it('the same alarm event delivered twice: one Atlas job, the repeat ends quietly in DuplicateTrigger, one report', async () => {
    const event = alarm(now());
    const first = await h.run(event, 'alarm-delivery-1');
    expect(first.status, first.cause).toBe('SUCCEEDED');
    const jobs = creates('recovery-cluster').length;
    expect(jobs).toBe(1);

    // EventBridge delivers it again; the execution gets another random name.
    const repeat = await h.run(event, 'alarm-delivery-2');
    expect(repeat.status, repeat.cause).toBe('SUCCEEDED');
    expect(repeat.output).toMatchObject({ duplicate: true, firstRestoreId: 'alarm-delivery-1', planName: 'recovery' });
    expect(statesEntered(repeat)).toEqual(['CreateRestore', 'IsDryRun', 'DuplicateTrigger']);
    expect(creates('recovery-cluster')).toHaveLength(jobs);
    expect(reports().map((r) => r.outcome)).toEqual(['SUCCEEDED']);
    await h.world.holds.release(RECOVERY);
  });

  it('a new event of the same alarm is not a duplicate (here: refused, the target is held)', async () => {
    const first = await h.run(alarm(now()), 'alarm-new-1');
    expect(first.status, first.cause).toBe('SUCCEEDED');
    h.sim.clock.advance(5 * MINUTE);
    const next = await h.run(alarm(now()), 'alarm-new-2');
    expect(next.error).toBe(OUTCOME_STATES.REFUSED.state);
    await h.world.holds.release(RECOVERY);
  });
});

describe('holds', () => {
  it('after a successful recovery the alarm firing again is refused while the target is held, and proceeds after release', async () => {
    const recovered = await h.run(alarm(now()), 'recovery-1');
    expect(recovered.status, recovered.cause).toBe('SUCCEEDED');
    const hold = await h.world.holds.current(RECOVERY);
    expect(hold).toMatchObject({ planName: 'recovery', restoreId: 'recovery-1', heldBy: 'plan recovery (restore recovery-1)' });
    expect(hold?.until).toBeUndefined();
    const jobs = creates('recovery-cluster').length;
    const versionAfterRecovery = h.sim.cluster(PROD, 'recovery-cluster').dataVersion;

    // ALARM → OK → ALARM, and a second alarm of the plan: both refused, nothing reaches Atlas.
    h.sim.clock.advance(20 * MINUTE);
    for (const [id, name] of [['recovery-2', 'corruption'], ['recovery-3', 'corruption-2']] as const) {
      const refused = await h.run(alarm(now(), name), id);
      expect(refused.error).toBe(OUTCOME_STATES.REFUSED.state);
    }
    expect(creates('recovery-cluster')).toHaveLength(jobs);
    expect(h.sim.cluster(PROD, 'recovery-cluster').dataVersion).toBe(versionAfterRecovery);
    const refusals = reports().filter((r) => r.outcome === 'REFUSED');
    expect(refusals).toHaveLength(2);
    expect(refusals[0]!.reason).toContain('held by plan recovery (restore recovery-1) until someone releases it');

    // Not anyone: a person who is not a hold administrator is refused (403, naming the plan).
    const refused = await api('DELETE', `/restores/holds/${PROD}/recovery-cluster`);
    expect(refused.statusCode, refused.body).toBe(403);
    expect(refused.body).toContain('held by plan recovery (restore recovery-1)');
    // A hold administrator releases it over the API; the next alarm restores.
    const released = await api('DELETE', `/restores/holds/${PROD}/recovery-cluster`, undefined, 'arn:aws:iam::123456789012:user/admin-carol');
    expect(released.statusCode, released.body).toBe(200);
    h.sim.clock.advance(MINUTE);
    const again = await h.run(alarm(now()), 'recovery-4');
    expect(again.status, again.cause).toBe('SUCCEEDED');
    expect(creates('recovery-cluster')).toHaveLength(jobs + 1);
    await h.world.holds.release(RECOVERY);
  });

  it("a person's hold stops a scheduled refresh, and ends on time on its own", async () => {
    const placed = await api('POST', '/restores/holds', { target: STAGING_TARGET, for: '4h', reason: 'customer demo on staging' });
    expect(placed.statusCode, placed.body).toBe(201);
    const placedAt = h.sim.clock.now();
    const before = h.sim.cluster(STAGING, 'staging-cluster').dataVersion;
    const jobs = creates('staging-cluster').length;

    const refused = await h.run(schedule('refresh', now()), 'refresh-held-1');
    expect(refused.error).toBe(OUTCOME_STATES.REFUSED.state);
    const report = reports().at(-1)!;
    expect(report.outcome).toBe('REFUSED');
    expect(report.reason).toContain('arn:aws:iam::123456789012:user/alice');
    expect(report.reason).toContain(new Date(placedAt + 240 * MINUTE).toISOString());
    expect(report.reason).toContain('customer demo on staging');

    // One minute before its end it still holds...
    h.sim.clock.advance(placedAt + 239 * MINUTE - h.sim.clock.now());
    const stillHeld = await h.run(schedule('refresh', now()), 'refresh-held-2');
    expect(stillHeld.error).toBe(OUTCOME_STATES.REFUSED.state);
    expect(creates('staging-cluster')).toHaveLength(jobs);
    expect(h.sim.cluster(STAGING, 'staging-cluster').dataVersion).toBe(before);

    // ...and at its end nobody has to release it.
    h.sim.clock.advance(MINUTE);
    expect(await h.world.holds.current(STAGING_TARGET)).toBeUndefined();
    const ran = await h.run(schedule('refresh', now()), 'refresh-after-hold');
    expect(ran.status, ran.cause).toBe('SUCCEEDED');
    expect(creates('staging-cluster')).toHaveLength(jobs + 1);
  });
});

describe('cooldown', () => {
  it('refuses a run of the plan inside its cooldown, once, and lets the next one through after it', async () => {
    const startedAt = h.sim.clock.now();
    const first = await h.run(schedule('refresh-cooldown', now()), 'cool-1');
    expect(first.status, first.cause).toBe('SUCCEEDED');
    const jobs = creates('staging-cluster').length;
    const reportsBefore = reports().length;

    h.sim.clock.advance(startedAt + 60 * MINUTE - h.sim.clock.now());
    const inside = await h.run(schedule('refresh-cooldown', now()), 'cool-2');
    expect(inside.error).toBe(OUTCOME_STATES.REFUSED.state);
    expect(creates('staging-cluster')).toHaveLength(jobs);
    const refusals = reports().slice(reportsBefore);
    expect(refusals.map((r) => r.outcome)).toEqual(['REFUSED']);
    expect(refusals[0]!.reason).toContain('started restore cool-1');
    expect(refusals[0]!.reason).toContain(new Date(startedAt + 120 * MINUTE).toISOString());

    h.sim.clock.advance(startedAt + 120 * MINUTE - h.sim.clock.now());
    const after = await h.run(schedule('refresh-cooldown', now()), 'cool-3');
    expect(after.status, after.cause).toBe('SUCCEEDED');
    expect(creates('staging-cluster')).toHaveLength(jobs + 1);
  });
});
