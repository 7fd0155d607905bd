import { setImmediate as nextTurn } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createClock } from '../../../local/simulator/clock.js';
import { createVirtualClock } from '../../../local/simulator/virtualClock.js';

/** A few turns of the event loop: long enough for the clock to act if it is going to. */
const settle = async () => {
  for (let i = 0; i < 5; i++) await nextTurn();
};

describe('virtual clock', () => {
  it('jumps to the earliest due sleep once everything waits, and wakes sleepers in time order', async () => {
    const clock = createVirtualClock(0);
    const woke: string[] = [];
    await Promise.all([
      clock.run(async () => {
        await clock.sleep(3_000);
        woke.push(`late@${clock.now()}`);
      }),
      clock.run(async () => {
        await clock.sleep(1_000);
        woke.push(`early@${clock.now()}`);
        await clock.sleep(500);
        woke.push(`again@${clock.now()}`);
      }),
    ]);
    expect(woke).toEqual(['early@1000', 'again@1500', 'late@3000']);
  });

  it('stands still while one worker is still at work, however long it takes in real time', async () => {
    const clock = createVirtualClock(0);
    let finishWork!: () => void;
    const work = new Promise<void>((resolve) => (finishWork = resolve));
    let woke = false;
    const sleeper = clock.run(async () => {
      await clock.sleep(60_000);
      woke = true;
    });
    const worker = clock.run(() => work);
    await settle();
    expect(woke).toBe(false);
    expect(clock.now()).toBe(0);
    finishWork();
    await Promise.all([sleeper, worker]);
    expect(woke).toBe(true);
    expect(clock.now()).toBe(60_000);
  });

  it('stands still while tracked work is in flight', async () => {
    const clock = createVirtualClock(0);
    let finish!: () => void;
    void clock.track(new Promise<void>((resolve) => (finish = resolve)));
    const slept = clock.sleep(10);
    await settle();
    expect(clock.now()).toBe(0);
    finish();
    await slept;
    expect(clock.now()).toBe(10);
  });

  it('an abort ends a sleep at once without moving time; a sleep outside every worker stands in for none', async () => {
    const clock = createVirtualClock(0);
    const abort = new AbortController();
    let finishWork!: () => void;
    const work = new Promise<void>((resolve) => (finishWork = resolve));
    const outside = clock.sleep(5_000);
    let abortedAt: number | undefined;
    const worker = clock.run(async () => {
      const waiting = clock.sleep(1_000_000, abort.signal);
      abort.abort();
      await waiting;
      abortedAt = clock.now();
      await work;
    });
    await settle();
    expect(abortedAt).toBe(0);
    expect(clock.now()).toBe(0);
    finishWork();
    await Promise.all([worker, outside]);
    expect(clock.now()).toBe(5_000);
  });

  it('runs scheduled callbacks at their moment when everything waits; a cancelled one never runs', async () => {
    const clock = createVirtualClock(100);
    const ran: string[] = [];
    clock.schedule(400, () => ran.push(`alert@${clock.now()}`));
    const cancel = clock.schedule(200, () => ran.push('cancelled'));
    cancel();
    await clock.sleep(1_000);
    expect(ran).toEqual(['alert@400']);
    expect(clock.now()).toBe(1_100);
  });

  it('advance runs what it passes in time order, each at its own moment', () => {
    const clock = createVirtualClock(0);
    const ran: string[] = [];
    clock.schedule(300, () => ran.push(`b@${clock.now()}`));
    clock.schedule(200, () => ran.push(`a@${clock.now()}`));
    clock.advance(5_000);
    expect(ran).toEqual(['a@200', 'b@300']);
    expect(clock.now()).toBe(5_000);
  });

  it('a callback already due runs at once, even while a worker is busy', async () => {
    const clock = createVirtualClock(1_000);
    let finishWork!: () => void;
    const worker = clock.run(() => new Promise<void>((resolve) => (finishWork = resolve)));
    const ran = new Promise<number>((resolve) => clock.schedule(999, () => resolve(clock.now())));
    expect(await ran).toBe(1_000);
    finishWork();
    await worker;
  });

  it('the simulator uses a virtual clock passed to it as it is', () => {
    const clock = createVirtualClock(7);
    expect(createClock(clock)).toBe(clock);
  });
});
