import { GetItemCommand, PutItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { cooldownError, PLAN_KEY_PREFIX, TRIGGER_KEY_PREFIX, type PlanRun, type RunRecords, type TriggerClaim } from './runRecords.js';
import { LOCK_TABLE_KEYS } from './lockTableKeys.js';

const { partition: KEY, ttl: TTL } = LOCK_TABLE_KEYS;

const isConditionFailure = (err: unknown) => (err as Error)?.name === 'ConditionalCheckFailedException';

/**
 * Run records in the lock table. Each item's TTL is its own end (the event's dedup window, the
 * plan's cooldown), so DynamoDB clears them; the conditions compare with the clock themselves
 * because TTL deletion can lag. A lost race re-reads the item to name the winner.
 */
export class DynamoRunRecords implements RunRecords {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async claimTrigger(key: string, restoreId: string, until: Date): Promise<TriggerClaim> {
    const id = `${TRIGGER_KEY_PREFIX}${key}`;
    const claimed = await this.claim(id, restoreId, until, {});
    if (claimed) return { first: true, restoreId };
    const { Item } = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: id } }, ConsistentRead: true }));
    return { first: false, restoreId: Item?.restoreId?.S ?? 'another restore' };
  }

  async startPlanRun(planName: string, restoreId: string, cooldownMinutes: number): Promise<void> {
    const now = this.now();
    const until = new Date(now.getTime() + cooldownMinutes * 60_000);
    const claimed = await this.claim(`${PLAN_KEY_PREFIX}${planName}`, restoreId, until, {
      startedAt: { S: now.toISOString() },
      cooldownUntil: { S: until.toISOString() },
    });
    if (claimed) return;
    const last = await this.lastPlanRun(planName);
    // Ended between our write and our read: the create step's retry will take it.
    throw cooldownError(planName, last ?? { restoreId: 'another restore', startedAt: 'just now', cooldownUntil: 'shortly' });
  }

  async lastPlanRun(planName: string): Promise<PlanRun | undefined> {
    const { Item } = await this.client.send(
      new GetItemCommand({ TableName: this.tableName, Key: { [KEY]: { S: `${PLAN_KEY_PREFIX}${planName}` } }, ConsistentRead: true }),
    );
    const restoreId = Item?.restoreId?.S;
    const startedAt = Item?.startedAt?.S;
    const cooldownUntil = Item?.cooldownUntil?.S;
    if (!restoreId || !startedAt || !cooldownUntil || Date.parse(cooldownUntil) <= this.now().getTime()) return undefined;
    return { restoreId, startedAt, cooldownUntil };
  }

  /** One conditional put: free, past its end, or already ours. False when another restore has it. */
  private async claim(id: string, restoreId: string, until: Date, extra: Record<string, { S: string }>): Promise<boolean> {
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { [KEY]: { S: id }, restoreId: { S: restoreId }, [TTL]: { N: String(Math.ceil(until.getTime() / 1000)) }, ...extra },
          ConditionExpression: 'attribute_not_exists(#k) OR restoreId = :me OR #ttl <= :now',
          ExpressionAttributeNames: { '#k': KEY, '#ttl': TTL },
          ExpressionAttributeValues: { ':me': { S: restoreId }, ':now': { N: String(Math.floor(this.now().getTime() / 1000)) } },
        }),
      );
      return true;
    } catch (err) {
      if (!isConditionFailure(err)) throw err;
      return false;
    }
  }
}
