import { describe, expect, it } from 'vitest';
import { clusterPatternMatches, clusterPatternsOverlap } from '../../../functions/core/domain/cluster.js';

describe('clusterPatternsOverlap: some name matches both patterns', () => {
  it.each([
    ['*', 'prod-*', true],
    ['p*', 'prod-*', true],
    ['*-cluster', 'prod-*', true],
    ['PROD-EU', 'prod-*', true],
    ['*o*', 'prod-*', true],
    ['prod-*', 'prod-*', true],
    ['staging-*', 'prod-*', false],
    ['*-staging', 'prod-*-live', false],
    ['prod', 'prod-*', false],
    ['a*b', 'ab*', true],
    ['a*c', 'b*', false],
  ])('%s and %s: %s', (a, b, overlap) => {
    expect(clusterPatternsOverlap(a, b)).toBe(overlap);
    expect(clusterPatternsOverlap(b, a)).toBe(overlap);
  });

  it('agrees with matching on every name from a small alphabet (names are patterns without *)', () => {
    const names = ['', 'a', 'b', 'ab', 'ba', 'aa', 'aba', 'bab', 'abb'];
    const patterns = ['*', 'a*', '*a', 'a*b', '*b*', 'ab', 'b*a*'];
    for (const p of patterns)
      for (const q of patterns) {
        const byExample = names.some((n) => n !== '' && clusterPatternMatches(p, n) && clusterPatternMatches(q, n));
        // Every overlap found by example is found; the short names here cover every overlap of these patterns.
        expect(clusterPatternsOverlap(p, q) || !byExample, `${p} ~ ${q}`).toBe(true);
      }
  });
});
