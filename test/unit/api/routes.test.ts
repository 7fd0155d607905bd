import { DescribeExecutionCommand, ExecutionDoesNotExist, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { executionArn, readableCause } from '../../../functions/core/api/executions.js';
import { clusterPatternMatches as matches } from '../../../functions/core/plans/guards.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { AtlasThrottledError } from '../../../functions/core/domain/errors.js';
import { STATE_MACHINE_ARN, apiEvent, executionArnOf, makeDeps } from './fixtures.js';

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());
const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

describe('routing', () => {
  it('404 JSON for an unknown path', async () => {
    const res = await handleApiRequest(apiEvent({ path: '/backups' }), makeDeps());
    expect(res.statusCode).toBe(404);
    expect(res.headers['Content-Type']).toBe('application/json');
    expect(parse(res)).toEqual({ error: 'NotFound', message: 'No such resource: GET /backups' });
  });

  it('405 JSON with Allow for a known path and another method', async () => {
    const res = await handleApiRequest(apiEvent({ method: 'DELETE', path: '/restores/abc' }), makeDeps());
    expect(res.statusCode).toBe(405);
    expect(res.headers.Allow).toBe('GET');
    expect(parse(res).error).toBe('MethodNotAllowed');
    const list = await handleApiRequest(apiEvent({ method: 'PUT', path: '/restores' }), makeDeps());
    expect(list.statusCode).toBe(405);
    expect(list.headers.Allow).toBe('POST, GET');
  });

  it('routes by the raw path behind a {proxy+} resource, trailing slash and encoding included', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'x', $metadata: {} }));
    const res = await handleApiRequest(apiEvent({ path: '/restores/abc-1/' }), makeDeps());
    expect(res.statusCode).toBe(404);
    expect(sfn).toHaveReceivedCommandWith(DescribeExecutionCommand, { executionArn: executionArnOf('abc-1') });
    const encoded = await handleApiRequest(apiEvent({ path: '/restores/a%20b' }), makeDeps());
    expect(encoded.statusCode).toBe(400);
  });
});

describe('unexpected errors', () => {
  it('500 with a generic message and the request id; the details go to the log only', async () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'x')");
    boom.stack = `${boom.message}\n    at describeExecution (/var/task/index.mjs:10:20)`;
    sfn.on(DescribeExecutionCommand).rejects(boom);
    const deps = makeDeps();
    const res = await handleApiRequest(apiEvent({ path: '/restores/abc' }), deps);
    expect(res.statusCode).toBe(500);
    expect(res.headers['Content-Type']).toBe('application/json');
    const body = parse(res);
    expect(body).toEqual({
      error: 'InternalError',
      message: 'Something went wrong on our side. The details are in the log under this request id.',
      requestId: 'req-1234',
    });
    expect(res.body).not.toContain('/var/task');
    expect(res.body).not.toContain('Cannot read');
    expect(deps.logger.error).toHaveBeenCalledWith('Unexpected error while answering', { error: boom, requestId: 'req-1234' });
  });

  it('500 when the orchestrator throws something unexpected during a dry run', async () => {
    const deps = makeDeps();
    deps.actions.dryRun.mockRejectedValue(new Error('secret-ish internal detail'));
    const res = await handleApiRequest(
      apiEvent({ method: 'POST', path: '/restores', body: { plan: 'nightly-staging' }, query: { dryRun: 'true' } }),
      deps,
    );
    expect(res.statusCode).toBe(500);
    expect(res.body).not.toContain('secret-ish');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('503 with Atlas\'s Retry-After when Atlas throttles a dry run', async () => {
    const deps = makeDeps();
    const throttled = new AtlasThrottledError('Atlas answered 429 to GET /snapshots', { status: 429 });
    throttled.retryAfterSeconds = 30;
    deps.actions.dryRun.mockRejectedValue(throttled);
    const res = await handleApiRequest(
      apiEvent({ method: 'POST', path: '/restores', body: { plan: 'nightly-staging' }, query: { dryRun: 'true' } }),
      deps,
    );
    expect(res.statusCode).toBe(503);
    expect(res.headers['Retry-After']).toBe('30');
  });
});

describe('helpers', () => {
  it('builds the execution ARN from the state machine ARN', () => {
    expect(executionArn(STATE_MACHINE_ARN, 'r-1')).toBe('arn:aws:states:eu-west-1:123456789012:execution:AtlasRestore:r-1');
    expect(executionArn('arn:aws-us-gov:states:us-gov-west-1:1:stateMachine:M', 'x')).toBe('arn:aws-us-gov:states:us-gov-west-1:1:execution:M:x');
    expect(() => executionArn('arn:aws:lambda:eu-west-1:1:function:f', 'x')).toThrow(/not a state machine ARN/);
  });

  it('keeps only the message of a Lambda error cause, or the first line of another cause', () => {
    expect(readableCause(JSON.stringify({ errorType: 'E', errorMessage: 'the message', trace: ['E: x', '    at f'] }))).toBe('the message');
    expect(readableCause('first line\n    at somewhere')).toBe('first line');
    expect(readableCause('x'.repeat(1000))).toHaveLength(500);
    expect(readableCause(undefined)).toBeUndefined();
  });

  it('matches protected cluster patterns with * and without regard to case', () => {
    expect(matches('prod-*', 'prod-eu')).toBe(true);
    expect(matches('prod-*', 'PROD-eu')).toBe(true);
    expect(matches('prod', 'prod2')).toBe(false);
    expect(matches('a.b', 'axb')).toBe(false);
    expect(matches('*', 'anything')).toBe(true);
  });
});
