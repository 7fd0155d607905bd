import { DeleteItemCommand, GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { undeliveredKey, UNDELIVERED_DAYS, type UndeliveredReport, type UndeliveredReports } from './undelivered.js';
import { LOCK_TABLE_KEYS } from '../orchestrate/lockTableKeys.js';

const { partition: KEY, ttl: TTL } = LOCK_TABLE_KEYS;

/**
 * Reports kept for replay in the lock table, one item per report under `undelivered#<reportId>`,
 * kept UNDELIVERED_DAYS by the table's TTL. Item-level calls only (GetItem, PutItem, DeleteItem):
 * what lib/ already grants the notify function; read by report id (the ReportUndelivered log line
 * names it), never listed, so no Scan is granted.
 */
export class DynamoUndeliveredReports implements UndeliveredReports {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async put(entry: UndeliveredReport): Promise<void> {
    const expires = Math.ceil(this.now().getTime() / 1000) + UNDELIVERED_DAYS * 86_400;
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [KEY]: { S: undeliveredKey(entry.reportId) },
          reportId: { S: entry.reportId },
          channels: { SS: entry.channels },
          entry: { S: JSON.stringify(entry) },
          [TTL]: { N: String(expires) },
        },
      }),
    );
  }

  async get(reportId: string): Promise<UndeliveredReport | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: undeliveredKey(reportId) } }, ConsistentRead: true }),
    );
    const text = Item?.entry?.S;
    const expires = Number(Item?.[TTL]?.N);
    if (!text || !(Number.isFinite(expires) && expires * 1000 > this.now().getTime())) return undefined;
    return JSON.parse(text) as UndeliveredReport;
  }

  async remove(reportId: string): Promise<void> {
    await this.client.send(new DeleteItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: undeliveredKey(reportId) } } }));
  }
}
