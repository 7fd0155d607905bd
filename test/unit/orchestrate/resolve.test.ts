import { describe, expect, it } from 'vitest';
import { RestorePlanNotFoundError, RestoreRefusedError, RestoreRequestInvalidError } from '../../../functions/core/domain/errors.js';
import { checkRun, resolveRun, summarize } from '../../../functions/core/orchestrate/resolve.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { RestoreKind } from '../../../functions/core/restore/kind.js';
import { cloudKind } from '../../../functions/core/restore/kinds/cloud.js';
import type { Snapshot } from '../../../functions/core/restore/snapshots.js';
import type { ExecutionInput } from '../../../functions/core/workflow/contract.js';
import { FakeAtlas } from '../restore/fakeAtlas.js';

/** checkRun: every refusal before any Atlas call; resolveRun and summarize on top. */

const PROD_GROUP = '65f1c0ffee00000000000a01';
const STAGING_GROUP = '65f1c0ffee00000000000b02';
const SNAP_OLD = '66a0b1c2d3e4f5a6b7c8d901';
const SNAP_NEW = '66a0b1c2d3e4f5a6b7c8d903';
const NOW = new Date('2026-03-01T04:00:00Z');
const prod = { groupId: PROD_GROUP, clusterName: 'prod-cluster' };
const staging = { groupId: STAGING_GROUP, clusterName: 'staging-cluster' };

const config = PlansConfig.parse({
  protectedTargets: [{ groupId: PROD_GROUP, clusters: ['prod-*'] }],
  plans: [
    { name: 'nightly-staging', source: { kind: 'cloud', ...prod }, restore: { type: 'snapshot', target: staging }, triggers: { http: true, manual: true }, allowOverrides: ['snapshotId', 'target'] },
    { name: 'no-http', source: { kind: 'cloud', ...prod }, restore: { type: 'download' }, triggers: { http: false, manual: true } },
    { name: 'on-alarm', source: { kind: 'cloud', ...prod }, restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 10 }, target: staging }, triggers: { alarms: ['orders-dropped'] } },
    // Names differ in case only: synth refuses it (below); here it is let through to prove run time refuses it too.
    { name: 'sneaky-self', source: { kind: 'cloud', ...prod }, restore: { type: 'snapshot', target: { groupId: PROD_GROUP, clusterName: 'PROD-CLUSTER' } }, triggers: { http: true }, allowRestoreOntoSource: true },
    // A protected target written into a plan: refused at run time too.
    { name: 'onto-protected', source: { kind: 'cloud', groupId: STAGING_GROUP, clusterName: 'staging-cluster' }, restore: { type: 'snapshot', target: { groupId: PROD_GROUP, clusterName: 'prod-eu' } }, triggers: { http: true }, allowOverrides: [] },
  ],
});

// A plan that got past synth (a hand-edited bundle): the create step must still refuse it.
config.plans.find((p) => p.name === 'sneaky-self')!.allowRestoreOntoSource = false;

const http = { type: 'http' } as const;
const run = (input: Omit<ExecutionInput, 'trigger'> & { trigger?: ExecutionInput['trigger'] }) => () => checkRun({ trigger: http, ...input }, config, NOW);

