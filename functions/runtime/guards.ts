import { ENV } from '../core/observability.js';
import { MemoryTargetHolds, type TargetHolds } from '../core/orchestrate/holds.js';
import { MemoryRunRecords, type RunRecords } from '../core/orchestrate/runRecords.js';
import { localEnvironment, now } from './local.js';

/**
 * The holds and run records of this process, kept beside the locks (./locks.ts, same rules): the
 * local world's, the lock table's, or in-process ones. The DynamoDB store is handed in
 * (./guardTable.ts) by the handlers lib/ grants the table to, so poll and cancel never bundle it.
 */

export interface GuardStores {
  holds: TargetHolds;
  runs: RunRecords;
}

/** Opens the stores in the lock table of that name. */
export type GuardTable = (tableName: string) => Promise<GuardStores>;

let processStores: GuardStores | undefined;

/** Forget the stores (a new local world gets fresh ones). */
export function resetGuardStores(): void {
  processStores = undefined;
}

export async function guardStores(guardTable?: GuardTable): Promise<GuardStores> {
  const local = localEnvironment();
  if (local) return (processStores ??= { holds: local.holds ?? new MemoryTargetHolds(now), runs: local.runs ?? new MemoryRunRecords(now) });
  if (processStores) return processStores;
  const table = process.env[ENV.lockTable];
  if (!table) return (processStores = { holds: new MemoryTargetHolds(now), runs: new MemoryRunRecords(now) });
  // A table this handler cannot open would silently become per-process holds: a held target restored over.
  if (!guardTable) throw new Error(`${ENV.lockTable} is set but this handler was built without the holds store`);
  return (processStores = await guardTable(table));
}
