import { DescribeExecutionCommand, GetExecutionHistoryCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { CALLER_ARN, NOW, STAGING_GROUP, apiEvent, executionArnOf, history, makeDeps, workflowState } from './fixtures.js';

/** `GET|POST /restores/holds`, `DELETE|POST /restores/holds/{groupId}/{clusterName}[/release]`, and holds elsewhere in the API. */

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());
const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

const STAGING = { groupId: STAGING_GROUP, clusterName: 'staging' };
const place = (body: unknown) => apiEvent({ method: 'POST', path: '/restores/holds', resource: '/restores/holds', body });
const release = (groupId: string, clusterName: string, how: 'DELETE' | 'POST' = 'DELETE') =>
  apiEvent({
    method: how,
    path: `/restores/holds/${groupId}/${clusterName}${how === 'POST' ? '/release' : ''}`,
    resource: `/restores/holds/{groupId}/{clusterName}${how === 'POST' ? '/release' : ''}`,
    pathParameters: { groupId, clusterName },
  });

function depsWithMetrics() {
  const holds = new MemoryTargetHolds(() => NOW);
  const metrics: [string, number, string][] = [];
  const deps = makeDeps({ holds: async () => holds, metrics: { add: (n, v, p) => void metrics.push([n, v, p]) } });
  return { deps, holds, metrics };
}

describe('POST /restores/holds', () => {
  it('holds the target for the caller, until when and why, and counts it', async () => {
    const { deps, holds, metrics } = depsWithMetrics();
    const res = await handleApiRequest(place({ target: STAGING, for: '4h', reason: 'customer demo' }), deps);
    expect(res.statusCode, res.body).toBe(201);
    const expected = { target: STAGING, heldBy: CALLER_ARN, reason: 'customer demo', since: NOW.toISOString(), until: '2026-03-01T14:00:00.000Z' };
    expect(parse(res).hold).toMatchObject({ ...expected, links: { release: `/restores/holds/${STAGING_GROUP}/staging` } });
    expect(await holds.current(STAGING)).toEqual(expected);
    expect(metrics).toEqual([['HoldsPlaced', 1, 'ad-hoc']]);
  });

  it('takes forMinutes too, and answers the hold it replaced', async () => {
    const { deps } = depsWithMetrics();
    await handleApiRequest(place({ target: STAGING, forMinutes: 30, reason: 'first' }), deps);
    const res = await handleApiRequest(place({ target: STAGING, forMinutes: 90, reason: 'second' }), deps);
    expect(parse(res)).toMatchObject({ hold: { reason: 'second', until: '2026-03-01T11:30:00.000Z' }, replaced: { reason: 'first' } });
  });

  it.each([
    [{ target: STAGING, reason: 'x' }, 'forMinutes', 'give exactly one of forMinutes or for'],
    [{ target: STAGING, for: '4h', forMinutes: 10, reason: 'x' }, 'forMinutes', 'give exactly one'],
    [{ target: STAGING, for: 'tomorrow', reason: 'x' }, 'for', 'such as 90m, 4h or 2d'],
    [{ target: STAGING, for: '31d', reason: 'x' }, 'for', 'at most 43200 minutes'],
    [{ target: STAGING, for: '4h', reason: '  ' }, 'reason', 'must say why'],
    [{ target: { groupId: 'nope', clusterName: 'staging' }, for: '4h', reason: 'x' }, 'target.groupId', '24-character'],
    [{ target: STAGING, for: '4h', reason: 'x', extra: 1 }, '', 'extra'],
  ])('400 naming the field and the rule, holding nothing: %j', async (body, path, rule) => {
    const { deps, holds } = depsWithMetrics();
    const res = await handleApiRequest(place(body), deps);
    expect(res.statusCode).toBe(400);
    const answer = parse(res);
    expect(answer.error).toBe('ValidationError');
    expect(answer.fields.map((f: { path: string }) => f.path)).toContain(path);
    expect(answer.message).toContain(rule);
    expect(await holds.list()).toEqual([]);
  });
});

