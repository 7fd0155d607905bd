import { MemoryRestoreHistory, type RestoreHistory } from '../core/history/store.js';
import { HISTORY_TABLE_ENV } from '../core/history/names.js';
import { localEnvironment } from './local.js';

/**
 * The restore history of this process: the local world's (memory or a file), else the history
 * table the environment names (lib/history-table.ts), else an in-process one (a test, a local run).
 * The DynamoDB client is loaded only when a table is named.
 */

let opened: Promise<RestoreHistory> | undefined;

export function restoreHistory(env: NodeJS.ProcessEnv = process.env): Promise<RestoreHistory> {
  const local = localEnvironment()?.history;
  if (local) return Promise.resolve(local);
  const table = env[HISTORY_TABLE_ENV];
  return (opened ??= table
    ? Promise.all([import('@aws-sdk/client-dynamodb'), import('../core/history/dynamoHistory.js')]).then(
        ([{ DynamoDBClient }, { DynamoRestoreHistory }]) => new DynamoRestoreHistory(new DynamoDBClient({}), table),
      )
    : Promise.resolve(new MemoryRestoreHistory()));
}
