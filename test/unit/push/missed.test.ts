import { describe, expect, it } from 'vitest';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import { notifyRestoreStep, type NotifyChannels } from '../../../functions/core/finish/finishRestore.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { alertsHeard } from '../../../functions/core/push/heard.js';
import { alertMissed, alertOwed } from '../../../functions/core/push/missed.js';
import { MemoryAlertWaiters, type AlertWaiters } from '../../../functions/core/push/waiters.js';
import type { NotifyInput } from '../../../functions/core/workflow/contract.js';
import { context, ENDED, notifyDeps, PROD_GROUP, STAGING_GROUP, status } from '../notify/fixtures.js';

/**
 * The missed-alert rule (functions/core/push/missed.ts) and what notify does with it: a restore in
 * projects whose alerts were arriving, ended the way Atlas alerts on, seen by the backstop, with
 * no alert from its projects since the job's end.
 */

const PUSH = { groupIds: [PROD_GROUP, STAGING_GROUP], backstopPercent: 20, backstopFloorSeconds: 60, heard: true };
/** Atlas's finish time in the fixtures' status; the backstop's look came 8 minutes later. */
const FINISHED = '2026-03-01T04:02:00Z';
const LOOKED = '2026-03-01T04:10:00Z';

function seenByBackstop(fields: Partial<NotifyInput> = {}): NotifyInput {
  return {
    restore: context({ push: PUSH }),
    status: status({ finishedAt: FINISHED }),
    poll: { count: 22, waitSeconds: 900, deadlinePassed: false, untilAlert: true, lookedAt: LOOKED, next: 'report' },
    ...fields,
  };
}

const alertAt = (waiters: MemoryAlertWaiters, groupId: string, iso: string, key = iso) =>
  waiters.noteAlert({ groupId, eventTypeName: 'CPS_RESTORE_SUCCESSFUL', at: new Date(iso) }, `${groupId}-${key}`, new Date(Date.parse(iso) + 86_400_000));

describe('the missed-alert rule', () => {
  it('a backstop look saw the end and no alert came since: a miss, whatever came before the end', async () => {
    const waiters = new MemoryAlertWaiters(() => ENDED);
    await alertAt(waiters, PROD_GROUP, '2026-03-01T02:00:00Z');
    const owed = alertOwed(seenByBackstop());
    expect(owed).toEqual({ groupIds: [PROD_GROUP, STAGING_GROUP], endedAt: new Date(FINISHED) });
    expect(await alertMissed(owed!, waiters)).toBe(true);
  });

  it('an alert woke the look that saw the end: no miss', () => {
    const input = seenByBackstop();
    expect(alertOwed({ ...input, poll: { ...input.poll!, wokenByAlert: true, alertWakes: 1 } })).toBeUndefined();
  });

  it('an alert from either project after the end (or racing Atlas’s clock by under a minute): no miss', async () => {
    const owed = alertOwed(seenByBackstop())!;
    const after = new MemoryAlertWaiters(() => ENDED);
    await alertAt(after, STAGING_GROUP, '2026-03-01T04:02:30Z');
    expect(await alertMissed(owed, after)).toBe(false);
    const racing = new MemoryAlertWaiters(() => ENDED);
    await alertAt(racing, PROD_GROUP, '2026-03-01T04:01:10Z');
    expect(await alertMissed(owed, racing)).toBe(false);
    const before = new MemoryAlertWaiters(() => ENDED);
    await alertAt(before, PROD_GROUP, '2026-03-01T04:00:50Z');
    expect(await alertMissed(owed, before)).toBe(true);
  });

  it('projects not heard from (polled as usual already), or push off: no miss', () => {
    expect(alertOwed(seenByBackstop({ restore: context({ push: { ...PUSH, heard: false } }) }))).toBeUndefined();
    expect(alertOwed(seenByBackstop({ restore: context() }))).toBeUndefined();
    // A state from before `heard` existed counts as heard.
    const { heard: _, ...before } = PUSH;
    expect(alertOwed(seenByBackstop({ restore: context({ push: before }) }))).toBeDefined();
  });

  it('ends Atlas raises no alert for: no miss (Flex, legacy; a cancelled or expired cloud job)', () => {
    const flex = { kind: 'flex' as const, source: { groupId: PROD_GROUP, clusterName: 'flex-dev' }, snapshotId: '66a0b1c2d3e4f5a6b7c8d903', target: { groupId: STAGING_GROUP, clusterName: 'flex-target' } };
    expect(alertOwed(seenByBackstop({ restore: context({ push: PUSH, request: flex as never }) }))).toBeUndefined();
    expect(alertOwed(seenByBackstop({ status: status({ state: 'CANCELLED', finishedAt: FINISHED }) }))).toBeUndefined();
    expect(alertOwed(seenByBackstop({ status: status({ state: 'EXPIRED', finishedAt: FINISHED }) }))).toBeUndefined();
    expect(alertOwed(seenByBackstop({ status: status({ state: 'FAILED', finishedAt: FINISHED }) }))).toBeDefined();
  });

  it('a collection restore owes an alert for a cancelled end too (CPS_COLLECTION_RESTORE_CANCELED)', () => {
    const collection = { kind: 'collection' as const, source: { groupId: PROD_GROUP, clusterName: 'prod-cluster' }, target: { groupId: STAGING_GROUP, clusterName: 'staging-cluster' } };
    const input = seenByBackstop({ restore: context({ push: PUSH, request: collection as never }), status: status({ kind: 'collection', state: 'CANCELLED', finishedAt: FINISHED }) });
    expect(alertOwed(input)).toBeDefined();
  });

  it('nothing is concluded from a look within a minute of the end, or from create seeing an ended job', () => {
    const input = seenByBackstop();
    expect(alertOwed({ ...input, poll: { ...input.poll!, lookedAt: '2026-03-01T04:02:40Z' } })).toBeUndefined();
    expect(alertOwed({ ...input, poll: { ...input.poll!, count: 0 } })).toBeUndefined();
  });

  it('without Atlas’s finish time, the restore’s start bounds the end', () => {
    const owed = alertOwed(seenByBackstop({ status: status({ finishedAt: undefined }) }));
    expect(owed?.endedAt).toEqual(new Date('2026-03-01T03:00:00.000Z'));
  });
});

