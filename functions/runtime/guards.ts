import { MemoryTargetHolds, type TargetHolds } from '../core/orchestrate/holds.js';
import { MemoryRunRecords, type RunRecords } from '../core/orchestrate/runRecords.js';
import { now } from './local.js';
import { tableStore } from './tableStore.js';

/**
 * The holds and run records of this process, kept beside the locks (./tableStore.ts). A table this
 * handler cannot open would silently become per-process holds (a held target restored over), so
 * that fails instead. A local world keeps its own, in-process where it brings none.
 */

export interface GuardStores {
  holds: TargetHolds;
  runs: RunRecords;
}

/** Opens the stores in the lock table of that name. */
export type GuardTable = (tableName: string) => Promise<GuardStores>;

const inProcess = (): GuardStores => ({ holds: new MemoryTargetHolds(now), runs: new MemoryRunRecords(now) });

let localStores: GuardStores | undefined;
const store = tableStore<GuardStores>(
  'holds',
  (local) => (localStores ??= { holds: local.holds ?? new MemoryTargetHolds(now), runs: local.runs ?? new MemoryRunRecords(now) }),
  inProcess,
);

/** Forget the stores (a new local world gets fresh ones). */
export function resetGuardStores(): void {
  localStores = undefined;
  store.reset();
}

export const guardStores = (guardTable?: GuardTable): Promise<GuardStores> => store.get(guardTable);
