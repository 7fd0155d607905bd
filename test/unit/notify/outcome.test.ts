import { describe, expect, it } from 'vitest';
import { causeMessage, redact } from '../../../functions/core/domain/redact.js';
import { decideOutcome } from '../../../functions/core/notify/outcome.js';
import { context, download, ended, status } from './fixtures.js';

/** The six end states and why, rule by rule. */

const lambdaCause = (errorType: string, errorMessage: string) =>
  JSON.stringify({
    errorType,
    errorMessage,
    trace: [`${errorType}: ${errorMessage}`, '    at createRestoreStep (/var/task/index.mjs:1:2345)', '    at process.processTicksAndRejections (node:internal)'],
  });

describe('decideOutcome', () => {
  it('a caught RestoreRefused is REFUSED, with the message and not the trace', () => {
    const r = decideOutcome({ error: { Error: 'RestoreRefused', Cause: lambdaCause('RestoreRefused', 'staging-cluster is a protected target') } });
    expect(r).toEqual({ outcome: 'REFUSED', reason: 'RestoreRefused: staging-cluster is a protected target', closing: false, jobMayStillRun: false });
  });

  it('any other caught error is FAILED, including an invalid request (not REFUSED)', () => {
    expect(decideOutcome({ error: { Error: 'RestoreRequestInvalid', Cause: lambdaCause('RestoreRequestInvalid', 'Invalid restore request: target: is required') } })).toEqual({
      outcome: 'FAILED',
      reason: 'RestoreRequestInvalid: Invalid restore request: target: is required',
      closing: false,
      jobMayStillRun: false,
    });
    expect(decideOutcome({ error: { Error: 'States.Timeout' } })).toMatchObject({ outcome: 'FAILED', reason: expect.stringContaining('States.Timeout: no details were given') });
  });

  it('a caught error wins over whatever status the state still holds', () => {
    expect(decideOutcome(ended({ error: { Error: 'AtlasUnavailable', Cause: 'Atlas answered 503' } })).outcome).toBe('FAILED');
  });

  it("deadline passed while Atlas was still running: TIMED_OUT, naming the deadline, Atlas's last word and the detail", () => {
    const r = decideOutcome(
      ended({ status: status({ state: 'RUNNING', atlasStatus: 'in progress', detail: 'cancel not allowed' }), poll: { count: 200, waitSeconds: 1, deadlinePassed: true } }),
    );
    expect(r.outcome).toBe('TIMED_OUT');
    expect(r.reason).toContain('2026-03-01T15:00:00.000Z');
    expect(r.reason).toContain('in progress');
    expect(r.reason).toContain('cancel not allowed');
  });

  it('deadline passed and the cancel step was caught failing: TIMED_OUT (not FAILED), naming the cancel error', () => {
    const r = decideOutcome(
      ended({
        status: status({ state: 'RUNNING', atlasStatus: 'in progress' }),
        poll: { count: 200, waitSeconds: 1, deadlinePassed: true },
        error: { Error: 'AtlasConflict', Cause: lambdaCause('AtlasConflict', 'Atlas will not cancel this job (405)') },
      }),
    );
    expect(r.outcome).toBe('TIMED_OUT');
    expect(r.reason).toContain('AtlasConflict: Atlas will not cancel this job (405)');
  });

  it('deadline passed and the cancel step then saw CANCELLED: still TIMED_OUT', () => {
    expect(decideOutcome(ended({ status: status({ state: 'CANCELLED' }), poll: { count: 9, waitSeconds: 1, deadlinePassed: true } })).outcome).toBe('TIMED_OUT');
  });

  it('deadline passed but Atlas said SUCCEEDED: SUCCEEDED', () => {
    expect(decideOutcome(ended({ poll: { count: 9, waitSeconds: 1, deadlinePassed: true } })).outcome).toBe('SUCCEEDED');
  });

  it.each(['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const)('Atlas end state %s is the outcome, with its detail as the reason', (state) => {
    expect(decideOutcome(ended({ status: status({ state }) }))).toEqual({ outcome: state, closing: false, jobMayStillRun: false });
    expect(decideOutcome(ended({ status: status({ state, detail: 'Atlas said why' }) }))).toEqual({
      outcome: state,
      reason: 'Atlas said why',
      closing: false,
      jobMayStillRun: false,
    });
  });

  it('a workflow that ended with the job not finished (or no status at all) is FAILED, saying so', () => {
    const running = decideOutcome(ended({ status: status({ state: 'RUNNING' }) }));
    expect(running.outcome).toBe('FAILED');
    expect(running.reason).toContain('RUNNING');
    // The job may still be writing to the target: the report says so and the lock is kept.
    expect(running.jobMayStillRun).toBe(true);
    expect(running.reason).toMatch(/may still be running onto staging-cluster; the target stays locked/);
    const nothing = decideOutcome({ restore: context() });
    expect(nothing.outcome).toBe('FAILED');
    expect(nothing.reason).toMatch(/without a status/);
  });
});