describe('releasing and listing holds', () => {
  it('DELETE and POST …/release both release; a second release is 404; the list follows', async () => {
    const { deps } = depsWithMetrics();
    await handleApiRequest(place({ target: STAGING, for: '4h', reason: 'demo' }), deps);
    const list = await handleApiRequest(apiEvent({ path: '/restores/holds', resource: '/restores/holds' }), deps);
    expect(parse(list).holds.map((h: { reason: string }) => h.reason)).toEqual(['demo']);

    const released = await handleApiRequest(release(STAGING_GROUP, 'STAGING'), deps);
    expect(released.statusCode, released.body).toBe(200);
    expect(parse(released)).toMatchObject({ released: { reason: 'demo' }, releasedBy: CALLER_ARN });
    expect((await handleApiRequest(release(STAGING_GROUP, 'staging', 'POST'), deps)).statusCode).toBe(404);
    expect(parse(await handleApiRequest(apiEvent({ path: '/restores/holds' }), deps)).holds).toEqual([]);
  });

  it('routes by the raw path as well, and answers 405 with Allow for other methods', async () => {
    const { deps } = depsWithMetrics();
    await handleApiRequest(place({ target: STAGING, for: '1h', reason: 'demo' }), deps);
    const raw = await handleApiRequest(apiEvent({ method: 'POST', path: `/restores/holds/${STAGING_GROUP}/staging/release/` }), deps);
    expect(raw.statusCode, raw.body).toBe(200);
    const wrong = await handleApiRequest(apiEvent({ method: 'GET', path: `/restores/holds/${STAGING_GROUP}/staging` }), deps);
    expect(wrong.statusCode).toBe(405);
    expect(wrong.headers.Allow).toBe('DELETE');
  });

  it('400 for a target in the path that cannot name a cluster', async () => {
    const { deps } = depsWithMetrics();
    const res = await handleApiRequest(release('not-a-group', 'staging'), deps);
    expect(res.statusCode).toBe(400);
    expect(parse(res).fields[0].path).toBe('path.groupId');
  });
});

describe('holds elsewhere in the API', () => {
  it('POST /restores onto a held target: 409 TARGET_HELD with who, until when and why; nothing is started', async () => {
    const { deps } = depsWithMetrics();
    await handleApiRequest(place({ target: STAGING, for: '2h', reason: 'incident 42' }), deps);
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: NOW });
    for (const query of [undefined, { dryRun: 'true' }]) {
      const res = await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', body: { plan: 'nightly-staging' }, ...(query ? { query } : {}) }), deps);
      expect(res.statusCode).toBe(409);
      expect(parse(res)).toMatchObject({ error: 'RestoreRefused', code: 'TARGET_HELD' });
      expect(parse(res).message).toContain(`held by ${CALLER_ARN} until 2026-03-01T12:00:00.000Z (reason: incident 42)`);
    }
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    expect(deps.actions.dryRun).not.toHaveBeenCalled();
  });

  it('GET /restores/{id} shows the hold on the restore\'s target', async () => {
    const { deps } = depsWithMetrics();
    const id = 'nightly-1';
    const input = { planName: 'nightly-staging', trigger: { type: 'http', time: NOW.toISOString() } };
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArnOf(id), status: 'RUNNING', startDate: NOW, input: JSON.stringify(input) });
    sfn.on(GetExecutionHistoryCommand).resolves({ events: history(input, [{ state: 'CreateRestore', output: workflowState() }]).reverse() });
    const view = async () => parse(await handleApiRequest(apiEvent({ path: `/restores/${id}`, resource: '/restores/{id}', pathParameters: { id } }), deps));
    expect(await view()).not.toHaveProperty('targetHold');
    await handleApiRequest(place({ target: STAGING, for: '2h', reason: 'demo' }), deps);
    expect((await view()).targetHold).toMatchObject({ target: STAGING, heldBy: CALLER_ARN, reason: 'demo' });
  });
});
