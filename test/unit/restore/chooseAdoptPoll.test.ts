import { describe, expect, it } from 'vitest';
import { AtlasCreateOutcomeUnknownError, AtlasInvalidRequestError, RestoreSnapshotUnavailableError } from '../../../functions/core/errors.js';
import { findTargetBusy, reconcileCreate } from '../../../functions/core/restore/adopt.js';
import { chooseSnapshot } from '../../../functions/core/restore/choose.js';
import type { RestoreKind } from '../../../functions/core/restore/kind.js';
import { cloudKind } from '../../../functions/core/restore/kinds/cloud.js';
import { nextPollDelaySeconds, simulatePolling } from '../../../functions/core/restore/pollPolicy.js';
import type { CloudRestoreRequest } from '../../../functions/core/restore/request.js';
import type { Snapshot } from '../../../functions/core/restore/snapshots.js';
import type { RestoreJobRef } from '../../../functions/core/restore/status.js';
import { FakeAtlas, IDS, PROD, STAGING } from './fakeAtlas.js';

/** chooseSnapshot, reconcileCreate/findTargetBusy and the poll policy, with hand-written fakes. */

const NOW = new Date('2026-03-01T12:00:00Z');
const ago = (minutes: number) => new Date(NOW.getTime() - minutes * 60_000).toISOString();
const snap = (id: string, minutesAgo: number, extra: Partial<Snapshot> = {}): Snapshot => ({ id, createdAt: ago(minutesAgo), status: 'completed', snapshotType: 'scheduled', ...extra });

function unavailable(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(RestoreSnapshotUnavailableError);
    return (e as Error).message;
  }
  throw new Error('expected RestoreSnapshotUnavailableError');
}

describe('chooseSnapshot', () => {
  // Deliberately neither newest-first nor oldest-first.
  const list = [snap(IDS.snapshotMid, 120), snap(IDS.snapshotNew, 30), snap(IDS.snapshotOld, 600)];

  it('latest is the largest createdAt, not list order', () => {
    expect(chooseSnapshot(list, { by: 'latest' }, NOW).id).toBe(IDS.snapshotNew);
    expect(chooseSnapshot([...list].reverse(), { by: 'latest' }, NOW).id).toBe(IDS.snapshotNew);
  });

  it('a newer snapshot that is not completed is passed over', () => {
    expect(chooseSnapshot([...list, snap(IDS.job1, 1, { status: 'inProgress' })], { by: 'latest' }, NOW).id).toBe(IDS.snapshotNew);
  });

  it('snapshotType, maxAgeMinutes (relative to now) and before (strict) narrow the choice', () => {
    const typed = [snap(IDS.snapshotNew, 30, { snapshotType: 'onDemand' }), snap(IDS.snapshotMid, 120)];
    expect(chooseSnapshot(typed, { by: 'latest', snapshotType: 'scheduled' }, NOW).id).toBe(IDS.snapshotMid);
    expect(chooseSnapshot(list, { by: 'latest', maxAgeMinutes: 200 }, new Date(NOW.getTime() + 60 * 60_000)).id).toBe(IDS.snapshotNew);
    expect(chooseSnapshot(list, { by: 'latest', before: ago(30) }, NOW).id).toBe(IDS.snapshotMid);
    expect(chooseSnapshot(list, { by: 'latest', before: ago(29) }, NOW).id).toBe(IDS.snapshotNew);
  });

  it('nothing fits: says how many were seen and how many each rule excluded', () => {
    const message = unavailable(() =>
      chooseSnapshot(
        [snap(IDS.snapshotNew, 30, { status: 'queued' }), snap(IDS.snapshotMid, 300, { snapshotType: 'onDemand' }), snap(IDS.snapshotOld, 600)],
        { by: 'latest', snapshotType: 'scheduled', maxAgeMinutes: 60 },
        NOW,
      ),
    );
    expect(message).toContain('of 3 snapshots seen');
    expect(message).toContain('1 not completed');
    expect(message).toContain('1 not of type scheduled');
    expect(message).toContain('1 older than 60 minutes');
    expect(message).toContain(ago(600));
  });

  it('an empty list says the cluster has no snapshots yet', () => {
    expect(unavailable(() => chooseSnapshot([], { by: 'latest' }, NOW))).toMatch(/no snapshots yet/);
  });

  it('by id: found and completed, missing (with the count), or not completed (with its status)', () => {
    expect(chooseSnapshot(list, { by: 'id', id: IDS.snapshotOld }, NOW).id).toBe(IDS.snapshotOld);
    expect(unavailable(() => chooseSnapshot(list, { by: 'id', id: IDS.job3 }, NOW))).toContain('not among the 3 snapshots');
    expect(unavailable(() => chooseSnapshot([snap(IDS.job3, 5, { status: 'failed' })], { by: 'id', id: IDS.job3 }, NOW))).toContain('is failed, not completed');
  });
});

const JOBS = `/api/atlas/v2/groups/${IDS.prodGroup}/clusters/prod-cluster/backup/restoreJobs`;
const request: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: STAGING };
const runningJob = (id: string, fields: Record<string, unknown> = {}) => ({
  id,
  deliveryType: 'automated',
  snapshotId: IDS.snapshotNew,
  targetGroupId: IDS.stagingGroup,
  targetClusterName: 'staging-cluster',
  ...fields,
});
const ref = (jobId: string): RestoreJobRef => ({ kind: 'cloud', groupId: IDS.prodGroup, clusterName: 'prod-cluster', jobId });

