import type { TargetHolds } from '../core/orchestrate/holds.js';
import type { TargetLocks } from '../core/orchestrate/locks.js';
import type { PlansConfig } from '../core/plans/schema.js';
import { now } from './local.js';
import { dynamoGuardTable } from './guardTable.js';
import { guardStores } from './guards.js';
import { dynamoLockTable } from './lockTable.js';
import { targetLocks } from './locks.js';
import { loadPlansConfig } from './plans.js';

/**
 * What notify needs besides its channels: the plans (to route a refused run), the locks (to
 * release the target's), the holds (a recovery plan's holdAfterSuccess), the clock. Apart from ./environment.ts: notify never calls Atlas, and
 * should not bundle the Atlas client, its credentials and the restore kinds.
 */
export async function notifyEnvironment(): Promise<{ plans: PlansConfig; locks: TargetLocks; holds: TargetHolds; now: () => Date }> {
  const { holds } = await guardStores(dynamoGuardTable);
  return { plans: loadPlansConfig(), locks: await targetLocks(dynamoLockTable), holds, now };
}
