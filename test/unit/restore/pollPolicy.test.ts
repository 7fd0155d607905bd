import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL } from '../../../functions/core/plans/schema.js';
import { EVENTS_PER_POLL, nextPollDelaySeconds, simulatePolling } from '../../../functions/core/restore/pollPolicy.js';

/** A plan's own settings (the old defaults), so these tests do not move with the default policy. */
const policy = { floorSeconds: 15, capSeconds: 300, secondsUntilDeadline: 1e9 };
const byDefault = { ...DEFAULT_POLL, secondsUntilDeadline: 1e9 };

describe('nextPollDelaySeconds', () => {
  it('by default: 5 % of the age, rounded down, between a 30 s floor and a one-hour cap', () => {
    expect(DEFAULT_POLL).toEqual({ floorSeconds: 30, capSeconds: 3600 });
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 0 })).toBe(30);
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 599 })).toBe(30);
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 1_000 })).toBe(50);
    // 5 % of 1,019 s is 50.95: rounding up would wait past the goal for a job ending right after.
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 1_019 })).toBe(50);
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 36_000 })).toBe(1_800);
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 72_000 })).toBe(3_600);
    expect(nextPollDelaySeconds({ ...byDefault, ageSeconds: 86_400 })).toBe(3_600);
  });

  it("a plan's own floor and cap bound the wait", () => {
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 0 })).toBe(15);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 100 })).toBe(15);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 600 })).toBe(30);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 2_000 })).toBe(100);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 10_000 })).toBe(300);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 86_400 })).toBe(300);
  });

  it('is a whole number of seconds, at least 1', () => {
    for (const ageSeconds of [0, 0.4, 151.3, 999.9, 4_321.5]) {
      const delay = nextPollDelaySeconds({ ageSeconds, floorSeconds: 0, capSeconds: 300, secondsUntilDeadline: 1e9 });
      expect(Number.isInteger(delay)).toBe(true);
      expect(delay).toBeGreaterThanOrEqual(1);
    }
  });

  it('never waits beyond the deadline, and at least 1 second when it is (nearly) there', () => {
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 5_000, secondsUntilDeadline: 42 })).toBe(42);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 5_000, secondsUntilDeadline: 42.9 })).toBe(42);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 5_000, secondsUntilDeadline: 0.3 })).toBe(1);
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: 5_000, secondsUntilDeadline: -20 })).toBe(1);
  });

  it('a negative age (clock skew) counts as 0', () => {
    expect(nextPollDelaySeconds({ ...policy, ageSeconds: -100 })).toBe(15);
  });

  it('the cap wins over a floor set above it', () => {
    expect(nextPollDelaySeconds({ ageSeconds: 0, floorSeconds: 600, capSeconds: 120, secondsUntilDeadline: 1e9 })).toBe(120);
  });

  it('grows monotonically with age, staying within floor and cap (deadline far away)', () => {
    let previous = 0;
    for (let age = 0; age <= 48 * 3600; age += 7) {
      const delay = nextPollDelaySeconds({ ...policy, ageSeconds: age });
      expect(delay).toBeGreaterThanOrEqual(previous);
      expect(delay).toBeGreaterThanOrEqual(15);
      expect(delay).toBeLessThanOrEqual(300);
      previous = delay;
    }
  });
});

describe('simulatePolling', () => {
  it('a 24-hour restore costs at most ~130 Atlas calls by default, a few hundred with floor 15 / cap 300', () => {
    const cost = simulatePolling({ durationSeconds: 24 * 3600, ...DEFAULT_POLL });
    // Atlas calls: the create and the polls.
    expect(1 + cost.polls).toBeLessThanOrEqual(130);
    expect(cost.timedOut).toBe(false);
    expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(0.05 * 24 * 3600);
    const old = simulatePolling({ durationSeconds: 24 * 3600, floorSeconds: 15, capSeconds: 300 });
    expect(old.polls).toBeGreaterThan(200);
    expect(old.polls).toBeLessThan(400);
    expect(old.detectionDelaySeconds).toBeLessThanOrEqual(300);
    // Far below Step Functions' 25,000-event history limit.
    expect(cost.historyEvents).toBeLessThan(1_500);
    expect(old.historyEvents).toBeLessThan(5_000);
    // A fixed 4-second poll (what `atlas … watch` does) would take over 20,000 looks.
    expect(simulatePolling({ durationSeconds: 24 * 3600, floorSeconds: 4, capSeconds: 4 }).polls).toBe(21_600);
  });

  it('a 2-minute restore is seen within about the floor', () => {
    for (const durationSeconds of [120, 121, 134]) {
      const cost = simulatePolling({ durationSeconds, floorSeconds: 15, capSeconds: 300 });
      expect(cost.detectionDelaySeconds).toBeGreaterThanOrEqual(0);
      expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(15);
      expect(cost.polls).toBeLessThanOrEqual(10);
    }
  });

  it('counts transitions and history events of the workflow as Step Functions records them', () => {
    // 30 s restore, floor 15: polls at 15 and 30.
    const cost = simulatePolling({ durationSeconds: 30, floorSeconds: 15, capSeconds: 300 });
    expect(cost.polls).toBe(2);
    expect(cost.detectionDelaySeconds).toBe(0);
    // create, IsDryRun, 2 × (Wait, poll, RestoreFinished?), notify, RestoreOutcome, Succeed.
    expect(cost.stateTransitions).toBe(2 + 2 * 3 + 3);
    // ExecutionStarted/Succeeded 2 + create 5 + IsDryRun 2 + 2 × 9 + notify 5 + outcome 2 + Succeed 2.
    expect(EVENTS_PER_POLL).toBe(9);
    expect(cost.historyEvents).toBe(2 + 5 + 2 + 18 + 5 + 2 + 2);
  });

  it('a restore that outlives the deadline is polled up to the deadline, then cancelled', () => {
    const cost = simulatePolling({ durationSeconds: 10 * 3600, floorSeconds: 15, capSeconds: 300, deadlineSeconds: 3600 });
    expect(cost.timedOut).toBe(true);
    expect(cost.detectionDelaySeconds).toBeUndefined();
    // The last wait is cut at the deadline, so the deadline is noticed on time: a restore ending
    // exactly at the deadline is seen by that same poll.
    const untilDeadline = simulatePolling({ durationSeconds: 3600, floorSeconds: 15, capSeconds: 300, deadlineSeconds: 3600 });
    expect(untilDeadline.detectionDelaySeconds).toBe(0);
    expect(cost.polls).toBe(untilDeadline.polls);
    // Without the deadline the same restore would have been seen up to a cap later.
    expect(simulatePolling({ durationSeconds: 3600, floorSeconds: 15, capSeconds: 300 }).detectionDelaySeconds).toBeGreaterThan(0);
    // + cancel Task; Fail writes one event instead of Succeed's two.
    expect(cost.stateTransitions).toBe(untilDeadline.stateTransitions + 1);
    expect(cost.historyEvents).toBe(untilDeadline.historyEvents + 5 - 1);
  });
});
