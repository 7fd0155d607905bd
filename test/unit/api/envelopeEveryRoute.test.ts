import { SFNClient } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../../functions/core/api/envelope.js';
import { EXAMPLE_IDS } from '../../../functions/core/api/openapi.js';
import { envelopeOf, handleApiRequest, servedRoutes } from '../../../functions/core/api/routes.js';
import { docDeps, runningRestore } from './docExamples.js';
import { apiEvent, CALLER_ARN, type TestDeps } from './fixtures.js';

/**
 * Every route the handler serves checks the same envelope before it reads anything: an unknown
 * query parameter is a 400, a body not sent as JSON a 415, a body over 16 KiB a 413, a body where
 * the route takes none a 400. Each case sends a request the route would otherwise accept (the
 * first test shows it does), so a route that skipped the check would answer 2xx and change things.
 */

const sfn = mockClient(SFNClient);
beforeEach(() => runningRestore(sfn));
const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

const HELD = { groupId: EXAMPLE_IDS.target, clusterName: 'staging-old' };
const holdParams = { groupId: HELD.groupId, clusterName: HELD.clusterName };

interface Valid {
  pathParameters?: Record<string, string>;
  query?: Record<string, string>;
  /** A body the route accepts; none for routes that take none. */
  body?: Record<string, unknown>;
}

/** A request each route accepts. A new route must be added here, or the first test fails. */
const VALID: Record<string, Valid> = {
  'POST /restores': { body: { plan: 'nightly-staging' } },
  'GET /restores': { query: { plan: 'nightly-staging' } },
  'GET /restores/{id}': { pathParameters: { id: EXAMPLE_IDS.restore } },
  'POST /restores/{id}/cancel': { pathParameters: { id: EXAMPLE_IDS.restore } },
  'GET /restores/holds': {},
  'POST /restores/holds': { body: { target: { groupId: EXAMPLE_IDS.target, clusterName: 'qa' }, for: '4h', reason: 'schema migration' } },
  'DELETE /restores/holds/{groupId}/{clusterName}': { pathParameters: holdParams },
  'POST /restores/holds/{groupId}/{clusterName}/release': { pathParameters: holdParams },
  'GET /openapi.json': {},
};

const routes = servedRoutes();

function request(route: string, o: Valid & { headers?: Record<string, string>; rawBody?: string }) {
  const [method, resource] = route.split(' ') as [string, string];
  const path = resource.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(o.pathParameters?.[name] ?? ''));
  const body = o.rawBody ?? o.body;
  return apiEvent({
    method,
    path,
    resource,
    ...(o.pathParameters ? { pathParameters: o.pathParameters } : {}),
    ...(o.query ? { query: o.query } : {}),
    ...(o.headers ? { headers: o.headers } : {}),
    ...(body !== undefined ? { body } : {}),
  });
}

/** What a request could change: holds, history, workflow executions, dry runs, cancels. */
async function snapshot(deps: TestDeps) {
  return {
    holds: await (await deps.holds()).list(),
    history: await (await deps.history()).list({}),
    sfnCalls: sfn.calls().length,
    dryRuns: deps.actions.dryRun.mock.calls.length,
    cancels: deps.actions.cancel.mock.calls.length,
  };
}

async function depsWithHold(): Promise<TestDeps> {
  const deps = await docDeps(false);
  await (await deps.holds()).place({ target: HELD, heldBy: CALLER_ARN, reason: 'test', since: '2026-03-01T10:00:00.000Z', until: '2026-03-01T12:00:00.000Z' });
  return deps;
}

/** Sends the request and returns its answer, with what it changed (nothing, for a refusal). */
async function send(event: ReturnType<typeof request>) {
  const deps = await depsWithHold();
  sfn.resetHistory();
  const before = await snapshot(deps);
  const res = await handleApiRequest(event, deps);
  return { status: res.statusCode, body: parse(res), unchanged: JSON.stringify(await snapshot(deps)) === JSON.stringify(before) };
}

const pad = (valid: Valid) => ({ ...(valid.body ?? {}), pad: 'x'.repeat(MAX_BODY_BYTES + 1) });

describe('every route', () => {
  it('has a request here it accepts (2xx), so each refusal below is the envelope check', async () => {
    expect(Object.keys(VALID).sort()).toEqual([...routes].sort());
    for (const route of routes) {
      const { status, body } = await send(request(route, VALID[route]!));
      expect({ route, status, body }).toMatchObject({ route, status: expect.toSatisfy((s: number) => s >= 200 && s < 300) });
    }
  });

  it.each(routes)('%s refuses an unknown query parameter (400 naming it) and changes nothing', async (route) => {
    const valid = VALID[route]!;
    const { status, body, unchanged } = await send(request(route, { ...valid, query: { ...valid.query, ...unknownQuery(route) } }));
    expect({ status, unchanged }).toEqual({ status: 400, unchanged: true });
    expect(body.fields).toEqual(expect.arrayContaining([expect.objectContaining({ path: 'query.force', rule: expect.stringContaining('is not a known query parameter') })]));
  });

  it.each(routes)('%s refuses a body sent as text/plain (415) and changes nothing', async (route) => {
    const valid = VALID[route]!;
    const { status, body, unchanged } = await send(request(route, { ...valid, rawBody: JSON.stringify(valid.body ?? {}), headers: { 'Content-Type': 'text/plain' } }));
    expect({ status, error: body.error, unchanged }).toEqual({ status: 415, error: 'UnsupportedMediaType', unchanged: true });
  });

  it.each(routes)('%s refuses a body over 16 KiB (413, before parsing) and changes nothing', async (route) => {
    const { status, body, unchanged } = await send(request(route, { ...VALID[route]!, body: pad(VALID[route]!) }));
    expect({ status, error: body.error, unchanged }).toEqual({ status: 413, error: 'PayloadTooLarge', unchanged: true });
  });

  it.each(routes.filter((r) => envelopeOf(r)?.body === 'none'))('%s takes no body: a JSON one is a 400 and changes nothing', async (route) => {
    const { status, body, unchanged } = await send(request(route, { ...VALID[route]!, body: { force: true } }));
    expect({ status, fields: body.fields, unchanged }).toEqual({ status: 400, fields: [{ path: '(body)', rule: 'this request takes no body' }], unchanged: true });
  });

  it('POST /restores/holds?dryRun=true places no hold (there is no dry run of a hold)', async () => {
    const { status, unchanged } = await send(request('POST /restores/holds', { ...VALID['POST /restores/holds']!, query: { dryRun: 'true' } }));
    expect({ status, unchanged }).toEqual({ status: 400, unchanged: true });
  });
});

/** `force`, plus `dryRun` where the route does not take it (POST /restores does: it must not hide `force`). */
function unknownQuery(route: string): Record<string, string> {
  return envelopeOf(route)?.query.includes('dryRun') ? { force: 'true' } : { force: 'true', dryRun: 'true' };
}
