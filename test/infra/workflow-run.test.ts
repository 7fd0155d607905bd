import { ExecutionError, StateMachine } from 'aws-local-stepfunctions';
import { beforeAll, describe, expect, it } from 'vitest';
import { NotifyInput, OUTCOMES, WorkflowState, type Outcome } from '../../functions/core/workflow/contract.js';
import { OUTCOME_STATES, TASK_STATES } from '../../lib/workflow.js';
import { synthesizeWorkflowDefinition } from '../../lib/workflow-definition.js';

/**
 * Runs the synthesised definition with stand-in handlers that speak the contract (contract.ts):
 * proves the JSONPath plumbing (payloads, OutputPath, Catch into $.error, the notify result) carries
 * what each step needs. The real handlers are exercised the same way by the integration tests.
 */

let definition: object;
beforeAll(() => {
  definition = synthesizeWorkflowDefinition();
});

const EXECUTION = 'restore-2026-01-02-abc';

const TERMINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'EXPIRED'];

function workflowState(overrides: { state?: string; deadlinePassed?: boolean; count?: number; next?: string } = {}) {
  const state = overrides.state ?? 'PENDING';
  // What poll's watch rule (functions/core/orchestrate/watch.ts) would decide for such a state.
  const next = overrides.next ?? (TERMINAL.includes(state) ? 'report' : overrides.deadlinePassed ? 'cancel' : 'wait');
  return WorkflowState.parse({
    restore: {
      restoreId: EXECUTION,
      planName: 'nightly-staging',
      trigger: { type: 'schedule', time: '2026-01-02T03:00:00Z' },
      request: {
        kind: 'cloud',
        deliveryType: 'automated',
        source: { groupId: '65f1a0000000000000000001', clusterName: 'prod-cluster' },
        snapshotId: '65f1b0000000000000000106',
        target: { groupId: '65f1a0000000000000000002', clusterName: 'staging-cluster' },
      },
      summary: 'prod-cluster snapshot onto staging-cluster',
      job: { kind: 'cloud', groupId: '65f1a0000000000000000001', clusterName: 'prod-cluster', jobId: '65f1d0000000000000000001' },
      adopted: false,
      cancellable: true,
      startedAt: '2026-01-02T03:00:01.000Z',
      deadlineAt: '2026-01-02T09:00:01.000Z',
      poll: { floorSeconds: 15, capSeconds: 300 },
      notify: { sns: true, eventBridge: true },
    },
    status: { kind: 'cloud', state, jobIds: ['65f1d0000000000000000001'], atlasStatus: 'queued' },
    poll: { count: overrides.count ?? 0, waitSeconds: 15, deadlinePassed: overrides.deadlinePassed ?? false, next },
  });
}

type Handler = (payload: any) => unknown;
interface Run {
  calls: Record<string, unknown[]>;
  result?: any;
  error?: { name: string; message: string };
}

/** Runs one execution; handlers get the Task's Payload and answer like the optimised lambda:invoke. */
async function run(input: object, handlers: Record<string, Handler>): Promise<Run> {
  const calls: Record<string, unknown[]> = {};
  const overrides = Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (event: any) => {
        (calls[name] ??= []).push(event.Payload);
        return { StatusCode: 200, Payload: (await handler(structuredClone(event.Payload))) as never };
      },
    ]),
  );
  const machine = new StateMachine(structuredClone(definition) as never, { validationOptions: { checkArn: false } });
  const execution = machine.run(input as never, {
    overrides: {
      taskResourceLocalHandlers: overrides,
      waitTimeOverrides: { WaitBeforePoll: 0 },
      retryIntervalOverrides: Object.fromEntries(Object.values(TASK_STATES).map((n) => [n, 0])),
    },
    context: { Execution: { Name: EXECUTION } } as never,
  });
  try {
    return { calls, result: await execution.result };
  } catch (err) {
    if (!(err instanceof ExecutionError)) throw err;
    const cause = err.cause as Error;
    return { calls, error: { name: cause.name, message: cause.message } };
  }
}

const notifyWith = (outcome: Outcome) => (payload: unknown) => {
  NotifyInput.parse(payload); // what reaches notify must always be a NotifyInput
  return {
    outcome,
    delivered: ['sns'],
    deliveredNow: ['sns'],
    deliveredEarlier: [],
    failed: [],
    message: `restore ${outcome}`,
    watching: false,
    reportId: `${EXECUTION}/${outcome}`,
  };
};

function errorNamed(name: string, message = 'boom'): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

const INPUT = { planName: 'nightly-staging', trigger: { type: 'schedule', time: '2026-01-02T03:00:00Z' } };