function thrown(fn: () => unknown): Error {
  try {
    fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('checkRun', () => {
  it('an unknown plan is RestorePlanNotFoundError listing the configured ones', () => {
    const err = thrown(run({ planName: 'nighly-staging' }));
    expect(err).toBeInstanceOf(RestorePlanNotFoundError);
    expect(err.message).toContain('nighly-staging');
    expect(err.message).toContain('nightly-staging');
  });

  it('triggers: http false, no schedule, alarm not listed or unnamed are refused; manual only when listed', () => {
    const noHttp = thrown(run({ planName: 'no-http' }));
    expect(noHttp).toBeInstanceOf(RestoreRefusedError);
    expect((noHttp as RestoreRefusedError).code).toBe('TRIGGER_NOT_ALLOWED');
    expect(noHttp.message).toContain('triggers.http');
    expect(thrown(run({ planName: 'nightly-staging', trigger: { type: 'schedule' } })).message).toContain('no schedule');
    const alarm = thrown(run({ planName: 'on-alarm', trigger: { type: 'alarm', alarmName: 'cpu-high' } }));
    expect((alarm as RestoreRefusedError).code).toBe('TRIGGER_NOT_ALLOWED');
    expect(alarm.message).toContain('cpu-high');
    expect(thrown(run({ planName: 'on-alarm', trigger: { type: 'alarm' } }))).toBeInstanceOf(RestoreRefusedError);
    expect(checkRun({ planName: 'on-alarm', trigger: { type: 'alarm', alarmName: 'orders-dropped' } }, config, NOW).kind).toBe('cloud');
    expect(checkRun({ planName: 'no-http', trigger: { type: 'manual' } }, config, NOW).target).toBeUndefined();
    // Closed unless listed: on-alarm lists neither http nor manual, so neither may start it.
    expect((thrown(run({ planName: 'on-alarm', trigger: { type: 'manual' } })) as RestoreRefusedError).code).toBe('TRIGGER_NOT_ALLOWED');
    expect((thrown(run({ planName: 'on-alarm' })) as RestoreRefusedError).message).toContain('triggers.http: true');
  });

  it('overrides the plan does not allow are RestoreRequestInvalidError with overrides.<field>', () => {
    const err = thrown(run({ planName: 'on-alarm', trigger: { type: 'alarm', alarmName: 'orders-dropped' }, overrides: { pointInTimeUTCSeconds: 1_772_330_000 } }));
    expect(err).toBeInstanceOf(RestoreRequestInvalidError);
    expect((err as RestoreRequestInvalidError).problems.map((p) => p.path)).toEqual(['overrides.pointInTimeUTCSeconds']);
    expect(err.message).toContain('on-alarm');
  });

  it('a protected target (from an override) is refused', () => {
    const err = thrown(run({ planName: 'nightly-staging', overrides: { target: { groupId: PROD_GROUP, clusterName: 'prod-analytics' } } }));
    expect((err as RestoreRefusedError).code).toBe('PROTECTED_TARGET');
    expect(err.message).toContain('prod-*');
  });

  it('a protected target written in the plan itself is refused', () => {
    expect((thrown(run({ planName: 'onto-protected' })) as RestoreRefusedError).code).toBe('PROTECTED_TARGET');
  });

  it('synth refuses a plan whose target is its source in another case, as run time does', () => {
    const plan = { name: 'self', source: { kind: 'cloud', ...prod }, restore: { type: 'snapshot', target: { groupId: PROD_GROUP, clusterName: 'Prod-Cluster' } } };
    const parsed = PlansConfig.safeParse({ plans: [plan] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['plans', 0, 'restore', 'target'], message: expect.stringContaining('source cluster') });
  });

  it('source = target is refused, whatever the case of the name, unless the plan allows it', () => {
    expect((thrown(run({ planName: 'sneaky-self' })) as RestoreRefusedError).code).toBe('SOURCE_IS_TARGET');
    expect((thrown(run({ planName: 'nightly-staging', overrides: { target: prod } })) as RestoreRefusedError).code).toBe('SOURCE_IS_TARGET');
  });

  it('an ad-hoc request is parsed, then guarded: onto its own source or a protected cluster is refused', () => {
    const self = { kind: 'cloud', source: prod, deliveryType: 'automated', snapshotId: SNAP_NEW, target: prod } as const;
    expect((thrown(run({ request: self })) as RestoreRefusedError).code).toBe('SOURCE_IS_TARGET');
    const protectedOne = { ...self, source: staging, target: { groupId: PROD_GROUP, clusterName: 'prod-eu' } };
    expect((thrown(run({ request: protectedOne })) as RestoreRefusedError).code).toBe('PROTECTED_TARGET');
    const future = { kind: 'cloud', source: prod, deliveryType: 'pointInTime', target: staging, pointInTimeUTCSeconds: Math.floor(NOW.getTime() / 1000) + 60 } as const;
    expect(thrown(run({ request: future }))).toBeInstanceOf(RestoreRequestInvalidError);
  });

  it('refusals come before any Atlas call: a guarded run never reaches the snapshot list', async () => {
    const atlas = new FakeAtlas();
    const attempt = async () => {
      const checked = checkRun({ planName: 'sneaky-self', trigger: http }, config, NOW);
      return resolveRun(checked, { planName: 'sneaky-self', trigger: http }, cloudKind, atlas, NOW);
    };
    await expect(attempt()).rejects.toBeInstanceOf(RestoreRefusedError);
    expect(atlas.calls).toEqual([]);
  });

  it('a plan run that passes: the target, the reference time (the trigger time) and what was checked', () => {
    const checked = checkRun({ planName: 'nightly-staging', trigger: { type: 'http', time: '2026-03-01T03:00:00Z' } }, config, NOW);
    expect(checked).toMatchObject({ kind: 'cloud', source: prod, target: staging, request: undefined });
    expect(checked.referenceTime.toISOString()).toBe('2026-03-01T03:00:00.000Z');
    expect(checked.checks.join('\n')).toContain('http trigger');
    expect(checked.checks.join('\n')).toContain('not a protected cluster');
    expect(checkRun({ planName: 'nightly-staging', trigger: http }, config, NOW).referenceTime).toEqual(NOW);
  });
});

describe('resolveRun', () => {
  const snapshots: Snapshot[] = [
    { id: SNAP_NEW, createdAt: '2026-03-01T02:00:00Z', status: 'completed', snapshotType: 'scheduled' },
    { id: SNAP_OLD, createdAt: '2026-02-28T02:00:00Z', status: 'completed', snapshotType: 'scheduled' },
  ];
  const kind = { ...cloudKind, listSnapshots: async () => snapshots } as RestoreKind;

  it('a snapshot plan picks the latest snapshot and builds the request onto the target', async () => {
    const input: ExecutionInput = { planName: 'nightly-staging', trigger: http };
    const r = await resolveRun(checkRun(input, config, NOW), input, kind, new FakeAtlas(), NOW);
    expect(r.request).toEqual({ kind: 'cloud', source: prod, deliveryType: 'automated', snapshotId: SNAP_NEW, target: staging });
    expect(r.snapshot?.id).toBe(SNAP_NEW);
    expect(r.summary).toBe(
      `cloud restore of prod-cluster (project ${PROD_GROUP}), snapshot ${SNAP_NEW} taken 2026-03-01T02:00:00Z, onto staging-cluster (project ${STAGING_GROUP})`,
    );
  });

  it('a pointInTime plan goes back from the trigger time', async () => {
    const input: ExecutionInput = { planName: 'on-alarm', trigger: { type: 'alarm', alarmName: 'orders-dropped', time: '2026-03-01T03:30:00Z' } };
    const r = await resolveRun(checkRun(input, config, NOW), input, kind, new FakeAtlas(), NOW);
    expect(r.request).toMatchObject({ deliveryType: 'pointInTime', pointInTimeUTCSeconds: Date.parse('2026-03-01T03:20:00Z') / 1000 });
    expect(r.summary).toContain('as of 2026-03-01T03:20:00.000Z');
  });
});

describe('summarize', () => {
  it('a download says so; an oplog point in time and a legacy checkpoint are named', () => {
    expect(summarize({ kind: 'cloud', source: prod, deliveryType: 'download', snapshotId: SNAP_OLD }, undefined)).toBe(
      `cloud restore of prod-cluster (project ${PROD_GROUP}), snapshot ${SNAP_OLD}, as a download`,
    );
    expect(summarize({ kind: 'cloud', source: prod, deliveryType: 'pointInTime', target: staging, oplogTs: 1_772_330_000, oplogInc: 4 }, undefined)).toContain(
      'as of oplog ts 1772330000 inc 4, onto staging-cluster',
    );
    expect(
      summarize({ kind: 'legacy', source: prod, checkpointId: '68c2d3e4f5a6b7c8d9e0f1a2', delivery: { methodName: 'AUTOMATED_RESTORE', target: staging } }, undefined),
    ).toBe(`legacy restore of prod-cluster (project ${PROD_GROUP}), as of checkpoint 68c2d3e4f5a6b7c8d9e0f1a2, onto staging-cluster (project ${STAGING_GROUP})`);
  });
});
