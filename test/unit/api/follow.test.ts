import {
  DescribeExecutionCommand,
  ExecutionDoesNotExist,
  GetExecutionHistoryCommand,
  SFNClient,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { beforeEach, describe, expect, it } from 'vitest';
import { RestoreView } from '../../../functions/core/api/answers.js';
import { handleApiRequest } from '../../../functions/core/api/routes.js';
import { AtlasConflictError } from '../../../functions/core/domain/errors.js';
import {
  CALLER_ARN,
  JOB_ID,
  NOW,
  SNAPSHOT_ID,
  apiEvent,
  executionArnOf,
  history,
  makeDeps,
  notifyResult,
  workflowState,
  type Step,
} from './fixtures.js';

const sfn = mockClient(SFNClient);
beforeEach(() => sfn.reset());

const ID = 'nightly-2026-03-01';
const ARN = executionArnOf(ID);
const INPUT = { planName: 'nightly-staging', trigger: { type: 'http', time: NOW.toISOString(), requestedBy: CALLER_ARN } };
const parse = (res: { body: string }) => JSON.parse(res.body) as Record<string, any>;

function execution(status: string, extra: Record<string, unknown> = {}) {
  sfn.on(DescribeExecutionCommand, { executionArn: ARN }).resolves({
    executionArn: ARN,
    status: status as never,
    startDate: NOW,
    ...(status === 'RUNNING' ? {} : { stopDate: new Date(NOW.getTime() + 3_600_000) }),
    input: JSON.stringify(INPUT),
    ...extra,
  });
}

/** Answers GetExecutionHistory newest first, as the API asks, and checks that it asked so. */
function withHistory(steps: Step[]) {
  const events = history(INPUT, steps).reverse();
  sfn.on(GetExecutionHistoryCommand, { executionArn: ARN, reverseOrder: true }).resolves({ events });
}

const get = (id = ID) => apiEvent({ path: `/restores/${id}`, resource: '/restores/{id}', pathParameters: { id } });
const cancel = (id = ID) => apiEvent({ method: 'POST', path: `/restores/${id}/cancel`, resource: '/restores/{id}/cancel', pathParameters: { id } });

describe('GET /restores/{id}', () => {
  it('reports the workflow and the latest restore status from the history', async () => {
    execution('RUNNING');
    withHistory([
      { state: 'CreateRestore', output: workflowState({ polls: 0, state: 'PENDING' }) },
      { wait: 15 },
      { state: 'PollRestore', output: workflowState({ polls: 1, state: 'RUNNING' }) },
      { wait: 30 },
      { state: 'PollRestore', output: { ...workflowState({ polls: 2, state: 'RUNNING' }), poll: { ...workflowState({ polls: 2 }).poll, atlasCalls: 7 } } },
      { wait: 60 },
      { state: 'PollRestore', running: true },
    ]);
    const res = await handleApiRequest(get(), makeDeps());
    expect(res.statusCode).toBe(200);
    const body = parse(res);
    expect(body.restoreId).toBe(ID);
    expect(body.workflow).toEqual({ status: 'RUNNING', startedAt: NOW.toISOString() });
    expect(body.polls).toBe(2);
    expect(body.atlasCalls).toBe(7);
    // The answer is what the OpenAPI document promises (strict: no field it does not name).
    expect(RestoreView.safeParse(body).error?.issues ?? []).toEqual([]);
    expect(body.status).toMatchObject({ kind: 'cloud', state: 'RUNNING', jobIds: [JOB_ID], snapshotId: SNAPSHOT_ID });
    expect(body.restore).toEqual({
      planName: 'nightly-staging',
      summary: `Restore snapshot ${SNAPSHOT_ID} of prod onto staging`,
      kind: 'cloud',
      jobId: JOB_ID,
      jobIds: [JOB_ID],
      adopted: false,
      cancellable: true,
      startedAt: '2026-03-01T10:00:05.000Z',
      deadlineAt: '2026-03-01T22:00:05.000Z',
    });
    expect(body.requested).toEqual(INPUT);
    expect(body.outcome).toBeUndefined();
    expect(body.links).toEqual({ self: `/restores/${ID}`, cancel: `/restores/${ID}/cancel` });
    // Notify settings (e.g. the webhook's secret name) are internal: not shown.
    expect(res.body).not.toContain('restore/slack-webhook');
    expect(sfn).toHaveReceivedCommandWith(GetExecutionHistoryCommand, { executionArn: ARN, reverseOrder: true, maxResults: 50 });
  });

  it('reports the outcome once notify ran, with the last state before it', async () => {
    execution('SUCCEEDED');
    withHistory([
      { state: 'CreateRestore', output: workflowState({ polls: 0 }) },
      { wait: 15 },
      { state: 'PollRestore', output: workflowState({ polls: 1, state: 'SUCCEEDED' }) },
      { state: 'NotifyRestore', output: notifyResult('SUCCEEDED') },
    ]);
    const body = parse(await handleApiRequest(get(), makeDeps()));
    expect(body.workflow).toEqual({ status: 'SUCCEEDED', startedAt: NOW.toISOString(), stoppedAt: '2026-03-01T11:00:00.000Z' });
    expect(body.outcome).toBe('SUCCEEDED');
    expect(body.status.state).toBe('SUCCEEDED');
    expect(body.polls).toBe(1);
  });

  it('reads the plain Lambda integration (LambdaFunctionSucceeded with the bare return value) too', async () => {
    execution('RUNNING');
    const state = workflowState({ polls: 4 });
    sfn.on(GetExecutionHistoryCommand).resolves({
      events: [
        { id: 3, type: 'LambdaFunctionSucceeded', timestamp: NOW, lambdaFunctionSucceededEventDetails: { output: JSON.stringify(state) } },
        { id: 2, type: 'LambdaFunctionStarted', timestamp: NOW },
        { id: 1, type: 'ExecutionStarted', timestamp: NOW },
      ],
    });
    expect(parse(await handleApiRequest(get(), makeDeps())).polls).toBe(4);
  });

  it('reads a second page of history when the first holds no state yet', async () => {
    execution('RUNNING');
    const all = history(INPUT, [{ state: 'CreateRestore', output: workflowState({ polls: 0 }) }, ...Array.from({ length: 30 }, () => ({ wait: 1 }))]).reverse();
    sfn
      .on(GetExecutionHistoryCommand, { nextToken: undefined })
      .resolves({ events: all.slice(0, 50), nextToken: 'page-2' })
      .on(GetExecutionHistoryCommand, { nextToken: 'page-2' })
      .resolves({ events: all.slice(50) });
    const body = parse(await handleApiRequest(get(), makeDeps()));
    expect(body.status.state).toBe('RUNNING');
    expect(sfn).toHaveReceivedCommandTimes(GetExecutionHistoryCommand, 2);
  });

  it('shows a failure without the stack trace the Lambda reported', async () => {
    const cause = JSON.stringify({
      errorType: 'RestoreRefused',
      errorMessage: 'Refusing to restore onto cluster "prod-eu": it is a protected target',
      trace: ['RestoreRefused: Refusing...', '    at checkGuards (/var/task/index.mjs:1:2345)'],
    });
    execution('FAILED', { error: 'RestoreRefused', cause });
    withHistory([{ state: 'CreateRestore', failed: { error: 'RestoreRefused', cause } }]);
    const res = await handleApiRequest(get(), makeDeps());
    const body = parse(res);
    expect(body.error).toEqual({ error: 'RestoreRefused', message: 'Refusing to restore onto cluster "prod-eu": it is a protected target' });
    expect(body.restore).toBeUndefined();
    expect(res.body).not.toContain('/var/task');
  });

  it('404 for a restore that does not exist', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'Execution Does Not Exist', $metadata: {} }));
    const res = await handleApiRequest(get('nope'), makeDeps());
    expect(res.statusCode).toBe(404);
    expect(parse(res)).toEqual({ error: 'NotFound', message: 'No restore with id "nope"' });
    expect(sfn).not.toHaveReceivedCommand(GetExecutionHistoryCommand);
  });

  it('400 for a malformed id, without asking Step Functions', async () => {
    const res = await handleApiRequest(get('a:b'), makeDeps());
    expect(res.statusCode).toBe(400);
    expect(parse(res).fields).toEqual([{ path: 'path.id', rule: 'must be 1-80 characters of letters, digits, - or _' }]);
    expect(sfn).not.toHaveReceivedCommand(DescribeExecutionCommand);
  });
});

