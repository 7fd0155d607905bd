import { describe, expect, it } from 'vitest';
import { createClock } from '../../../local/simulator/clock.js';

describe('simulator clock timers', () => {
  it('a manual clock runs due timers inside advance, earliest first, and never early', () => {
    const clock = createClock('manual', 1_000_000);
    const ran: string[] = [];
    clock.schedule(1_000_000 + 5_000, () => ran.push(`b@${clock.now()}`));
    clock.schedule(1_000_000 + 2_000, () => ran.push(`a@${clock.now()}`));
    const cancel = clock.schedule(1_000_000 + 3_000, () => ran.push('cancelled'));
    cancel();
    clock.advance(1_999);
    expect(ran).toEqual([]);
    clock.advance(10_000);
    expect(ran).toEqual(['a@1011999', 'b@1011999']);
    clock.advance(10_000);
    expect(ran).toHaveLength(2);
  });

  it('a realtime clock fires a timer on the wall clock, scaled', async () => {
    const clock = createClock({ scale: 1000 });
    const due = clock.now() + 20_000;
    const at = await new Promise<number>((resolve) => clock.schedule(due, () => resolve(clock.now())));
    expect(at).toBeGreaterThanOrEqual(due);
  });

  it('a timer already due runs without an advance', async () => {
    const clock = createClock('manual', 0);
    const fired = new Promise<void>((resolve) => clock.schedule(-1, resolve));
    await fired;
  });
});
