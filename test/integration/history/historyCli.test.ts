import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SFNClient } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import type { RestoreRecord } from '../../../functions/core/history/record.js';
import { historyRecord } from '../../support/historyRecords.js';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { Output } from '../../../local/commands/output.js';
import { ApiRestoreHistory } from '../../../local/operator/apiHistory.js';
import { createSignedApi } from '../../../local/operator/signedApi.js';
import { main } from '../../../local/program.js';

/**
 * `npm run restore -- history --api URL`: the CLI signs `GET /restores` with SigV4 and prints what
 * the API core answers. The stand-in for API Gateway is a real HTTP server on 127.0.0.1 that checks
 * the request is signed for execute-api and hands it to the real route on an in-memory history.
 */

const NOW = Date.now();
const daysAgo = (d: number) => new Date(NOW - d * 86_400_000).toISOString();
const record = (restoreId: string, plan: string, startedAt: string, rto: number): RestoreRecord => historyRecord(restoreId, plan, startedAt, rto, { rpo: { seconds: 3600 } });

const history = new MemoryRestoreHistory();
const seen: { url: string; authorization: string }[] = [];
let server: Server;
let apiUrl: string;

beforeAll(async () => {
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDEXAMPLE');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY');
  vi.stubEnv('AWS_PROFILE', '');
  await history.record(record('d-old', 'weekly-drill', daysAgo(200), 60));
  await history.record(record('d-1', 'weekly-drill', daysAgo(20), 600));
  await history.record(record('d-2', 'weekly-drill', daysAgo(6), 1200));
  await history.record(record('n-1', 'nightly', daysAgo(1), 300));
  const holds = new MemoryTargetHolds(() => new Date());
  const deps = {
    sfn: new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
    stateMachineArn: 'arn:aws:states:eu-west-1:123456789012:stateMachine:AtlasRestore',
    plans: PlansConfig.parse({ plans: [] }),
    actions: { dryRun: async () => { throw new Error('no dry run in this test'); }, cancel: async () => undefined, createSentAt: async () => undefined },
    logger: { info: () => undefined, warn: () => undefined, error: () => undefined },
    holds: async () => holds,
    history: async () => history,
  };
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const authorization = String(req.headers.authorization ?? '');
    seen.push({ url: req.url ?? '', authorization });
    res.setHeader('content-type', 'application/json');
    if (!/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/execute-api\/aws4_request, SignedHeaders=.+, Signature=[0-9a-f]{64}$/.test(authorization)) {
      res.statusCode = 403;
      res.end(JSON.stringify({ message: 'Missing Authentication Token' }));
      return;
    }
    const event = {
      httpMethod: req.method,
      path: url.pathname.replace(/^\/v1/, ''),
      resource: '/restores',
      headers: {},
      multiValueHeaders: {},
      queryStringParameters: Object.fromEntries(url.searchParams),
      multiValueQueryStringParameters: null,
      pathParameters: null,
      body: null,
      isBase64Encoded: false,
      requestContext: { requestId: 'req' },
    } as unknown as APIGatewayProxyEvent;
    void handleApiRequest(event, deps).then((answer) => {
      res.statusCode = answer.statusCode;
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await new Promise((resolve) => server.close(resolve));
});

function capture(): Output & { lines: string[] } {
  const lines: string[] = [];
  return { color: false, lines, line: (t) => lines.push(t), heading: (t) => lines.push(t), box: (t) => lines.push(t), error: (t) => lines.push(t) };
}

describe('history --api (a deployed stack, through the signed API)', () => {
  it("prints the plan's restores in the window and the auditor summary", async () => {
    const out = capture();
    seen.length = 0;
    const code = await main(['history', '--api', apiUrl, '--region', 'eu-west-1', '--plan', 'weekly-drill', '--since', '90d', '--format', 'json'], out);
    expect(code).toBe(0);
    expect(seen).toHaveLength(1);
    const sent = new URL(seen[0]!.url, 'http://x');
    expect(sent.pathname).toBe('/v1/restores');
    expect(sent.searchParams.get('plan')).toBe('weekly-drill');
    expect(Math.abs(Date.parse(sent.searchParams.get('since')!) - Date.parse(daysAgo(90)))).toBeLessThan(120_000);
    const printed = JSON.parse(out.lines.join('\n'));
    expect(printed.records.map((r: RestoreRecord) => r.restoreId)).toEqual(['d-1', 'd-2']);
    expect(printed.summary).toMatchObject({ restores: 2, drills: 2, drillsPassed: 2, rto: { p50: 600, max: 1200 } });
  });

  it('prints the table and the summary line', async () => {
    const out = capture();
    expect(await main(['history', '--api', apiUrl, '--region', 'eu-west-1', '--plan', 'nightly'], out)).toBe(0);
    expect(out.lines.some((l) => l.includes('n-1'))).toBe(true);
    expect(out.lines.at(-1)).toMatch(/^Plan nightly since .*: 1 restore; drills passed 1 of 1; RTO/);
  });

  it('needs --plan with --api, and says so before sending anything', async () => {
    seen.length = 0;
    await expect(main(['history', '--api', apiUrl, '--region', 'eu-west-1'], capture())).rejects.toThrow(/history --api needs --plan/);
    expect(seen).toHaveLength(0);
  });

  it('refuses a plan name the API would refuse, by the same rule, before sending anything', async () => {
    seen.length = 0;
    await expect(main(['history', '--api', apiUrl, '--region', 'eu-west-1', '--plan', 'bad plan'], capture())).rejects.toThrow(
      /^--plan bad plan: must be 1-64 letters, digits, - or _, starting with a letter or digit \(see npm run restore -- history --help\)$/,
    );
    expect(seen).toHaveLength(0);
  });

  it("shows the API's refusal in its words (a request the CLI would not send)", async () => {
    const history = new ApiRestoreHistory(createSignedApi({ apiUrl, region: 'eu-west-1' }));
    await expect(history.list({ plan: 'bad plan' })).rejects.toThrow(/API answered 400 ValidationError.*query\.plan/s);
  });
});

describe('ApiRestoreHistory', () => {
  const answering = (body: unknown) => new ApiRestoreHistory({ listRestores: async () => ({ status: 200, body }) });

  it('refuses a partial answer rather than print a summary of part of the window', async () => {
    const partial = answering({ records: [record('d-2', 'weekly-drill', daysAgo(6), 60)], truncated: { total: 1500, shown: 1000 } });
    await expect(partial.list({ plan: 'weekly-drill' })).rejects.toThrow(/1500 restores in this window.*shorter --since/);
  });

  it('refuses an answer that is not a restore history', async () => {
    await expect(answering({ holds: [] }).list({ plan: 'weekly-drill' })).rejects.toThrow(/not a restore history/);
  });

  it('--region without --api is a usage mistake', async () => {
    await expect(main(['history', '--region', 'eu-west-1'], capture())).rejects.toThrow(/--region is only for a deployed stack's history/);
  });
});
