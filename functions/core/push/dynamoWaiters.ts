import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { LAST_ALERT_KEPT_MS, type AlertWaiter, type AlertWaiters, type ReceivedAlert } from './waiters.js';

/**
 * Alert waiters in DynamoDB (lib/push.ts): partition key `groupId`, sort key `entry`, TTL
 * `expiresAt` (epoch seconds). One project's items: `wait#<restoreId>` (the restore's current task
 * token), `alert#last` (the last restore alert), `alert#missed` (the last restore that ended
 * without its alert: ./missed.ts) and `seen#<delivery key>` (deliveries taken, so a duplicate
 * wakes nothing). Reads are strongly consistent: the receiver and a registering wait must
 * each see what the other wrote a moment before (./waiters.ts).
 */
export const WAITERS_KEYS = { partition: 'groupId', sort: 'entry', ttl: 'expiresAt' } as const;
const { partition: PK, sort: SK, ttl: TTL } = WAITERS_KEYS;

const WAIT = 'wait#';
const LAST_ALERT = 'alert#last';
const LAST_MISSED = 'alert#missed';
const SEEN = 'seen#';

const seconds = (d: Date): string => String(Math.ceil(d.getTime() / 1000));
const isConditionFailure = (err: unknown): boolean =>
  err instanceof ConditionalCheckFailedException || (err as Error | undefined)?.name === 'ConditionalCheckFailedException';

export class DynamoAlertWaiters implements AlertWaiters {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async register(waiter: AlertWaiter): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [PK]: { S: waiter.groupId },
          [SK]: { S: `${WAIT}${waiter.restoreId}` },
          restoreId: { S: waiter.restoreId },
          token: { S: waiter.token },
          [TTL]: { N: seconds(waiter.until) },
        },
      }),
    );
  }

  async waiting(groupId: string): Promise<AlertWaiter[]> {
    const nowSeconds = Math.floor(this.now().getTime() / 1000);
    const found: AlertWaiter[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          ConsistentRead: true,
          KeyConditionExpression: '#pk = :g AND begins_with(#sk, :wait)',
          ExpressionAttributeNames: { '#pk': PK, '#sk': SK },
          ExpressionAttributeValues: { ':g': { S: groupId }, ':wait': { S: WAIT } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const until = Number(item[TTL]?.N ?? 0);
        // TTL deletion lags; an expired entry is a wait that is long over.
        if (until <= nowSeconds || !item.token?.S || !item.restoreId?.S) continue;
        found.push({ groupId, restoreId: item.restoreId.S, token: item.token.S, until: new Date(until * 1000) });
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return found;
  }

  async remove(groupId: string, restoreId: string, token: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [PK]: { S: groupId }, [SK]: { S: `${WAIT}${restoreId}` } },
          ConditionExpression: '#token = :t',
          ExpressionAttributeNames: { '#token': 'token' },
          ExpressionAttributeValues: { ':t': { S: token } },
        }),
      );
    } catch (err) {
      // The restore registered a newer wait (or the entry is gone): that one stays.
      if (!isConditionFailure(err)) throw err;
    }
  }

  async noteAlert(alert: ReceivedAlert, deliveryKey: string, keepUntil: Date): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { [PK]: { S: alert.groupId }, [SK]: { S: `${SEEN}${deliveryKey}` }, [TTL]: { N: seconds(keepUntil) } },
          ConditionExpression: 'attribute_not_exists(#sk) OR #ttl < :now',
          ExpressionAttributeNames: { '#sk': SK, '#ttl': TTL },
          ExpressionAttributeValues: { ':now': { N: String(Math.floor(this.now().getTime() / 1000)) } },
        }),
      );
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [PK]: { S: alert.groupId },
          [SK]: { S: LAST_ALERT },
          eventTypeName: { S: alert.eventTypeName },
          at: { N: String(alert.at.getTime()) },
          [TTL]: { N: seconds(new Date(alert.at.getTime() + LAST_ALERT_KEPT_MS)) },
        },
      }),
    );
    return true;
  }

  async lastAlert(groupId: string): Promise<ReceivedAlert | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, ConsistentRead: true, Key: { [PK]: { S: groupId }, [SK]: { S: LAST_ALERT } } }),
    );
    if (!item?.at?.N || Number(item[TTL]?.N ?? 0) * 1000 <= this.now().getTime()) return undefined;
    return { groupId, eventTypeName: item.eventTypeName?.S ?? 'unknown', at: new Date(Number(item.at.N)) };
  }

  async noteMissed(groupId: string, at: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [PK]: { S: groupId },
          [SK]: { S: LAST_MISSED },
          at: { N: String(at.getTime()) },
          [TTL]: { N: seconds(new Date(at.getTime() + LAST_ALERT_KEPT_MS)) },
        },
      }),
    );
  }

  async lastMissed(groupId: string): Promise<Date | undefined> {
    const { Item: item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, ConsistentRead: true, Key: { [PK]: { S: groupId }, [SK]: { S: LAST_MISSED } } }),
    );
    // TTL deletion lags: an expired miss is one that no longer counts.
    if (!item?.at?.N || Number(item[TTL]?.N ?? 0) * 1000 <= this.now().getTime()) return undefined;
    return new Date(Number(item.at.N));
  }
}
