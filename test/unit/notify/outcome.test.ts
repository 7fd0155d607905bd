import { describe, expect, it } from 'vitest';
import { causeMessage, decideOutcome, redact } from '../../../functions/core/notify/outcome.js';
import { context, ended, status } from './fixtures.js';

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
    expect(r).toEqual({ outcome: 'REFUSED', reason: 'RestoreRefused: staging-cluster is a protected target' });
  });

  it('any other caught error is FAILED, including an invalid request (not REFUSED)', () => {
    expect(decideOutcome({ error: { Error: 'RestoreRequestInvalid', Cause: lambdaCause('RestoreRequestInvalid', 'Invalid restore request: target: is required') } })).toEqual({
      outcome: 'FAILED',
      reason: 'RestoreRequestInvalid: Invalid restore request: target: is required',
    });
    expect(decideOutcome({ error: { Error: 'States.Timeout' } })).toEqual({ outcome: 'FAILED', reason: 'States.Timeout: no details were given' });
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
    expect(decideOutcome(ended({ status: status({ state }) }))).toEqual({ outcome: state });
    expect(decideOutcome(ended({ status: status({ state, detail: 'Atlas said why' }) }))).toEqual({ outcome: state, reason: 'Atlas said why' });
  });

  it('a workflow that ended with the job not finished (or no status at all) is FAILED, saying so', () => {
    const running = decideOutcome(ended({ status: status({ state: 'RUNNING' }) }));
    expect(running.outcome).toBe('FAILED');
    expect(running.reason).toContain('RUNNING');
    const nothing = decideOutcome({ restore: context() });
    expect(nothing.outcome).toBe('FAILED');
    expect(nothing.reason).toMatch(/without a status/);
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
