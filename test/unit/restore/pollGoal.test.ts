import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLL, DEFAULT_RUN_LIMITS } from '../../../functions/core/plans/schema.js';
import { nextPollDelaySeconds, simulatePolling } from '../../../functions/core/restore/pollPolicy.js';
import { SEED } from '../../adversarial/arbitraries.js';

/**
 * The goal of the poll policy, checked at every age (fixed seed): a restore is seen ending within
 * max(30 s, 5 % of its age). Written out here rather than imported, so a change to the policy's
 * own idea of the goal cannot make these tests agree with it.
 */
const goal = (endSeconds: number) => Math.max(30, 0.05 * endSeconds);

const RUNS = { seed: SEED, numRuns: 5_000 };
const WEEK = 7 * 24 * 3600;
const FAR = 1e9;

/** Ages in seconds, real-valued (the workflow measures them in milliseconds), weighted to the young. */
const age = fc.oneof(
  fc.double({ min: 0, max: 1_200, noNaN: true }),
  fc.double({ min: 0, max: 24 * 3600, noNaN: true }),
  fc.double({ min: 0, max: WEEK, noNaN: true }),
);
/** Where in the wait the restore ends: just after the look (the worst case) up to the next look. */
const endWithinWait = fc.oneof(fc.constant(1e-9), fc.double({ min: 1e-9, max: 1, noNaN: true }));

describe('the default policy meets the detection goal', () => {
  it('one look at any age: a restore ending anywhere before the next look is seen within the goal', () => {
    fc.assert(
      fc.property(age, endWithinWait, (ageSeconds, fraction) => {
        const wait = nextPollDelaySeconds({ ageSeconds, ...DEFAULT_POLL, secondsUntilDeadline: FAR });
        const endsAt = ageSeconds + fraction * wait;
        const seenAfter = ageSeconds + wait - endsAt;
        expect(seenAfter).toBeLessThanOrEqual(goal(endsAt));
      }),
      RUNS,
    );
  });

  it('a whole restore, any length up to a week, no deadline: seen within the goal', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: WEEK, noNaN: true }), (durationSeconds) => {
        const cost = simulatePolling({ durationSeconds, ...DEFAULT_POLL });
        expect(cost.timedOut).toBe(false);
        expect(cost.detectionDelaySeconds).toBeGreaterThanOrEqual(0);
        expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(goal(durationSeconds));
      }),
      RUNS,
    );
  });

  it('with a deadline: a restore ending before it is seen within the goal, one outliving it times out', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 2 * 24 * 3600, noNaN: true }),
        fc.oneof(fc.constant(DEFAULT_RUN_LIMITS.deadlineMinutes * 60), fc.integer({ min: 5 * 60, max: 48 * 3600 })),
        (durationSeconds, deadlineSeconds) => {
          const cost = simulatePolling({ durationSeconds, ...DEFAULT_POLL, deadlineSeconds });
          expect(cost.timedOut).toBe(durationSeconds > deadlineSeconds);
          if (!cost.timedOut) expect(cost.detectionDelaySeconds).toBeLessThanOrEqual(goal(durationSeconds));
        },
      ),
      RUNS,
    );
  });

  it('a 24-hour restore costs at most ~130 Atlas calls (the create and the polls)', () => {
    for (const hours of [23, 24, 25]) expect(1 + simulatePolling({ durationSeconds: hours * 3600, ...DEFAULT_POLL }).polls).toBeLessThanOrEqual(130);
  });
});

/** Any floor and cap a plan may set (schema.ts: floor 5-300, cap 30-3,600, cap at least floor). */
const planPoll = fc
  .tuple(fc.integer({ min: 5, max: 300 }), fc.integer({ min: 30, max: 3600 }))
  .filter(([floor, cap]) => cap >= floor)
  .map(([floorSeconds, capSeconds]) => ({ floorSeconds, capSeconds }));

describe("a plan's own floor and cap", () => {
  it('the wait stays between floor and cap, and a restore is seen within min(cap, max(floor, 5 % of its age))', () => {
    fc.assert(
      fc.property(planPoll, age, endWithinWait, (poll, ageSeconds, fraction) => {
        const wait = nextPollDelaySeconds({ ageSeconds, ...poll, secondsUntilDeadline: FAR });
        expect(wait).toBeGreaterThanOrEqual(poll.floorSeconds);
        expect(wait).toBeLessThanOrEqual(poll.capSeconds);
        const endsAt = ageSeconds + fraction * wait;
        expect(ageSeconds + wait - endsAt).toBeLessThanOrEqual(Math.min(poll.capSeconds, Math.max(poll.floorSeconds, 0.05 * endsAt)));
      }),
      RUNS,
    );
  });

  it('a plan whose floor is at most 30 s meets the goal whatever its cap', () => {
    fc.assert(
      fc.property(
        planPoll.filter((p) => p.floorSeconds <= 30),
        fc.double({ min: 0.001, max: 2 * 24 * 3600, noNaN: true }),
        (poll, durationSeconds) => {
          expect(simulatePolling({ durationSeconds, ...poll }).detectionDelaySeconds).toBeLessThanOrEqual(goal(durationSeconds));
        },
      ),
      { seed: SEED, numRuns: 1_000 },
    );
  });
});
