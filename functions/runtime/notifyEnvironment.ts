import type { DeliveryLedger } from '../core/notify/ledger.js';
import type { TargetHolds } from '../core/orchestrate/holds.js';
import type { TargetLocks } from '../core/orchestrate/locks.js';
import type { PlansConfig } from '../core/plans/schema.js';
import { now } from './local.js';
import { dynamoGuardTable } from './guardTable.js';
import { guardStores } from './guards.js';
import { deliveryLedger, undeliveredReports } from './ledger.js';
import { dynamoDeliveryLedger, dynamoLockTable, dynamoUndeliveredReports } from './lockTable.js';
import type { UndeliveredReports } from '../core/notify/undelivered.js';
import { targetLocks } from './locks.js';
import { loadPlansConfig } from './plans.js';
import { restoreHistory } from './history.js';
import type { RestoreHistory } from '../core/history/store.js';

/**
 * What notify needs besides its channels: the plans (to route a refused run), the locks (to
 * release the target's), the delivery records (to send a report once per channel), the holds (a
 * recovery plan's holdAfterSuccess), the clock. Apart from ./environment.ts: notify never calls Atlas, and
 * should not bundle the Atlas client, its credentials and the restore kinds.
 */
export async function notifyEnvironment(): Promise<{
  plans: PlansConfig;
  locks: TargetLocks;
  ledger: DeliveryLedger;
  undelivered: UndeliveredReports;
  holds: TargetHolds;
  history: RestoreHistory;
  now: () => Date;
}> {
  const [locks, ledger, undelivered, { holds }, history] = await Promise.all([
    targetLocks(dynamoLockTable),
    deliveryLedger(dynamoDeliveryLedger),
    undeliveredReports(dynamoUndeliveredReports),
    guardStores(dynamoGuardTable),
    restoreHistory(),
  ]);
  return { plans: loadPlansConfig(), locks, ledger, undelivered, holds, history, now };
}
