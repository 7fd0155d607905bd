import { PutItemCommand, QueryCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { RestoreRecord } from './record.js';
import type { RestoreHistory } from './store.js';

import { HISTORY_BY_PLAN_INDEX, HISTORY_KEY, HISTORY_PLAN, HISTORY_STARTED, HISTORY_TTL } from './names.js';

/**
 * Restore records in their own table (lib/history-table.ts: kept with the stack deleted, TTL =
 * retention). Keyed by restore id and written with `attribute_not_exists`, so the first record of a
 * restore stands and a retried notify learns it is there. Listed per plan through the byPlan index
 * (plan, startedAt); the record itself is one JSON attribute, read back through its schema.
 */
export class DynamoRestoreHistory implements RestoreHistory {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  async record(r: RestoreRecord): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [HISTORY_KEY]: { S: r.restoreId },
            [HISTORY_PLAN]: { S: r.plan },
            [HISTORY_STARTED]: { S: r.startedAt },
            [HISTORY_TTL]: { N: String(r.expiresAt) },
            record: { S: JSON.stringify(r) },
          },
          ConditionExpression: 'attribute_not_exists(#k)',
          ExpressionAttributeNames: { '#k': HISTORY_KEY },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }

  async list(filter: { plan?: string; since?: Date }): Promise<RestoreRecord[]> {
    if (filter.plan === undefined) throw new Error('Listing the restore history needs a plan');
    const records: RestoreRecord[] = [];
    let start: Record<string, never> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: HISTORY_BY_PLAN_INDEX,
          KeyConditionExpression: filter.since ? '#p = :p AND #s >= :since' : '#p = :p',
          ExpressionAttributeNames: { '#p': HISTORY_PLAN, ...(filter.since ? { '#s': HISTORY_STARTED } : {}) },
          ExpressionAttributeValues: { ':p': { S: filter.plan }, ...(filter.since ? { ':since': { S: filter.since.toISOString() } } : {}) },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const parsed = RestoreRecord.safeParse(JSON.parse(item.record?.S ?? 'null'));
        if (parsed.success) records.push(parsed.data);
      }
      start = page.LastEvaluatedKey as Record<string, never> | undefined;
    } while (start);
    return records;
  }
}
