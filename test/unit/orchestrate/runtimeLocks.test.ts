import { afterEach, describe, expect, it } from 'vitest';
import { MemoryTargetLocks, type TargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { ENV } from '../../../functions/core/domain/observability.js';
import { resetTargetLocks, targetLocks } from '../../../functions/runtime/locks.js';

describe('the target locks a Lambda handler gets', () => {
  afterEach(() => {
    delete process.env[ENV.lockTable];
    resetTargetLocks();
  });

  it('uses in-process locks when no lock table is configured (poll, cancel, tests)', async () => {
    expect(await targetLocks()).toBeInstanceOf(MemoryTargetLocks);
  });

  it('opens the configured table with the store it was built with', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    const opened: string[] = [];
    const store = new MemoryTargetLocks(() => new Date());
    const locks = await targetLocks(async (name): Promise<TargetLocks> => {
      opened.push(name);
      return store;
    });
    expect(locks).toBe(store);
    expect(opened).toEqual(['locks-table']);
  });

  it('refuses a configured table it cannot open, rather than silently locking per process', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    await expect(targetLocks()).rejects.toThrow(`${ENV.lockTable} is set`);
  });
});
