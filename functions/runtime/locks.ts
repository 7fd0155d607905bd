import { ENV } from '../core/observability.js';
import { MemoryTargetLocks, type TargetLocks } from '../core/orchestrate/locks.js';
import { localEnvironment, now } from './local.js';

/**
 * The target locks of this process: the local world's, the lock table's, or in-process ones.
 * The DynamoDB store is handed in (./lockTable.ts) by the handlers lib/ grants the table to, so
 * the handlers that take no locks (poll, cancel) do not bundle, nor load, the DynamoDB client.
 */

/** Opens the lock table of that name. */
export type LockTable = (tableName: string) => Promise<TargetLocks>;

let processLocks: TargetLocks | undefined;

/** Forget the store (a new local world gets fresh locks). */
export function resetTargetLocks(): void {
  processLocks = undefined;
}

export async function targetLocks(lockTable?: LockTable): Promise<TargetLocks> {
  const local = localEnvironment();
  if (local?.locks) return local.locks;
  if (processLocks) return processLocks;
  const table = process.env[ENV.lockTable];
  if (!table) return (processLocks = new MemoryTargetLocks(now));
  // A table this handler cannot open would silently become per-process locks: two restores onto one target.
  if (!lockTable) throw new Error(`${ENV.lockTable} is set but this handler was built without the lock table store`);
  return (processLocks = await lockTable(table));
}
