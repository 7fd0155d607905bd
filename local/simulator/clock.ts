/**
 * The simulator's own time. Jobs, snapshots' ages, nonces, tokens and rate-limit buckets all read
 * it, so a test moves a 10-minute restore to its end with one `advance(600_000)`.
 *
 * - manual: time stands still until `advance(ms)`.
 * - realtime: simulated time runs `scale` times faster than the wall clock (scale 60: a minute a second);
 *   `advance(ms)` still jumps forward.
 *
 * `schedule` lets the simulator act by itself at a simulated moment (Atlas sending an alert when a
 * restore job ends): with a manual clock the callback runs inside the `advance` that reaches it, so
 * a test sees the effect right after advancing; with a realtime clock a wall-clock timer fires it.
 * A clock passed in (the discrete-event one in ./virtualClock.ts, shared with the local runner) is
 * used as it is.
 */
export type ClockOption = 'manual' | { scale: number } | SimClock;

export interface SimClock {
  readonly mode: 'manual' | 'realtime' | 'virtual';
  readonly scale: number;
  /** Epoch milliseconds on the simulated clock. */
  now(): number;
  advance(ms: number): void;
  /** Runs `run` once when the clock reaches `at` (epoch ms; at once if already past). Returns a cancel. */
  schedule(at: number, run: () => void): () => void;
  /** When the earliest scheduled callback is due (epoch ms), if any: a manual clock's driver steps to it. */
  nextDue(): number | undefined;
}

interface Timer {
  at: number;
  seq: number;
  run: () => void;
  wall?: ReturnType<typeof setTimeout>;
}

export function createClock(option: ClockOption = { scale: 1 }, start: number = Date.now()): SimClock {
  if (typeof option === 'object' && 'now' in option) return option;
  let offset = 0;
  let seq = 0;
  const timers = new Set<Timer>();
  const scale = option === 'manual' ? 0 : option.scale;
  if (option !== 'manual' && !(scale > 0)) throw new RangeError(`clock scale must be positive, got ${scale}`);
  const wallStart = Date.now();
  const now = option === 'manual' ? () => start + offset : () => Math.floor(start + (Date.now() - wallStart) * scale + offset);

  /** Runs every timer now due, earliest first (ties in the order they were scheduled). */
  const fireDue = (): void => {
    const due = [...timers].filter((t) => t.at <= now()).sort((a, b) => a.at - b.at || a.seq - b.seq);
    for (const t of due) {
      timers.delete(t);
      if (t.wall) clearTimeout(t.wall);
      t.run();
    }
  };
  // A wall-clock timer that fires a hair early finds nothing due: `tick` re-arms what is left.
  const tick = (): void => {
    fireDue();
    for (const t of timers) arm(t);
  };
  const arm = (t: Timer): void => {
    if (option === 'manual') return;
    if (t.wall) clearTimeout(t.wall);
    // Never keeps the process alive: a simulator nobody waits on must not hold the test runner open.
    t.wall = setTimeout(tick, Math.max(0, (t.at - now()) / scale));
    t.wall.unref?.();
  };
  const advance = (ms: number): void => {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`clock.advance needs a non-negative number of ms, got ${ms}`);
    offset += ms;
    tick();
  };
  const schedule = (at: number, run: () => void): (() => void) => {
    const timer: Timer = { at, seq: seq++, run };
    timers.add(timer);
    if (at <= now()) queueMicrotask(fireDue);
    else arm(timer);
    return () => {
      timers.delete(timer);
      if (timer.wall) clearTimeout(timer.wall);
    };
  };
  const nextDue = (): number | undefined => (timers.size ? Math.min(...[...timers].map((t) => t.at)) : undefined);
  return { mode: option === 'manual' ? 'manual' : 'realtime', scale, now, advance, schedule, nextDue };
}
