import { afterEach, describe, expect, it } from 'vitest';
import { ENV } from '../../../functions/core/domain/observability.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryRunRecords } from '../../../functions/core/orchestrate/runRecords.js';
import { guardStores, resetGuardStores } from '../../../functions/runtime/guards.js';

describe('the holds and run records a Lambda handler gets', () => {
  afterEach(() => {
    delete process.env[ENV.lockTable];
    resetGuardStores();
  });

  it('uses in-process stores when no lock table is configured', async () => {
    const stores = await guardStores();
    expect(stores.holds).toBeInstanceOf(MemoryTargetHolds);
    expect(stores.runs).toBeInstanceOf(MemoryRunRecords);
  });

  it('opens the configured lock table with the store it was built with, once', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    const opened: string[] = [];
    const stores = { holds: new MemoryTargetHolds(), runs: new MemoryRunRecords() };
    const table = async (name: string) => {
      opened.push(name);
      return stores;
    };
    expect(await guardStores(table)).toBe(stores);
    expect(await guardStores(table)).toBe(stores);
    expect(opened).toEqual(['locks-table']);
  });

  it('refuses a configured table it cannot open, rather than holding per process (a held target restored over)', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    await expect(guardStores()).rejects.toThrow(`${ENV.lockTable} is set`);
  });
});
