import type { AtlasTransport } from '../atlas/transport.js';
import type { PlansConfig } from '../plans/schema.js';
import type { RestoreKind } from '../restore/kind.js';
import type { RestoreKindName } from '../restore/request.js';
import type { TargetHolds } from './holds.js';
import type { TargetLocks } from './locks.js';
import type { RunRecords } from './runRecords.js';

/**
 * What the workflow steps need from the world, as ports: the Lambda handlers wire them from the
 * environment (./environment.ts), the local runner and the tests to the simulator and memory.
 */

export interface StepLogger {
  info(message: string, ...extra: unknown[]): void;
  warn(message: string, ...extra: unknown[]): void;
}

export interface StepMetrics {
  /** One data point of a metric of ../observability.ts, with the plan as its dimension. */
  add(name: string, value: number, plan: string, dimensions?: Record<string, string>): void;
}

export interface StepDeps {
  plans: PlansConfig;
  /** The Atlas client, built on first use (credentials are read only when Atlas is called). */
  atlas(): Promise<AtlasTransport>;
  locks: TargetLocks;
  /** Holds on targets, refused by create (./holds.ts). */
  holds: TargetHolds;
  /** Trigger events already taken and plans' last starts (./runRecords.ts). */
  runs: RunRecords;
  now(): Date;
  /** Waits that much time (the create's settle looks): the local runner moves its clock instead. */
  sleep(ms: number): Promise<void>;
  kinds: Record<RestoreKindName, RestoreKind>;
  /**
   * Whether Atlas alerts came lately from any of these projects (functions/core/push/heard.ts).
   * Absent where push completion is not wired: nothing is heard.
   */
  alertsHeard?(groupIds: readonly string[]): Promise<boolean>;
  logger: StepLogger;
  metrics: StepMetrics;
}

export const silentLogger: StepLogger = { info: () => undefined, warn: () => undefined };
export const noMetrics: StepMetrics = { add: () => undefined };
