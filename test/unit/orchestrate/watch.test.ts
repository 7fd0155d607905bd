import { describe, expect, it } from 'vitest';
import { afterLook, decideNext, FAILED_LOOKS_BEFORE_NOTICE, settleReportedNotice } from '../../../functions/core/orchestrate/watch.js';
import type { RestoreState, RestoreStatus } from '../../../functions/core/restore/status.js';
import type { WorkflowState } from '../../../functions/core/workflow/contract.js';
import { DEADLINE, JOB, restoreState, STARTED, WATCH_UNTIL } from './fixtures.js';

/** The job-lifetime rule (watch.ts): what the workflow does after each look at Atlas. */


const at = (secondsAfterStart: number) => new Date(STARTED + secondsAfterStart * 1000);

function state(count = 3, poll = { floorSeconds: 15, capSeconds: 300 }, progress: Partial<WorkflowState['poll']> = {}): WorkflowState {
  return restoreState({ pollSettings: poll, poll: { count, waitSeconds: 15, deadlinePassed: false, ...progress } });
}

const seen = (s: RestoreState): RestoreStatus => ({ kind: 'cloud', state: s, jobIds: [JOB], atlasStatus: s.toLowerCase() });

describe('after a look that worked', () => {
  it('counts the poll, keeps the context and takes the new status', () => {
    const before = state(7);
    const next = afterLook(before, { status: seen('SUCCEEDED') }, at(600));
    expect(next.poll.count).toBe(8);
    expect(next.restore).toEqual(before.restore);
    expect(next.status.state).toBe('SUCCEEDED');
  });

  it('deadlinePassed only when the job is not terminal and the deadline has come', () => {
    const pastDeadline = at((DEADLINE - STARTED) / 1000 + 1);
    expect(afterLook(state(), { status: seen('RUNNING') }, pastDeadline).poll.deadlinePassed).toBe(true);
    expect(afterLook(state(), { status: seen('PENDING') }, new Date(DEADLINE)).poll.deadlinePassed).toBe(true);
    for (const end of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const) expect(afterLook(state(), { status: seen(end) }, pastDeadline).poll.deadlinePassed).toBe(false);
    expect(afterLook(state(), { status: seen('RUNNING') }, new Date(DEADLINE - 1000)).poll.deadlinePassed).toBe(false);
  });

  it('waits within floor and cap, growing with age', () => {
    // 5 % of the age (pollPolicy.ts), within this plan's floor 15 s and cap 300 s.
    const waits = [0, 60, 600, 1_200, 3_000, 6_000].map((s) => afterLook(state(), { status: seen('RUNNING') }, at(s)).poll.waitSeconds);
    expect(waits).toEqual([15, 15, 30, 60, 150, 300]);
    for (const w of waits) {
      expect(Number.isInteger(w)).toBe(true);
      expect(w).toBeGreaterThanOrEqual(15);
      expect(w).toBeLessThanOrEqual(300);
    }
  });

  it('never waits past the deadline (and at least 1 s at or after it)', () => {
    const tenSecondsLeft = at((DEADLINE - STARTED) / 1000 - 10);
    expect(afterLook(state(), { status: seen('RUNNING') }, tenSecondsLeft).poll.waitSeconds).toBe(10);
    // At the deadline the next step is the cancel, not a wait.
    expect(afterLook(state(), { status: seen('RUNNING') }, new Date(DEADLINE + 60_000)).poll.next).toBe('cancel');
  });

  it("uses the plan's own floor and cap", () => {
    const s = state(0, { floorSeconds: 30, capSeconds: 60 });
    expect(afterLook(s, { status: seen('RUNNING') }, at(5)).poll.waitSeconds).toBe(30);
    expect(afterLook(s, { status: seen('RUNNING') }, at(5_000)).poll.waitSeconds).toBe(60);
  });

  it('with a one-hour cap (the default), waits up to the cap before the deadline', () => {
    const s = state(0, { floorSeconds: 30, capSeconds: 3600 });
    expect(afterLook(s, { status: seen('RUNNING') }, at(5)).poll.waitSeconds).toBe(30);
    // 5 % of 5,000 s; the 2 h deadline is 2,200 s away.
    expect(afterLook(s, { status: seen('RUNNING') }, at(5_000)).poll.waitSeconds).toBe(250);
  });
});

const failed = (name: string) => ({ name, message: `${name} happened`, at: new Date(STARTED).toISOString() });
const pastDeadline = new Date(DEADLINE + 60_000);

