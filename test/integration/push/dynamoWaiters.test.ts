import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoAlertWaiters, WAITERS_KEYS } from '../../../functions/core/push/dynamoWaiters.js';
import { alertsHeard } from '../../../functions/core/push/heard.js';
import { useDynaliteTable } from '../dynamo/dynalite.js';

/** The alert waiters table as lib/push.ts makes it (groupId + entry, TTL), served by dynalite, with the real SDK client. */
const table = useDynaliteTable({
  TableName: 'waiters',
  KeySchema: [
    { AttributeName: WAITERS_KEYS.partition, KeyType: 'HASH' },
    { AttributeName: WAITERS_KEYS.sort, KeyType: 'RANGE' },
  ],
  AttributeDefinitions: [
    { AttributeName: WAITERS_KEYS.partition, AttributeType: 'S' },
    { AttributeName: WAITERS_KEYS.sort, AttributeType: 'S' },
  ],
});

const G1 = '65f1a0000000000000000001';
const G2 = '65f1a0000000000000000002';
const at = (iso: string) => new Date(iso);

describe('alert waiters in DynamoDB', () => {
  it('finds the current wait of each restore on a project, and only live ones', async () => {
    let now = at('2026-12-01T10:00:00Z');
    const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => now);
    await waiters.register({ groupId: G1, restoreId: 'r1', token: 't1-old', until: at('2026-12-01T11:00:00Z') });
    await waiters.register({ groupId: G1, restoreId: 'r1', token: 't1', until: at('2026-12-01T11:00:00Z') });
    await waiters.register({ groupId: G1, restoreId: 'r2', token: 't2', until: at('2026-12-01T10:30:00Z') });
    await waiters.register({ groupId: G2, restoreId: 'r3', token: 't3', until: at('2026-12-01T11:00:00Z') });
    expect((await waiters.waiting(G1)).map((w) => w.token).sort()).toEqual(['t1', 't2']);
    now = at('2026-12-01T10:45:00Z');
    expect((await waiters.waiting(G1)).map((w) => w.token)).toEqual(['t1']);
  });

  it('forgets a wait only while it still has the token given (a newer wait stays)', async () => {
    const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => at('2026-12-01T10:00:00Z'));
    await waiters.register({ groupId: G2, restoreId: 'r4', token: 'new', until: at('2026-12-01T11:00:00Z') });
    await waiters.remove(G2, 'r4', 'old');
    expect((await waiters.waiting(G2)).map((w) => w.token)).toContain('new');
    await waiters.remove(G2, 'r4', 'new');
    expect((await waiters.waiting(G2)).map((w) => w.token)).not.toContain('new');
  });

  it('takes a delivery once and remembers the project’s last alert', async () => {
    const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => at('2026-12-01T10:00:00Z'));
    const alert = { groupId: G1, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', at: at('2026-12-01T10:00:00Z') };
    expect(await waiters.lastAlert(G1)).toBeUndefined();
    expect(await waiters.noteAlert(alert, 'delivery-1', at('2026-12-02T10:00:00Z'))).toBe(true);
    expect(await waiters.noteAlert(alert, 'delivery-1', at('2026-12-02T10:00:00Z'))).toBe(false);
    expect(await waiters.lastAlert(G1)).toEqual(alert);
  });

  it('keeps the last alert for weeks (the evidence that the project’s alerts arrive), while a delivery is forgotten after a day', async () => {
    let now = at('2026-11-01T10:00:00Z');
    const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => now);
    const alert = { groupId: G2, eventTypeName: 'CPS_RESTORE_FAILED', at: now };
    expect(await waiters.noteAlert(alert, 'delivery-2', at('2026-11-02T10:00:00Z'))).toBe(true);
    now = at('2026-11-30T10:00:00Z');
    expect(await alertsHeard(waiters, ['65f1a00000000000000000ee', G2])).toBe(true);
    // The same delivery a month later is taken again: only its key had the short memory.
    expect(await waiters.noteAlert(alert, 'delivery-2', at('2026-12-01T10:00:00Z'))).toBe(true);
    now = at('2026-12-07T10:00:01Z');
    expect(await alertsHeard(waiters, [G2])).toBe(false);
  });

  describe('a missed alert (functions/core/push/missed.ts)', () => {
    const G3 = '65f1a0000000000000000003';
    const G4 = '65f1a0000000000000000004';
    const G5 = '65f1a0000000000000000005';
    const alert = (groupId: string, iso: string) => ({ groupId, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', at: at(iso) });

    it('an alert after the miss: the project is heard from again', async () => {
      const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => at('2026-12-01T12:00:00Z'));
      await waiters.noteAlert(alert(G3, '2026-12-01T08:00:00Z'), 'g3-first', at('2026-12-02T08:00:00Z'));
      await waiters.noteMissed(G3, at('2026-12-01T10:00:00Z'));
      expect(await alertsHeard(waiters, [G3])).toBe(false);
      await waiters.noteAlert(alert(G3, '2026-12-01T11:00:00Z'), 'g3-second', at('2026-12-02T11:00:00Z'));
      expect(await alertsHeard(waiters, [G3])).toBe(true);
    });

    it('a miss after the last alert: not heard from, on either project of a restore, until an alert comes', async () => {
      const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => at('2026-12-01T12:00:00Z'));
      await waiters.noteAlert(alert(G4, '2026-12-01T09:00:00Z'), 'g4-first', at('2026-12-02T09:00:00Z'));
      expect(await alertsHeard(waiters, [G4, G5])).toBe(true);
      for (const g of [G4, G5]) await waiters.noteMissed(g, at('2026-12-01T09:30:00Z'));
      expect(await waiters.lastMissed(G4)).toEqual(at('2026-12-01T09:30:00Z'));
      expect(await alertsHeard(waiters, [G4, G5])).toBe(false);
    });

    it('is kept as long as a last alert (35 days, the item’s TTL), then no longer counts', async () => {
      let now = at('2026-10-01T10:00:00Z');
      const waiters = new DynamoAlertWaiters(table.client(), 'waiters', () => now);
      await waiters.noteMissed(G5, now);
      const { Item } = await table.client().send(
        new GetItemCommand({ TableName: 'waiters', Key: { [WAITERS_KEYS.partition]: { S: G5 }, [WAITERS_KEYS.sort]: { S: 'alert#missed' } } }),
      );
      expect(Item?.[WAITERS_KEYS.ttl]?.N).toBe(String(Date.parse('2026-11-05T10:00:00Z') / 1000));
      now = at('2026-11-05T09:59:59Z');
      expect(await waiters.lastMissed(G5)).toEqual(at('2026-10-01T10:00:00Z'));
      now = at('2026-11-05T10:00:00Z');
      expect(await waiters.lastMissed(G5)).toBeUndefined();
    });
  });
});
