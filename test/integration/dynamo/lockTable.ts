import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { useDynaliteTable } from './dynalite.js';
import { LOCK_PARTITION_KEY } from '../../../lib/lock-table.js';

/**
 * The lock table as lib/lock-table.ts makes it, served by dynalite (the DynamoDB API on 127.0.0.1)
 * for one test file, with the real SDK client: locks, holds, run and delivery records all live in it.
 */
export const LOCK_TABLE = 'locks';

export function useLockTable(): { client(): DynamoDBClient } {
  return useDynaliteTable({
    TableName: LOCK_TABLE,
    KeySchema: [{ AttributeName: LOCK_PARTITION_KEY, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: LOCK_PARTITION_KEY, AttributeType: 'S' }],
  });
}
