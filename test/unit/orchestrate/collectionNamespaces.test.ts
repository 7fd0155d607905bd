import { describe, expect, it } from 'vitest';
import { RestoreRequestInvalidError } from '../../../functions/core/domain/errors.js';
import { checkSnapshotNamespaces } from '../../../functions/core/orchestrate/collectionNamespaces.js';
import { parseRestoreRequest } from '../../../functions/core/restore/request.js';
import { pointInTimeBase } from '../../../functions/core/restore/pointInTimeBase.js';
import type { Snapshot } from '../../../functions/core/restore/snapshots.js';
import { FakeAtlas } from '../restore/fakeAtlas.js';

/**
 * The names a collection restore asks for are checked in the snapshot it restores, and for a point
 * in time in the snapshot Atlas starts it from: the newest completed one taken at or before it.
 */

const G = '65f1a0000000000000000001';
const NOW = new Date('2026-06-01T12:00:00Z');
const OLD = '65f1b0000000000000000001';
const FAILED = '65f1b0000000000000000002';
const NEW = '65f1b0000000000000000003';
const cluster = `/api/atlas/v2/groups/${G}/clusters/prod`;
const seconds = (iso: string) => Date.parse(iso) / 1000;

const snapshots = [
  { id: OLD, createdAt: '2026-06-01T00:00:00Z', status: 'completed' },
  { id: FAILED, createdAt: '2026-06-01T05:00:00Z', status: 'failed' },
  { id: NEW, createdAt: '2026-06-01T08:00:00Z', status: 'completed' },
];

/** OLD holds shop.orders only; NEW (like the cluster now) shop.orders and shop.users. */
function atlas(): FakeAtlas {
  const fake = new FakeAtlas()
    .on('GET', `${cluster}/backup/snapshots`, snapshots)
    .on('GET', `${cluster}/backup/snapshots/shardedClusters`, { results: [] });
  for (const [id, colls] of [[OLD, ['orders']], [FAILED, ['orders', 'users']], [NEW, ['orders', 'users']]] as const) {
    fake.on('GET', `${cluster}/backup/snapshots/${id}/databases`, [{ name: 'shop' }]);
    fake.on('GET', `${cluster}/backup/snapshots/${id}/databases/shop/collections`, colls.map((name) => ({ name })));
  }
  return fake;
}

const request = (moment: object, collections = ['shop.users']) =>
  parseRestoreRequest(
    {
      kind: 'collection',
      source: { groupId: G, clusterName: 'prod' },
      target: { groupId: G, clusterName: 'stage' },
      writeStrategy: 'CREATE_NEW',
      collections: collections.map((sourceNamespace) => ({ sourceNamespace })),
      ...moment,
    },
    NOW,
  );

async function refusal(promise: Promise<unknown>): Promise<RestoreRequestInvalidError> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof RestoreRequestInvalidError) return e;
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('checkSnapshotNamespaces for a point in time', () => {
  it('checks the newest completed snapshot at or before the time, and says which one', async () => {
    const fake = atlas();
    const checks = await checkSnapshotNamespaces(fake, request({ pointInTimeUTCSeconds: seconds('2026-06-01T09:00:00Z') }));
    expect(checks[0]).toBe(`point in time 2026-06-01T09:00:00.000Z starts from snapshot ${NEW}, taken 2026-06-01T08:00:00Z (the newest completed at or before it)`);
    expect(checks).toContain(`snapshot ${NEW} holds 2 collection(s): shop.orders, shop.users`);
    expect(fake.calls.every((c) => c.method === 'GET')).toBe(true);
  });

  it('refuses a collection the starting snapshot lacks (though a later one holds it), naming the snapshot, the time and what it holds', async () => {
    // 06:00: the failed 05:00 snapshot is not a start; the 00:00 one is, and it has no shop.users.
    const err = await refusal(checkSnapshotNamespaces(atlas(), request({ pointInTimeUTCSeconds: seconds('2026-06-01T06:00:00Z') })));
    expect(err.problems).toEqual([
      { path: 'collections.0.sourceNamespace', rule: `collection "shop.users" is not in snapshot ${OLD} (taken 2026-06-01T00:00:00Z, where the restore to 2026-06-01T06:00:00.000Z starts)` },
      { path: 'pointInTimeUTCSeconds', rule: `snapshot ${OLD} holds: shop.orders` },
    ]);
  });

  it('an oplog position is checked the same way, its field named', async () => {
    const err = await refusal(checkSnapshotNamespaces(atlas(), request({ oplogTs: seconds('2026-06-01T07:59:59Z'), oplogInc: 1 })));
    expect(err.problems.map((p) => p.path)).toEqual(['collections.0.sourceNamespace', 'oplogTs']);
    // Taken at exactly the time counts as "at or before".
    await expect(checkSnapshotNamespaces(atlas(), request({ oplogTs: seconds('2026-06-01T08:00:00Z'), oplogInc: 1 }))).resolves.toContain(
      `snapshot ${NEW} holds 2 collection(s): shop.orders, shop.users`,
    );
  });

  it('a time before every snapshot is refused naming the time and the oldest snapshot, before any namespace is listed', async () => {
    const fake = atlas();
    const err = await refusal(checkSnapshotNamespaces(fake, request({ pointInTimeUTCSeconds: seconds('2026-05-31T23:00:00Z') }, ['shop.orders'])));
    expect(err.problems).toEqual([
      {
        path: 'pointInTimeUTCSeconds',
        rule: `no completed snapshot of the source was taken at or before 2026-05-31T23:00:00.000Z, so a point-in-time restore has nothing to start from; the oldest is ${OLD}, taken 2026-06-01T00:00:00Z`,
      },
    ]);
    expect(fake.calls.some((c) => c.path.includes('/databases'))).toBe(false);
  });

  it('a snapshot restore is still checked in its own snapshot', async () => {
    const err = await refusal(checkSnapshotNamespaces(atlas(), request({ snapshotId: OLD })));
    expect(err.problems.map((p) => p.path)).toEqual(['collections.0.sourceNamespace', 'snapshotId']);
    expect(err.problems[0]!.rule).toBe(`collection "shop.users" is not in snapshot ${OLD}`);
  });
});

describe('pointInTimeBase', () => {
  const snap = (id: string, createdAt: string, status: Snapshot['status'] = 'completed'): Snapshot => ({ id, createdAt, status });
  it('takes the newest completed at or before the time, whatever the list order', () => {
    const list = [snap(NEW, '2026-06-01T08:00:00Z'), snap(OLD, '2026-06-01T00:00:00Z'), snap(FAILED, '2026-06-01T07:00:00Z', 'inProgress')];
    expect(pointInTimeBase(list, seconds('2026-06-01T07:30:00Z'), 'f').id).toBe(OLD);
    expect(pointInTimeBase([...list].reverse(), seconds('2026-06-01T09:00:00Z'), 'f').id).toBe(NEW);
  });

  it('with no completed snapshot at all, says so', () => {
    expect(() => pointInTimeBase([snap(FAILED, '2026-06-01T07:00:00Z', 'failed')], seconds('2026-06-01T09:00:00Z'), 'f')).toThrow(
      'the source has no completed snapshot, so a point-in-time restore to 2026-06-01T09:00:00.000Z has nothing to start from',
    );
  });
});
