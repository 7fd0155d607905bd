import { describe, expect, it } from 'vitest';
import { retryOnClock } from '../../../local/runner/retryOnClock.js';

const definition = {
  States: {
    Poll: {
      Type: 'Task',
      Retry: [
        { ErrorEquals: ['AtlasThrottled'], IntervalSeconds: 10, BackoffRate: 2, MaxAttempts: 3, MaxDelaySeconds: 25, JitterStrategy: 'FULL' },
        { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1 },
      ],
    },
  },
};

/** A Poll handler failing with these error names in turn (undefined: it succeeds), and what was slept before each call. */
async function run(errors: (string | undefined)[], random = () => 0.5) {
  const slept: string[] = [];
  let call = 0;
  const handlers = retryOnClock(
    {
      Poll: async () => {
        const name = errors[call++];
        if (name === undefined) return 'ok';
        throw Object.assign(new Error(name), { name });
      },
    },
    { definition, sleep: async (ms) => void slept.push(`${ms} before call ${call + 1}`), random },
  );
  for (let i = 0; i < errors.length; i++) await handlers.Poll!({}).catch(() => undefined);
  return slept;
}

describe('retries on a shared clock', () => {
  it('waits as Step Functions would: interval × backoff^n, capped, full jitter from the given stream', async () => {
    expect(await run(['AtlasThrottled', 'AtlasThrottled', 'AtlasThrottled', undefined])).toEqual([
      '5000 before call 2',
      '10000 before call 3',
      '12500 before call 4',
    ]);
    expect(await run(['AtlasThrottled', undefined, 'AtlasThrottled', undefined])).toEqual(['5000 before call 2', '5000 before call 4']);
  });

  it('no wait when no retrier matches or its attempts are used up; a success starts the count again', async () => {
    expect(await run(['Other', 'Other', undefined, 'Other', undefined], () => 0)).toEqual(['1000 before call 2', '1000 before call 5']);
  });
});