describe('reports while the job may still run', () => {
  const watching = (poll: object) => ({ count: 40, waitSeconds: 300, deadlinePassed: true, ...poll });

  it('an interim notice at the deadline: RUNNING, still locked, a closing report promised', () => {
    const r = decideOutcome(
      ended({
        status: status({ state: 'RUNNING', atlasStatus: 'in progress' }),
        poll: watching({ next: 'report', notice: 'STILL_RUNNING_AFTER_DEADLINE', cancelNote: 'Atlas does not allow cancelling flex restore jobs' }),
      }),
    );
    expect(r).toMatchObject({ outcome: 'RUNNING', notice: 'STILL_RUNNING_AFTER_DEADLINE', jobMayStillRun: true });
    expect(r.reason).toMatch(/still running onto staging-cluster/);
    expect(r.reason).toMatch(/the target stays locked until then and a closing report follows/);
    expect(r.reason).toContain('Atlas does not allow cancelling flex restore jobs');
  });

  it('from a stale look, says when the job was last seen and that it was not seen since, never "is still running"', () => {
    // The key was revoked after a look at 11:00 read the job running; the deadline report comes four hours later.
    const r = decideOutcome(
      ended({
        status: status({ state: 'RUNNING', atlasStatus: 'in progress' }),
        poll: watching({
          next: 'report',
          notice: 'STILL_RUNNING_AFTER_DEADLINE',
          failures: 24,
          seenAt: '2026-03-01T11:00:00.000Z',
          lastFailure: { name: 'AtlasAuthFailed', message: 'Atlas answered 401', at: '2026-03-01T15:00:00.000Z' },
        }),
      }),
      new Date('2026-03-01T15:00:00.000Z'),
    );
    expect(r.reason).toContain('was last seen in progress at 2026-03-01T11:00:00.000Z (4 h 0 min ago); not seen since, so it may still be running onto staging-cluster');
    expect(r.reason).not.toMatch(/is still running/);
  });

  it('an interim notice when Atlas cannot be read names the last failure, redacted', () => {
    const r = decideOutcome(
      ended({
        status: status({ state: 'RUNNING' }),
        poll: watching({ deadlinePassed: false, next: 'report', notice: 'NOT_VISIBLE', failures: 1, lastFailure: { name: 'AtlasAuthFailed', message: 'token=abc123 refused', at: '2026-03-01T04:00:00.000Z' } }),
      }),
    );
    expect(r).toMatchObject({ outcome: 'RUNNING', notice: 'NOT_VISIBLE', jobMayStillRun: true });
    expect(r.reason).toContain('AtlasAuthFailed');
    expect(r.reason).not.toContain('abc123');
  });

  it('the job ended after interim reports: the closing report, and the target may be freed', () => {
    const r = decideOutcome(ended({ status: status({ state: 'CANCELLED' }), poll: watching({ next: 'report', noticesSent: ['STILL_RUNNING_AFTER_DEADLINE'] }) }));
    expect(r).toMatchObject({ outcome: 'TIMED_OUT', closing: true, jobMayStillRun: false });
    expect(r.reason).toMatch(/has ended/);
  });

  it('the watch limit passed with the job not seen to end: TIMED_OUT, still locked, with the lock lapse time', () => {
    const r = decideOutcome(
      ended({ status: status({ state: 'RUNNING' }), poll: watching({ next: 'report', watchOver: true, noticesSent: ['STILL_RUNNING_AFTER_DEADLINE'] }) }),
    );
    expect(r).toMatchObject({ outcome: 'TIMED_OUT', closing: true, jobMayStillRun: true });
    expect(r.reason).toMatch(/we stopped watching at the watch limit/);
  });

  it('a download past its deadline: still preparing, and no lock is claimed (a download holds none)', () => {
    const r = decideOutcome(
      ended({ restore: context({ request: download }), status: status({ state: 'RUNNING' }), poll: watching({ next: 'report', notice: 'STILL_RUNNING_AFTER_DEADLINE' }) }),
    );
    expect(r).toMatchObject({ outcome: 'RUNNING', jobMayStillRun: true });
    expect(r.reason).toMatch(/still preparing the download/);
    expect(r.reason).not.toMatch(/locked/);
  });

  it('a create whose outcome is unknown: FAILED, and the target stays locked', () => {
    const r = decideOutcome({ planName: 'nightly', error: { Error: 'AtlasCreateOutcomeUnknown', Cause: 'the answer was lost' } });
    expect(r).toMatchObject({ outcome: 'FAILED', jobMayStillRun: true });
    expect(r.reason).toMatch(/look for the job in Atlas before retrying/);
  });
});

