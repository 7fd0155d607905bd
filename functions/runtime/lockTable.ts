import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LedgerTable, UndeliveredTable } from './ledger.js';
import { now } from './local.js';
import type { LockTable } from './locks.js';

/**
 * The DynamoDB lock table (lib/lock-table.ts): the target locks, and the delivery records notify
 * keeps beside them. Imported only by the handlers lib/ grants the table to; loaded on first use,
 * so local runs (no table) never pay for the SDK client. One client for both.
 */
let client: Promise<DynamoDBClient> | undefined;
const dynamoClient = () => (client ??= import('@aws-sdk/client-dynamodb').then(({ DynamoDBClient }) => new DynamoDBClient({})));

export const dynamoLockTable: LockTable = async (tableName) => {
  const [db, { DynamoTargetLocks }] = await Promise.all([dynamoClient(), import('../core/orchestrate/dynamoLocks.js')]);
  return new DynamoTargetLocks(db, tableName, now);
};

export const dynamoDeliveryLedger: LedgerTable = async (tableName) => {
  const [db, { DynamoDeliveryLedger }] = await Promise.all([dynamoClient(), import('../core/notify/dynamoLedger.js')]);
  return new DynamoDeliveryLedger(db, tableName, now);
};

export const dynamoUndeliveredReports: UndeliveredTable = async (tableName) => {
  const [db, { DynamoUndeliveredReports }] = await Promise.all([dynamoClient(), import('../core/notify/dynamoUndelivered.js')]);
  return new DynamoUndeliveredReports(db, tableName, now);
};
