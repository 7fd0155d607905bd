import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach } from 'vitest';
import { clearTokenCache } from '../../../functions/core/atlas/index.js';
import { startSimulator, type SimulatorHandle, type WorldInput } from '../../../local/simulator/index.js';

/** The shipped default world: the tests use the same ids and keys a user sees in docs/simulator.md. */
export function defaultWorld(): WorldInput {
  const file = fileURLToPath(new URL('../../../local/simulator/worlds/default.json', import.meta.url));
  return JSON.parse(readFileSync(file, 'utf8')) as WorldInput;
}

export const PROD = '65f1a0000000000000000001';
export const STAGING = '65f1a0000000000000000002';
export const ADMIN_KEY = { type: 'digest', publicKey: 'simadmin', privateKey: '5f0c7d2e-0000-4000-8000-00000000a001' } as const;
export const READER_KEY = { type: 'digest', publicKey: 'simreader', privateKey: '5f0c7d2e-0000-4000-8000-00000000a002' } as const;
export const SERVICE_ACCOUNT = {
  type: 'oauth',
  clientId: 'mdb_sa_id_65f1e0000000000000000001',
  clientSecret: 'mdb_sa_sk_simulator-secret-0001',
} as const;

/** Retries without real waiting: the simulator's answers are what is under test, not the backoff. */
export const noWait = { sleep: async () => undefined };

/**
 * A fresh default-world simulator (manual clock) for every test, with the client's OAuth token
 * cache emptied: each test's request log and token requests are its own.
 */
export function freshSimulatorEach(use: (sim: SimulatorHandle) => void): void {
  let sim: SimulatorHandle | undefined;
  beforeEach(async () => {
    clearTokenCache();
    sim = await startSimulator(defaultWorld(), { clock: 'manual', seed: 7 });
    use(sim);
  });
  afterEach(async () => {
    await sim?.stop();
  });
}
