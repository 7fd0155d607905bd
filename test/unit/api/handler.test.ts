import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { NOW, STATE_MACHINE_ARN, apiEvent, executionArnOf, plans } from './fixtures.js';

const sfn = mockClient(SFNClient);
const context = { awsRequestId: 'lambda-req-1', functionName: 'submitRestore' } as Context;

/** A fresh module each time: the handler builds its dependencies once per container. */
async function loadHandler() {
  vi.resetModules();
  return (await import('../../../functions/submitRestore/index.js')).handler;
}

beforeEach(() => {
  sfn.reset();
  vi.stubEnv('STATE_MACHINE_ARN', STATE_MACHINE_ARN);
  vi.stubEnv('RESTORE_PLANS_JSON', JSON.stringify(plans));
});
afterEach(() => vi.unstubAllEnvs());

describe('submitRestore handler', () => {
  it('starts a restore from the environment it is deployed with', async () => {
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('k-9'), startDate: NOW });
    const handler = await loadHandler();
    const res = await handler(
      apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { plan: 'nightly-staging' }, headers: { 'Idempotency-Key': 'k-9' } }),
      context,
    );
    expect(res.statusCode).toBe(202);
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { stateMachineArn: STATE_MACHINE_ARN, name: 'k-9' });
  });

  it('answers a JSON 500 (no details) when the deployment lacks its state machine ARN', async () => {
    vi.stubEnv('STATE_MACHINE_ARN', '');
    const handler = await loadHandler();
    const res = await handler(apiEvent({ path: '/restores/x' }), context);
    expect(res.statusCode).toBe(500);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'InternalError', requestId: 'req-1234' });
    expect(res.body).not.toContain('STATE_MACHINE_ARN');
  });

  it('runs a dry run through the create step: without Atlas credentials it answers 502 and starts nothing', async () => {
    for (const name of ['MONGODB_ATLAS_PUBLIC_API_KEY', 'MONGODB_ATLAS_PRIVATE_API_KEY', 'MONGODB_ATLAS_CLIENT_ID', 'MONGODB_ATLAS_CLIENT_SECRET', 'ATLAS_SECRET_NAME'])
      vi.stubEnv(name, '');
    const handler = await loadHandler();
    const res = await handler(
      apiEvent({ method: 'POST', path: '/restores', body: { plan: 'nightly-staging' }, query: { dryRun: 'true' } }),
      context,
    );
    expect(res.statusCode).toBe(502);
    expect(JSON.parse(res.body).message).toMatch(/credentials/);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });
});
