import { describe, expect, it } from 'vitest';
import { RestoreSnapshotUnavailableError } from '../../../functions/core/domain/errors.js';
import { chooseSnapshot } from '../../../functions/core/restore/choose.js';
import type { Snapshot } from '../../../functions/core/restore/snapshots.js';

const NOW = new Date('2026-06-01T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();
const snap = (id: string, ageHours: number, extra: Partial<Snapshot> = {}): Snapshot => ({
  id: id.padStart(24, '0'),
  createdAt: hoursAgo(ageHours),
  status: 'completed',
  snapshotType: 'scheduled',
  ...extra,
});

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(RestoreSnapshotUnavailableError);
    expect((err as Error).name).toBe('RestoreSnapshotUnavailable');
    return (err as Error).message;
  }
  throw new Error('expected RestoreSnapshotUnavailableError');
}

describe('chooseSnapshot: latest', () => {
  it('takes the largest createdAt, not the first or last of the list', () => {
    const list = [snap('1', 30), snap('2', 2), snap('3', 48), snap('4', 12)];
    expect(chooseSnapshot(list, { by: 'latest' }, NOW).id).toBe(snap('2', 0).id);
    expect(chooseSnapshot([...list].reverse(), { by: 'latest' }, NOW).id).toBe(snap('2', 0).id);
  });

  it('compares instants, not strings (offsets and fractions)', () => {
    // 13:30+02:00 is 11:30Z, earlier than 11:45Z although its string sorts later.
    const list = [snap('1', 0, { createdAt: '2026-06-01T13:30:00+02:00' }), snap('2', 0, { createdAt: '2026-06-01T11:45:00.000Z' })];
    expect(chooseSnapshot(list, { by: 'latest' }, NOW).id).toBe(snap('2', 0).id);
  });

  it('skips snapshots that are not completed', () => {
    const list = [snap('1', 10), snap('2', 1, { status: 'inProgress' }), snap('3', 2, { status: 'failed' }), snap('4', 0.5, { status: 'queued' })];
    expect(chooseSnapshot(list, { by: 'latest' }, NOW).id).toBe(snap('1', 0).id);
  });

  it('snapshotType keeps only that type', () => {
    const list = [snap('1', 10), snap('2', 2, { snapshotType: 'onDemand' }), snap('3', 1, { snapshotType: 'fallback' })];
    expect(chooseSnapshot(list, { by: 'latest', snapshotType: 'scheduled' }, NOW).id).toBe(snap('1', 0).id);
    expect(chooseSnapshot(list, { by: 'latest', snapshotType: 'onDemand' }, NOW).id).toBe(snap('2', 0).id);
  });

  it('maxAgeMinutes is measured from the given time, not the wall clock', () => {
    const list = [snap('1', 3), snap('2', 5)];
    expect(chooseSnapshot(list, { by: 'latest', maxAgeMinutes: 240 }, NOW).id).toBe(snap('1', 0).id);
    const later = new Date(NOW.getTime() + 2 * 3_600_000);
    expect(refusal(() => chooseSnapshot(list, { by: 'latest', maxAgeMinutes: 240 }, later))).toMatch(/2 older than 240 minutes/);
  });

  it('before is strict: a snapshot taken exactly then is excluded', () => {
    const list = [snap('1', 6), snap('2', 4), snap('3', 1)];
    expect(chooseSnapshot(list, { by: 'latest', before: hoursAgo(4) }, NOW).id).toBe(snap('1', 0).id);
    expect(chooseSnapshot(list, { by: 'latest', before: hoursAgo(3.9) }, NOW).id).toBe(snap('2', 0).id);
  });

  it('rules combine', () => {
    const list = [snap('1', 30), snap('2', 20, { snapshotType: 'onDemand' }), snap('3', 8), snap('4', 2), snap('5', 1, { status: 'inProgress' })];
    expect(chooseSnapshot(list, { by: 'latest', snapshotType: 'scheduled', before: hoursAgo(5), maxAgeMinutes: 24 * 60 }, NOW).id).toBe(snap('3', 0).id);
  });

  it('when nothing fits, says how many were seen and why each rule excluded them', () => {
    const list = [
      snap('1', 100),
      snap('2', 1, { status: 'inProgress' }),
      snap('3', 2, { status: 'failed' }),
      snap('4', 3, { snapshotType: 'onDemand' }),
      snap('5', 0.5),
    ];
    const message = refusal(() => chooseSnapshot(list, { by: 'latest', snapshotType: 'scheduled', before: hoursAgo(1), maxAgeMinutes: 60 }, NOW));
    expect(message).toContain('of 5 snapshots seen');
    expect(message).toContain('2 not completed');
    expect(message).toContain('1 not of type scheduled');
    expect(message).toContain(`1 taken at or after ${hoursAgo(1)}`);
    expect(message).toContain(`1 older than 60 minutes (the newest of them was taken ${hoursAgo(100)})`);
    expect(message).toMatch(/take an on-demand one/);
  });

  it('an empty list says the cluster has no snapshots yet', () => {
    expect(refusal(() => chooseSnapshot([], { by: 'latest' }, NOW))).toMatch(/no snapshots yet/);
  });
});

describe('chooseSnapshot: by id', () => {
  const list = [snap('1', 10), snap('2', 1, { status: 'inProgress' })];

  it('returns the snapshot when it exists and is completed, however old', () => {
    expect(chooseSnapshot(list, { by: 'id', id: snap('1', 0).id }, NOW)).toEqual(list[0]);
  });

  it('refuses an unknown id, saying how many snapshots were looked at', () => {
    expect(refusal(() => chooseSnapshot(list, { by: 'id', id: 'f'.repeat(24) }, NOW))).toMatch(/not among the 2 snapshots/);
  });

  it('refuses a snapshot that is not completed, naming its status', () => {
    expect(refusal(() => chooseSnapshot(list, { by: 'id', id: snap('2', 0).id }, NOW))).toMatch(/is inProgress, not completed/);
  });
});
