import { createAtlasClient, type AtlasClient, type AtlasClientOptions } from '../core/atlas/client.js';
import { connectionFromEnv, loadConnectionFromSecretsManager, type AtlasConnection } from '../core/atlas/credentials.js';
import { ENV } from '../core/domain/observability.js';
import type { StepDeps, StepLogger, StepMetrics } from '../core/orchestrate/deps.js';
import type { PlansConfig } from '../core/plans/schema.js';
import { resetDeliveryLedger } from './ledger.js';
import { localEnvironment, now, setLocalEnvironment, type LocalEnvironment } from './local.js';
import { guardStores, resetGuardStores, type GuardTable } from './guards.js';
import { resetTargetLocks, targetLocks, type LockTable } from './locks.js';
import { restoreKinds } from '../core/restore/kinds/index.js';

/**
 * Builds the steps' dependencies from the Lambda environment: the Atlas secret (or MONGODB_ATLAS_*
 * variables), the lock table (or in-process locks), the plans inlined at build time. The local
 * runner and the workflow tests run these same handlers with `useLocalEnvironment`, which points
 * them at the simulator, a manual clock and in-memory locks instead.
 */

export type { LocalEnvironment } from './local.js';

/** Points every handler of this process at a local world; `undefined` goes back to the real one. */
export function useLocalEnvironment(environment: LocalEnvironment | undefined): void {
  setLocalEnvironment(environment);
  for (const { client } of clients.values()) void client.close();
  clients.clear();
  resetTargetLocks();
  resetDeliveryLedger();
  resetGuardStores();
}

const NO_PLANS: PlansConfig = { protectedTargets: [], plans: [] };

async function atlasConnection(): Promise<AtlasConnection> {
  const local = localEnvironment();
  if (local?.connection) return local.connection;
  const secretName = process.env[ENV.atlasSecretName];
  return secretName ? loadConnectionFromSecretsManager(secretName) : connectionFromEnv();
}

/** One client per connection: a rotated secret (re-read after its max age) gets a fresh client. */
const clients = new Map<string, { client: AtlasClient }>();

async function atlasClient(onEvent: AtlasClientOptions['onEvent']): Promise<AtlasClient> {
  const connection = await atlasConnection();
  const key = JSON.stringify(connection);
  let entry = clients.get(key);
  if (!entry) {
    for (const old of clients.values()) void old.client.close();
    clients.clear();
    entry = { client: createAtlasClient({ baseUrl: connection.baseUrl, credentials: connection.credentials, onEvent, ...localEnvironment()?.client }) };
    clients.set(key, entry);
  }
  return entry.client;
}

export interface StepEnvironmentOptions {
  /** The plans, for the steps that read them (./plans.ts loadPlansConfig); the others get none. */
  plans?: () => PlansConfig;
  /** The lock table, for the steps that take locks; the others get in-process locks they never use. */
  lockTable?: LockTable;
  /** The holds and run records in the lock table, for the steps that use them (create, submit). */
  guardTable?: GuardTable;
  logger: StepLogger;
  metrics: StepMetrics;
  onAtlasEvent?: AtlasClientOptions['onEvent'];
  /** Whether Atlas alerts arrive from these projects: create's alone (./alertWaiters.ts), so no other bundle carries the table client. */
  alertsHeard?: StepDeps['alertsHeard'];
}

export async function stepDeps(options: StepEnvironmentOptions): Promise<StepDeps> {
  return {
    plans: options.plans ? options.plans() : NO_PLANS,
    atlas: () => atlasClient(options.onAtlasEvent),
    locks: await targetLocks(options.lockTable),
    ...(await guardStores(options.guardTable)),
    now,
    sleep: localEnvironment()?.client?.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    kinds: restoreKinds,
    ...(options.alertsHeard ? { alertsHeard: options.alertsHeard } : {}),
    logger: options.logger,
    metrics: options.metrics,
  };
}
