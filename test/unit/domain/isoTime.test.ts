import { describe, expect, it } from 'vitest';
import { readIsoTime } from '../../../functions/core/domain/isoTime.js';

describe('readIsoTime: ISO 8601, strictly', () => {
  it.each([
    ['2026-12-01T03:00:00Z', Date.UTC(2026, 11, 1, 3)],
    ['2026-12-01T03:00Z', Date.UTC(2026, 11, 1, 3)],
    ['2026-12-01T04:00:00+01:00', Date.UTC(2026, 11, 1, 3)],
    ['2026-12-01T03:00:00.250Z', Date.UTC(2026, 11, 1, 3) + 250],
    ['2026-12-01', Date.UTC(2026, 11, 1)],
    ['2024-02-29T00:00:00Z', Date.UTC(2024, 1, 29)],
  ])('reads %s', (text, ms) => {
    expect(readIsoTime(text)).toBe(ms);
  });

  it.each(['2026-02-30T00:00:00Z', '2025-02-29', '2026-01-01junk', '2026-12-01T25:00:00Z', '2026-12-01T03:00:00', '1767225600', 'yesterday', '2026-1-1'])(
    'refuses %s',
    (text) => {
      expect(readIsoTime(text)).toBeUndefined();
    },
  );
});
