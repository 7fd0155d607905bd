import { ENV } from '../core/domain/observability.js';
import { alertsHeard } from '../core/push/heard.js';
import { MemoryAlertWaiters, type AlertWaiters } from '../core/push/waiters.js';
import { localEnvironment, now } from './local.js';

/**
 * Restores waiting for Atlas alerts (functions/core/push/waiters.ts): the local world's when there
 * is one, else the waiters table lib/push.ts grants. A module of its own because create reads it
 * too and should not bundle the push functions' Step Functions and Secrets Manager clients. A
 * Lambda given no table fails loudly: waiters kept in one container would never be found by the
 * receiver.
 */
let waiters: Promise<AlertWaiters> | undefined;

export async function alertWaiters(): Promise<AlertWaiters> {
  const local = localEnvironment()?.alerts;
  if (local) return local.waiters;
  const table = process.env[ENV.alertWaitersTable];
  if (!table) {
    if (process.env.AWS_LAMBDA_FUNCTION_NAME) throw new Error(`${ENV.alertWaitersTable} is not set`);
    return (waiters ??= Promise.resolve(new MemoryAlertWaiters(now)));
  }
  return (waiters ??= Promise.all([import('@aws-sdk/client-dynamodb'), import('../core/push/dynamoWaiters.js')]).then(
    ([{ DynamoDBClient }, { DynamoAlertWaiters }]) => new DynamoAlertWaiters(new DynamoDBClient({}), table, now),
  ));
}

/** Create's question (functions/core/push/heard.ts), answered from the waiters table. */
export const alertsHeardFromTable = async (groupIds: readonly string[]): Promise<boolean> => alertsHeard(await alertWaiters(), groupIds);
