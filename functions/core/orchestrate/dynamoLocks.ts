import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ClusterRef } from '../plans/guards.js';
import { createRecordKey, lockKey, targetBusyError, type TargetLockHolder, type TargetLocks } from './locks.js';
import { LOCK_TABLE_KEYS } from './lockTableKeys.js';

const { partition: KEY, ttl: TTL } = LOCK_TABLE_KEYS;

/**
 * Locks in DynamoDB, taken with one conditional put: free, expired, or already ours. `expiresAt`
 * (epoch seconds) is also the table's TTL attribute, so DynamoDB deletes stale items on its own;
 * the condition does not wait for that (TTL deletion can lag by a day).
 */
export class DynamoTargetLocks implements TargetLocks {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async acquire(target: ClusterRef, restoreId: string, until: Date): Promise<void> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: {
            [KEY]: { S: lockKey(target) },
            restoreId: { S: restoreId },
            [TTL]: { N: String(Math.ceil(until.getTime() / 1000)) },
          },
          ConditionExpression: 'attribute_not_exists(#k) OR restoreId = :me OR #ttl < :now',
          ExpressionAttributeNames: { '#k': KEY, '#ttl': TTL },
          ExpressionAttributeValues: { ':me': { S: restoreId }, ':now': { N: String(Math.floor(this.now().getTime() / 1000)) } },
        }),
      );
    } catch (err) {
      if (!(err instanceof ConditionalCheckFailedException) && (err as Error)?.name !== 'ConditionalCheckFailedException') throw err;
      const current = await this.holder(target);
      // Released between our put and our read: the caller's retry will take it.
      throw targetBusyError(target, current ?? { restoreId: 'another restore', until: 'it is released' });
    }
  }

  async release(target: ClusterRef, restoreId: string): Promise<void> {
    try {
      await this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: { [KEY]: { S: lockKey(target) } },
          ConditionExpression: 'restoreId = :me',
          ExpressionAttributeValues: { ':me': { S: restoreId } },
        }),
      );
    } catch (err) {
      // Not ours (or already gone): releasing someone else's lock would be the real bug.
      if ((err as Error)?.name !== 'ConditionalCheckFailedException') throw err;
    }
  }

  async holder(target: ClusterRef): Promise<TargetLockHolder | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: lockKey(target) } }, ConsistentRead: true }),
    );
    const restoreId = Item?.restoreId?.S;
    const expires = Number(Item?.[TTL]?.N);
    if (!restoreId || !Number.isFinite(expires) || expires * 1000 <= this.now().getTime()) return undefined;
    return { restoreId, until: new Date(expires * 1000).toISOString() };
  }

  async noteCreateSent(restoreId: string, at: Date, until: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: {
          [KEY]: { S: createRecordKey(restoreId) },
          sentAt: { S: at.toISOString() },
          [TTL]: { N: String(Math.ceil(until.getTime() / 1000)) },
        },
      }),
    );
  }

  /** The record stays (a PutItem, as noteCreateSent: no other permission) without its sentAt. */
  async forgetCreateSent(restoreId: string, until: Date): Promise<void> {
    await this.client.send(
      new PutItemCommand({
        TableName: this.tableName,
        Item: { [KEY]: { S: createRecordKey(restoreId) }, [TTL]: { N: String(Math.ceil(until.getTime() / 1000)) } },
      }),
    );
  }

  async createSentAt(restoreId: string): Promise<Date | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: createRecordKey(restoreId) } }, ConsistentRead: true }),
    );
    const sentAt = Item?.sentAt?.S;
    return sentAt ? new Date(sentAt) : undefined;
  }
}
