import {
  DescribeExecutionCommand,
  ExecutionAlreadyExists,
  ExecutionLimitExceeded,
  ListExecutionsCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import {
  CALLER_ARN,
  NOW,
  PROD_GROUP,
  SNAPSHOT_ID,
  STAGING_GROUP,
  STATE_MACHINE_ARN,
  apiEvent,
  executionArnOf,
  makeDeps,
} from './fixtures.js';

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

const post = (body: unknown, o: { headers?: Record<string, string>; query?: Record<string, string> } = {}) =>
  apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body, ...o });

const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

const cloudRequest = {
  kind: 'cloud',
  source: { groupId: PROD_GROUP, clusterName: 'prod' },
  deliveryType: 'automated',
  snapshotId: SNAPSHOT_ID,
  target: { groupId: STAGING_GROUP, clusterName: 'qa' },
};

function startedInput(): Record<string, any> {
  const call = sfn.commandCalls(StartExecutionCommand)[0];
  if (!call) throw new Error('StartExecution was not called');
  return JSON.parse(call.args[0].input.input ?? 'null');
}

describe('POST /restores: starting a restore', () => {
  it('starts the workflow for a plan, named by the Idempotency-Key, and answers 202 with links', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('nightly-2026-03-01'), startDate: NOW });
    const deps = makeDeps();
    const res = await handleApiRequest(
      post({ plan: 'nightly-staging', overrides: { snapshotId: SNAPSHOT_ID } }, { headers: { 'idempotency-key': 'nightly-2026-03-01' } }),
      deps,
    );

    expect(res.statusCode).toBe(202);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(res.headers.Location).toBe('/restores/nightly-2026-03-01');
    expect(parse(res)).toEqual({
      restoreId: 'nightly-2026-03-01',
      status: 'STARTED',
      links: { self: '/restores/nightly-2026-03-01', cancel: '/restores/nightly-2026-03-01/cancel' },
    });
    expect(sfn).toHaveReceivedCommandTimes(StartExecutionCommand, 1);
    const command = sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input;
    expect(command.stateMachineArn).toBe(STATE_MACHINE_ARN);
    expect(command.name).toBe('nightly-2026-03-01');
    const input = startedInput();
    expect(input.planName).toBe('nightly-staging');
    expect(input.overrides).toEqual({ snapshotId: SNAPSHOT_ID });
    expect(input.request).toBeUndefined();
    expect(input.dryRun).toBeUndefined();
    expect(input.trigger).toEqual({ type: 'http', time: NOW.toISOString(), requestedBy: CALLER_ARN });
    expect(Object.keys(input).sort()).toEqual(['overrides', 'planName', 'trigger']);
  });

  it('starts an ad-hoc request as given (parsed) and names the execution with a generated id without a key', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('generated-id'), startDate: NOW });
    const res = await handleApiRequest(post({ request: cloudRequest }), makeDeps());
    expect(res.statusCode).toBe(202);
    expect(parse(res).restoreId).toBe('generated-id');
    expect(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.name).toBe('generated-id');
    const input = startedInput();
    expect(input.request).toEqual(cloudRequest);
    expect(input.planName).toBeUndefined();
  });

  it('uses a uuid as the restore id by default', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: NOW });
    const { newRestoreId: _omit, ...deps } = makeDeps();
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }), deps);
    expect(parse(res).restoreId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  });

  it('falls back to the caller id when the identity has no user ARN', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: NOW });
    await handleApiRequest({ ...post({ plan: 'nightly-staging' }), ...{} , requestContext: { requestId: 'r', identity: { userArn: null, caller: 'AIDAEXAMPLE' } } as never }, makeDeps());
    expect(startedInput().trigger.requestedBy).toBe('AIDAEXAMPLE');
  });

  it('accepts a base64-encoded body', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: NOW });
    const event = post(undefined);
    event.body = Buffer.from(JSON.stringify({ plan: 'nightly-staging' })).toString('base64');
    event.isBase64Encoded = true;
    event.headers['content-type'] = 'application/json; charset=utf-8';
    const res = await handleApiRequest(event, makeDeps());
    expect(res.statusCode).toBe(202);
  });

  describe('one restore per target', () => {
    const running = (name: string, input: unknown) =>
      sfn.on(DescribeExecutionCommand, { executionArn: executionArnOf(name) }).resolves({
        executionArn: executionArnOf(name),
        status: 'RUNNING',
        startDate: NOW,
        input: JSON.stringify(input),
      });
    const trigger = { type: 'schedule', time: '2026-03-01T03:00:00.000Z' };

    it('409 TARGET_BUSY naming the running restore when another one is restoring onto the same target', async () => {
      sfn.on(ListExecutionsCommand).resolves({
        executions: [
          { name: 'download-1', executionArn: executionArnOf('download-1'), stateMachineArn: STATE_MACHINE_ARN, status: 'RUNNING', startDate: NOW },
          { name: 'nightly-0301', executionArn: executionArnOf('nightly-0301'), stateMachineArn: STATE_MACHINE_ARN, status: 'RUNNING', startDate: NOW },
        ],
      });
      running('download-1', { planName: 'prod-download', trigger });
      running('nightly-0301', { planName: 'nightly-staging', trigger });
      const res = await handleApiRequest(post({ request: { ...cloudRequest, target: { groupId: STAGING_GROUP, clusterName: 'staging' } } }), makeDeps());
      expect(res.statusCode).toBe(409);
      const body = parse(res);
      expect(body).toMatchObject({ error: 'RestoreRefused', code: 'TARGET_BUSY' });
      expect(body.message).toContain('nightly-0301');
      expect(sfn).toHaveReceivedCommandWith(ListExecutionsCommand, { stateMachineArn: STATE_MACHINE_ARN, statusFilter: 'RUNNING' });
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    });

    it('starts when the running restores go elsewhere (an overridden target counts, downloads overwrite nothing)', async () => {
      sfn.on(ListExecutionsCommand).resolves({
        executions: [
          { name: 'a', executionArn: executionArnOf('a'), stateMachineArn: STATE_MACHINE_ARN, status: 'RUNNING', startDate: NOW },
          { name: 'b', executionArn: executionArnOf('b'), stateMachineArn: STATE_MACHINE_ARN, status: 'RUNNING', startDate: NOW },
        ],
      });
      running('a', { planName: 'nightly-staging', overrides: { target: { groupId: STAGING_GROUP, clusterName: 'qa' } }, trigger });
      running('b', { planName: 'prod-download', trigger });
      sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('generated-id'), startDate: NOW });
      const res = await handleApiRequest(post({ plan: 'nightly-staging' }), makeDeps());
      expect(res.statusCode).toBe(202);
    });

    it('goes on (the create step checks again) when listing executions is not allowed', async () => {
      const denied = Object.assign(new Error('not authorized to perform: states:ListExecutions'), { name: 'AccessDeniedException' });
      sfn.on(ListExecutionsCommand).rejects(denied);
      sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('generated-id'), startDate: NOW });
      const deps = makeDeps();
      const res = await handleApiRequest(post({ plan: 'nightly-staging' }), deps);
      expect(res.statusCode).toBe(202);
      expect(deps.logger.warn).toHaveBeenCalledTimes(1);
    });

    it('does not count its own earlier execution (a repeat with the same key) as busy', async () => {
      sfn.on(ListExecutionsCommand).resolves({
        executions: [{ name: 'k-1', executionArn: executionArnOf('k-1'), stateMachineArn: STATE_MACHINE_ARN, status: 'RUNNING', startDate: NOW }],
      });
      running('k-1', { planName: 'nightly-staging', trigger: { type: 'http', time: '2026-03-01T09:59:00.000Z', requestedBy: CALLER_ARN } });
      sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('k-1'), startDate: NOW });
      const res = await handleApiRequest(post({ plan: 'nightly-staging' }, { headers: { 'Idempotency-Key': 'k-1' } }), makeDeps());
      expect(res.statusCode).toBe(202);
      expect(sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
    });
  });
});

