import { now } from './local.js';
import type { GuardTable } from './guards.js';

/**
 * Holds and run records in the DynamoDB lock table (lib/lock-table.ts). Imported only by the
 * handlers lib/ grants the table to; loaded on first use, so local runs never pay for the client.
 */
export const dynamoGuardTable: GuardTable = async (tableName) => {
  const [{ DynamoDBClient }, { DynamoTargetHolds }, { DynamoRunRecords }] = await Promise.all([
    import('@aws-sdk/client-dynamodb'),
    import('../core/orchestrate/dynamoHolds.js'),
    import('../core/orchestrate/dynamoRunRecords.js'),
  ]);
  const client = new DynamoDBClient({});
  return { holds: new DynamoTargetHolds(client, tableName, now), runs: new DynamoRunRecords(client, tableName, now) };
};
