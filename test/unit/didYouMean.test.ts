import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { closestName, editDistance } from '../../functions/core/domain/didYouMean.js';

/** The one edit distance behind every "did you mean" (plan fields, CLI options, context keys, query parameters). */
describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['', 'abc', 3],
    ['abc', 'abc', 0],
    ['kitten', 'sitting', 3],
    ['deadlineMinuets', 'deadlineMinutes', 2], // a swap is two substitutions
    ['dryRn', 'dryRun', 1],
    ['natgateways', 'natGateways', 1], // case counts here; closestName can ignore it
  ])('%j → %j is %i', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  it('is a metric bounded by the longer length', () => {
    const word = fc.string({ maxLength: 12 });
    fc.assert(
      fc.property(word, word, word, (a, b, c) => {
        expect(editDistance(a, b)).toBe(editDistance(b, a));
        expect(editDistance(a, b) === 0).toBe(a === b);
        expect(editDistance(a, b)).toBeLessThanOrEqual(Math.max(a.length, b.length));
        expect(editDistance(a, b)).toBeGreaterThanOrEqual(Math.abs(a.length - b.length));
        expect(editDistance(a, c)).toBeLessThanOrEqual(editDistance(a, b) + editDistance(b, c));
      }),
    );
  });
});

describe('closestName', () => {
  const PLAN_FIELDS = ['deadlineMinutes', 'watchAfterEndMinutes', 'createSettleSeconds', 'cooldownMinutes', 'notify', 'poll'];

  it('names the field a slip was meant to be', () => {
    expect(closestName('deadlineMinuets', PLAN_FIELDS)).toBe('deadlineMinutes');
    expect(closestName('notfy', PLAN_FIELDS)).toBe('notify');
    expect(closestName('cooldownMinute', PLAN_FIELDS)).toBe('cooldownMinutes');
  });

  it('says nothing for another word: a wrong guess misleads more than none', () => {
    expect(closestName('colour', PLAN_FIELDS)).toBeUndefined();
    expect(closestName('deadline', PLAN_FIELDS)).toBeUndefined();
    expect(closestName('x', [])).toBeUndefined();
  });

  it('allows max(2, a third of the length) edits', () => {
    expect(closestName('ab', ['xy'])).toBe('xy'); // 2 edits, short words get 2
    expect(closestName('abc', ['xyz'])).toBeUndefined(); // 3 > max(2, 1)
    expect(closestName('abcdefghi', ['xyzdefghi'])).toBe('xyzdefghi'); // 3 ≤ 9 / 3
    expect(closestName('abcdefghi', ['xyzwefghi'])).toBeUndefined();
  });

  it('ignores case only when asked, and the first of equally close names wins', () => {
    expect(closestName('NATGATEWAYS', ['natGateways'])).toBeUndefined();
    expect(closestName('NATGATEWAYS', ['natGateways'], { ignoreCase: true })).toBe('natGateways');
    expect(closestName('plam', ['plan', 'play'])).toBe('plan');
    expect(closestName('plam', ['play', 'plan'])).toBe('play');
  });
});
