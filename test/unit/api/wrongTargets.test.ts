import { ListExecutionsCommand, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { ATTACK_PLANS, ATTEMPTS, HTTP_STATUS } from '../../adversarial/wrongTargets.js';
import { apiEvent, makeDeps } from './fixtures.js';

/** Every wrong-target attempt HTTP can express, through the API: refused, nothing started, no Atlas call (dry run or cancel). */

const sfn = mockClient(SFNClient);
beforeEach(() => {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: 'started', startDate: new Date() });
});

const overHttp = ATTEMPTS.filter((a) => a.body !== undefined);

describe('wrong targets over HTTP', () => {
  it('covers enough attempts', () => {
    expect(overHttp.length).toBeGreaterThanOrEqual(40);
  });

  it.each(overHttp.map((a) => [a.name, a] as const))('%s: refused', async (_name, attempt) => {
    for (const query of [undefined, { dryRun: 'true' }]) {
      const deps = makeDeps({ plans: ATTACK_PLANS, now: () => new Date('2026-01-01T00:00:00Z') });
      const res = await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: attempt.body, ...(query ? { query } : {}) }), deps);
      const body = JSON.parse(res.body) as { error: string; code?: string; fields?: { path: string }[] };
      expect(res.statusCode, res.body).toBe(HTTP_STATUS[attempt.refusedBy]);
      if (attempt.refusedBy !== 'invalid' && attempt.refusedBy !== 'not-found') expect(body.code).toBe(attempt.refusedBy);
      if (attempt.refusedBy === 'invalid') expect(body.fields?.length).toBeGreaterThan(0);
      expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
      expect(deps.actions.dryRun).not.toHaveBeenCalled();
      expect(deps.actions.cancel).not.toHaveBeenCalled();
    }
  });

  it('a body cannot choose its trigger: `trigger` is an unknown field', async () => {
    const deps = makeDeps({ plans: ATTACK_PLANS });
    const res = await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { plan: 'alarm-only', trigger: { type: 'manual' } } }), deps);
    expect(res.statusCode).toBe(400);
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it('what HTTP does start always says trigger http (so `manual` only comes from an operator)', async () => {
    const deps = makeDeps({ plans: ATTACK_PLANS });
    const res = await handleApiRequest(apiEvent({ method: 'POST', path: '/restores', resource: '/restores', body: { plan: 'refresh' } }), deps);
    expect(res.statusCode).toBe(202);
    const input = JSON.parse(sfn.commandCalls(StartExecutionCommand)[0]!.args[0].input.input!) as { trigger: { type: string } };
    expect(input.trigger.type).toBe('http');
  });
});