describe('the job lifetime: never an end while the job may run', () => {
  it('reports a job that ended, whatever the time', () => {
    for (const end of ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'] as const) {
      expect(afterLook(state(), { status: seen(end) }, at(60)).poll.next).toBe('report');
      expect(afterLook(state(), { status: seen(end) }, new Date(WATCH_UNTIL + 1)).poll.next).toBe('report');
    }
    expect(afterLook(state(), { status: seen('RUNNING') }, at(60)).poll.next).toBe('wait');
  });

  it('at the deadline: cancel once, then one interim report, then only waits at the cap cadence', () => {
    const first = afterLook(state(), { status: seen('RUNNING') }, pastDeadline);
    expect(first.poll).toMatchObject({ next: 'cancel', deadlinePassed: true });
    const afterCancel = decideNext({ ...first, poll: { ...first.poll, cancelTried: true } }, pastDeadline);
    expect(afterCancel.poll).toMatchObject({ next: 'report', notice: 'STILL_RUNNING_AFTER_DEADLINE' });
    // The poll after the interim report went out records it and never sends it again.
    const later = afterLook(afterCancel, { status: seen('RUNNING') }, new Date(DEADLINE + 600_000));
    expect(later.poll.noticesSent).toEqual(['STILL_RUNNING_AFTER_DEADLINE']);
    expect(later.poll).toMatchObject({ next: 'wait', waitSeconds: 300 });
    expect(later.poll.notice).toBeUndefined();
    // When the job ends, the closing report.
    expect(afterLook(later, { status: seen('CANCELLED') }, new Date(DEADLINE + 900_000)).poll).toMatchObject({ next: 'report' });
  });

  it('a refused key is reported at once and watched at the slow cadence; other failures after a few in a row', () => {
    const refused = afterLook(state(), { status: seen('RUNNING'), failure: failed('AtlasAuthFailed') }, at(600));
    expect(refused.poll).toMatchObject({ next: 'report', notice: 'NOT_VISIBLE', failures: 1, waitSeconds: 300 });
    let s = state();
    for (let i = 1; i < FAILED_LOOKS_BEFORE_NOTICE; i++) {
      s = afterLook(s, { status: seen('RUNNING'), failure: failed('AtlasNotFound') }, at(600 + i));
      expect(s.poll.next).toBe('wait');
      expect(s.status.state).toBe('RUNNING'); // the last status seen, never an end
    }
    s = afterLook(s, { status: seen('RUNNING'), failure: failed('AtlasNotFound') }, at(700));
    expect(s.poll).toMatchObject({ next: 'report', notice: 'NOT_VISIBLE', failures: FAILED_LOOKS_BEFORE_NOTICE });
    // Seen again: the failures reset, the notice is not repeated.
    const back = afterLook(s, { status: seen('RUNNING') }, at(800));
    expect(back.poll).toMatchObject({ failures: 0, next: 'wait', noticesSent: ['NOT_VISIBLE'] });
    expect(back.poll.lastFailure).toBeUndefined();
  });

  it('does not try to cancel while Atlas cannot be read; cancels once it can', () => {
    const blind = afterLook(state(), { status: seen('RUNNING'), failure: failed('AtlasAuthFailed') }, pastDeadline);
    expect(blind.poll.next).not.toBe('cancel');
    const sent = settleReportedNotice(blind.poll);
    const seenAgain = afterLook({ ...blind, poll: sent }, { status: seen('RUNNING') }, new Date(DEADLINE + 120_000));
    expect(seenAgain.poll.next).toBe('cancel');
  });

  it('the slow cadence is the plan cap but at most 5 minutes: a late job or a refused key is looked at every few minutes', () => {
    const afterNotice = { cancelTried: true, noticesSent: ['STILL_RUNNING_AFTER_DEADLINE' as const, 'NOT_VISIBLE' as const], deadlinePassed: true };
    const hourCap = state(3, { floorSeconds: 30, capSeconds: 3600 }, afterNotice);
    expect(afterLook(hourCap, { status: seen('RUNNING') }, new Date(DEADLINE + 600_000)).poll).toMatchObject({ next: 'wait', waitSeconds: 300 });
    const refusedBeforeDeadline = state(3, { floorSeconds: 30, capSeconds: 3600 }, { noticesSent: ['NOT_VISIBLE'] });
    expect(afterLook(refusedBeforeDeadline, { status: seen('RUNNING'), failure: failed('AtlasAuthFailed') }, at(5_000)).poll).toMatchObject({ next: 'wait', waitSeconds: 300 });
    // A plan cap below 5 minutes is kept.
    const minuteCap = state(3, { floorSeconds: 30, capSeconds: 60 }, afterNotice);
    expect(afterLook(minuteCap, { status: seen('RUNNING') }, new Date(DEADLINE + 600_000)).poll.waitSeconds).toBe(60);
  });

  it('never waits past the watch limit, and at the limit reports with the job not ended', () => {
    const nearLimit = afterLook(state(3, undefined, { cancelTried: true, noticesSent: ['STILL_RUNNING_AFTER_DEADLINE'], deadlinePassed: true }), { status: seen('RUNNING') }, new Date(WATCH_UNTIL - 20_000));
    expect(nearLimit.poll.waitSeconds).toBe(20);
    const over = afterLook(nearLimit, { status: seen('RUNNING') }, new Date(WATCH_UNTIL));
    expect(over.poll).toMatchObject({ next: 'report', watchOver: true });
  });
});


describe('which look an alert asked for', () => {
  const wake = { woken: true, at: at(590).toISOString(), groupId: '65f1a0000000000000000001', eventTypeName: 'CPS_RESTORE_SUCCESSFUL' };

  it('marks the look an alert woke, and only that one (notify tells a woken end from a backstop one)', () => {
    const woken = afterLook({ ...state(), wake }, { status: seen('RUNNING') }, at(600));
    expect(woken.poll).toMatchObject({ wokenByAlert: true, alertWakes: 1 });
    const backstop = afterLook({ ...woken, wake: { Error: 'States.Timeout' } }, { status: seen('SUCCEEDED') }, at(630));
    expect(backstop.poll.wokenByAlert).toBeUndefined();
    expect(backstop.poll.alertWakes).toBe(1);
  });
});
