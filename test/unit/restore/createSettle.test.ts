import { describe, expect, it } from 'vitest';
import { AtlasCreateOutcomeUnknownError } from '../../../functions/core/domain/errors.js';
import { reconcileCreate, type CreateSettle } from '../../../functions/core/restore/adopt.js';
import { cloudKind } from '../../../functions/core/restore/kinds/index.js';
import { parseRestoreRequest, type RestoreRequest } from '../../../functions/core/restore/request.js';
import type { RestoreJobRef } from '../../../functions/core/restore/status.js';
import { FakeAtlas, IDS, PROD, STAGING } from './fakeAtlas.js';

/**
 * reconcileCreate's settle window: after a POST whose answer was lost, the job is looked for at
 * points spread over the window (10 %, 25 %, 50 %, 100 %), with fresh reads, and a POST is never
 * sent again inside the window. A fake clock whose sleep moves it on; every look and POST recorded.
 */

const T0 = Date.parse('2026-03-01T03:00:00.000Z');
const WINDOW_MS = 60_000;
const CLOUD_JOBS = `/api/atlas/v2/groups/${IDS.prodGroup}/clusters/prod-cluster/backup/restoreJobs`;
const seconds = (ms: number) => (ms - T0) / 1000;

const request: RestoreRequest = parseRestoreRequest(
  { kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: IDS.snapshotNew, target: STAGING },
  new Date(T0),
);

const runningJob = { id: IDS.job1, deliveryType: 'automated', snapshotId: IDS.snapshotNew, targetGroupId: STAGING.groupId, targetClusterName: STAGING.clusterName, cancelled: false, failed: false, expired: false };

/**
 * The world of one create: a clock, Atlas where the job shows from `landsAt` (ms, or never), a
 * stale transport standing for the step's shared reads (it only ever saw the list before the
 * POST), and the settle port over them.
 */
function world(options: { landsAt?: number; sentBefore?: number } = {}) {
  let now = T0;
  const sleeps: number[] = [];
  const looks: number[] = [];
  const notes: number[] = [];
  const creates: number[] = [];
  const fresh = new FakeAtlas().on('GET', CLOUD_JOBS, () => {
    looks.push(seconds(now));
    return options.landsAt !== undefined && now >= options.landsAt ? [runningJob] : [];
  });
  const stale = new FakeAtlas().on('GET', CLOUD_JOBS, () => {
    looks.push(seconds(now));
    return [];
  });
  const settle: CreateSettle = {
    sentBefore: options.sentBefore === undefined ? undefined : new Date(options.sentBefore),
    settleMs: WINDOW_MS,
    noteSent: async (at) => void notes.push(seconds(at.getTime())),
    now: () => new Date(now),
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    fresh,
  };
  const lost = new AtlasCreateOutcomeUnknownError('socket closed after the request was sent');
  /** The POST: recorded, then its answer is lost. */
  const createLost = async (): Promise<RestoreJobRef> => {
    creates.push(seconds(now));
    throw lost;
  };
  const createOk = async (): Promise<RestoreJobRef> => {
    creates.push(seconds(now));
    return { kind: 'cloud', groupId: PROD.groupId, clusterName: PROD.clusterName, jobId: IDS.job2 };
  };
  return { settle, stale, fresh, lost, createLost, createOk, sleeps, looks, notes, creates, now: () => now };
}

const adoptedJob1 = { ref: expect.objectContaining({ jobId: IDS.job1 }), adopted: true };

