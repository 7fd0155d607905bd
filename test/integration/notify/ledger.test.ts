import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCK_TABLE, useLockTable } from '../dynamo/lockTable.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoDeliveryLedger } from '../../../functions/core/notify/dynamoLedger.js';
import { DELIVERY_RECORD_DAYS, MemoryDeliveryLedger, type DeliveryLedger } from '../../../functions/core/notify/ledger.js';
import { DynamoTargetLocks } from '../../../functions/core/orchestrate/dynamoLocks.js';
import { LOCK_PARTITION_KEY, LOCK_TTL_ATTRIBUTE } from '../../../lib/lock-table.js';

/**
 * Notify's delivery records, against dynalite (the DynamoDB API on 127.0.0.1) with the real SDK
 * client and a table shaped as lib/lock-table.ts makes it, and the in-memory variant the local
 * runner uses: both must behave the same.
 */

let clock = new Date('2026-03-01T04:00:00Z');
const TABLE = LOCK_TABLE;
const CHANNELS = ['sns', 'eventBridge', 'webhook:slack'];
const DAY = 86_400_000;

const table = useLockTable();

let n = 0;
const variants: [string, () => DeliveryLedger][] = [
  ['DynamoDB (dynalite)', () => new DynamoDeliveryLedger(table.client(), TABLE, () => clock)],
  ['memory', () => new MemoryDeliveryLedger(() => clock)],
];

describe.each(variants)('delivery records: %s', (_name, make) => {
  let ledger: DeliveryLedger;
  let reportId: string;
  beforeEach(() => {
    clock = new Date('2026-03-01T04:00:00Z');
    ledger = make();
    // A fresh key space per test: each test reports its own restore.
    reportId = `restore-${++n}/SUCCEEDED`;
  });

  it('knows no channel for a report nobody sent', async () => {
    expect(await ledger.taken(reportId, CHANNELS)).toEqual([]);
  });

  it('keeps the first record of a channel: a second one answers false and changes nothing', async () => {
    expect(await ledger.record(reportId, 'sns', clock)).toBe(true);
    expect(await ledger.record(reportId, 'sns', new Date(clock.getTime() + 60_000))).toBe(false);
    expect(await ledger.taken(reportId, CHANNELS)).toEqual([{ channel: 'sns', at: clock.toISOString() }]);
  });

  it('keeps records per report and per channel', async () => {
    await ledger.record(reportId, 'sns', clock);
    await ledger.record(reportId, 'webhook:slack', clock);
    expect((await ledger.taken(reportId, CHANNELS)).map((r) => r.channel)).toEqual(['sns', 'webhook:slack']);
    // The same restore's next report (its own id) has none yet.
    expect(await ledger.taken(reportId.replace('SUCCEEDED', 'RUNNING'), CHANNELS)).toEqual([]);
    // Only the channels asked about are answered.
    expect(await ledger.taken(reportId, ['eventBridge'])).toEqual([]);
  });

  it('lets only one of two simultaneous notifies record the same channel', async () => {
    const results = await Promise.all([ledger.record(reportId, 'eventBridge', clock), ledger.record(reportId, 'eventBridge', clock)]);
    expect(results.sort()).toEqual([false, true]);
  });

  it(`holds a record for ${DELIVERY_RECORD_DAYS} days, then forgets it`, async () => {
    await ledger.record(reportId, 'sns', clock);
    clock = new Date(clock.getTime() + (DELIVERY_RECORD_DAYS * DAY - 60_000));
    expect(await ledger.taken(reportId, ['sns'])).toHaveLength(1);
    clock = new Date(clock.getTime() + 120_000);
    expect(await ledger.taken(reportId, ['sns'])).toEqual([]);
    expect(await ledger.record(reportId, 'sns', clock)).toBe(true);
  });
});

describe('delivery records in the lock table', () => {
  it('are items under delivery#<report id>#<channel> with the TTL attribute in epoch seconds', async () => {
    const ledger = new DynamoDeliveryLedger(table.client(), TABLE, () => clock);
    const at = new Date('2026-03-01T04:02:05Z');
    await ledger.record('nightly-1/SUCCEEDED', 'webhook:slack', at);
    const { Item } = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: { [LOCK_PARTITION_KEY]: { S: 'delivery#nightly-1/SUCCEEDED#webhook:slack' } } }));
    expect(Item?.[LOCK_TTL_ATTRIBUTE]?.N).toBe(String(at.getTime() / 1000 + DELIVERY_RECORD_DAYS * 86_400));
    expect(Item?.deliveredAt?.S).toBe(at.toISOString());
  });

  it('live beside the target locks without touching them', async () => {
    const target = { groupId: '65f1a0000000000000000002', clusterName: 'beside-locks' };
    const locks = new DynamoTargetLocks(table.client(), TABLE, () => clock);
    const ledger = new DynamoDeliveryLedger(table.client(), TABLE, () => clock);
    await locks.acquire(target, 'restore-x', new Date(clock.getTime() + 3_600_000));
    await ledger.record('restore-x/SUCCEEDED', 'sns', clock);
    expect((await locks.holder(target))?.restoreId).toBe('restore-x');
    await locks.release(target, 'restore-x');
    expect(await ledger.taken('restore-x/SUCCEEDED', ['sns'])).toHaveLength(1);
  });
});