describe('POST /restores: repeats with the same Idempotency-Key', () => {
  const key = { 'Idempotency-Key': 'deploy-42' };

  it('answers an idempotent repeat (Step Functions returns the same execution) with the same restore id', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('deploy-42'), startDate: NOW });
    const first = await handleApiRequest(post({ plan: 'nightly-staging' }, { headers: key }), makeDeps());
    const second = await handleApiRequest(post({ plan: 'nightly-staging' }, { headers: key }), makeDeps());
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(parse(second)).toEqual(parse(first));
    const names = sfn.commandCalls(StartExecutionCommand).map((c) => c.args[0].input.name);
    expect(names).toEqual(['deploy-42', 'deploy-42']);
  });

  const alreadyExists = () => new ExecutionAlreadyExists({ message: 'Execution Already Exists', $metadata: {} });
  const storedInput = (extra: Record<string, unknown> = {}) =>
    JSON.stringify({ planName: 'nightly-staging', trigger: { type: 'http', time: '2026-03-01T09:59:00.000Z', requestedBy: CALLER_ARN }, ...extra });

  it('answers 202 with the running restore when the same request meets ExecutionAlreadyExists (only the time differs)', async () => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArnOf('deploy-42'), status: 'RUNNING', startDate: NOW, input: storedInput() });
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }, { headers: key }), makeDeps());
    expect(res.statusCode).toBe(202);
    expect(parse(res)).toMatchObject({ restoreId: 'deploy-42', status: 'STARTED' });
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArnOf('deploy-42') });
  });

  it('answers 200 with the ended restore when the same request already ran to the end', async () => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({
      executionArn: executionArnOf('deploy-42'),
      status: 'SUCCEEDED',
      startDate: new Date('2026-03-01T09:00:00Z'),
      stopDate: new Date('2026-03-01T09:40:00Z'),
      input: storedInput(),
    });
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }, { headers: key }), makeDeps());
    expect(res.statusCode).toBe(200);
    expect(parse(res)).toMatchObject({
      restoreId: 'deploy-42',
      status: 'FINISHED',
      workflow: { status: 'SUCCEEDED', startedAt: '2026-03-01T09:00:00.000Z', stoppedAt: '2026-03-01T09:40:00.000Z' },
      links: { self: '/restores/deploy-42' },
    });
  });

  it('answers 409 when the key was used for a different request, and starts nothing new', async () => {
    sfn.on(StartExecutionCommand).rejects(alreadyExists());
    sfn.on(DescribeExecutionCommand).resolves({ executionArn: executionArnOf('deploy-42'), status: 'RUNNING', startDate: NOW, input: storedInput() });
    const res = await handleApiRequest(
      post({ plan: 'nightly-staging', overrides: { snapshotId: SNAPSHOT_ID } }, { headers: key }),
      makeDeps(),
    );
    expect(res.statusCode).toBe(409);
    expect(parse(res)).toMatchObject({ error: 'IdempotencyConflict', restoreId: 'deploy-42' });
    expect(parse(res).message).toContain('deploy-42');
  });
});

