import { describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import type { RestoreRecord } from '../../../functions/core/history/record.js';
import { historyRecord } from '../../support/historyRecords.js';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import { NOW, apiEvent, makeDeps } from './fixtures.js';

/** `GET /restores?plan=&since=&limit=`: a plan's history and the auditor summary, on an in-memory history. */

const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

const rec = historyRecord;

async function withHistory(...records: RestoreRecord[]) {
  const history = new MemoryRestoreHistory();
  for (const r of records) await history.record(r);
  return makeDeps({ history: async () => history });
}

const list = (query: Record<string, string>, deps: ReturnType<typeof makeDeps>) =>
  handleApiRequest(apiEvent({ method: 'GET', path: '/restores', resource: '/restores', query }), deps);

describe('GET /restores (the restore history)', () => {
  it("answers one plan's records since the date, oldest first, with the auditor summary over them", async () => {
    const deps = await withHistory(
      rec('old', 'nightly-staging', daysAgo(100), 60),
      rec('b', 'nightly-staging', daysAgo(5), 600),
      rec('a', 'nightly-staging', daysAgo(10), 300, { outcome: 'FAILED' }),
      rec('other', 'recover-prod', daysAgo(3), 900),
    );
    const res = await list({ plan: 'nightly-staging', since: '90d' }, deps);
    expect(res.statusCode).toBe(200);
    const body = parse(res);
    expect(body.plan).toBe('nightly-staging');
    expect(body.since).toBe(daysAgo(90));
    expect(body.records.map((r: RestoreRecord) => r.restoreId)).toEqual(['a', 'b']);
    // A FAILED restore restored nothing: it counts as a drill that failed, not towards RTO/RPO.
    expect(body.summary).toEqual({ restores: 2, drills: 2, drillsPassed: 1, rto: { p50: 600, p90: 600, max: 600 }, rpoMax: 1200 });
    expect(body.summaryLine).toMatch(/^2 restores; drills passed 1 of 2; RTO/);
    expect(body.truncated).toBeUndefined();
  });

  it('takes an ISO-8601 date as since, and without since answers the whole retention', async () => {
    const deps = await withHistory(rec('x', 'nightly-staging', daysAgo(20), 60), rec('y', 'nightly-staging', daysAgo(300), 60));
    expect(parse(await list({ plan: 'nightly-staging', since: daysAgo(30).slice(0, 10) }, deps)).records.map((r: RestoreRecord) => r.restoreId)).toEqual(['x']);
    expect(parse(await list({ plan: 'nightly-staging' }, deps)).records.map((r: RestoreRecord) => r.restoreId)).toEqual(['y', 'x']);
  });

  it('limit keeps the newest records and says how many were left out; the summary still covers them all', async () => {
    const deps = await withHistory(rec('r1', 'nightly-staging', daysAgo(3), 100), rec('r2', 'nightly-staging', daysAgo(2), 200), rec('r3', 'nightly-staging', daysAgo(1), 300));
    const body = parse(await list({ plan: 'nightly-staging', limit: '2' }, deps));
    expect(body.records.map((r: RestoreRecord) => r.restoreId)).toEqual(['r2', 'r3']);
    expect(body.truncated).toEqual({ total: 3, shown: 2 });
    expect(body.summary.restores).toBe(3);
  });

  it('answers a plan no longer in the plans file (its records are still evidence)', async () => {
    const deps = await withHistory(rec('gone', 'retired-plan', daysAgo(1), 60));
    expect(parse(await list({ plan: 'retired-plan' }, deps)).records).toHaveLength(1);
  });

  it.each([
    [{}, 'query.plan', /is required/],
    [{ plan: 'no spaces' }, 'query.plan', /letters, digits/],
    [{ plan: 'nightly-staging', since: 'last week' }, 'query.since', /number of days or hours/],
    // A day that does not exist is not read as the next one (Date.parse makes it March 2), nor trailing junk as a date.
    [{ plan: 'nightly-staging', since: '2026-02-30T00:00:00Z' }, 'query.since', /ISO-8601 date that exists/],
    [{ plan: 'nightly-staging', since: '2026-01-01junk' }, 'query.since', /ISO-8601 date that exists/],
    [{ plan: 'nightly-staging', since: '2026-13-01' }, 'query.since', /ISO-8601 date that exists/],
    [{ plan: 'nightly-staging', limit: '0' }, 'query.limit', /from 1 to 1000/],
    [{ plan: 'nightly-staging', limit: '5000' }, 'query.limit', /from 1 to 1000/],
    [{ plan: 'nightly-staging', limit: 'ten' }, 'query.limit', /from 1 to 1000/],
  ])('refuses %o with a 400 naming %s', async (query, path, rule) => {
    const res = await list(query as Record<string, string>, makeDeps());
    expect(res.statusCode).toBe(400);
    const body = parse(res);
    expect(body.error).toBe('ValidationError');
    expect(body.fields).toEqual([{ path, rule: expect.stringMatching(rule) }]);
  });

  it('refuses an unknown query parameter with a 400 naming it, and does not read the history', async () => {
    let read = false;
    const deps = makeDeps({
      history: async () => {
        read = true;
        return new MemoryRestoreHistory();
      },
    });
    const res = await list({ plan: 'nightly-staging', from: '90d' }, deps);
    expect(res.statusCode).toBe(400);
    expect(parse(res).fields).toEqual([{ path: 'query.from', rule: expect.stringContaining('allowed: plan, since, limit') }]);
    expect(read).toBe(false);
    // GET's parameters are GET's own: dryRun is POST's, and the history's are not POST's.
    expect(parse(await list({ plan: 'nightly-staging', dryRun: 'true' }, deps)).fields[0].path).toBe('query.dryRun');
    const post = await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', resource: '/restores', query: { plan: 'nightly-staging' }, body: { plan: 'nightly-staging' } }), makeDeps());
    expect(post.statusCode).toBe(400);
    expect(parse(post).fields[0]).toEqual({ path: 'query.plan', rule: expect.stringContaining('allowed: dryRun') });
  });

  it('takes no body', async () => {
    const res = await handleApiRequest(apiEvent({ method: 'GET', path: '/restores', query: { plan: 'nightly-staging' }, body: { plan: 'x' } }), makeDeps());
    expect(res.statusCode).toBe(400);
    expect(parse(res).fields).toEqual([{ path: '(body)', rule: 'this request takes no body' }]);
  });
});
