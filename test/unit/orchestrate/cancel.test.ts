import { describe, expect, it } from 'vitest';
import type { AtlasRequest, AtlasResponse, AtlasTransport } from '../../../functions/core/atlas/transport.js';
import {
  AtlasAuthFailedError,
  AtlasConflictError,
  AtlasNotFoundError,
  AtlasThrottledError,
  AtlasUnavailableError,
} from '../../../functions/core/domain/errors.js';
import { cancelRestoreStep } from '../../../functions/core/orchestrate/cancel.js';
import type { StepDeps } from '../../../functions/core/orchestrate/deps.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { MemoryRunRecords } from '../../../functions/core/orchestrate/runRecords.js';
import type { RestoreKind } from '../../../functions/core/restore/kind.js';
import type { RestoreKindName } from '../../../functions/core/restore/request.js';
import type { RestoreState, RestoreStatus } from '../../../functions/core/restore/status.js';
import type { WorkflowState } from '../../../functions/core/workflow/contract.js';
import { DEADLINE, GROUP, JOB, restoreState } from './fixtures.js';

/**
 * The cancel step (the deadline passed), one path at a time, with fake kinds over a recording
 * transport: what it asks Atlas, what it notes for the report, and what it leaves to watch.ts.
 */

const NOW = new Date(DEADLINE + 60_000);
const JOB_PATH = `/fake/${GROUP}/prod-cluster/restoreJobs/${JOB}`;

/** Records every call; GETs answer the next scripted job state (or throw it), DELETEs the scripted answer. */
class RecordingAtlas implements AtlasTransport {
  readonly calls: string[] = [];
  reads: (RestoreState | Error)[] = [];
  cancelAnswer: Error | undefined;

  async request<T = unknown>(req: AtlasRequest): Promise<AtlasResponse<T>> {
    this.calls.push(`${req.method} ${req.path}`);
    if (req.method === 'DELETE') {
      if (this.cancelAnswer) throw this.cancelAnswer;
      return { status: 204, body: undefined as T, headers: {} };
    }
    const next = this.reads.shift();
    if (next === undefined) throw new Error('no scripted read left');
    if (next instanceof Error) throw next;
    return { status: 200, body: { state: next } as T, headers: {} };
  }

  async listAll<T = unknown>(): Promise<T[]> {
    throw new Error('the cancel step lists nothing');
  }
}

/** A kind that talks to Atlas the way the real ones do: a DELETE to cancel, a GET to read. */
function fakeKind(name: RestoreKindName, cancellable: boolean): RestoreKind {
  const unused = () => {
    throw new Error('not used by the cancel step');
  };
  return {
    name,
    cancellable,
    async cancel(atlas, ref) {
      await atlas.request({ method: 'DELETE', path: `/fake/${ref.groupId}/${ref.clusterName}/restoreJobs/${ref.jobId}`, version: '2023-01-01' });
    },
    async get(atlas, ref) {
      const res = await atlas.request<{ state: RestoreState }>({ method: 'GET', path: `/fake/${ref.groupId}/${ref.clusterName}/restoreJobs/${ref.jobId}`, version: '2023-01-01' });
      return status(ref.kind, res.body.state);
    },
    create: unused,
    list: unused,
    listSnapshots: unused,
    findInFlight: unused,
  };
}

const status = (kind: RestoreKindName, state: RestoreState): RestoreStatus => ({ kind, state, jobIds: [JOB], atlasStatus: state.toLowerCase() });

