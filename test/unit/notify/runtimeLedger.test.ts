import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDeliveryLedger, type DeliveryLedger } from '../../../functions/core/notify/ledger.js';
import { ENV } from '../../../functions/core/domain/observability.js';
import { deliveryLedger, resetDeliveryLedger } from '../../../functions/runtime/ledger.js';
import { setLocalEnvironment } from '../../../functions/runtime/local.js';

describe('the delivery records the notify handler gets', () => {
  afterEach(() => {
    delete process.env[ENV.lockTable];
    setLocalEnvironment(undefined);
    resetDeliveryLedger();
  });

  it("uses the local world's records when a local environment gives some", async () => {
    const local = new MemoryDeliveryLedger();
    setLocalEnvironment({ ledger: local });
    process.env[ENV.lockTable] = 'locks-table';
    expect(await deliveryLedger()).toBe(local);
  });

  it('keeps one in-process store when no lock table is configured', async () => {
    const first = await deliveryLedger();
    expect(first).toBeInstanceOf(MemoryDeliveryLedger);
    expect(await deliveryLedger()).toBe(first);
  });

  it('opens the lock table with the store it was built with, once per container', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    const opened: string[] = [];
    const store = new MemoryDeliveryLedger();
    const open = async (name: string): Promise<DeliveryLedger> => {
      opened.push(name);
      return store;
    };
    expect(await deliveryLedger(open)).toBe(store);
    expect(await deliveryLedger(open)).toBe(store);
    expect(opened).toEqual(['locks-table']);
  });

  it('refuses a configured table it cannot open, rather than forgetting every earlier try', async () => {
    process.env[ENV.lockTable] = 'locks-table';
    await expect(deliveryLedger()).rejects.toThrow(`${ENV.lockTable} is set`);
  });
});
