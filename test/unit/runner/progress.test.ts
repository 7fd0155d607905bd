import { describe, expect, it } from 'vitest';
import type { EventLog } from '../../../local/runner/execute.js';
import { createProgressPrinter } from '../../../local/runner/progress.js';

/** What a person watching `npm run restore -- run` reads while a job is watched past trouble. */

function printed(events: object[]): string[] {
  const lines: string[] = [];
  const print = createProgressPrinter({ write: (l) => lines.push(l.replace(/^\[\+\s*[^\]]*\]\s/, '')), now: () => 0 });
  for (const e of events) print(e as EventLog);
  return lines;
}

const exited = (name: string, output: object) => ({ type: 'StateExited', state: { name, output } });

describe('progress lines', () => {
  it('a look that failed says so and that the job is still watched, never an end', () => {
    const [line] = printed([
      exited('PollRestore', { status: { state: 'RUNNING', atlasStatus: 'in progress' }, poll: { count: 4, waitSeconds: 300, next: 'wait', lastFailure: { name: 'AtlasAuthFailed' } } }),
    ]);
    expect(line).toContain('could not be read: AtlasAuthFailed');
    expect(line).toContain('next look in 5m00s');
  });

  it('a caught poll keeps watching; a caught create is said once, by its exit line', () => {
    const lines = printed([
      { type: 'StateCaught', state: { name: 'PollRestore' }, Error: 'Sandbox.Timedout' },
      { type: 'StateCaught', state: { name: 'CreateRestore' }, Error: 'RestoreRefused' },
    ]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/PollRestore: caught Sandbox.Timedout; still watching the job/);
  });

  it('a retry says what failed on its first line, and whether later tries failed the same way', () => {
    const failed = (Cause: string) => ({ type: 'StateFailed', state: { name: 'CreateRestore' }, Error: 'AtlasUnavailable', Cause: JSON.stringify({ errorType: 'AtlasUnavailable', errorMessage: Cause, trace: [] }) });
    const retried = (attempt: number) => ({ type: 'StateRetried', state: { name: 'CreateRestore' }, retry: { attempt } });
    const refused = 'Atlas GET /api/atlas/v2 failed: connect ECONNREFUSED 127.0.0.1:8091';
    expect(printed([failed(refused), retried(1), failed(refused), retried(2), failed('Atlas answered 503'), retried(3)])).toEqual([
      `CreateRestore: transient Atlas error (AtlasUnavailable: ${refused}), retrying (attempt 1)`,
      'CreateRestore: transient Atlas error (the same again), retrying (attempt 2)',
      'CreateRestore: transient Atlas error (AtlasUnavailable: Atlas answered 503), retrying (attempt 3)',
    ]);
  });

  const refusal = { Error: 'RestoreRefused', Cause: JSON.stringify({ errorType: 'RestoreRefused', errorMessage: 'staging is held by alice', trace: ['at x'] }) };

  it('a refused create says refused and why, never "created job" with no id', () => {
    const [line] = printed([exited('CreateRestore', { planName: 'p', error: refusal })]);
    expect(line).toBe('create  refused: staging is held by alice');
  });

  it('a refused or invalid dry run says so, never "resolved the plan, created nothing"', () => {
    const lines = printed([
      exited('CreateRestore', { planName: 'p', dryRun: true, error: refusal }),
      exited('CreateRestore', { planName: 'p', dryRun: true, error: { Error: 'RestoreRequestInvalid', Cause: 'overrides.snapshotId: must be a 24-character lowercase hex id' } }),
    ]);
    expect(lines).toEqual([
      'create  dry run refused: staging is held by alice',
      'create  dry run failed (RestoreRequestInvalid): overrides.snapshotId: must be a 24-character lowercase hex id',
    ]);
  });

  it('says the time since start on the workflow clock, worded apart from the report\'s "Took"', () => {
    const [line] = printed([
      exited('PollRestore', { restore: { startedAt: new Date(-90_000).toISOString() }, status: { state: 'RUNNING', atlasStatus: 'inProgress' }, poll: { count: 2, waitSeconds: 30, next: 'wait' } }),
    ]);
    expect(line).toContain('1m30s since start');
    expect(line).not.toContain('elapsed');
  });

  it('an interim report is not shown as an outcome; the last one is', () => {
    const lines = printed([
      exited('NotifyRestore', { notification: { outcome: 'RUNNING', watching: true } }),
      exited('NotifyRestore', { notification: { outcome: 'TIMED_OUT', watching: false } }),
    ]);
    expect(lines[0]).toMatch(/interim report: the job may still be running; the target stays locked/);
    expect(lines[1]).toMatch(/notify\s+outcome TIMED_OUT/);
  });

  it('no "next look" once the job ended or a report or cancel comes next', () => {
    const lines = printed([
      exited('PollRestore', { status: { state: 'SUCCEEDED', atlasStatus: 'finished' }, poll: { count: 9, waitSeconds: 1, next: 'report' } }),
      exited('PollRestore', { status: { state: 'RUNNING', atlasStatus: 'in progress' }, poll: { count: 9, waitSeconds: 300, next: 'cancel', deadlinePassed: true } }),
    ]);
    for (const l of lines) expect(l).not.toContain('next look');
    expect(lines[1]).toContain('deadline passed');
  });
});