function deps(atlas: RecordingAtlas) {
  const logged: unknown[][] = [];
  let atlasOpened = 0;
  const d = {
    plans: { plans: [], protectedTargets: [] } as unknown as StepDeps['plans'],
    atlas: async () => {
      atlasOpened++;
      return atlas;
    },
    locks: new MemoryTargetLocks(() => NOW),
    holds: new MemoryTargetHolds(() => NOW),
    runs: new MemoryRunRecords(() => NOW),
    now: () => NOW,
    sleep: async () => undefined,
    kinds: {
      cloud: fakeKind('cloud', true),
      flex: fakeKind('flex', false),
      tenant: fakeKind('tenant', false),
      legacy: fakeKind('legacy', false),
      collection: fakeKind('collection', false),
    },
    logger: { info: (...a: unknown[]) => void logged.push(a), warn: (...a: unknown[]) => void logged.push(a) },
    metrics: { add: () => undefined },
  } satisfies StepDeps;
  return { d, logged, opened: () => atlasOpened };
}

/** A state past its deadline, as the RestoreFinished? choice hands it to the cancel step. */
function pastDeadline(kind: RestoreKindName, state: RestoreState = 'RUNNING'): WorkflowState {
  return restoreState({ kind, state, poll: { count: 9, waitSeconds: 300, deadlinePassed: true, next: 'cancel' } });
}

describe('the cancel step on a job Atlas can cancel', () => {
  it('asks Atlas to cancel, reads the job again, notes it; the job not yet ended: "still running" report next', async () => {
    const atlas = new RecordingAtlas();
    atlas.reads = ['RUNNING'];
    const { d } = deps(atlas);
    const next = await cancelRestoreStep(pastDeadline('cloud'), d);
    expect(atlas.calls).toEqual([`DELETE ${JOB_PATH}`, `GET ${JOB_PATH}`]);
    expect(next.poll).toMatchObject({
      cancelTried: true,
      deadlinePassed: true,
      cancelNote: expect.stringMatching(new RegExp(`^cancel of Atlas job ${JOB} accepted by Atlas at \\d{4}-`)),
      next: 'report',
      notice: 'STILL_RUNNING_AFTER_DEADLINE',
      waitSeconds: 300,
    });
    expect(next.status.state).toBe('RUNNING');
  });

  it('the re-read sees the job cancelled: the closing report, no interim notice', async () => {
    const atlas = new RecordingAtlas();
    atlas.reads = ['CANCELLED'];
    const next = await cancelRestoreStep(pastDeadline('cloud'), deps(atlas).d);
    expect(next.status.state).toBe('CANCELLED');
    expect(next.poll).toMatchObject({ cancelTried: true, next: 'report', cancelNote: expect.stringMatching(new RegExp(`^cancel of Atlas job ${JOB} accepted by Atlas at \\d{4}-`)) });
    expect(next.poll.notice).toBeUndefined();
  });

  it('the re-read fails: the cancel is noted as accepted, no "still running" notice, the next poll looks again, and it is logged', async () => {
    const atlas = new RecordingAtlas();
    atlas.reads = [new AtlasUnavailableError('503 on the re-read')];
    const { d, logged } = deps(atlas);
    const next = await cancelRestoreStep(pastDeadline('cloud'), d);
    // Never "still running" from the look before the cancel: a failed look, and the next poll reads the job.
    expect(next.poll).toMatchObject({
      cancelTried: true,
      cancelNote: expect.stringMatching(new RegExp(`^cancel of Atlas job ${JOB} accepted by Atlas at \\d{4}-`)),
      cancelAcceptedAt: expect.any(String),
      failures: 1,
      lastFailure: { name: 'AtlasUnavailable' },
      next: 'wait',
    });
    expect(next.poll.notice).toBeUndefined();
    expect(next.status.state).toBe('RUNNING');
    expect(logged.some(([m]) => m === 'Could not read the job after cancelling')).toBe(true);
  });
});

