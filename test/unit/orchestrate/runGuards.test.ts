import { describe, expect, it } from 'vitest';
import { RestoreRefusedError } from '../../../functions/core/domain/errors.js';
import type { StepDeps } from '../../../functions/core/orchestrate/deps.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { checkRun } from '../../../functions/core/orchestrate/resolve.js';
import { MemoryRunRecords } from '../../../functions/core/orchestrate/runRecords.js';
import { claimTriggerEvent, refuseIfHeldOrCoolingDown, triggerEventKey } from '../../../functions/core/orchestrate/runGuards.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { ExecutionInput } from '../../../functions/core/workflow/contract.js';

/** The create step's guards over time, with memory stores and a recorded metrics port. */

const PROD = '65f1c0ffee00000000000a01';
const STAGING = { groupId: '65f1c0ffee00000000000b02', clusterName: 'staging-cluster' };
const NOW = new Date('2026-03-01T03:00:30Z');
const plans = PlansConfig.parse({
  plans: [
    {
      name: 'nightly',
      source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
      restore: { type: 'snapshot', target: STAGING },
      triggers: { http: true, schedule: { cron: 'cron(0 3 * * ? *)' }, alarms: ['corruption'] },
      cooldownMinutes: 60,
    },
  ],
  adHoc: { restores: [{ kinds: ['cloud'], sources: [{ groupId: PROD, clusters: ['prod-cluster'] }], targets: [{ groupId: STAGING.groupId, clusters: ['*'] }] }] },
});

function deps() {
  const metrics: [string, number, string][] = [];
  const d = {
    plans,
    atlas: async () => {
      throw new Error('no Atlas call expected');
    },
    locks: new MemoryTargetLocks(() => NOW),
    holds: new MemoryTargetHolds(() => NOW),
    runs: new MemoryRunRecords(() => NOW),
    now: () => NOW,
    sleep: async () => undefined,
    kinds: {} as StepDeps['kinds'],
    logger: { info: () => undefined, warn: () => undefined },
    metrics: { add: (name: string, value: number, plan: string) => void metrics.push([name, value, plan]) },
  } satisfies StepDeps;
  return { d, metrics };
}

const alarm = (time: string, extra: Partial<ExecutionInput['trigger']> = {}): ExecutionInput => ({
  planName: 'nightly',
  trigger: { type: 'alarm', alarmName: 'corruption', time, ...extra },
});

describe('triggerEventKey', () => {
  it('is plan, trigger type, alarm name and the event time, one instant however it is written', () => {
    expect(triggerEventKey(alarm('2026-03-01T03:00:00Z'))).toBe('nightly|alarm|corruption|2026-03-01T03:00:00.000Z');
    expect(triggerEventKey(alarm('2026-03-01T04:00:00+01:00'))).toBe(triggerEventKey(alarm('2026-03-01T03:00:00.000Z')));
    expect(triggerEventKey({ planName: 'nightly', trigger: { type: 'schedule', time: '2026-03-01T03:00:00Z' } })).toBe('nightly|schedule|-|2026-03-01T03:00:00.000Z');
  });

  it('falls back on the event id; none for HTTP or manual starts, or an event with neither', () => {
    expect(triggerEventKey({ planName: 'nightly', trigger: { type: 'alarm', alarmName: 'a', eventId: 'e-1' } })).toBe('nightly|alarm|a|e-1');
    expect(triggerEventKey({ planName: 'nightly', trigger: { type: 'http', time: '2026-03-01T03:00:00Z' } })).toBeUndefined();
    expect(triggerEventKey({ planName: 'nightly', trigger: { type: 'manual', time: '2026-03-01T03:00:00Z' } })).toBeUndefined();
    expect(triggerEventKey({ planName: 'nightly', trigger: { type: 'schedule' } })).toBeUndefined();
  });
});

