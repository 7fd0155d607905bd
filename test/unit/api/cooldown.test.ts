import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { MemoryRunRecords, startCooldown } from '../../../functions/core/orchestrate/runRecords.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { NOW, PROD_GROUP, STAGING_GROUP, apiEvent, executionArnOf, makeDeps, plans } from './fixtures.js';

/** One cooldown rule at every entry: the HTTP start answers 409 COOLDOWN before any execution. */

const sfn = mockClient(SFNClient);
beforeEach(() => {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('r-2'), startDate: NOW });
});

const cooling = PlansConfig.parse({
  ...plans,
  plans: plans.plans.map((p) => (p.name === 'nightly-staging' ? { ...p, cooldownMinutes: 120 } : p)),
});
const STAGING = { groupId: STAGING_GROUP, clusterName: 'staging' };
const start = (body: unknown, query?: Record<string, string>) =>
  apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body, headers: { 'Idempotency-Key': 'r-2' }, ...(query ? { query } : {}) });

async function setup() {
  const runs = new MemoryRunRecords(() => new Date(NOW.getTime() - 30 * 60_000));
  // The plan started r-1 half an hour ago (its create step recorded the plan and its target).
  await startCooldown(runs, 'nightly-staging', STAGING, 'r-1', 120);
  return makeDeps({ plans: cooling, runs: async () => runs });
}

describe('POST /restores inside a cooldown', () => {
  it('a plan start: 409 COOLDOWN naming the last run, and no execution is started', async () => {
    const res = await handleApiRequest(start({ plan: 'nightly-staging' }), await setup());
    expect(res.statusCode, res.body).toBe(409);
    expect(JSON.parse(res.body)).toMatchObject({ error: 'RestoreRefused', code: 'COOLDOWN' });
    expect(JSON.parse(res.body).message).toContain('started restore r-1');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('an ad-hoc request onto the plan\'s target (another case): 409 COOLDOWN, nothing started', async () => {
    const request = { kind: 'cloud', source: { groupId: PROD_GROUP, clusterName: 'prod' }, deliveryType: 'automated', snapshotId: '5f1e2d3c4b5a69788796a5b4', target: { groupId: STAGING_GROUP, clusterName: 'Staging' } };
    const res = await handleApiRequest(start({ request }), await setup());
    expect(res.statusCode, res.body).toBe(409);
    expect(JSON.parse(res.body).message).toContain('was the target of restore r-1');
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('the same restore asked again (its Idempotency-Key) is not inside its own cooldown; another target is free', async () => {
    const deps = await setup();
    const again = apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { plan: 'nightly-staging' }, headers: { 'Idempotency-Key': 'r-1' } });
    sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf('r-1'), startDate: NOW });
    expect((await handleApiRequest(again, deps)).statusCode).toBe(202);
    const request = { kind: 'cloud', source: { groupId: PROD_GROUP, clusterName: 'prod' }, deliveryType: 'automated', snapshotId: '5f1e2d3c4b5a69788796a5b4', target: { groupId: STAGING_GROUP, clusterName: 'scratch' } };
    expect((await handleApiRequest(start({ request }), deps)).statusCode).toBe(202);
  });
});
