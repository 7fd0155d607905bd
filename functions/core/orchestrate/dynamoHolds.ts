import {
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { ClusterRef } from '../plans/guards.js';
import { HOLD_KEY_PREFIX, holdChangedError, holdInForce, holdKey, TargetHold, type HoldCondition, type TargetHolds } from './holds.js';
import { LOCK_TABLE_KEYS } from './lockTableKeys.js';

const { partition: KEY, ttl: TTL } = LOCK_TABLE_KEYS;

type Item = Record<string, AttributeValue>;

/**
 * Holds in the lock table, one item per target under `hold#<groupId>/<cluster>`. A hold with an end
 * carries it as the TTL attribute, so DynamoDB deletes it on its own; reads check the end too,
 * since TTL deletion can lag by a day. A hold without an end has no TTL and stays until released.
 */
export class DynamoTargetHolds implements TargetHolds {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async place(hold: TargetHold, condition?: HoldCondition): Promise<TargetHold | undefined> {
    const { Attributes } = await this.conditional(hold.target, () =>
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(hold), ReturnValues: 'ALL_OLD', ...this.condition(condition) })),
    );
    return this.inForce(Attributes);
  }

  async release(target: ClusterRef, condition?: HoldCondition): Promise<TargetHold | undefined> {
    const { Attributes } = await this.conditional(target, () =>
      this.client.send(
        new DeleteItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: holdKey(target) } }, ReturnValues: 'ALL_OLD', ...this.condition(condition) }),
      ),
    );
    return this.inForce(Attributes);
  }

  /**
   * The write happens only if the hold in force is still the one the caller checked: none (no item,
   * or one whose end has passed), or the same owner, start and end.
   */
  private condition(condition: HoldCondition | undefined): { ConditionExpression?: string; ExpressionAttributeNames?: Record<string, string>; ExpressionAttributeValues?: Item } {
    if (!condition) return {};
    const expected = condition.expected;
    if (expected === null)
      return {
        ConditionExpression: 'attribute_not_exists(#k) OR (attribute_exists(#until) AND #until <= :now)',
        ExpressionAttributeNames: { '#k': KEY, '#until': 'until' },
        ExpressionAttributeValues: { ':now': { S: this.now().toISOString() } },
      };
    return {
      ConditionExpression: `#heldBy = :heldBy AND #since = :since AND ${expected.until ? '#until = :until' : 'attribute_not_exists(#until)'}`,
      ExpressionAttributeNames: { '#heldBy': 'heldBy', '#since': 'since', '#until': 'until' },
      ExpressionAttributeValues: {
        ':heldBy': { S: expected.heldBy },
        ':since': { S: expected.since },
        ...(expected.until ? { ':until': { S: expected.until } } : {}),
      },
    };
  }

  private async conditional<T>(target: ClusterRef, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (err) {
      if ((err as Error)?.name === 'ConditionalCheckFailedException') throw holdChangedError(target);
      throw err;
    }
  }

  async current(target: ClusterRef): Promise<TargetHold | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: holdKey(target) } }, ConsistentRead: true }),
    );
    return this.inForce(Item);
  }

  /** A scan of a table that holds one item per busy or held target (and short-lived run records). */
  async list(): Promise<TargetHold[]> {
    const holds: TargetHold[] = [];
    let start: Item | undefined;
    do {
      const page = await this.client.send(
        new ScanCommand({
          TableName: this.tableName,
          FilterExpression: 'begins_with(#k, :prefix)',
          ExpressionAttributeNames: { '#k': KEY },
          ExpressionAttributeValues: { ':prefix': { S: HOLD_KEY_PREFIX } },
          ...(start ? { ExclusiveStartKey: start } : {}),
        }),
      );
      for (const item of page.Items ?? []) {
        const hold = this.inForce(item);
        if (hold) holds.push(hold);
      }
      start = page.LastEvaluatedKey;
    } while (start);
    return holds.sort((a, b) => a.since.localeCompare(b.since));
  }

  private inForce(item: Item | undefined): TargetHold | undefined {
    const hold = fromItem(item);
    return holdInForce(hold, this.now()) ? hold : undefined;
  }
}

function toItem(hold: TargetHold): Item {
  const item: Item = {
    [KEY]: { S: holdKey(hold.target) },
    groupId: { S: hold.target.groupId },
    clusterName: { S: hold.target.clusterName },
    heldBy: { S: hold.heldBy },
    reason: { S: hold.reason },
    since: { S: hold.since },
  };
  if (hold.until) {
    item.until = { S: hold.until };
    item[TTL] = { N: String(Math.ceil(Date.parse(hold.until) / 1000)) };
  }
  if (hold.planName) item.planName = { S: hold.planName };
  if (hold.restoreId) item.restoreId = { S: hold.restoreId };
  return item;
}

/** An item that is not a readable hold (written by hand, or by another version) counts as none. */
function fromItem(item: Item | undefined): TargetHold | undefined {
  if (!item) return undefined;
  const s = (name: string) => item[name]?.S;
  const parsed = TargetHold.safeParse({
    target: { groupId: s('groupId'), clusterName: s('clusterName') },
    heldBy: s('heldBy'),
    reason: s('reason'),
    since: s('since'),
    ...(s('until') ? { until: s('until') } : {}),
    ...(s('planName') ? { planName: s('planName') } : {}),
    ...(s('restoreId') ? { restoreId: s('restoreId') } : {}),
  });
  return parsed.success ? parsed.data : undefined;
}
