import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCK_TABLE, useLockTable } from '../dynamo/lockTable.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoTargetLocks } from '../../../functions/core/orchestrate/dynamoLocks.js';
import { MemoryTargetLocks, type TargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { RestoreRefusedError } from '../../../functions/core/domain/errors.js';

/**
 * The one-restore-per-target lock, against dynalite (the DynamoDB API on 127.0.0.1) with the real
 * SDK client, and the in-memory variant the local runner uses: both must behave the same.
 */

let clock = new Date('2026-03-01T00:00:00Z');
const TABLE = LOCK_TABLE;
const STAGING = { groupId: '65f1a0000000000000000002', clusterName: 'staging-cluster' };
const inHours = (h: number) => new Date(clock.getTime() + h * 3_600_000);

const table = useLockTable();

let n = 0;
const variants: [string, () => TargetLocks][] = [
  // A fresh key space per test: each test locks its own cluster name.
  ['DynamoDB (dynalite)', () => new DynamoTargetLocks(table.client(), TABLE, () => clock)],
  ['memory', () => new MemoryTargetLocks(() => clock)],
];

describe.each(variants)('target locks: %s', (_name, make) => {
  let locks: TargetLocks;
  let target: typeof STAGING;
  beforeEach(() => {
    clock = new Date('2026-03-01T00:00:00Z');
    locks = make();
    target = { ...STAGING, clusterName: `staging-${++n}` };
  });

  it('refuses a second restore onto a busy target, naming the one that holds it', async () => {
    await locks.acquire(target, 'restore-a', inHours(2));
    const refusal = await locks.acquire(target, 'restore-b', inHours(2)).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect((refusal as RestoreRefusedError).code).toBe('TARGET_BUSY');
    expect((refusal as Error).message).toContain('restore-a');
  });

  it('lets the same restore take its lock again (a retried create)', async () => {
    await locks.acquire(target, 'restore-a', inHours(2));
    await expect(locks.acquire(target, 'restore-a', inHours(3))).resolves.toBeUndefined();
    expect((await locks.holder(target))?.restoreId).toBe('restore-a');
  });

  it('treats cluster names case-insensitively, as Atlas does', async () => {
    await locks.acquire(target, 'restore-a', inHours(2));
    await expect(locks.acquire({ ...target, clusterName: target.clusterName.toUpperCase() }, 'restore-b', inHours(2))).rejects.toThrow(/restore-a/);
  });

  it('frees the target on release, and only for the restore that holds it', async () => {
    await locks.acquire(target, 'restore-a', inHours(2));
    await locks.release(target, 'restore-b'); // not the holder: nothing changes
    expect((await locks.holder(target))?.restoreId).toBe('restore-a');
    await locks.release(target, 'restore-a');
    expect(await locks.holder(target)).toBeUndefined();
    await expect(locks.acquire(target, 'restore-b', inHours(2))).resolves.toBeUndefined();
  });

  it('lets a lock left behind by a dead execution expire', async () => {
    await locks.acquire(target, 'restore-a', inHours(1));
    clock = inHours(2);
    expect(await locks.holder(target)).toBeUndefined();
    await expect(locks.acquire(target, 'restore-b', inHours(2))).resolves.toBeUndefined();
    expect((await locks.holder(target))?.restoreId).toBe('restore-b');
  });

  it('remembers a create sent, and forgets it once Atlas refused it', async () => {
    const id = `restore-create-${n}`;
    expect(await locks.createSentAt(id)).toBeUndefined();
    await locks.noteCreateSent(id, clock, inHours(2));
    expect(await locks.createSentAt(id)).toEqual(clock);
    await locks.forgetCreateSent(id, inHours(2));
    expect(await locks.createSentAt(id)).toBeUndefined();
  });

  it('lets only one of two simultaneous restores take a free target', async () => {
    const results = await Promise.allSettled([
      locks.acquire(target, 'restore-a', inHours(2)),
      locks.acquire(target, 'restore-b', inHours(2)),
    ]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  });
});

describe('DynamoDB lock item', () => {
  it('stores the expiry as the TTL attribute in epoch seconds', async () => {
    const locks = new DynamoTargetLocks(table.client(), TABLE, () => clock);
    const until = new Date('2026-03-01T06:00:00Z');
    await locks.acquire({ ...STAGING, clusterName: 'ttl-check' }, 'restore-ttl', until);
    const { Item } = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: { target: { S: `${STAGING.groupId}/ttl-check` } } }));
    expect(Item?.expiresAt?.N).toBe(String(until.getTime() / 1000));
    expect(Item?.restoreId?.S).toBe('restore-ttl');
  });
});