describe('claimTriggerEvent', () => {
  it('lets the first delivery through and answers a repeat as a duplicate, counted once', async () => {
    const { d, metrics } = deps();
    expect(await claimTriggerEvent(alarm('2026-03-01T03:00:00Z'), 'exec-1', d)).toBeUndefined();
    expect(await claimTriggerEvent(alarm('2026-03-01T03:00:00Z'), 'exec-1', d)).toBeUndefined(); // a retried create
    const repeat = await claimTriggerEvent(alarm('2026-03-01T03:00:00.000Z'), 'exec-2', d);
    expect(repeat).toMatchObject({ duplicate: true, restoreId: 'exec-2', firstRestoreId: 'exec-1', planName: 'nightly' });
    expect(metrics).toEqual([['DuplicateTriggers', 1, 'nightly']]);
  });

  it('a dry run claims nothing', async () => {
    const { d } = deps();
    await claimTriggerEvent({ ...alarm('2026-03-01T03:00:00Z'), dryRun: true }, 'dry', d);
    expect(await claimTriggerEvent(alarm('2026-03-01T03:00:00Z'), 'exec-1', d)).toBeUndefined();
  });
});

describe('refuseIfHeldOrCoolingDown', () => {
  const input: ExecutionInput = { planName: 'nightly', trigger: { type: 'http' } };

  it('refuses a held target with who, until when and why, counted; a dry run says so without counting', async () => {
    const { d, metrics } = deps();
    await d.holds.place({ target: STAGING, heldBy: 'alice', reason: 'demo', since: NOW.toISOString(), until: '2026-03-01T07:00:00.000Z' });
    const refusal = await refuseIfHeldOrCoolingDown(checkRun(input, plans, NOW), input, 'r-1', d).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect((refusal as RestoreRefusedError).code).toBe('TARGET_HELD');
    expect((refusal as Error).message).toContain('held by alice until 2026-03-01T07:00:00.000Z (reason: demo)');
    await expect(refuseIfHeldOrCoolingDown(checkRun({ ...input, dryRun: true }, plans, NOW), { ...input, dryRun: true }, 'r-1', d)).rejects.toThrow(/held by alice/);
    expect(metrics).toEqual([['RestoresRefusedByHold', 1, 'nightly']]);
    // Refused by the hold: the plan's cooldown was not started.
    expect(await d.runs.lastPlanRun('nightly')).toBeUndefined();
  });

  it('records the start, then refuses another run inside the cooldown (counted); a dry run only reads', async () => {
    const { d, metrics } = deps();
    const run = checkRun(input, plans, NOW);
    await refuseIfHeldOrCoolingDown(run, input, 'r-1', d);
    expect(run.checks).toContain('target staging-cluster is not held');
    expect(run.checks).toContain('plan "nightly" has not started in the last 60 minutes');
    await expect(refuseIfHeldOrCoolingDown(checkRun(input, plans, NOW), input, 'r-2', d)).rejects.toMatchObject({ code: 'COOLDOWN' });
    await expect(refuseIfHeldOrCoolingDown(checkRun({ ...input, dryRun: true }, plans, NOW), { ...input, dryRun: true }, 'r-3', d)).rejects.toMatchObject({ code: 'COOLDOWN' });
    expect(metrics).toEqual([['RestoresRefusedByCooldown', 1, 'nightly']]);
    expect((await d.runs.lastPlanRun('nightly'))?.restoreId).toBe('r-1');
  });

  it('the cooldown belongs to the target too: an ad-hoc restore onto the plan\'s target (any case) is refused inside it', async () => {
    const { d, metrics } = deps();
    await refuseIfHeldOrCoolingDown(checkRun(input, plans, NOW), input, 'r-1', d);
    const adHoc: ExecutionInput = {
      request: { kind: 'cloud', source: { groupId: PROD, clusterName: 'prod-cluster' }, deliveryType: 'automated', snapshotId: '65f1c0ffee00000000000c03', target: { ...STAGING, clusterName: 'STAGING-cluster' } },
      trigger: { type: 'http' },
    };
    const refusal = await refuseIfHeldOrCoolingDown(checkRun(adHoc, plans, NOW), adHoc, 'ad-hoc-1', d).catch((e: unknown) => e);
    expect(refusal).toMatchObject({ code: 'COOLDOWN' });
    expect((refusal as Error).message).toContain('was the target of restore r-1');
    expect(metrics).toEqual([['RestoresRefusedByCooldown', 1, 'ad-hoc']]);
    // Onto another cluster it runs.
    const elsewhere: ExecutionInput = { ...adHoc, request: { ...adHoc.request!, target: { ...STAGING, clusterName: 'scratch-1' } } as ExecutionInput['request'] };
    await refuseIfHeldOrCoolingDown(checkRun(elsewhere, plans, NOW), elsewhere, 'ad-hoc-2', d);
  });
});
