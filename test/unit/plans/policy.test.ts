import { describe, expect, it } from 'vitest';
import { RestorePlanNotFoundError, RestoreRefusedError } from '../../../functions/core/domain/errors.js';
import { MemoryTargetLocks, lockKey } from '../../../functions/core/orchestrate/locks.js';
import { checkRun } from '../../../functions/core/orchestrate/resolve.js';
import { adHocRefusal, type AdHocPolicy } from '../../../functions/core/plans/adHoc.js';
import { clusterKey, clusterPatternMatches, sameCluster } from '../../../functions/core/domain/cluster.js';
import { protectingPattern } from '../../../functions/core/plans/guards.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { ExecutionInput } from '../../../functions/core/workflow/contract.js';

/** The ad-hoc policy, the manual trigger and the one canonical cluster key. */

const PROD = '65f1a0000000000000000001';
const STAGING = '65f1a0000000000000000002';
const NOW = new Date('2026-03-01T04:00:00Z');
const SNAP = '66a0b1c2d3e4f5a6b7c8d901';

const policy = (adHoc?: object) =>
  PlansConfig.parse({
    protectedTargets: [{ groupId: PROD, clusters: ['prod-*'] }],
    plans: [
      {
        name: 'alarm-only',
        source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
        restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
        triggers: { http: false, alarms: ['corruption'] },
      },
      {
        name: 'operator-too',
        source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
        restore: { type: 'snapshot', target: { groupId: STAGING, clusterName: 'staging-cluster' } },
        triggers: { alarms: ['corruption'], manual: true },
      },
      {
        name: 'no-operator',
        source: { kind: 'cloud', groupId: PROD, clusterName: 'prod-cluster' },
        restore: { type: 'download' },
        triggers: { http: false, manual: false },
      },
    ],
    ...(adHoc ? { adHoc } : {}),
  });

/** The ad-hoc copy of plan alarm-only, written out as a request. */
const copyOfAlarmOnly = {
  kind: 'cloud',
  source: { groupId: PROD, clusterName: 'prod-cluster' },
  deliveryType: 'automated',
  snapshotId: SNAP,
  target: { groupId: STAGING, clusterName: 'staging-cluster' },
} as const;
const download = { kind: 'cloud', source: { groupId: PROD, clusterName: 'prod-cluster' }, deliveryType: 'download', snapshotId: SNAP } as const;

const refusal = (config: PlansConfig, input: Omit<ExecutionInput, 'trigger'> & { trigger?: ExecutionInput['trigger'] }) => {
  try {
    checkRun({ trigger: { type: 'http' }, ...input }, config, NOW);
  } catch (err) {
    return err as RestoreRefusedError;
  }
  return undefined;
};

const scratchRule = {
  kinds: ['cloud'],
  sources: [{ groupId: PROD, clusters: ['prod-cluster'] }],
  targets: [{ groupId: STAGING, clusters: ['scratch-*'] }],
};

describe('the ad-hoc policy', () => {
  it('with no adHoc section, the ad-hoc copy of a plan not offered over HTTP is refused, and so is a download', () => {
    const config = policy();
    expect(refusal(config, { planName: 'alarm-only' })?.code).toBe('TRIGGER_NOT_ALLOWED');
    const copy = refusal(config, { request: copyOfAlarmOnly });
    expect(copy).toBeInstanceOf(RestoreRefusedError);
    expect(copy?.code).toBe('AD_HOC_NOT_ALLOWED');
    expect(copy?.message).toContain('adHoc.restores is empty');
    expect(refusal(config, { request: download })?.message).toContain('adHoc.downloads is empty');
  });

  it('a rule allows its kinds, sources and targets only, for its triggers only', () => {
    const config = policy({ restores: [{ ...scratchRule, triggers: ['http'] }] });
    const onto = (clusterName: string) => ({ ...copyOfAlarmOnly, target: { groupId: STAGING, clusterName } });
    expect(refusal(config, { request: onto('scratch-1') })).toBeUndefined();
    expect(refusal(config, { request: onto('Scratch-1') })).toBeUndefined();
    expect(refusal(config, { request: onto('staging-cluster') })?.message).toContain('as a target');
    expect(refusal(config, { request: { ...onto('scratch-1'), target: { groupId: PROD, clusterName: 'scratch-1' } } })?.message).toContain('as a target');
    expect(refusal(config, { request: { ...onto('scratch-1'), source: { groupId: PROD, clusterName: 'prod-other' } } })?.message).toContain('as a source');
    expect(refusal(config, { request: onto('scratch-1'), trigger: { type: 'manual' } })?.message).toContain('manual trigger');
    expect(refusal(config, { request: download })?.code).toBe('AD_HOC_NOT_ALLOWED');
  });

  it('schedules and alarms never start an ad-hoc request, whatever the rules', () => {
    const config = policy({ restores: [scratchRule] });
    const request = { ...copyOfAlarmOnly, target: { groupId: STAGING, clusterName: 'scratch-1' } };
    expect(refusal(config, { request, trigger: { type: 'schedule' } })?.message).toContain('schedule trigger');
    expect(refusal(config, { request, trigger: { type: 'alarm', alarmName: 'corruption' } })?.message).toContain('alarm trigger');
    expect(refusal(config, { request, trigger: { type: 'manual' } })).toBeUndefined();
  });

  it('kinds are checked: a flex request is refused by a cloud-only rule', () => {
    const ask = { kind: 'flex' as const, source: { groupId: PROD, clusterName: 'prod-cluster' }, target: { groupId: STAGING, clusterName: 'scratch-1' }, trigger: 'http' };
    const config = policy({ restores: [scratchRule] });
    expect(adHocRefusal(config.adHoc as AdHocPolicy, ask)).toContain('flex');
  });

  it('a rule can never open a protected target, nor the source itself', () => {
    const config = policy({ restores: [{ ...scratchRule, targets: [{ groupId: PROD, clusters: ['*'] }] }] });
    expect(refusal(config, { request: { ...copyOfAlarmOnly, target: { groupId: PROD, clusterName: 'PROD-EU' } } })?.code).toBe('PROTECTED_TARGET');
    expect(refusal(config, { request: { ...copyOfAlarmOnly, target: { groupId: PROD, clusterName: 'Prod-Cluster' } } })?.code).toBe('SOURCE_IS_TARGET');
    expect(refusal(config, { request: { ...copyOfAlarmOnly, target: { groupId: PROD, clusterName: 'recovery-1' } } })).toBeUndefined();
  });

  it('patterns must be ASCII cluster names or *: a lookalike pattern is refused when the file is read', () => {
    const bad = PlansConfig.safeParse({ adHoc: { restores: [{ ...scratchRule, targets: [{ groupId: STAGING, clusters: ['scr\u0430tch-*'] }] }] } });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['adHoc', 'restores', 0, 'targets', 0, 'clusters', 0]);
    expect(PlansConfig.safeParse({ protectedTargets: [{ groupId: PROD, clusters: ['pr\u043Ed-*'] }] }).success).toBe(false);
  });
});