describe('causeMessage', () => {
  it('no cause: says so', () => {
    expect(causeMessage(undefined)).toBe('no details were given');
    expect(causeMessage('')).toBe('no details were given');
  });

  it('a Lambda error cause keeps errorMessage only: no trace, no file paths', () => {
    const m = causeMessage(lambdaCause('AtlasAuthFailed', 'Atlas refused the API key (401)'));
    expect(m).toBe('Atlas refused the API key (401)');
    expect(m).not.toContain('/var/task');
  });

  it('plain text with stack lines keeps the first line', () => {
    expect(causeMessage('TypeError: x is undefined\n    at f (/var/task/index.mjs:1:2)\n    at g (/var/task/index.mjs:3:4)')).toBe('TypeError: x is undefined');
  });

  it('JSON without an errorMessage string is read as plain text', () => {
    expect(causeMessage('{"errorType":"X","errorMessage":42}')).toBe('{"errorType":"X","errorMessage":42}');
  });

  it('plain text is cut at 1000 characters', () => {
    expect(causeMessage('e'.repeat(5000)).length).toBeLessThanOrEqual(1000);
    expect(causeMessage('e'.repeat(5000)).length).toBeGreaterThan(900);
  });

  it('a Lambda errorMessage that itself carries stack frames loses them', () => {
    expect(causeMessage(JSON.stringify({ errorType: 'Error', errorMessage: 'boom\n    at f (/var/task/x.mjs:1:1)' }))).toBe('boom');
  });

  it('URLs in a cause keep their origin only; secret-looking values are redacted', () => {
    const m = causeMessage('POST https://hooks.slack.com/services/T1/B2/tokenXYZ failed; token=abc123def');
    expect(m).toContain('https://hooks.slack.com');
    expect(m).not.toContain('tokenXYZ');
    expect(m).not.toContain('abc123def');
  });
});

describe('redact', () => {
  it('drops userinfo, path and query of URLs and the values of secret-named keys', () => {
    expect(redact('see https://user:pw@dl.example.net/a/b?X-Amz-Signature=zzz now')).toBe('see https://dl.example.net/… now');
    expect(redact('password: hunter2, other=fine')).toBe('password: [redacted], other=fine');
    expect(redact('nothing to hide here')).toBe('nothing to hide here');
  });
});
