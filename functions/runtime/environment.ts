import { createAtlasClient, type AtlasClient, type AtlasClientOptions } from '../core/atlas/client.js';
import { connectionFromEnv, loadConnectionFromSecretsManager, type AtlasConnection } from '../core/atlas/credentials.js';
import { ENV } from '../core/observability.js';
import type { StepDeps, StepLogger, StepMetrics } from '../core/orchestrate/deps.js';
import { MemoryTargetLocks, type TargetLocks } from '../core/orchestrate/locks.js';
import type { PlansConfig } from '../core/plans/schema.js';
import { loadPlansConfig, useLocalPlans } from './plans.js';
import { restoreKinds } from '../core/restore/kinds/index.js';
import type { NotifyChannels } from '../core/notify/notify.js';

/**
 * Builds the steps' dependencies from the Lambda environment: the Atlas secret (or MONGODB_ATLAS_*
 * variables), the lock table (or in-process locks), the plans inlined at build time. The local
 * runner and the workflow tests run these same handlers with `useLocalEnvironment`, which points
 * them at the simulator, a manual clock and in-memory locks instead.
 */

export interface LocalEnvironment {
  connection?: AtlasConnection;
  plans?: PlansConfig;
  now?: () => Date;
  locks?: TargetLocks;
  /** Where notify sends reports in local runs (a recorder, a local webhook). */
  notifyChannels?: NotifyChannels;
  /** Client options for local runs (e.g. `sleep` that does not really wait). */
  client?: Partial<Pick<AtlasClientOptions, 'sleep' | 'retry' | 'random' | 'dispatcher'>>;
}

let local: LocalEnvironment | undefined;
let processLocks: TargetLocks | undefined;

/** Points every handler of this process at a local world; `undefined` goes back to the real one. */
export function useLocalEnvironment(environment: LocalEnvironment | undefined): void {
  local = environment;
  useLocalPlans(environment?.plans);
  for (const { client } of clients.values()) void client.close();
  clients.clear();
  processLocks = undefined;
}

const NO_PLANS: PlansConfig = { protectedTargets: [], plans: [] };

async function atlasConnection(): Promise<AtlasConnection> {
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
    entry = { client: createAtlasClient({ baseUrl: connection.baseUrl, credentials: connection.credentials, onEvent, ...local?.client }) };
    clients.set(key, entry);
  }
  return entry.client;
}

async function targetLocks(): Promise<TargetLocks> {
  if (local?.locks) return local.locks;
  if (processLocks) return processLocks;
  const table = process.env[ENV.lockTable];
  if (!table) return (processLocks = new MemoryTargetLocks(now));
  // Loaded only where a table is configured: the SDK client is not paid for in local runs.
  const [{ DynamoDBClient }, { DynamoTargetLocks }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('../core/orchestrate/dynamoLocks.js'),
  ]);
  return (processLocks = new DynamoTargetLocks(new DynamoDBClient({}), table, now));
}

const now = (): Date => (local?.now ? local.now() : new Date());

export interface StepEnvironmentOptions {
  readsPlans: boolean;
  logger: StepLogger;
  metrics: StepMetrics;
  onAtlasEvent?: AtlasClientOptions['onEvent'];
}

export async function stepDeps(options: StepEnvironmentOptions): Promise<StepDeps> {
  return {
    plans: options.readsPlans ? loadPlansConfig() : NO_PLANS,
    atlas: () => atlasClient(options.onAtlasEvent),
    locks: await targetLocks(),
    now,
    kinds: restoreKinds,
    logger: options.logger,
    metrics: options.metrics,
  };
}

/** The local channels when a local environment is in use; the notify handler uses AWS otherwise. */
export function localNotifyChannels(): NotifyChannels | undefined {
  return local?.notifyChannels;
}

/** What notify needs besides its channels: the plans (to route a refused run), the locks, the clock. */
export async function notifyEnvironment(): Promise<{ plans: PlansConfig; locks: TargetLocks; now: () => Date }> {
  return { plans: loadPlansConfig(), locks: await targetLocks(), now };
}