describe('a POST whose answer was lost', () => {
  it('the job shows only 30 s into a 60 s window: adopted after sleeping to the spread points, one POST', async () => {
    const w = world({ landsAt: T0 + 30_000 });
    const result = await reconcileCreate(w.stale, cloudKind, request, w.createLost, w.settle);
    expect(result).toEqual(adoptedJob1);
    expect(w.creates).toEqual([0]);
    expect(w.notes, 'the POST was recorded as sent before it went out').toEqual([0]);
    // The look before the POST, then at 10 %, 25 % and 50 % of the window, where it is found.
    expect(w.looks).toEqual([0, 6, 15, 30]);
    expect(w.sleeps).toEqual([6_000, 9_000, 15_000]);
    expect(w.stale.calls).toHaveLength(1);
    expect(w.fresh.calls, 'the looks after the POST are fresh reads').toHaveLength(3);
  });

  it('a job that never shows: looked for at every point of the window, then the ambiguity is rethrown; one POST', async () => {
    const w = world();
    const err = await reconcileCreate(w.stale, cloudKind, request, w.createLost, w.settle).catch((e: unknown) => e);
    expect(err).toBe(w.lost);
    expect(err).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(w.creates).toEqual([0]);
    expect(w.looks).toEqual([0, 6, 15, 30, 60]);
    expect(w.sleeps).toEqual([6_000, 9_000, 15_000, 30_000]);
    expect(w.now() - T0, 'the whole window was waited out').toBe(WINDOW_MS);
  });

  it('a POST that succeeds is not looked for again', async () => {
    const w = world();
    const result = await reconcileCreate(w.stale, cloudKind, request, w.createOk, w.settle);
    expect(result).toEqual({ ref: expect.objectContaining({ jobId: IDS.job2 }), adopted: false });
    expect(w.looks).toEqual([0]);
    expect(w.sleeps).toEqual([]);
  });
});

describe('an earlier try sent a POST and lost its answer (sentBefore)', () => {
  it('20 s ago, inside the window: no POST; looks at the points still ahead, and the job found is adopted', async () => {
    const w = world({ sentBefore: T0 - 20_000, landsAt: T0 + 40_000 });
    const result = await reconcileCreate(w.stale, cloudKind, request, w.createLost, w.settle);
    expect(result).toEqual(adoptedJob1);
    expect(w.creates).toEqual([]);
    expect(w.notes).toEqual([]);
    // The points at 6 s and 15 s after the first POST have passed; 30 s and 60 s after it are +10 s and +40 s.
    expect(w.looks).toEqual([0, 10, 40]);
    expect(w.sleeps).toEqual([10_000, 30_000]);
  });

  it('inside the window and nothing shows: looks to the end of its window, never POSTs again, the ambiguity stands', async () => {
    const w = world({ sentBefore: T0 - 20_000 });
    const err = await reconcileCreate(w.stale, cloudKind, request, w.createOk, w.settle).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect((err as Error).message).toMatch(/it may still land, so the POST is not sent again/);
    expect(w.looks).toEqual([0, 10, 40]);
    expect(w.creates, 'a POST that may still land is never sent again').toEqual([]);
    expect(w.notes).toEqual([]);
  });

  it('long past: looks over a window of its own, never POSTs again', async () => {
    const w = world({ sentBefore: T0 - 10 * 60_000 });
    const err = await reconcileCreate(w.stale, cloudKind, request, w.createOk, w.settle).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AtlasCreateOutcomeUnknownError);
    expect(w.looks).toEqual([0, 6, 15, 30, 60]);
    expect(w.creates).toEqual([]);
    expect(w.notes).toEqual([]);
  });

  it('long past, and the job lands during this try\'s window: adopted, no POST', async () => {
    const w = world({ sentBefore: T0 - 10 * 60_000, landsAt: T0 + 20_000 });
    const result = await reconcileCreate(w.stale, cloudKind, request, w.createOk, w.settle);
    expect(result).toEqual(adoptedJob1);
    expect(w.creates).toEqual([]);
    expect(w.looks).toEqual([0, 6, 15, 30]);
  });

  it('a POST Atlas refused (nothing can land) is forgotten, so a retried try may send one', async () => {
    const w = world();
    let forgotten = 0;
    const refused = Object.assign(new Error('429'), { name: 'AtlasThrottled' });
    const err = await reconcileCreate(w.stale, cloudKind, request, async () => { w.creates.push(0); throw refused; }, { ...w.settle, forgetSent: async () => void (forgotten += 1) }).catch((e: unknown) => e);
    expect(err).toBe(refused);
    expect(w.notes).toEqual([0]);
    expect(forgotten).toBe(1);
  });

  it('long past, and the job has shown up meanwhile: adopted, no POST', async () => {
    const w = world({ sentBefore: T0 - 10 * 60_000, landsAt: T0 });
    // The step's shared reads listed it too: adopted by the first look, before any settle look.
    const result = await reconcileCreate(w.fresh, cloudKind, request, w.createOk, w.settle);
    expect(result).toEqual(adoptedJob1);
    expect(w.creates).toEqual([]);
    expect(w.looks).toEqual([0]);
  });
});
