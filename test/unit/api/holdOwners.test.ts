import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { MemoryTargetHolds, type TargetHold } from '../../../functions/core/orchestrate/holds.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { NOW, STAGING_GROUP, apiEvent, makeDeps, plans } from './fixtures.js';

/**
 * Holds have owners: only the principal that placed a hold, or one the plans file's
 * holdAdministrators name, may release, shorten or replace it; a plan's hold only an administrator.
 */

const ALICE = 'arn:aws:iam::123456789012:user/alice';
const MALLORY = 'arn:aws:iam::123456789012:user/mallory';
const ADMIN = 'arn:aws:sts::123456789012:assumed-role/RestoreAdmins/carol';
const withAdmins = PlansConfig.parse({ ...plans, holdAdministrators: ['arn:aws:sts::123456789012:assumed-role/RestoreAdmins/*'] });

const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;
const STAGING = { groupId: STAGING_GROUP, clusterName: 'staging' };
const place = (as: string, body: unknown) => apiEvent({ method: 'POST', path: '/restores/holds', resource: '/restores/holds', body, userArn: as });
const release = (as: string | null, clusterName = 'staging') =>
  apiEvent({
    method: 'DELETE',
    path: `/restores/holds/${STAGING_GROUP}/${clusterName}`,
    resource: '/restores/holds/{groupId}/{clusterName}',
    pathParameters: { groupId: STAGING_GROUP, clusterName },
    userArn: as,
  });

function setup(now: () => Date = () => NOW) {
  const holds = new MemoryTargetHolds(now);
  return { holds, deps: makeDeps({ plans: withAdmins, holds: async () => holds, now }) };
}

describe('a hold belongs to whoever placed it', () => {
  it('another principal cannot release it: 403 HoldNotYours naming the owner, the hold stays', async () => {
    const { deps, holds } = setup();
    expect((await handleApiRequest(place(ALICE, { target: STAGING, for: '30d', reason: 'incident 42' }), deps)).statusCode).toBe(201);
    const res = await handleApiRequest(release(MALLORY), deps);
    expect(res.statusCode, res.body).toBe(403);
    expect(parse(res)).toMatchObject({ error: 'HoldNotYours', code: 'HOLD_NOT_YOURS' });
    expect(parse(res).message).toContain(`held by ${ALICE}`);
    expect((await holds.current(STAGING))?.heldBy).toBe(ALICE);
  });

  it('another principal cannot shorten it, not even with the cluster name in another case (one canonical key)', async () => {
    const { deps, holds } = setup();
    await handleApiRequest(place(ALICE, { target: STAGING, for: '30d', reason: 'incident 42' }), deps);
    const res = await handleApiRequest(place(MALLORY, { target: { ...STAGING, clusterName: 'STAGING' }, forMinutes: 1, reason: 'mine now' }), deps);
    expect(res.statusCode, res.body).toBe(403);
    expect(parse(res).message).toContain(ALICE);
    expect(await holds.current(STAGING)).toMatchObject({ heldBy: ALICE, reason: 'incident 42' });
    expect(await holds.list()).toHaveLength(1);
  });

  it('its owner may shorten, replace (in any case) and release it', async () => {
    const { deps, holds } = setup();
    await handleApiRequest(place(ALICE, { target: STAGING, for: '30d', reason: 'incident 42' }), deps);
    const shorter = await handleApiRequest(place(ALICE, { target: { ...STAGING, clusterName: 'Staging' }, for: '1h', reason: 'nearly done' }), deps);
    expect(shorter.statusCode, shorter.body).toBe(201);
    expect(parse(shorter).replaced).toMatchObject({ heldBy: ALICE, reason: 'incident 42' });
    expect(await holds.list()).toHaveLength(1);
    expect((await handleApiRequest(release(ALICE), deps)).statusCode).toBe(200);
    expect(await holds.current(STAGING)).toBeUndefined();
  });

  it('a hold administrator may release anyone\'s hold', async () => {
    const { deps, holds } = setup();
    await handleApiRequest(place(ALICE, { target: STAGING, for: '30d', reason: 'incident 42' }), deps);
    const res = await handleApiRequest(release(ADMIN), deps);
    expect(res.statusCode, res.body).toBe(200);
    expect(parse(res)).toMatchObject({ releasedBy: ADMIN, released: { heldBy: ALICE } });
    expect(await holds.current(STAGING)).toBeUndefined();
  });

  it("a plan's hold (holdAfterSuccess) is released only by an administrator, not by whoever asks", async () => {
    const { deps, holds } = setup();
    const planHold: TargetHold = {
      target: STAGING,
      heldBy: 'plan recover-prod (restore r-1)',
      reason: 'the restore r-1 succeeded and the plan keeps its target for examination',
      since: NOW.toISOString(),
      planName: 'recover-prod',
      restoreId: 'r-1',
    };
    await holds.place(planHold);
    for (const attempt of [release(ALICE), place(ALICE, { target: STAGING, forMinutes: 1, reason: 'short' })]) {
      const res = await handleApiRequest(attempt, deps);
      expect(res.statusCode, res.body).toBe(403);
      expect(parse(res).message).toContain('only by a hold administrator');
    }
    expect(await holds.current(STAGING)).toEqual(planHold);
    expect((await handleApiRequest(release(ADMIN), deps)).statusCode).toBe(200);
  });

  it('a caller known only by its id is not the principal that placed the hold', async () => {
    const { deps } = setup();
    await handleApiRequest(place(ALICE, { target: STAGING, for: '4h', reason: 'demo' }), deps);
    const res = await handleApiRequest(release(null), deps);
    expect(res.statusCode).toBe(403);
  });
});

describe('property: no sequence of hold calls by a second principal lifts the first one\'s hold', () => {
  type Call = { who: 'alice' | 'mallory'; op: 'place' | 'release'; minutes: number; upper: boolean; advance: number };
  const call = fc.record({
    who: fc.constantFrom('alice' as const, 'mallory' as const),
    op: fc.constantFrom('place' as const, 'release' as const),
    minutes: fc.integer({ min: 1, max: 43_200 }),
    upper: fc.boolean(),
    advance: fc.integer({ min: 0, max: 600 }),
  });

  it('while alice\'s hold is in force, every call of mallory is refused and leaves it exactly as it was', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 25 }), async (calls: Call[]) => {
        let clock = NOW.getTime();
        const now = () => new Date(clock);
        const { deps, holds } = setup(now);
        const arn = { alice: ALICE, mallory: MALLORY };
        for (const c of calls) {
          clock += c.advance * 60_000;
          const before = await holds.current(STAGING);
          const name = c.upper ? 'STAGING' : 'staging';
          const event = c.op === 'place' ? place(arn[c.who], { target: { ...STAGING, clusterName: name }, forMinutes: c.minutes, reason: `${c.who} says` }) : release(arn[c.who], name);
          const res = await handleApiRequest(event, deps);
          const after = await holds.current(STAGING);
          if (before && before.heldBy !== arn[c.who]) {
            // Another's hold in force: refused, and the hold is exactly the one before.
            expect(res.statusCode).toBe(403);
            expect(after).toEqual(before);
          }
          if (after && c.who === 'mallory' && before?.heldBy === ALICE) expect(after.heldBy).toBe(ALICE);
        }
      }),
      { numRuns: 300 },
    );
  });
});
