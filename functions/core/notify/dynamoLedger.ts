import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { deliveryKey, deliveryRecordExpiry, type DeliveryLedger, type DeliveryRecord } from './ledger.js';
import { LOCK_TABLE_KEYS } from '../orchestrate/lockTableKeys.js';

const { partition: KEY, ttl: TTL } = LOCK_TABLE_KEYS;

/**
 * Delivery records in the lock table, one item per (report id, channel) under `delivery#…`, kept
 * DELIVERY_RECORD_DAYS by the table's TTL. Reads are consistent (a retry seconds after a send must
 * see its record); writes are conditional, so the first record stands and a second notify that
 * sent the same report at the same time learns it. Item-level calls only (GetItem, PutItem): what
 * lib/ grants the notify function. An expired item DynamoDB has not deleted yet (TTL can lag by a
 * day) counts as gone, as in the memory ledger.
 */
export class DynamoDeliveryLedger implements DeliveryLedger {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async taken(reportId: string, channels: readonly string[]): Promise<DeliveryRecord[]> {
    const found = await Promise.all(
      channels.map(async (channel) => {
        const { Item } = await this.client.send(
          new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: deliveryKey(reportId, channel) } }, ConsistentRead: true }),
        );
        const at = Item?.deliveredAt?.S;
        const expires = Number(Item?.[TTL]?.N);
        return at && Number.isFinite(expires) && expires * 1000 > this.now().getTime() ? { channel, at } : undefined;
      }),
    );
    return found.filter((r): r is DeliveryRecord => r !== undefined);
  }

  async record(reportId: string, channel: string, at: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [KEY]: { S: deliveryKey(reportId, channel) },
            reportId: { S: reportId },
            channel: { S: channel },
            deliveredAt: { S: at.toISOString() },
            [TTL]: { N: String(Math.ceil(deliveryRecordExpiry(at).getTime() / 1000)) },
          },
          ConditionExpression: 'attribute_not_exists(#k) OR #ttl < :now',
          ExpressionAttributeNames: { '#k': KEY, '#ttl': TTL },
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(this.now().getTime() / 1000)) } },
        }),
      );
      return true;
    } catch (err) {
      if ((err as Error)?.name === 'ConditionalCheckFailedException') return false;
      throw err;
    }
  }
}