describe('POST /restores: dry run', () => {
  it('resolves and checks through the orchestrator and never starts an execution', async () => {
    const deps = makeDeps();
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }, { query: { dryRun: 'true' }, headers: { 'Idempotency-Key': 'try-1' } }), deps);
    expect(res.statusCode).toBe(200);
    const body = parse(res);
    expect(body).toMatchObject({ dryRun: true, summary: 'would restore', checks: ['staging is not a protected target'] });
    expect(body.input).toMatchObject({ planName: 'nightly-staging', trigger: { type: 'http' } });
    expect(deps.actions.dryRun).toHaveBeenCalledTimes(1);
    const [input, restoreId] = deps.actions.dryRun.mock.calls[0]!;
    expect(input).toMatchObject({ planName: 'nightly-staging', dryRun: true });
    expect(restoreId).toBe('try-1');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('refuses a protected target before even the dry run reaches the orchestrator', async () => {
    const deps = makeDeps();
    const res = await handleApiRequest(
      post({ plan: 'nightly-staging', overrides: { target: { groupId: STAGING_GROUP, clusterName: 'billing' } } }, { query: { dryRun: 'true' } }),
      deps,
    );
    expect(res.statusCode).toBe(409);
    expect(parse(res).code).toBe('PROTECTED_TARGET');
    expect(deps.actions.dryRun).not.toHaveBeenCalled();
  });

  it('refuses a dryRun flag that is neither true nor false', async () => {
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }, { query: { dryRun: 'yes' } }), makeDeps());
    expect(res.statusCode).toBe(400);
    expect(parse(res).fields).toEqual([{ path: 'query.dryRun', rule: 'must be true or false' }]);
  });
});

