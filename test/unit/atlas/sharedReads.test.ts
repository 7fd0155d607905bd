import { describe, expect, it } from 'vitest';
import { sharedReads } from '../../../functions/core/atlas/sharedReads.js';
import { FakeAtlas } from '../restore/fakeAtlas.js';

const JOBS = '/api/atlas/v2/groups/g/clusters/c/backup/restoreJobs';
const V = '2023-01-01' as const;

describe('sharedReads: one answer per read until something is written', () => {
  it('asks Atlas once for the same list, and once per different path or query', async () => {
    const fake = new FakeAtlas().on('GET', JOBS, [{ id: 'a' }]).on('GET', `${JOBS}/a`, { id: 'a' });
    const atlas = sharedReads(fake);
    const [first, second] = await Promise.all([atlas.listAll({ path: JOBS, version: V }), atlas.listAll({ path: JOBS, version: V })]);
    expect(first).toEqual([{ id: 'a' }]);
    expect(second).toBe(first);
    await atlas.listAll({ path: JOBS, version: V, query: { pageNum: 2 } });
    await atlas.request({ method: 'GET', path: `${JOBS}/a`, version: V });
    await atlas.request({ method: 'GET', path: `${JOBS}/a`, version: V });
    expect(fake.calls.map((c) => `${c.method} ${c.path}${c.query ? ' ?' : ''}`)).toEqual([`GET ${JOBS}`, `GET ${JOBS} ?`, `GET ${JOBS}/a`]);
  });

  it('forgets what it read after any write, so a look after a lost create is fresh', async () => {
    let listed = 0;
    const fake = new FakeAtlas()
      .on('GET', JOBS, () => [{ id: `seen-${++listed}` }])
      .on('POST', JOBS, () => {
        throw new Error('answer lost');
      });
    const atlas = sharedReads(fake);
    expect(await atlas.listAll({ path: JOBS, version: V })).toEqual([{ id: 'seen-1' }]);
    await expect(atlas.request({ method: 'POST', path: JOBS, version: V, body: {} })).rejects.toThrow('answer lost');
    expect(await atlas.listAll({ path: JOBS, version: V })).toEqual([{ id: 'seen-2' }]);
    expect(fake.calls.filter((c) => c.method === 'POST')).toHaveLength(1);
  });

  it('does not keep a failed read: the next ask goes to Atlas again', async () => {
    let attempts = 0;
    const fake = new FakeAtlas().on('GET', JOBS, () => {
      if (++attempts === 1) throw new Error('throttled');
      return [];
    });
    const atlas = sharedReads(fake);
    await expect(atlas.listAll({ path: JOBS, version: V })).rejects.toThrow('throttled');
    expect(await atlas.listAll({ path: JOBS, version: V })).toEqual([]);
    expect(attempts).toBe(2);
  });
});
