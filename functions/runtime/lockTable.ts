import { now } from './local.js';
import type { LockTable } from './locks.js';

/**
 * The DynamoDB lock table (lib/lock-table.ts). Imported only by the handlers that take locks;
 * loaded on first use, so local runs (no table) never pay for the SDK client.
 */
export const dynamoLockTable: LockTable = async (tableName) => {
  const [{ DynamoDBClient }, { DynamoTargetLocks }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('../core/orchestrate/dynamoLocks.js'),
  ]);
  return new DynamoTargetLocks(new DynamoDBClient({}), tableName, now);
};
