import { MemoryDeliveryLedger } from '../../../functions/core/notify/ledger.js';
import { describe, expect, it } from 'vitest';
import { notifyRestoreStep, type NotifyDeps } from '../../../functions/core/finish/finishRestore.js';
import { MemoryTargetHolds, type TargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { context, ENDED, ended, PROD, STAGING, status } from './fixtures.js';

/** A recovery plan's holdAfterSuccess, placed by notify before it frees the target's lock. */

const planWith = (holdAfterSuccess: unknown) =>
  PlansConfig.parse({
    plans: [{ name: 'nightly-staging', source: { kind: 'cloud', ...PROD }, restore: { type: 'snapshot', target: STAGING }, holdAfterSuccess }],
  });

function deps(plans: PlansConfig, holds: TargetHolds = new MemoryTargetHolds(() => ENDED)) {
  const metrics: string[] = [];
  const order: string[] = [];
  const locks = new MemoryTargetLocks(() => ENDED);
  const d: NotifyDeps = {
    channels: { sns: async () => undefined, eventBridge: async () => undefined, webhookUrl: async () => 'http://127.0.0.1:9/' },
    plans,
    locks,
    holds,
    ledger: new MemoryDeliveryLedger(() => ENDED),
    now: () => ENDED,
    logger: { info: () => undefined, warn: (m: string) => void order.push(`warn: ${m}`) },
    metrics: { add: (name) => void metrics.push(name) },
  };
  return { d, metrics, order, locks };
}

const lockIt = (locks: MemoryTargetLocks) => locks.acquire(STAGING, context().restoreId, new Date(ENDED.getTime() + 3_600_000));

describe('holdAfterSuccess', () => {
  it('{hours}: holds the target for that long, by the plan and the restore, and frees the lock', async () => {
    const { d, metrics, locks } = deps(planWith({ hours: 6 }));
    await lockIt(locks);
    await notifyRestoreStep(ended(), d);
    expect(await d.holds.current(STAGING)).toEqual({
      target: STAGING,
      heldBy: `plan nightly-staging (restore ${context().restoreId})`,
      reason: `the restore ${context().restoreId} succeeded and the plan keeps its target for examination`,
      since: ENDED.toISOString(),
      until: new Date(ENDED.getTime() + 6 * 3_600_000).toISOString(),
      planName: 'nightly-staging',
      restoreId: context().restoreId,
    });
    expect(metrics).toContain('HoldsPlaced');
    expect(await locks.holder(STAGING)).toBeUndefined();
  });

  it('{untilReleased}: a hold without an end', async () => {
    const { d } = deps(planWith({ untilReleased: true }));
    await notifyRestoreStep(ended(), d);
    const hold = await d.holds.current(STAGING);
    expect(hold).toBeDefined();
    expect(hold?.until).toBeUndefined();
  });

  it('says so in the report and the history record: the cluster is now held, until when', async () => {
    const texts: string[] = [];
    const records: { heldUntil?: string }[] = [];
    const { d } = deps(planWith({ untilReleased: true }));
    d.channels = { ...d.channels, sns: async (_r, text) => void texts.push(text) };
    d.history = { record: async (r) => (records.push(r), true), list: async () => [] };
    await notifyRestoreStep(ended(), d);
    expect(texts.join('\n')).toContain(`Held: ${STAGING.clusterName} is now held until released (the plan's holdAfterSuccess)`);
    expect(records).toEqual([expect.objectContaining({ heldUntil: 'released' })]);

    const timed = deps(planWith({ hours: 6 }));
    const timedTexts: string[] = [];
    timed.d.channels = { ...timed.d.channels, sns: async (_r, text) => void timedTexts.push(text) };
    await notifyRestoreStep(ended(), timed.d);
    expect(timedTexts.join('\n')).toContain(`is now held until ${new Date(ENDED.getTime() + 6 * 3_600_000).toISOString()}`);

    // Not after a failure: nothing was held, nothing is said.
    const failed = deps(planWith({ untilReleased: true }));
    const failedTexts: string[] = [];
    failed.d.channels = { ...failed.d.channels, sns: async (_r, text) => void failedTexts.push(text) };
    await notifyRestoreStep(ended({ status: status({ state: 'FAILED' }) }), failed.d);
    expect(failedTexts.join('\n')).not.toContain('is now held');
  });

  it('only after a success', async () => {
    for (const state of ['FAILED', 'CANCELLED'] as const) {
      const { d } = deps(planWith({ untilReleased: true }));
      await notifyRestoreStep(ended({ status: status({ state }) }), d);
      expect(await d.holds.current(STAGING)).toBeUndefined();
    }
  });

  it("leaves a person's longer hold as it is", async () => {
    const { d } = deps(planWith({ hours: 1 }));
    const person = { target: STAGING, heldBy: 'alice', reason: 'incident', since: ENDED.toISOString(), until: '2026-03-02T00:00:00.000Z' };
    await d.holds.place(person);
    await notifyRestoreStep(ended(), d);
    expect(await d.holds.current(STAGING)).toEqual(person);
  });

  it('a hold that cannot be placed keeps the lock (it expires on its own) and the report still goes out', async () => {
    const broken: TargetHolds = {
      place: async () => {
        throw Object.assign(new Error('throttled'), { name: 'ProvisionedThroughputExceededException' });
      },
      release: async () => undefined,
      current: async () => undefined,
      list: async () => [],
    };
    const { d, order, locks } = deps(planWith({ untilReleased: true }), broken);
    await lockIt(locks);
    const result = await notifyRestoreStep(ended(), d);
    expect(result.outcome).toBe('SUCCEEDED');
    expect((await locks.holder(STAGING))?.restoreId).toBe(context().restoreId);
    expect(order.some((l) => l.includes('stays locked'))).toBe(true);
  });
});
