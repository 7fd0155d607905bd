import { describe, expect, it } from 'vitest';
import { retryOnClock } from '../../../local/runner/retryOnClock.js';

describe('retries on a shared clock', () => {
  it('a Task invoked again after it failed waits first; a first try and a try after success do not', async () => {
    const slept: string[] = [];
    let calls = 0;
    const handlers = retryOnClock(
      {
        Poll: async () => {
          calls++;
          if (calls === 2) throw new Error('throttled');
          return calls;
        },
      },
      async (ms) => void slept.push(`${ms} before call ${calls + 1}`),
      30_000,
    );
    await handlers.Poll!({});
    await expect(handlers.Poll!({})).rejects.toThrow('throttled');
    await handlers.Poll!({});
    await handlers.Poll!({});
    expect(slept).toEqual(['30000 before call 3']);
  });
});
