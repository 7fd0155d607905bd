import { createRestoreStep } from '../core/orchestrate/create.js';
import { alertsHeardFromTable } from '../runtime/alertWaiters.js';
import { dynamoGuardTable } from '../runtime/guardTable.js';
import { dynamoLockTable } from '../runtime/lockTable.js';
import { loadPlansConfig } from '../runtime/plans.js';
import { stepHandler } from '../runtime/step.js';

/** Step Functions task CreateRestore: see functions/core/orchestrate/create.ts. */
export const handler = stepHandler({ plans: loadPlansConfig, lockTable: dynamoLockTable, guardTable: dynamoGuardTable, alertsHeard: alertsHeardFromTable }, createRestoreStep);