describe('workflow run (aws-local-stepfunctions)', () => {
  it('creates, polls until Atlas says done, notifies and succeeds', async () => {
    const states = ['RUNNING', 'RUNNING', 'SUCCEEDED'];
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => workflowState(),
      [TASK_STATES.poll]: (p) => {
        WorkflowState.parse(p);
        const count = p.poll.count + 1;
        return workflowState({ state: states[count - 1], count });
      },
      [TASK_STATES.notify]: notifyWith('SUCCEEDED'),
    });
    expect(r.error).toBeUndefined();
    expect(r.calls[TASK_STATES.create]).toEqual([{ input: INPUT, restoreId: EXECUTION }]);
    expect(r.calls[TASK_STATES.poll]).toHaveLength(3);
    expect(r.calls[TASK_STATES.cancel]).toBeUndefined();
    expect(r.result.status.state).toBe('SUCCEEDED');
    expect(r.result.notification).toEqual({
      outcome: 'SUCCEEDED',
      delivered: ['sns'],
      deliveredNow: ['sns'],
      deliveredEarlier: [],
      failed: [],
      message: 'restore SUCCEEDED',
      watching: false,
      reportId: `${EXECUTION}/SUCCEEDED`,
    });
  });

  it('cancels once the deadline passed, then reports TIMED_OUT', async () => {
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => workflowState(),
      [TASK_STATES.poll]: () => workflowState({ state: 'RUNNING', deadlinePassed: true, count: 1 }),
      [TASK_STATES.cancel]: (p) => ({ ...WorkflowState.parse(p), status: { ...p.status, state: 'CANCELLED' }, poll: { ...p.poll, next: 'report' } }),
      [TASK_STATES.notify]: notifyWith('TIMED_OUT'),
    });
    expect(r.calls[TASK_STATES.cancel]).toHaveLength(1);
    expect((r.calls[TASK_STATES.notify]![0] as any).status.state).toBe('CANCELLED');
    expect(r.error?.name).toBe('RestoreTimedOut');
  });

  it('reports a refused create through notify with the original input and the error, and fails as refused', async () => {
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => {
        throw errorNamed('RestoreRefused', 'staging-cluster is busy');
      },
      // No POST was sent: the look for a created job answers at once that there is none.
      [TASK_STATES.findCreatedJob]: () => ({ noJobFound: true }),
      [TASK_STATES.notify]: notifyWith('REFUSED'),
    });
    expect(r.calls[TASK_STATES.create]).toHaveLength(1); // a refusal is never retried
    const error = { Error: 'RestoreRefused', Cause: expect.stringContaining('busy') };
    expect(r.calls[TASK_STATES.findCreatedJob]).toEqual([{ input: INPUT, restoreId: EXECUTION, afterFailure: error }]);
    expect(r.calls[TASK_STATES.notify]).toEqual([{ ...INPUT, error, found: { answer: { noJobFound: true } }, run: { restoreId: EXECUTION } }]);
    expect(r.error?.name).toBe('RestoreRefused');
  });

  it('retries a throttled create and an ambiguous create, then goes on', async () => {
    const failures = [errorNamed('AtlasThrottled'), errorNamed('AtlasCreateOutcomeUnknown')];
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => {
        const next = failures.shift();
        if (next) throw next;
        return workflowState();
      },
      [TASK_STATES.poll]: () => workflowState({ state: 'SUCCEEDED', count: 1 }),
      [TASK_STATES.notify]: notifyWith('SUCCEEDED'),
    });
    expect(r.calls[TASK_STATES.create]).toHaveLength(3);
    expect(r.error).toBeUndefined();
  });

  it('a poll that crashes does not end the restore: its error reaches the next poll beside the state', async () => {
    let polls = 0;
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => workflowState(),
      [TASK_STATES.poll]: (p) => {
        if (++polls === 1) throw errorNamed('TypeError', 'cannot read the answer');
        expect(p.pollError).toEqual({ Error: 'TypeError', Cause: expect.stringContaining('cannot read the answer') });
        expect(WorkflowState.parse(p).restore.job.jobId).toBe('65f1d0000000000000000001');
        return workflowState({ state: 'SUCCEEDED', count: 2 });
      },
      [TASK_STATES.notify]: notifyWith('SUCCEEDED'),
    });
    expect(r.calls[TASK_STATES.poll]).toHaveLength(2);
    expect(r.error).toBeUndefined();
  });

  it('after an interim report the workflow goes back to watching, and ends on the closing one', async () => {
    const states = [
      workflowState({ state: 'RUNNING', deadlinePassed: true, count: 1, next: 'report' }),
      workflowState({ state: 'RUNNING', deadlinePassed: true, count: 2, next: 'wait' }),
      workflowState({ state: 'CANCELLED', deadlinePassed: true, count: 3 }),
    ];
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => workflowState(),
      [TASK_STATES.poll]: () => states.shift(),
      [TASK_STATES.notify]: (p) =>
        p.status.state === 'RUNNING'
          ? { ...notifyWith('TIMED_OUT')(p), outcome: 'RUNNING', watching: true }
          : notifyWith('TIMED_OUT')(p),
    });
    expect(r.calls[TASK_STATES.poll]).toHaveLength(3);
    expect(r.calls[TASK_STATES.notify]).toHaveLength(2);
    expect(r.error?.name).toBe('RestoreTimedOut');
  });

  it('stops after create on a dry run, without waiting, polling or notifying', async () => {
    const r = await run({ ...INPUT, dryRun: true }, {
      [TASK_STATES.create]: (p) => ({ dryRun: true, summary: `would restore for ${p.restoreId}` }),
    });
    expect(r.error).toBeUndefined();
    expect(r.result).toEqual({ dryRun: true, summary: `would restore for ${EXECUTION}` });
    expect(r.calls[TASK_STATES.poll]).toBeUndefined();
  });

  it.each(OUTCOMES.filter((o) => o !== 'SUCCEEDED'))('ends a %s restore in its own Fail state', async (outcome) => {
    const r = await run(INPUT, {
      [TASK_STATES.create]: () => workflowState(),
      [TASK_STATES.poll]: () => workflowState({ state: 'FAILED', count: 1 }),
      [TASK_STATES.notify]: notifyWith(outcome),
    });
    expect(r.error?.name).toBe(OUTCOME_STATES[outcome].state);
  });
});
