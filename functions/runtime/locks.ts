import { MemoryTargetLocks, type TargetLocks } from '../core/orchestrate/locks.js';
import { now } from './local.js';
import { tableStore } from './tableStore.js';

/**
 * The target locks of this process (./tableStore.ts): the local world's, the lock table's, or
 * in-process ones. A table this handler cannot open would silently become per-process locks: two
 * restores onto one target; so that fails instead.
 */

/** Opens the lock table of that name. */
export type LockTable = (tableName: string) => Promise<TargetLocks>;

const store = tableStore<TargetLocks>('lock table', (local) => local.locks, () => new MemoryTargetLocks(now));

/** Forget the store (a new local world gets fresh locks). */
export const resetTargetLocks = (): void => store.reset();

export const targetLocks = (lockTable?: LockTable): Promise<TargetLocks> => store.get(lockTable);