describe('POST /restores: refusals start nothing', () => {
  const refused = async (body: unknown, status: number, headers: Record<string, string> = {}) => {
    const res = await handleApiRequest(post(body, { headers }), makeDeps());
    expect(res.statusCode).toBe(status);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
    return parse(res);
  };

  it('400 with the field path for a malformed override', async () => {
    const body = await refused({ plan: 'nightly-staging', overrides: { snapshotId: 'ABC' } }, 400);
    expect(body).toMatchObject({ error: 'ValidationError' });
    expect(body.fields).toEqual([{ path: 'overrides.snapshotId', rule: 'must be a 24-character lowercase hex id' }]);
  });

  it('400 with nested paths for an invalid ad-hoc request', async () => {
    const body = await refused({ request: { ...cloudRequest, target: { groupId: 'nope', clusterName: 'qa' } } }, 400);
    expect(body.fields).toContainEqual({ path: 'request.target.groupId', rule: 'must be a 24-character lowercase hex id' });
  });

  it('400 from our own request rules (cross-field and clock), prefixed with request', async () => {
    const future = Math.floor(NOW.getTime() / 1000) + 3600;
    const pit = { kind: 'cloud', source: cloudRequest.source, deliveryType: 'pointInTime', pointInTimeUTCSeconds: future, target: cloudRequest.target };
    const body = await refused({ request: pit }, 400);
    expect(body.fields).toEqual([{ path: 'request.pointInTimeUTCSeconds', rule: 'must not be in the future' }]);
    const noTarget = await refused({ request: { ...cloudRequest, target: undefined } }, 400);
    expect(noTarget.fields[0]).toMatchObject({ path: 'request.target' });
  });

  it('400 for a shared-tier (tenant) request: the API is retired, and the answer names the Flex equivalent', async () => {
    const tenant = { kind: 'tenant', source: { groupId: STAGING_GROUP, clusterName: 'm2' }, snapshotId: cloudRequest.snapshotId, target: { groupId: STAGING_GROUP, clusterName: 'm5' } };
    const body = await refused({ request: tenant }, 400);
    expect(body.fields).toHaveLength(1);
    expect(body.fields[0].path).toBe('request.kind');
    expect(body.fields[0].rule).toContain('retired by Atlas');
    expect(body.fields[0].rule).toContain('"kind":"flex"');
  });

  it('400 when both or neither of plan and request are given, or overrides come without a plan', async () => {
    expect((await refused({ plan: 'nightly-staging', request: cloudRequest }, 400)).fields[0].path).toBe('plan');
    expect((await refused({}, 400)).fields[0].rule).toBe('give exactly one of plan or request');
    expect((await refused({ request: cloudRequest, overrides: {} }, 400)).fields[0].path).toBe('overrides');
  });

  it('400 for unknown fields, a body that is not JSON, and no body', async () => {
    expect((await refused({ plan: 'nightly-staging', planName: 'x' }, 400)).fields[0].rule).toMatch(/planName/);
    expect((await refused('{not json', 400)).fields).toEqual([{ path: '', rule: 'the body is not valid JSON' }]);
    expect((await refused(undefined, 400)).fields).toEqual([{ path: '', rule: 'the body must be a JSON object' }]);
  });

  it('400 for an Idempotency-Key that cannot be an execution name', async () => {
    const body = await refused({ plan: 'nightly-staging' }, 400, { 'Idempotency-Key': 'has spaces!' });
    expect(body.fields).toEqual([{ path: 'headers.Idempotency-Key', rule: 'must be 1-80 characters of letters, digits, - or _' }]);
    await refused({ plan: 'nightly-staging' }, 400, { 'Idempotency-Key': 'k'.repeat(81) });
  });

  it('400 naming the override a plan does not allow', async () => {
    const body = await refused({ plan: 'recover-prod', overrides: { snapshotId: SNAPSHOT_ID } }, 400);
    expect(body.fields).toEqual([{ path: 'overrides.snapshotId', rule: 'is not allowed by plan "recover-prod" (its allowOverrides: pointInTime)' }]);
  });

  it('400 for an override that does not fit the plan, or a point in time in the future', async () => {
    const target = await refused({ plan: 'prod-download', overrides: { target: { groupId: STAGING_GROUP, clusterName: 'qa' } } }, 400);
    expect(target.fields[0].path).toBe('overrides.target');
    const future = await refused({ plan: 'recover-prod', overrides: { pointInTimeUTCSeconds: Math.floor(NOW.getTime() / 1000) + 60 } }, 400);
    expect(future.fields).toEqual([{ path: 'overrides.pointInTimeUTCSeconds', rule: 'must not be in the future' }]);
  });

  it('404 for a plan that is not configured, listing only the plans an HTTP caller could start', async () => {
    expect(await refused({ plan: 'no-such-plan' }, 404)).toEqual({
      error: 'PlanNotFound',
      message: 'No plan named "no-such-plan" is configured (plans an HTTP caller may start: nightly-staging, recover-prod, prod-download)',
    });
  });

  it('403 for a plan that is not offered over HTTP', async () => {
    const body = await refused({ plan: 'schedule-only' }, 403);
    expect(body).toMatchObject({ error: 'TriggerNotAllowed', code: 'TRIGGER_NOT_ALLOWED' });
  });

  it('409 for a protected target, named in the message', async () => {
    const body = await refused({ plan: 'nightly-staging', overrides: { target: { groupId: STAGING_GROUP, clusterName: 'Prod-EU' } } }, 409);
    expect(body).toMatchObject({ error: 'RestoreRefused', code: 'PROTECTED_TARGET' });
    expect(body.message).toContain('Prod-EU');
    const adHoc = await refused({ request: { ...cloudRequest, target: { groupId: STAGING_GROUP, clusterName: 'billing' } } }, 409);
    expect(adHoc.code).toBe('PROTECTED_TARGET');
  });

  it('409 for a restore onto its own source, unless the plan allows it', async () => {
    const adHoc = await refused({ request: { ...cloudRequest, target: cloudRequest.source } }, 409);
    expect(adHoc.code).toBe('SOURCE_IS_TARGET');
    const override = await refused({ plan: 'nightly-staging', overrides: { target: { groupId: PROD_GROUP, clusterName: 'prod' } } }, 409);
    expect(override.code).toBe('SOURCE_IS_TARGET');
  });

  it('lets a recovery plan restore onto its source', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'x', startDate: NOW });
    const res = await handleApiRequest(post({ plan: 'recover-prod' }), makeDeps());
    expect(res.statusCode).toBe(202);
  });

  it('answers 503 with Retry-After when Step Functions is at its execution limit', async () => {
    sfn.on(StartExecutionCommand).rejects(new ExecutionLimitExceeded({ message: 'limit', $metadata: {} }));
    const res = await handleApiRequest(post({ plan: 'nightly-staging' }), makeDeps());
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('5');
    expect(parse(res).error).toBe('Unavailable');
  });
});
