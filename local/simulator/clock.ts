/**
 * The simulator's own time. Jobs, snapshots' ages, nonces, tokens and rate-limit buckets all read
 * it, so a test moves a 10-minute restore to its end with one `advance(600_000)`.
 *
 * - manual: time stands still until `advance(ms)`.
 * - realtime: simulated time runs `scale` times faster than the wall clock (scale 60: a minute a second);
 *   `advance(ms)` still jumps forward.
 */
export type ClockOption = 'manual' | { scale: number };

export interface SimClock {
  readonly mode: 'manual' | 'realtime';
  readonly scale: number;
  /** Epoch milliseconds on the simulated clock. */
  now(): number;
  advance(ms: number): void;
}

export function createClock(option: ClockOption = { scale: 1 }, start: number = Date.now()): SimClock {
  let offset = 0;
  const advance = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of ms, got ${ms}`);
    offset += ms;
  };
  if (option === 'manual') return { mode: 'manual', scale: 0, now: () => start + offset, advance };
  const scale = option.scale;
  if (!(scale > 0)) throw new RangeError(`clock scale must be positive, got ${scale}`);
  const wallStart = Date.now();
  return { mode: 'realtime', scale, now: () => Math.floor(start + (Date.now() - wallStart) * scale + offset), advance };
}
