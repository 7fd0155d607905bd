import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { LOCK_TABLE, useLockTable } from '../dynamo/lockTable.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { RestoreRefusedError } from '../../../functions/core/domain/errors.js';
import { DynamoTargetHolds } from '../../../functions/core/orchestrate/dynamoHolds.js';
import { DynamoRunRecords } from '../../../functions/core/orchestrate/dynamoRunRecords.js';
import { MemoryTargetHolds, type TargetHold, type TargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryRunRecords, type RunRecords } from '../../../functions/core/orchestrate/runRecords.js';

/**
 * Holds and run records (trigger events taken, plans' last starts) against dynalite with the real
 * SDK client, beside the in-memory variants the local runner uses: both must behave the same.
 */

let clock = new Date('2026-03-01T00:00:00Z');
const TABLE = LOCK_TABLE;
const GROUP = '65f1a0000000000000000002';
const inHours = (h: number) => new Date(clock.getTime() + h * 3_600_000);

const table = useLockTable();

let n = 0;
const holdsVariants: [string, () => TargetHolds][] = [
  ['DynamoDB (dynalite)', () => new DynamoTargetHolds(table.client(), TABLE, () => clock)],
  ['memory', () => new MemoryTargetHolds(() => clock)],
];

describe.each(holdsVariants)('target holds: %s', (_name, make) => {
  let holds: TargetHolds;
  let hold: TargetHold;
  beforeEach(() => {
    clock = new Date('2026-03-01T00:00:00Z');
    holds = make();
    hold = {
      target: { groupId: GROUP, clusterName: `held-${++n}` },
      heldBy: 'arn:aws:iam::123456789012:user/alice',
      reason: 'demo',
      since: clock.toISOString(),
      until: inHours(4).toISOString(),
    };
  });

  it('keeps who, until when and why, case-insensitively by cluster name', async () => {
    expect(await holds.place(hold)).toBeUndefined();
    expect(await holds.current({ ...hold.target, clusterName: hold.target.clusterName.toUpperCase() })).toEqual(hold);
    expect((await holds.list()).filter((h) => h.target.clusterName === hold.target.clusterName)).toEqual([hold]);
  });

  it('a conditional change is made only if the hold in force is still the one read (two callers racing cannot slip past)', async () => {
    const mallory = { ...hold, heldBy: 'arn:aws:iam::123456789012:user/mallory', until: inHours(1).toISOString() };
    // Read: no hold. Meanwhile alice places one. The write that expected none is refused.
    await holds.place(hold);
    const changed = await holds.place(mallory, { expected: null }).catch((e: unknown) => e);
    expect(changed).toBeInstanceOf(RestoreRefusedError);
    expect((changed as RestoreRefusedError).code).toBe('HOLD_CHANGED');
    expect(await holds.release(hold.target, { expected: mallory }).catch((e: RestoreRefusedError) => e.code)).toBe('HOLD_CHANGED');
    expect(await holds.current(hold.target)).toEqual(hold);
    // The hold read is the one in force: the change is made; an expired one counts as none.
    expect(await holds.place({ ...hold, reason: 'longer', until: inHours(8).toISOString() }, { expected: hold })).toEqual(hold);
    clock = inHours(9);
    expect(await holds.place({ ...mallory, since: clock.toISOString(), until: inHours(1).toISOString() }, { expected: null })).toBeUndefined();
    expect(await holds.release(hold.target, { expected: await holds.current(hold.target) ?? null })).toMatchObject({ heldBy: mallory.heldBy });
  });

  it('ends on its own at its end, and is then neither current nor listed', async () => {
    await holds.place(hold);
    clock = new Date(inHours(4).getTime() - 1000);
    expect(await holds.current(hold.target)).toEqual(hold);
    clock = inHours(4 / 3600);
    expect(await holds.current(hold.target)).toBeUndefined();
    expect((await holds.list()).some((h) => h.target.clusterName === hold.target.clusterName)).toBe(false);
  });

  it('a hold without an end lasts until released; releasing answers what was released', async () => {
    const { until: _until, ...open } = hold;
    await holds.place({ ...open, planName: 'recovery', restoreId: 'r-1' });
    clock = inHours(24 * 365);
    expect(await holds.current(hold.target)).toMatchObject({ planName: 'recovery', restoreId: 'r-1' });
    expect(await holds.release(hold.target)).toMatchObject({ restoreId: 'r-1' });
    expect(await holds.current(hold.target)).toBeUndefined();
    expect(await holds.release(hold.target)).toBeUndefined();
  });

  it('a new hold replaces the one in force and answers it', async () => {
    await holds.place(hold);
    const bob = { ...hold, heldBy: 'bob', reason: 'incident' };
    expect(await holds.place(bob)).toEqual(hold);
    expect(await holds.current(hold.target)).toEqual(bob);
  });
});