describe('a project that missed an alert', () => {
  it('is not heard from until its next alert; a miss older than its last alert does not count', async () => {
    let now = new Date('2026-03-01T05:00:00Z');
    const waiters = new MemoryAlertWaiters(() => now);
    await alertAt(waiters, PROD_GROUP, '2026-03-01T02:00:00Z');
    expect(await alertsHeard(waiters, [PROD_GROUP])).toBe(true);
    await waiters.noteMissed(PROD_GROUP, new Date('2026-03-01T04:10:00Z'));
    expect(await alertsHeard(waiters, [PROD_GROUP])).toBe(false);
    await alertAt(waiters, PROD_GROUP, '2026-03-01T06:00:00Z');
    expect(await alertsHeard(waiters, [PROD_GROUP])).toBe(true);
    // A miss is kept as long as a last alert (35 days), then forgotten.
    await waiters.noteMissed(PROD_GROUP, new Date('2026-03-01T07:00:00Z'));
    expect(await waiters.lastMissed(PROD_GROUP)).toEqual(new Date('2026-03-01T07:00:00Z'));
    now = new Date('2026-04-05T07:00:01Z');
    expect(await waiters.lastMissed(PROD_GROUP)).toBeUndefined();
  });
});

describe('notify and a missed alert', () => {
  const plans = PlansConfig.parse({ plans: [] });

  function missedDeps(waiters: AlertWaiters) {
    const sent: string[] = [];
    const channels: NotifyChannels = { sns: async (_r, text) => void sent.push(text), eventBridge: async () => undefined, webhookUrl: async () => 'http://127.0.0.1:9/unused' };
    return { ...notifyDeps(channels, plans, { alertWaiters: async () => waiters }), sent };
  }

  it('says so in the report, counts AlertMissed and notes the miss on both projects', async () => {
    const waiters = new MemoryAlertWaiters(() => ENDED);
    await alertAt(waiters, PROD_GROUP, '2026-03-01T02:00:00Z');
    const { d, metrics, sent } = missedDeps(waiters);
    const history = new MemoryRestoreHistory();
    const result = await notifyRestoreStep(seenByBackstop(), { ...d, history });
    expect(result.outcome).toBe('SUCCEEDED');
    expect(sent[0]).toContain(`Atlas alerts: none came from project ${PROD_GROUP} or ${STAGING_GROUP} for this restore's end, so the backstop saw it`);
    expect(sent[0]).toContain(`npm run restore -- alerts check --project ${PROD_GROUP}`);
    expect(metrics).toContainEqual(['AlertMissed', 1, 'nightly-staging']);
    expect(await waiters.lastMissed(PROD_GROUP)).toEqual(ENDED);
    expect(await waiters.lastMissed(STAGING_GROUP)).toEqual(ENDED);
    expect(await alertsHeard(waiters, [PROD_GROUP, STAGING_GROUP])).toBe(false);
    expect([...history.records.values()]).toEqual([expect.objectContaining({ alertMissed: true })]);
  });

  it('an alert after the end: no line, no metric, nothing noted', async () => {
    const waiters = new MemoryAlertWaiters(() => ENDED);
    await alertAt(waiters, PROD_GROUP, '2026-03-01T04:02:05Z');
    const { d, metrics, sent } = missedDeps(waiters);
    const history = new MemoryRestoreHistory();
    await notifyRestoreStep(seenByBackstop(), { ...d, history });
    expect([...history.records.values()][0]?.alertMissed).toBeUndefined();
    expect(sent[0]).not.toContain('Atlas alerts');
    expect(metrics.map(([name]) => name)).not.toContain('AlertMissed');
    expect(await waiters.lastMissed(PROD_GROUP)).toBeUndefined();
  });

  it('a store that cannot be read or written never costs the report', async () => {
    const broken = new MemoryAlertWaiters(() => ENDED);
    broken.lastAlert = async () => {
      throw Object.assign(new Error('table unreachable'), { name: 'ResourceNotFoundException' });
    };
    const unreadable = missedDeps(broken);
    expect((await notifyRestoreStep(seenByBackstop(), unreadable.d)).delivered).toEqual(['sns', 'eventBridge']);
    expect(unreadable.sent[0]).not.toContain('Atlas alerts');
    expect(unreadable.warnings.map(([m]) => m)).toContainEqual(expect.stringContaining('Could not tell whether an Atlas alert came'));

    const readOnly = new MemoryAlertWaiters(() => ENDED);
    readOnly.noteMissed = async () => {
      throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
    };
    const unwritable = missedDeps(readOnly);
    expect((await notifyRestoreStep(seenByBackstop(), unwritable.d)).delivered).toEqual(['sns', 'eventBridge']);
    expect(unwritable.metrics).toContainEqual(['AlertMissed', 1, 'nightly-staging']);
    expect(unwritable.warnings.map(([m]) => m)).toContainEqual(expect.stringContaining('Could not note the missed alert'));
  });
});