describe('the cancel step on a kind Atlas cannot cancel', () => {
  for (const kind of ['flex', 'legacy'] as const) {
    it(`${kind}: no DELETE, the note says Atlas does not allow it, and a "still running" report follows`, async () => {
      const atlas = new RecordingAtlas();
      atlas.reads = ['RUNNING'];
      const next = await cancelRestoreStep(pastDeadline(kind), deps(atlas).d);
      expect(atlas.calls.filter((c) => c.startsWith('DELETE'))).toEqual([]);
      expect(atlas.calls).toEqual([`GET ${JOB_PATH}`]);
      expect(next.poll.cancelNote).toBe(`Atlas does not allow cancelling ${kind} restore jobs: job ${JOB} keeps running in Atlas`);
      expect(next.poll).toMatchObject({ cancelTried: true, next: 'report', notice: 'STILL_RUNNING_AFTER_DEADLINE' });
      expect(next.status.state).toBe('RUNNING');
    });
  }
});

describe('Atlas answers the cancel with an error', () => {
  const cases = [
    ['404', new AtlasNotFoundError('404 RESTORE_JOB_NOT_FOUND', { status: 404 }), `Atlas no longer shows job ${JOB} to us, so it could not be cancelled`],
    ['409', new AtlasConflictError('409 CANNOT_CANCEL_AUTOMATED_RESTORE', { status: 409 }), `Atlas refused to cancel job ${JOB}: 409 CANNOT_CANCEL_AUTOMATED_RESTORE`],
    ['405', new AtlasConflictError('405 method not allowed', { status: 405 }), `Atlas refused to cancel job ${JOB}: 405 method not allowed`],
    ['401', new AtlasAuthFailedError('401 key revoked', { status: 401 }), `the cancel of Atlas job ${JOB} failed (AtlasAuthFailed: 401 key revoked)`],
  ] as const;
  for (const [status, error, note] of cases) {
    it(`${status} (${error.name}): noted for the report, not thrown; the job is read again and watched`, async () => {
      const atlas = new RecordingAtlas();
      atlas.cancelAnswer = error;
      atlas.reads = ['RUNNING'];
      const next = await cancelRestoreStep(pastDeadline('cloud'), deps(atlas).d);
      expect(atlas.calls).toEqual([`DELETE ${JOB_PATH}`, `GET ${JOB_PATH}`]);
      expect(next.poll.cancelNote).toBe(note);
      expect(next.poll).toMatchObject({ cancelTried: true, next: 'report', notice: 'STILL_RUNNING_AFTER_DEADLINE' });
    });
  }

  for (const error of [new AtlasThrottledError('429 RATE_LIMITED', { status: 429 }), new AtlasUnavailableError('503', { status: 503 })]) {
    it(`a transient ${error.name} is rethrown for the state machine's retry, without reading on`, async () => {
      const atlas = new RecordingAtlas();
      atlas.cancelAnswer = error;
      atlas.reads = ['RUNNING'];
      await expect(cancelRestoreStep(pastDeadline('cloud'), deps(atlas).d)).rejects.toBe(error);
      expect(atlas.calls).toEqual([`DELETE ${JOB_PATH}`]);
    });
  }
});

describe('a job that already ended', () => {
  for (const end of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const) {
    it(`${end}: nothing is cancelled, Atlas is not called, the end is reported`, async () => {
      const atlas = new RecordingAtlas();
      const { d, opened } = deps(atlas);
      const next = await cancelRestoreStep(pastDeadline('cloud', end), d);
      expect(atlas.calls).toEqual([]);
      expect(opened()).toBe(0);
      expect(next.status.state).toBe(end);
      expect(next.poll.next).toBe('report');
      expect(next.poll.cancelNote).toBeUndefined();
      expect(next.poll.notice).toBeUndefined();
    });
  }
});

describe('its input', () => {
  it('a bad state is refused with the field path, and Atlas is not called', async () => {
    const atlas = new RecordingAtlas();
    const { d, opened } = deps(atlas);
    const { restore: _r, ...noRestore } = pastDeadline('cloud');
    await expect(cancelRestoreStep(noRestore, d)).rejects.toThrow(/cancel step input: restore/);
    expect(opened()).toBe(0);
  });
});