const runsVariants: [string, () => RunRecords][] = [
  ['DynamoDB (dynalite)', () => new DynamoRunRecords(table.client(), TABLE, () => clock)],
  ['memory', () => new MemoryRunRecords(() => clock)],
];

describe.each(runsVariants)('run records: %s', (_name, make) => {
  let runs: RunRecords;
  let key: string;
  beforeEach(() => {
    clock = new Date('2026-03-01T00:00:00Z');
    runs = make();
    key = `recovery|alarm|corruption|2026-03-01T00:00:0${++n % 10}.000Z-${n}`;
  });

  it('a trigger event is taken once: a repeat answers the first restore; a retry of the first is still first', async () => {
    expect(await runs.claimTrigger(key, 'exec-a', inHours(72))).toEqual({ first: true, restoreId: 'exec-a' });
    expect(await runs.claimTrigger(key, 'exec-b', inHours(72))).toEqual({ first: false, restoreId: 'exec-a' });
    expect(await runs.claimTrigger(key, 'exec-a', inHours(72))).toEqual({ first: true, restoreId: 'exec-a' });
  });

  it('only one of two simultaneous deliveries takes the event', async () => {
    const claims = await Promise.all([runs.claimTrigger(key, 'exec-a', inHours(72)), runs.claimTrigger(key, 'exec-b', inHours(72))]);
    expect(claims.filter((c) => c.first)).toHaveLength(1);
  });

  it('the memory of an event ends', async () => {
    await runs.claimTrigger(key, 'exec-a', inHours(72));
    clock = inHours(73);
    expect((await runs.claimTrigger(key, 'exec-b', inHours(72))).first).toBe(true);
  });

  it('a cooldown refuses another restore of the plan until it ends, never the same one', async () => {
    const planName = `plan-${n}`;
    await runs.startPlanRun(planName, 'r-1', 120);
    await expect(runs.startPlanRun(planName, 'r-1', 120)).resolves.toBeUndefined();
    clock = inHours(1);
    const refusal = await runs.startPlanRun(planName, 'r-2', 120).catch((e: unknown) => e);
    expect(refusal).toBeInstanceOf(RestoreRefusedError);
    expect((refusal as RestoreRefusedError).code).toBe('COOLDOWN');
    expect((refusal as Error).message).toContain('r-1');
    expect((refusal as Error).message).toContain('2026-03-01T02:00:00.000Z');
    expect(await runs.lastPlanRun(planName)).toMatchObject({ restoreId: 'r-1', startedAt: '2026-03-01T00:00:00.000Z' });
    clock = new Date('2026-03-01T02:00:00Z');
    await expect(runs.startPlanRun(planName, 'r-2', 120)).resolves.toBeUndefined();
    expect((await runs.lastPlanRun(planName))?.restoreId).toBe('r-2');
  });
});

describe('DynamoDB items', () => {
  it('a hold is a hold# item whose end is the TTL; a hold without an end has none', async () => {
    const holds = new DynamoTargetHolds(table.client(), TABLE, () => clock);
    const target = { groupId: GROUP, clusterName: 'TTL-Check' };
    await holds.place({ target, heldBy: 'a', reason: 'b', since: clock.toISOString(), until: '2026-03-01T06:00:00.000Z' });
    const key = { target: { S: `hold#${GROUP}/ttl-check` } };
    const { Item } = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: key }));
    expect(Item?.expiresAt?.N).toBe(String(Date.parse('2026-03-01T06:00:00Z') / 1000));
    await holds.place({ target, heldBy: 'a', reason: 'b', since: clock.toISOString() });
    const open = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: key }));
    expect(open.Item?.expiresAt).toBeUndefined();
  });

  it('trigger and plan records live under their own prefixes with their end as the TTL', async () => {
    const runs = new DynamoRunRecords(table.client(), TABLE, () => clock);
    await runs.claimTrigger('p|schedule|-|2026-03-01T03:00:00.000Z', 'exec-1', new Date('2026-03-04T00:00:00Z'));
    await runs.startPlanRun('nightly', 'exec-1', 60);
    const trigger = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: { target: { S: 'trigger#p|schedule|-|2026-03-01T03:00:00.000Z' } } }));
    expect(trigger.Item?.expiresAt?.N).toBe(String(Date.parse('2026-03-04T00:00:00Z') / 1000));
    const plan = await table.client().send(new GetItemCommand({ TableName: TABLE, Key: { target: { S: 'plan#nightly' } } }));
    expect(plan.Item?.expiresAt?.N).toBe(String(clock.getTime() / 1000 + 3600));
  });
});
