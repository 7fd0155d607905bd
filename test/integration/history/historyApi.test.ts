import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import type { ApiDeps } from '../../../functions/core/api/deps.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { DynamoRestoreHistory } from '../../../functions/core/history/dynamoHistory.js';
import type { RestoreRecord } from '../../../functions/core/history/record.js';
import { historyRecord } from '../../support/historyRecords.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { useHistoryTable } from './historyTable.js';

/**
 * `GET /restores?plan=&since=` through the API core onto the history table as lib/history-table.ts
 * makes it (key, byPlan index), served by dynalite, read with the real SDK client by a Query on the
 * index, as the submit Lambda's grant allows.
 */

const table = useHistoryTable();

const NOW = new Date('2026-12-01T12:00:00.000Z');
const daysAgo = (d: number) => new Date(NOW.getTime() - d * 86_400_000).toISOString();

const record = (restoreId: string, plan: string, startedAt: string, extra: Partial<RestoreRecord> = {}): RestoreRecord =>
  historyRecord(restoreId, plan, startedAt, 600, {
    steps: [{ name: 'verify', passed: true, seconds: 30 }],
    rto: { restoreSeconds: 600, verifiedSeconds: 630 },
    rpo: { seconds: 3600, dataSeconds: 3700 },
    ...extra,
  });

function deps(history: DynamoRestoreHistory): ApiDeps {
  const holds = new MemoryTargetHolds(() => NOW);
  return {
    sfn: new SFNClient({ region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:AtlasRestore',
    plans: PlansConfig.parse({ plans: [] }),
    actions: { dryRun: async () => { throw new Error('no dry run in this test'); }, cancel: async () => undefined, createSentAt: async () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    holds: async () => holds,
    history: async () => history,
    now: () => NOW,
  };
}

const get = (query: Record<string, string>, d: ApiDeps) =>
  handleApiRequest(
    {
      httpMethod: 'GET',
      path: '/restores',
      resource: '/restores',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: query,
      multiValueQueryStringParameters: null,
      pathParameters: null,
      stageVariables: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'req-1' },
    } as unknown as APIGatewayProxyEvent,
    d,
  );

describe('GET /restores on the history table (dynalite)', () => {
  it("answers one plan's records since the date, oldest first, with the auditor summary", async () => {
    const history = new DynamoRestoreHistory(table.client(), 'history');
    await history.record(record('drill-3', 'weekly-drill', daysAgo(2), { rto: { restoreSeconds: 900 }, rpo: { seconds: 7200 }, steps: [] }));
    await history.record(record('drill-1', 'weekly-drill', daysAgo(120)));
    await history.record(record('drill-2', 'weekly-drill', daysAgo(9), { outcome: 'VERIFICATION_FAILED', steps: [{ name: 'verify', passed: false, failure: 'counts' }] }));
    await history.record(record('other', 'nightly', daysAgo(1)));

    const res = await get({ plan: 'weekly-drill', since: '90d' }, deps(history));
    expect(res.statusCode).toBe(200);
    const body = JSON.parse(res.body);
    expect(body.records.map((r: RestoreRecord) => r.restoreId)).toEqual(['drill-2', 'drill-3']);
    expect(body.records[1]).toEqual(record('drill-3', 'weekly-drill', daysAgo(2), { rto: { restoreSeconds: 900 }, rpo: { seconds: 7200 }, steps: [] }));
    expect(body.summary).toEqual({
      restores: 2,
      drills: 2,
      drillsPassed: 1,
      rto: { p50: 600, p90: 900, max: 900 },
      rtoVerified: { p50: 630, p90: 630, max: 630 },
      rpoMax: 7200,
      rpoDataMax: 3700,
    });

    const all = JSON.parse((await get({ plan: 'weekly-drill' }, deps(history))).body);
    expect(all.records.map((r: RestoreRecord) => r.restoreId)).toEqual(['drill-1', 'drill-2', 'drill-3']);
  });

  it('answers an empty history for a plan with no records, and refuses an unknown parameter before reading', async () => {
    const history = new DynamoRestoreHistory(table.client(), 'history');
    const empty = JSON.parse((await get({ plan: 'never-ran' }, deps(history))).body);
    expect(empty.records).toEqual([]);
    expect(empty.summaryLine).toMatch(/^0 restores; drills passed 0 of 0/);
    const refused = await get({ plan: 'weekly-drill', sinse: '90d' }, deps(history));
    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body).fields[0].path).toBe('query.sinse');
  });
});