describe('reconcileCreate', () => {
  it('adopts the job in flight without calling create', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [runningJob(IDS.job1)]);
    let creates = 0;
    const result = await reconcileCreate(atlas, cloudKind as RestoreKind, request, async () => {
      creates++;
      return ref(IDS.job2);
    });
    expect(result).toEqual({ ref: ref(IDS.job1), adopted: true });
    expect(creates).toBe(0);
  });

  it('creates when nothing is in flight', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [runningJob(IDS.job1, { finishedAt: '2026-03-01T11:00:00Z' })]);
    expect(await reconcileCreate(atlas, cloudKind as RestoreKind, request, async () => ref(IDS.job2))).toEqual({ ref: ref(IDS.job2), adopted: false });
  });

  it('an unknown create outcome: looks again and adopts what the lost POST made', async () => {
    let listed = 0;
    const atlas = new FakeAtlas().on('GET', JOBS, () => (++listed === 1 ? [] : [runningJob(IDS.job3)]));
    const result = await reconcileCreate(atlas, cloudKind as RestoreKind, request, async () => {
      throw new AtlasCreateOutcomeUnknownError('the answer was lost');
    });
    expect(result).toEqual({ ref: ref(IDS.job3), adopted: true });
    expect(listed).toBe(2);
  });

  it('an unknown create outcome with nothing to adopt is rethrown', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, []);
    const lost = new AtlasCreateOutcomeUnknownError('the answer was lost');
    await expect(
      reconcileCreate(atlas, cloudKind as RestoreKind, request, async () => {
        throw lost;
      }),
    ).rejects.toBe(lost);
    expect(atlas.calls.filter((c) => c.list)).toHaveLength(2);
  });

  it('any other error is rethrown without a second look', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, []);
    const refused = new AtlasInvalidRequestError('snapshot is not restorable', { status: 400 });
    await expect(
      reconcileCreate(atlas, cloudKind as RestoreKind, request, async () => {
        throw refused;
      }),
    ).rejects.toBe(refused);
    expect(atlas.calls).toHaveLength(1);
  });
});

describe('findTargetBusy', () => {
  it('counts only non-terminal jobs onto the same target, whatever their snapshot, case-insensitively', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [
      runningJob(IDS.job1, { finishedAt: '2026-03-01T11:00:00Z' }),
      runningJob(IDS.job2, { failed: true }),
      runningJob(IDS.job3, { snapshotId: IDS.snapshotOld, targetClusterName: 'Staging-Cluster' }),
    ]);
    expect(await findTargetBusy(atlas, request)).toEqual(ref(IDS.job3));
  });

  it('a running job onto another cluster or project, or a download, does not make the target busy', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [
      runningJob(IDS.job1, { targetClusterName: 'other-cluster' }),
      runningJob(IDS.job2, { targetGroupId: IDS.prodGroup }),
      { id: IDS.job3, deliveryType: 'download', snapshotId: IDS.snapshotNew },
    ]);
    expect(await findTargetBusy(atlas, request)).toBeUndefined();
  });
});

describe('poll policy', () => {
  const base = { floorSeconds: 15, capSeconds: 300, secondsUntilDeadline: 1e9 };

  it('nextPollDelaySeconds is monotonic in age, integer, within floor and cap', () => {
    let previous = 0;
    for (let age = 0; age <= 20_000; age += 37) {
      const d = nextPollDelaySeconds({ ...base, ageSeconds: age });
      expect(Number.isInteger(d)).toBe(true);
      expect(d).toBeGreaterThanOrEqual(previous);
      expect(d).toBeGreaterThanOrEqual(15);
      expect(d).toBeLessThanOrEqual(300);
      previous = d;
    }
  });

  it('never past the deadline, at least 1 second, a negative age counts as 0', () => {
    expect(nextPollDelaySeconds({ ...base, ageSeconds: 5_000, secondsUntilDeadline: 42.9 })).toBe(42);
    expect(nextPollDelaySeconds({ ...base, ageSeconds: 5_000, secondsUntilDeadline: 0 })).toBe(1);
    expect(nextPollDelaySeconds({ ...base, ageSeconds: -100 })).toBe(15);
  });

  it('a 24 h restore at floor 15 / cap 300 needs a few hundred polls and far fewer than 25,000 history events', () => {
    const cost = simulatePolling({ durationSeconds: 86_400, floorSeconds: 15, capSeconds: 300 });
    expect(cost.polls).toBeGreaterThan(100);
    expect(cost.polls).toBeLessThan(500);
    expect(cost.historyEvents).toBeLessThan(5_000);
    expect(cost.timedOut).toBe(false);
    expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(300);
  });

  it('a fixed 4 s wait needs 21,600 polls for 24 h (what the adaptive policy avoids)', () => {
    const cost = simulatePolling({ durationSeconds: 86_400, floorSeconds: 4, capSeconds: 4 });
    expect(cost.polls).toBe(21_600);
    expect(cost.historyEvents).toBeGreaterThan(25_000);
  });

  it('a 2-minute restore is detected within 15 s', () => {
    const cost = simulatePolling({ durationSeconds: 120, floorSeconds: 15, capSeconds: 300 });
    expect(cost.detectionDelaySeconds).toBeGreaterThanOrEqual(0);
    expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(15);
  });
});