describe('POST /restores/{id}/cancel', () => {
  it('cancels a cancellable (cloud) job through the orchestrator and answers 202 CANCELLING', async () => {
    execution('RUNNING');
    const latest = workflowState({ polls: 3 });
    withHistory([
      { state: 'CreateRestore', output: workflowState({ polls: 0 }) },
      { wait: 15 },
      { state: 'PollRestore', output: latest },
      { wait: 60 },
    ]);
    const deps = makeDeps();
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(202);
    expect(parse(res)).toMatchObject({ restoreId: ID, status: 'CANCELLING' });
    expect(deps.actions.cancel).toHaveBeenCalledTimes(1);
    expect(deps.actions.cancel).toHaveBeenCalledWith(latest);
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
  });

  it.each(['flex', 'tenant', 'legacy'] as const)('409 for a %s job, which Atlas cannot cancel: the restore continues', async (kind) => {
    execution('RUNNING');
    withHistory([{ state: 'CreateRestore', output: workflowState({ kind }) }, { wait: 15 }]);
    const deps = makeDeps();
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(409);
    const body = parse(res);
    expect(body).toMatchObject({ error: 'Conflict', kind });
    expect(body.message).toContain(`Atlas cannot cancel a ${kind} restore job`);
    expect(body.message).toContain('continues');
    expect(deps.actions.cancel).not.toHaveBeenCalled();
  });

  it('409 when the workflow has finished, naming the outcome', async () => {
    execution('FAILED');
    withHistory([
      { state: 'CreateRestore', output: workflowState() },
      { state: 'PollRestore', output: workflowState({ state: 'FAILED', polls: 1 }) },
      { state: 'NotifyRestore', output: notifyResult('FAILED') },
    ]);
    const deps = makeDeps();
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(409);
    expect(parse(res).message).toContain('already finished (FAILED)');
    expect(deps.actions.cancel).not.toHaveBeenCalled();
  });

  it('409 when the Atlas job has ended and the workflow is only reporting it', async () => {
    execution('RUNNING');
    withHistory([
      { state: 'PollRestore', output: workflowState({ state: 'SUCCEEDED', polls: 9 }) },
      { state: 'NotifyRestore', running: true },
    ]);
    const res = await handleApiRequest(cancel(), makeDeps());
    expect(res.statusCode).toBe(409);
    expect(parse(res).message).toContain('already finished (SUCCEEDED)');
  });

  it('stops the execution when no job exists yet, and says no notification is sent', async () => {
    execution('RUNNING');
    withHistory([]);
    sfn.on(StopExecutionCommand).resolves({ stopDate: NOW });
    const deps = makeDeps();
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(202);
    const body = parse(res);
    expect(body.status).toBe('CANCELLED');
    expect(body.message).toContain('no notification is sent');
    expect(sfn).toHaveReceivedCommandWith(StopExecutionCommand, {
      executionArn: ARN,
      error: 'CancelledByRequest',
      cause: `Cancelled by ${CALLER_ARN} before any Atlas restore job was created`,
    });
    expect(deps.actions.cancel).not.toHaveBeenCalled();
  });

  it('409 and nothing stopped when a create was sent and its answer lost: the job may exist', async () => {
    execution('RUNNING');
    withHistory([]);
    const deps = makeDeps();
    deps.actions.createSentAt.mockResolvedValue(new Date('2026-03-01T03:00:05.000Z'));
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(409);
    expect(res.headers['Retry-After']).toBe('60');
    const body = parse(res);
    expect(body.message).toMatch(/outcome is unknown and the workflow is still looking for the job/);
    expect(body.message).not.toMatch(/nothing was restored/i);
    expect(deps.actions.createSentAt).toHaveBeenCalledWith(expect.any(String));
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
  });

  it('409 with Retry-After while the create step may be creating the job', async () => {
    execution('RUNNING');
    withHistory([{ state: 'CreateRestore', running: true }]);
    const res = await handleApiRequest(cancel(), makeDeps());
    expect(res.statusCode).toBe(409);
    expect(res.headers['Retry-After']).toBe('5');
    expect(sfn).not.toHaveReceivedCommand(StopExecutionCommand);
  });

  it('409 when Atlas refuses the cancel', async () => {
    execution('RUNNING');
    withHistory([{ state: 'CreateRestore', output: workflowState() }]);
    const deps = makeDeps();
    deps.actions.cancel.mockRejectedValue(new AtlasConflictError('Atlas refused to cancel the job: it has already finished', { status: 405 }));
    const res = await handleApiRequest(cancel(), deps);
    expect(res.statusCode).toBe(409);
    expect(parse(res)).toMatchObject({ error: 'AtlasConflict', atlasStatus: 405 });
  });

  it('404 for an unknown restore', async () => {
    sfn.on(DescribeExecutionCommand).rejects(new ExecutionDoesNotExist({ message: 'x', $metadata: {} }));
    expect((await handleApiRequest(cancel('unknown'), makeDeps())).statusCode).toBe(404);
  });
});
