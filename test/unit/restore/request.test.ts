import { describe, expect, it } from 'vitest';
import { RestoreRequestInvalidError, type FieldProblem } from '../../../functions/core/domain/errors.js';
import { isDestructive, parseRestoreRequest, restoreTarget } from '../../../functions/core/restore/request.js';

/** Every rule of request.ts: a bad request fails before any HTTP call, naming the field it broke. */

const NOW = new Date('2026-06-01T12:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);
const G1 = '65f1a0000000000000000001';
const G2 = '65f1a0000000000000000002';
const SNAP = '65f1b0000000000000000105';
const source = { groupId: G1, clusterName: 'prod-cluster' };
const target = { groupId: G2, clusterName: 'staging-cluster' };

function problemsOf(input: unknown, now = NOW): FieldProblem[] {
  try {
    parseRestoreRequest(input, now);
  } catch (err) {
    expect(err).toBeInstanceOf(RestoreRequestInvalidError);
    return (err as RestoreRequestInvalidError).problems;
  }
  throw new Error('expected the request to be refused');
}

const paths = (input: unknown) => problemsOf(input).map((p) => p.path);

describe('cloud requests', () => {
  const automated = { kind: 'cloud', source, deliveryType: 'automated', snapshotId: SNAP, target } as const;

  it('accepts the three delivery types in their documented shapes', () => {
    expect(parseRestoreRequest(automated, NOW)).toEqual(automated);
    expect(parseRestoreRequest({ kind: 'cloud', source, deliveryType: 'download', snapshotId: SNAP }, NOW).kind).toBe('cloud');
    expect(parseRestoreRequest({ kind: 'cloud', source, deliveryType: 'pointInTime', target, pointInTimeUTCSeconds: NOW_S - 3600 }, NOW).kind).toBe('cloud');
    expect(parseRestoreRequest({ kind: 'cloud', source, deliveryType: 'pointInTime', target, oplogTs: NOW_S - 3600, oplogInc: 1 }, NOW).kind).toBe('cloud');
  });

  it('automated and pointInTime need a target; the message names the field', () => {
    const problems = problemsOf({ ...automated, target: undefined });
    expect(problems).toEqual([{ path: 'target', rule: expect.stringContaining('required for a automated restore') }]);
    expect(paths({ kind: 'cloud', source, deliveryType: 'pointInTime', pointInTimeUTCSeconds: NOW_S - 60 })).toEqual(['target']);
  });

  it('a download takes no target', () => {
    expect(problemsOf({ kind: 'cloud', source, deliveryType: 'download', snapshotId: SNAP, target })).toEqual([
      { path: 'target', rule: expect.stringContaining('must not be set for a download') },
    ]);
  });

  it('automated and download need a snapshot and refuse point-in-time fields', () => {
    expect(paths({ ...automated, snapshotId: undefined })).toEqual(['snapshotId']);
    expect(paths({ ...automated, pointInTimeUTCSeconds: NOW_S - 60 })).toEqual(['pointInTimeUTCSeconds']);
    expect(paths({ ...automated, oplogTs: NOW_S - 60, oplogInc: 1 })).toEqual(['oplogTs', 'oplogInc']);
  });

  it('pointInTime: seconds and the oplog pair are mutually exclusive', () => {
    const problems = problemsOf({
      kind: 'cloud', source, deliveryType: 'pointInTime', target, pointInTimeUTCSeconds: NOW_S - 60, oplogTs: NOW_S - 60, oplogInc: 2,
    });
    expect(problems).toEqual([{ path: 'pointInTimeUTCSeconds', rule: 'is mutually exclusive with oplogTs and oplogInc' }]);
  });

  it('pointInTime: needs a moment, never half of the oplog pair; a snapshotId beside it is allowed (not documented as refused)', () => {
    expect(problemsOf({ kind: 'cloud', source, deliveryType: 'pointInTime', target })[0]).toEqual({
      path: 'pointInTimeUTCSeconds',
      rule: expect.stringContaining('needs pointInTimeUTCSeconds, or oplogTs with oplogInc'),
    });
    expect(paths({ kind: 'cloud', source, deliveryType: 'pointInTime', target, oplogTs: NOW_S - 60 })).toEqual(['oplogInc']);
    expect(paths({ kind: 'cloud', source, deliveryType: 'pointInTime', target, oplogInc: 3 })).toEqual(['oplogTs']);
    const withSnapshot = { kind: 'cloud', source, deliveryType: 'pointInTime', target, snapshotId: SNAP, pointInTimeUTCSeconds: NOW_S - 60 } as const;
    expect(parseRestoreRequest(withSnapshot, NOW)).toMatchObject({ snapshotId: SNAP, pointInTimeUTCSeconds: NOW_S - 60 });
  });

  it('refuses times before 2008 and oplogInc below 1, with the field path', () => {
    expect(problemsOf({ kind: 'cloud', source, deliveryType: 'pointInTime', target, pointInTimeUTCSeconds: 1_000 })).toEqual([
      { path: 'pointInTimeUTCSeconds', rule: expect.stringContaining('1199145600') },
    ]);
    expect(paths({ kind: 'cloud', source, deliveryType: 'pointInTime', target, oplogTs: NOW_S - 60, oplogInc: 0 })).toEqual(['oplogInc']);
  });

  it('refuses a point in time in the future (checked against the given clock)', () => {
    const future = { kind: 'cloud', source, deliveryType: 'pointInTime', target, pointInTimeUTCSeconds: NOW_S + 60 };
    expect(problemsOf(future)).toEqual([{ path: 'pointInTimeUTCSeconds', rule: 'must not be in the future' }]);
    expect(paths({ kind: 'cloud', source, deliveryType: 'pointInTime', target, oplogTs: NOW_S + 60, oplogInc: 1 })).toEqual(['oplogTs']);
    // The same request is fine an hour later.
    expect(parseRestoreRequest(future, new Date(NOW.getTime() + 3_600_000)).kind).toBe('cloud');
  });

  it('checks ids and cluster names, with nested paths', () => {
    expect(paths({ ...automated, source: { groupId: 'nope', clusterName: 'prod-cluster' } })).toEqual(['source.groupId']);
    expect(paths({ ...automated, target: { groupId: G2, clusterName: '-bad' } })).toEqual(['target.clusterName']);
    expect(paths({ ...automated, snapshotId: 'ABCDEF' })).toEqual(['snapshotId']);
  });

  it('refuses unknown fields and unknown kinds', () => {
    expect(paths({ ...automated, targetClusterName: 'x' })).toEqual(['']);
    expect(problemsOf({ ...automated, kind: 'serverless' })).toHaveLength(1);
  });
});

describe('flex and tenant requests', () => {
  for (const kind of ['flex', 'tenant'] as const) {
    const flexSource = { groupId: G2, clusterName: 'flex-dev' };
    it(`${kind}: a restore needs a target, a download refuses one, deliveryType defaults to restore`, () => {
      const ok = parseRestoreRequest({ kind, source: flexSource, snapshotId: SNAP, target: { groupId: G2, clusterName: 'flex-target' } }, NOW);
      expect(ok).toMatchObject({ deliveryType: 'restore' });
      expect(problemsOf({ kind, source: flexSource, snapshotId: SNAP })).toEqual([{ path: 'target', rule: expect.stringContaining('required') }]);
      expect(paths({ kind, source: flexSource, deliveryType: 'download', snapshotId: SNAP, target: { groupId: G2, clusterName: 'x' } })).toEqual(['target']);
      expect(paths({ kind, source: flexSource, deliveryType: 'restore', target: { groupId: G2, clusterName: 'x' } })).toEqual(['snapshotId']);
    });

    it(`${kind}: target names follow Atlas's ASCII cluster rule (a lookalike letter is refused)`, () => {
      const named = (clusterName: string) => ({ kind, source: flexSource, snapshotId: SNAP, target: { groupId: G2, clusterName } });
      expect(parseRestoreRequest(named('Flex-Dev-1'), NOW).kind).toBe(kind);
      expect(paths(named('caf\u00e9-dev'))).toEqual(['target.clusterName']);
      expect(paths(named('\u212Aafka-flex'))).toEqual(['target.clusterName']);
      expect(paths(named('flex\u200Bdev'))).toEqual(['target.clusterName']);
      expect(paths(named('has space'))).toEqual(['target.clusterName']);
      expect(paths(named('x'.repeat(65)))).toEqual(['target.clusterName']);
    });
  }
});

describe('legacy requests', () => {
  const base = { kind: 'legacy', source: { groupId: G1, clusterName: 'legacy-rs' } } as const;
  const automated = { methodName: 'AUTOMATED_RESTORE', target: { groupId: G2, clusterName: 'staging-cluster' } } as const;

  it('exactly one of snapshotId, checkpointId, oplogTs+oplogInc, pointInTimeUTCMillis', () => {
    expect(problemsOf({ ...base, delivery: automated })).toEqual([
      { path: 'snapshotId', rule: expect.stringContaining('exactly one of snapshotId, checkpointId, oplogTs+oplogInc, pointInTimeUTCMillis is required (got none)') },
    ]);
    expect(problemsOf({ ...base, delivery: automated, snapshotId: SNAP, checkpointId: SNAP })[0]?.rule).toContain('got snapshotId, checkpointId');
    expect(parseRestoreRequest({ ...base, delivery: automated, checkpointId: SNAP }, NOW).kind).toBe('legacy');
  });

  it('oplogTs and oplogInc come together; oplogTs is an ISO date-time', () => {
    expect(paths({ ...base, delivery: automated, oplogTs: '2026-06-01T10:00:00Z' })).toEqual(['oplogInc']);
    expect(paths({ ...base, delivery: automated, oplogInc: 2 })).toEqual(['oplogTs']);
    expect(paths({ ...base, delivery: automated, oplogTs: 'yesterday', oplogInc: 2 })).toEqual(['oplogTs']);
    expect(parseRestoreRequest({ ...base, delivery: automated, oplogTs: '2026-06-01T10:00:00Z', oplogInc: 2 }, NOW).kind).toBe('legacy');
  });

  it('AUTOMATED_RESTORE needs a target; other methods refuse one and refuse point-in-time choices', () => {
    expect(problemsOf({ ...base, snapshotId: SNAP, delivery: { methodName: 'AUTOMATED_RESTORE' } })).toEqual([
      { path: 'delivery.target', rule: 'is required for AUTOMATED_RESTORE' },
    ]);
    expect(paths({ ...base, snapshotId: SNAP, delivery: { methodName: 'HTTP', target: automated.target } })).toEqual(['delivery.target']);
    expect(paths({ ...base, checkpointId: SNAP, delivery: { methodName: 'HTTP' } })).toEqual(['delivery.methodName']);
    expect(paths({ ...base, snapshotId: SNAP, delivery: { methodName: 'FTP' } })).toEqual(['delivery.methodName']);
  });
});

describe('restoreTarget and isDestructive', () => {
  it('names the cluster a restore overwrites, and nothing for downloads', () => {
    expect(restoreTarget(parseRestoreRequest({ kind: 'cloud', source, deliveryType: 'automated', snapshotId: SNAP, target }, NOW))).toEqual(target);
    const download = parseRestoreRequest({ kind: 'cloud', source, deliveryType: 'download', snapshotId: SNAP }, NOW);
    expect(restoreTarget(download)).toBeUndefined();
    expect(isDestructive(download)).toBe(false);
    const legacyHttp = parseRestoreRequest({ kind: 'legacy', source, snapshotId: SNAP, delivery: { methodName: 'HTTP' } }, NOW);
    expect(isDestructive(legacyHttp)).toBe(false);
    const legacyAuto = parseRestoreRequest({ kind: 'legacy', source, snapshotId: SNAP, delivery: { methodName: 'AUTOMATED_RESTORE', target } }, NOW);
    expect(restoreTarget(legacyAuto)).toEqual(target);
    expect(isDestructive(legacyAuto)).toBe(true);
  });

  it('a flex restore onto a deployment is destructive; a flex download is not', () => {
    const flex = { kind: 'flex', source: { groupId: G1, clusterName: 'flex-prod' }, snapshotId: SNAP } as const;
    const onto = parseRestoreRequest({ ...flex, target: { groupId: G2, clusterName: 'flex-staging' } }, NOW);
    expect(restoreTarget(onto)).toEqual({ groupId: G2, clusterName: 'flex-staging' });
    expect(isDestructive(onto)).toBe(true);
    const dl = parseRestoreRequest({ ...flex, deliveryType: 'download' }, NOW);
    expect(restoreTarget(dl)).toBeUndefined();
    expect(isDestructive(dl)).toBe(false);
  });
});
