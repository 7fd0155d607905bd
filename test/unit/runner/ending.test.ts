import { describe, expect, it } from 'vitest';
import type { ExecutionOutcome } from '../../../local/runner/execute.js';
import { endingLine } from '../../../local/runner/ending.js';

/** The last line of a local run that did not succeed: the report's reason, never the Fail state's generic Cause. */

const GENERIC = 'The restore did not complete: Atlas reported the restore job failed, or a step could not finish.';

function ended(outcome: string, why: string, error = 'RestoreFailed'): ExecutionOutcome {
  const message = [`Atlas Restore ${outcome}`, '', 'Plan: p', `Why: ${why}`].join('\n');
  return {
    status: 'FAILED',
    error,
    cause: GENERIC,
    events: [{ type: 'StateExited', state: { name: 'NotifyRestore', output: { notification: { outcome, message } } } } as never],
  };
}

describe('the line a failed local run ends on', () => {
  it('a refused dry run is refused, with the reason, not "Atlas reported the restore job failed"', () => {
    const line = endingLine(ended('REFUSED', 'RestoreRefused: staging is held by alice', 'RestoreRefused'), true);
    expect(line).toBe('The dry run was refused; nothing was created: RestoreRefused: staging is held by alice');
  });

  it('an invalid dry run could not check the plan', () => {
    const line = endingLine(ended('FAILED', 'RestoreRequestInvalid: overrides.snapshotId: must be a 24-character lowercase hex id'), true);
    expect(line).toBe('The dry run could not check the plan; nothing was created: RestoreRequestInvalid: overrides.snapshotId: must be a 24-character lowercase hex id');
    expect(line).not.toContain('Atlas reported');
  });

  it('a real run that failed says the job failed and why; one that timed out says so', () => {
    expect(endingLine(ended('FAILED', 'Atlas job abc failed: disk full'), false)).toBe('The restore failed: Atlas job abc failed: disk full');
    expect(endingLine(ended('TIMED_OUT', 'deadline passed', 'RestoreTimedOut'), false)).toBe('The restore passed its deadline: deadline passed');
  });

  it('without a report falls back to the execution cause', () => {
    expect(endingLine({ status: 'FAILED', error: 'States.Runtime', cause: 'broken', events: [] }, false)).toBe('The restore ended States.Runtime: broken');
  });
});
