import { describe, expect, it } from 'vitest';
import { legacyJobState, legacyStatus, type LegacyJob } from '../../../functions/core/restore/kinds/legacy.js';
import { sharedStatus, type SharedJob } from '../../../functions/core/restore/kinds/sharedTier.js';
import { RestoreStatus } from '../../../functions/core/restore/status.js';

/**
 * Flex, tenant and legacy jobs mapped onto the one status model (cloud jobs: cloudKind.test.ts),
 * from job fixtures written for these tests from the field descriptions of the Atlas spec (no
 * copied examples).
 */

const JOB = 'aa00000000000000000000a1';
const SNAP = 'bb00000000000000000000b1';

describe('flex and tenant jobs (status PENDING, QUEUED, RUNNING, COMPLETED, FAILED)', () => {
  for (const kind of ['flex', 'tenant'] as const) {
    const job = (status: string, extra: Partial<SharedJob> = {}): SharedJob => ({
      id: JOB,
      snapshotId: SNAP,
      deliveryType: 'RESTORE',
      status,
      restoreScheduledDate: '2026-06-01T12:00:00Z',
      ...extra,
    });

    it(`${kind}: each Atlas status onto the model`, () => {
      expect(sharedStatus(kind, job('PENDING')).state).toBe('PENDING');
      expect(sharedStatus(kind, job('QUEUED')).state).toBe('PENDING');
      expect(sharedStatus(kind, job('RUNNING')).state).toBe('RUNNING');
      expect(sharedStatus(kind, job('COMPLETED', { restoreFinishedDate: '2026-06-01T12:05:00Z' }))).toMatchObject({
        kind,
        state: 'SUCCEEDED',
        createdAt: '2026-06-01T12:00:00Z',
        finishedAt: '2026-06-01T12:05:00Z',
        atlasStatus: 'COMPLETED',
      });
      expect(sharedStatus(kind, job('FAILED')).state).toBe('FAILED');
      // CLOSED appears in the spec's prose, not its enum: a finished job.
      expect(sharedStatus(kind, job('CLOSED')).state).toBe('SUCCEEDED');
      // Anything new is waited on, not guessed at.
      expect(sharedStatus(kind, job('SOMETHING_NEW')).state).toBe('RUNNING');
    });

    it(`${kind}: a completed download carries its link; a lapsed link is EXPIRED`, () => {
      const download = (extra: Partial<SharedJob>) => job('COMPLETED', { deliveryType: 'DOWNLOAD', ...extra });
      expect(sharedStatus(kind, download({ snapshotUrl: 'https://dl.example/s.tgz', expirationDate: '2026-06-01T16:00:00Z' }))).toMatchObject({
        state: 'SUCCEEDED',
        delivery: { urls: ['https://dl.example/s.tgz'], expiresAt: '2026-06-01T16:00:00Z' },
      });
      expect(sharedStatus(kind, download({ expirationDate: '2026-06-01T16:00:00Z' })).state).toBe('EXPIRED');
      expect(sharedStatus(kind, download({})).state).toBe('RUNNING');
      expect(sharedStatus(kind, job('RUNNING', { deliveryType: 'DOWNLOAD' })).delivery).toBeUndefined();
    });
  }
});

