import { describe, expect, it } from 'vitest';
import { AtlasAuthFailedError, AtlasThrottledError } from '../../../functions/core/domain/errors.js';
import type { StepDeps } from '../../../functions/core/orchestrate/deps.js';
import { lookForQuiet } from '../../../functions/core/orchestrate/quiet.js';
import type { RestoreStatus } from '../../../functions/core/restore/status.js';
import { FakeAtlas } from '../restore/fakeAtlas.js';
import { GROUP, JOB, TARGET_GROUP, restoreState } from './fixtures.js';

/**
 * The look before a target is freed (../../../functions/core/orchestrate/quiet.ts): another job
 * still running onto the target keeps it locked and is watched in place of the one that ended.
 */

const JOBS = `/api/atlas/v2/groups/${GROUP}/clusters/prod-cluster/backup/restoreJobs`;
const SECOND = '67b1c2d3e4f5a6b7c8d9e0f2';
const NOW = new Date('2026-03-01T05:00:00Z');
const cloudJob = (id: string, target: string, finished: boolean) => ({
  id,
  deliveryType: 'automated',
  snapshotId: '66a0b1c2d3e4f5a6b7c8d903',
  targetGroupId: TARGET_GROUP,
  targetClusterName: target,
  cancelled: false,
  failed: false,
  expired: false,
  ...(finished ? { finishedAt: '2026-03-01T04:59:00Z' } : {}),
});
const ended: RestoreStatus = { kind: 'cloud', state: 'SUCCEEDED', jobIds: [JOB], atlasStatus: 'succeeded' };

function deps(atlas: FakeAtlas) {
  const warned: unknown[][] = [];
  const d = {
    atlas: async () => atlas,
    now: () => NOW,
    logger: { info: () => undefined, warn: (...a: unknown[]) => void warned.push(a) },
  } as unknown as StepDeps;
  return { d, warned };
}

describe('the look before a target is freed', () => {
  const state = restoreState({ poll: { count: 5, waitSeconds: 60, deadlinePassed: false } });

  it('quiet (only our job, ended, and jobs onto other clusters): nothing changes', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [cloudJob(JOB, 'staging-cluster', true), cloudJob(SECOND, 'other-cluster', false)]);
    const out = await lookForQuiet(state, { status: ended }, deps(atlas).d);
    expect(out).toEqual({ state, look: { status: ended } });
  });

  it('a second job still running onto the target: watched in place of ours, named in a note', async () => {
    const atlas = new FakeAtlas().on('GET', JOBS, [cloudJob(SECOND, 'staging-cluster', false), cloudJob(JOB, 'staging-cluster', true)]);
    const out = await lookForQuiet(state, { status: ended }, deps(atlas).d);
    expect(out.state.restore.job.jobId).toBe(SECOND);
    expect(out.look.status.state).not.toBe('SUCCEEDED');
    expect(out.state.restore.quietNotes).toEqual([
      `Atlas made a second job ${SECOND} onto staging-cluster, still running when job ${JOB} ended (succeeded): the target stays locked and job ${SECOND} is watched to its end`,
    ]);
  });

  it('a look refused: a failed look (the job is not taken as ended); throttling is thrown for the state machine to retry', async () => {
    const refused = new FakeAtlas().on('GET', JOBS, () => {
      throw new AtlasAuthFailedError('401');
    });
    const out = await lookForQuiet(state, { status: ended }, deps(refused).d);
    expect(out.state).toBe(state);
    expect(out.look.status).toBe(state.status);
    expect(out.look.failure).toMatchObject({ name: 'AtlasAuthFailed', at: NOW.toISOString() });

    const throttled = new FakeAtlas().on('GET', JOBS, () => {
      throw new AtlasThrottledError('429', { status: 429 });
    });
    await expect(lookForQuiet(state, { status: ended }, deps(throttled).d)).rejects.toBeInstanceOf(AtlasThrottledError);
  });
});
