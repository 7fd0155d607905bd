import type { TargetLocks } from '../core/orchestrate/locks.js';
import type { PlansConfig } from '../core/plans/schema.js';
import { now } from './local.js';
import { dynamoLockTable } from './lockTable.js';
import { targetLocks } from './locks.js';
import { loadPlansConfig } from './plans.js';

/**
 * What notify needs besides its channels: the plans (to route a refused run), the locks (to
 * release the target's), the clock. Apart from ./environment.ts: notify never calls Atlas, and
 * should not bundle the Atlas client, its credentials and the restore kinds.
 */
export async function notifyEnvironment(): Promise<{ plans: PlansConfig; locks: TargetLocks; now: () => Date }> {
  return { plans: loadPlansConfig(), locks: await targetLocks(dynamoLockTable), now };
}