describe('legacy jobs (statusName, delivery.statusName, batches)', () => {
  const job = (id: string, statusName: string, delivery: LegacyJob['delivery'] = {}, extra: Partial<LegacyJob> = {}): LegacyJob => ({
    id,
    statusName,
    created: '2026-06-01T12:00:00Z',
    snapshotId: SNAP,
    delivery: { methodName: 'HTTP', targetGroupId: '65f1a0000000000000000002', targetClusterName: 'staging', ...delivery },
    ...extra,
  });

  it('one job: statusName onto the model, the delivery status once finished', () => {
    expect(legacyJobState(job('j1', 'IN_PROGRESS', { statusName: 'NOT_STARTED' }))).toBe('PENDING');
    expect(legacyJobState(job('j1', 'IN_PROGRESS', { statusName: 'IN_PROGRESS' }))).toBe('RUNNING');
    expect(legacyJobState(job('j1', 'FINISHED', { statusName: 'READY' }))).toBe('SUCCEEDED');
    expect(legacyJobState(job('j1', 'BROKEN', { statusName: 'FAILED' }))).toBe('FAILED');
    expect(legacyJobState(job('j1', 'KILLED', { statusName: 'INTERRUPTED' }))).toBe('CANCELLED');
    expect(legacyJobState(job('j1', 'FINISHED', { statusName: 'EXPIRED' }))).toBe('EXPIRED');
    expect(legacyJobState(job('j1', 'FINISHED', { statusName: 'MAX_DOWNLOADS_EXCEEDED' }))).toBe('EXPIRED');
    expect(legacyJobState(job('j1', 'FINISHED', { statusName: 'FAILED' }))).toBe('FAILED');
  });

  it('a replica set restore is its one job, with Atlas words unadorned', () => {
    const status = legacyStatus([job('j1', 'FINISHED', { statusName: 'READY' })]);
    expect(status).toMatchObject({ kind: 'legacy', state: 'SUCCEEDED', jobIds: ['j1'], atlasStatus: 'FINISHED', createdAt: '2026-06-01T12:00:00Z' });
    expect(status.delivery).toBeUndefined();
    expect(RestoreStatus.parse(status)).toEqual(status);
  });

  it('a sharded batch is running until every job has finished', () => {
    const batch = (a: string, b: string, c: string) =>
      legacyStatus([job('j1', a, {}, { batchId: 'b1' }), job('j2', b, {}, { batchId: 'b1' }), job('j3', c, {}, { batchId: 'b1' })]);
    expect(batch('IN_PROGRESS', 'IN_PROGRESS', 'FINISHED')).toMatchObject({
      state: 'RUNNING',
      batchId: 'b1',
      jobIds: ['j1', 'j2', 'j3'],
      atlasStatus: 'IN_PROGRESS ×2, FINISHED ×1',
    });
    expect(batch('FINISHED', 'FINISHED', 'FINISHED')).toMatchObject({ state: 'SUCCEEDED', atlasStatus: 'FINISHED ×3' });
    // One broken shard fails the batch, but only once the others have stopped too.
    expect(batch('FINISHED', 'BROKEN', 'IN_PROGRESS').state).toBe('RUNNING');
    expect(batch('FINISHED', 'BROKEN', 'FINISHED').state).toBe('FAILED');
    expect(batch('FINISHED', 'KILLED', 'FINISHED').state).toBe('CANCELLED');
    expect(batch('BROKEN', 'KILLED', 'FINISHED').state).toBe('FAILED');
  });

  it('a batch is PENDING only while no job has started', () => {
    const pending = job('j1', 'IN_PROGRESS', { statusName: 'NOT_STARTED' }, { batchId: 'b1' });
    const started = job('j2', 'IN_PROGRESS', { statusName: 'IN_PROGRESS' }, { batchId: 'b1' });
    expect(legacyStatus([pending, { ...pending, id: 'j2' }]).state).toBe('PENDING');
    expect(legacyStatus([pending, started]).state).toBe('RUNNING');
  });

  it('an HTTP download batch carries every link and the earliest expiry once all are READY', () => {
    const download = (id: string, url: string, expires: string): LegacyJob => ({
      id,
      batchId: 'b2',
      statusName: 'FINISHED',
      delivery: { methodName: 'HTTP', statusName: 'READY', urlV2: url, url: `${url}?v1`, expires },
    });
    const status = legacyStatus([download('j1', 'https://dl.example/1', '2026-06-01T14:00:00Z'), download('j2', 'https://dl.example/2', '2026-06-01T13:00:00Z')]);
    expect(status).toMatchObject({ state: 'SUCCEEDED', delivery: { urls: ['https://dl.example/1', 'https://dl.example/2'], expiresAt: '2026-06-01T13:00:00Z' } });
    const lapsed = legacyStatus([{ ...download('j1', 'https://dl.example/1', '2026-06-01T14:00:00Z'), delivery: { methodName: 'HTTP', statusName: 'EXPIRED' } }]);
    expect(lapsed.state).toBe('EXPIRED');
    expect(lapsed.delivery).toBeUndefined();
  });
});