describe('the manual trigger', () => {
  it('starts a plan only when the plan lists triggers.manual: true (closed unless listed)', () => {
    const config = policy();
    expect(refusal(config, { planName: 'operator-too', trigger: { type: 'manual' } })).toBeUndefined();
    // The issue's case: an alarm-only recovery plan started by hand.
    const alarmOnly = refusal(config, { planName: 'alarm-only', trigger: { type: 'manual' } });
    expect(alarmOnly?.code).toBe('TRIGGER_NOT_ALLOWED');
    expect(alarmOnly?.message).toContain('triggers.manual: true');
    const refused = refusal(config, { planName: 'no-operator', trigger: { type: 'manual' } });
    expect(refused?.code).toBe('TRIGGER_NOT_ALLOWED');
    expect(refused?.message).toContain('triggers.manual');
  });

  it('plan not found lists only the plans that trigger could start', () => {
    const config = policy();
    const err = (() => {
      try {
        checkRun({ planName: 'nope', trigger: { type: 'http' } }, config, NOW);
      } catch (e) {
        return e as Error;
      }
    })();
    expect(err).toBeInstanceOf(RestorePlanNotFoundError);
    expect(err?.message).toContain('an HTTP caller may start: none');
    expect(err?.message).not.toContain('alarm-only');
    expect(() => checkRun({ planName: 'nope', trigger: { type: 'manual' } }, config, NOW)).toThrow(/an operator may start: operator-too\)/);
  });
});

describe('one canonical cluster key', () => {
  const kelvin = '\u212Aafka-flex'; // KELVIN SIGN, which toLowerCase() turns into "k"
  it('folds ASCII case only: the Kelvin sign is not k anywhere', () => {
    const a = { groupId: STAGING, clusterName: 'kafka-flex' };
    expect(sameCluster(a, { groupId: STAGING, clusterName: 'KAFKA-Flex' })).toBe(true);
    expect(sameCluster(a, { groupId: STAGING, clusterName: kelvin })).toBe(false);
    expect(clusterKey({ groupId: STAGING, clusterName: kelvin })).not.toBe(clusterKey(a));
    expect(lockKey({ groupId: STAGING, clusterName: 'KAFKA-flex' })).toBe(clusterKey(a));
    expect(clusterPatternMatches('k*', kelvin)).toBe(false);
    expect(clusterPatternMatches('K*', 'kafka')).toBe(true);
    expect(clusterPatternMatches('prod-*', 'PROD-EU')).toBe(true);
    expect(clusterPatternMatches('prod-*', 'prod-\nx')).toBe(true);
  });

  it('the lock, the protected match and sameCluster agree on every name', async () => {
    const locks = new MemoryTargetLocks(() => NOW);
    const until = new Date(NOW.getTime() + 60_000);
    await locks.acquire({ groupId: STAGING, clusterName: 'Staging-A' }, 'r1', until);
    await expect(locks.acquire({ groupId: STAGING, clusterName: 'STAGING-a' }, 'r2', until)).rejects.toMatchObject({ code: 'TARGET_BUSY' });
    await expect(locks.acquire({ groupId: STAGING, clusterName: 'St\u0430ging-a' }, 'r3', until)).resolves.toBeUndefined();
    const prot = [{ groupId: STAGING, clusters: ['staging-a'] }];
    for (const name of ['Staging-A', 'STAGING-a', 'St\u0430ging-a'])
      expect(protectingPattern({ groupId: STAGING, clusterName: name }, prot) !== undefined).toBe(sameCluster({ groupId: STAGING, clusterName: name }, { groupId: STAGING, clusterName: 'staging-a' }));
  });
});
