import { SFNClient, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { vi, type Mock } from 'vitest';
import type { ApiDeps, RestoreActions } from '../../../functions/core/api/deps.js';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { NotifyResult, WorkflowState } from '../../../functions/core/workflow/contract.js';
import type { RestoreState } from '../../../functions/core/restore/status.js';

/** Shared test material for the HTTP API: a plans config, API Gateway events, execution histories. */

export const PROD_GROUP = 'aaaaaaaaaaaaaaaaaaaaaaaa';
export const STAGING_GROUP = 'bbbbbbbbbbbbbbbbbbbbbbbb';
export const SNAPSHOT_ID = '5f1e2d3c4b5a69788796a5b4';
export const JOB_ID = '65a0b1c2d3e4f5a6b7c8d9e0';
export const STATE_MACHINE_ARN = 'arn:aws:states:eu-west-1:123456789012:stateMachine:AtlasRestore';
export const CALLER_ARN = 'arn:aws:iam::123456789012:user/alice';
export const NOW = new Date('2026-03-01T10:00:00.000Z');

export const plans = PlansConfig.parse({
  protectedTargets: [{ groupId: STAGING_GROUP, clusters: ['prod-*', 'billing'] }],
  plans: [
    {
      name: 'nightly-staging',
      source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' },
      restore: { type: 'snapshot', target: { groupId: STAGING_GROUP, clusterName: 'staging' } },
      triggers: { http: true, manual: true },
      allowOverrides: ['snapshotId', 'target'],
    },
    {
      name: 'recover-prod',
      source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' },
      restore: { type: 'pointInTime', pointInTime: { minutesBeforeTrigger: 15 }, target: { groupId: PROD_GROUP, clusterName: 'prod' } },
      allowRestoreOntoSource: true,
      triggers: { http: true, manual: true },
      allowOverrides: ['pointInTime'],
    },
    {
      name: 'schedule-only',
      source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' },
      restore: { type: 'download' },
      triggers: { http: false, schedule: { cron: 'cron(0 3 * * ? *)' } },
    },
    {
      name: 'prod-download',
      source: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod' },
      restore: { type: 'download' },
      triggers: { http: true, manual: true },
      allowOverrides: ['snapshotId', 'target'],
    },
  ],
  // Ad-hoc: cloud restores from prod onto any staging cluster (protected ones still refused), downloads of prod.
  adHoc: {
    restores: [{ kinds: ['cloud'], sources: [{ groupId: PROD_GROUP, clusters: ['prod'] }], targets: [{ groupId: STAGING_GROUP, clusters: ['*'] }] }],
    downloads: [{ kinds: ['cloud'], sources: [{ groupId: PROD_GROUP, clusters: ['prod'] }] }],
  },
});

export interface EventOptions {
  method?: string;
  path: string;
  body?: unknown;
  headers?: Record<string, string>;
  query?: Record<string, string>;
  /** Set `resource` and `pathParameters` the way API Gateway does for declared resources. */
  resource?: string;
  pathParameters?: Record<string, string>;
  userArn?: string | null;
}

/** An API Gateway REST proxy event as IAM-authorised requests produce it. */
export function apiEvent(o: EventOptions): APIGatewayProxyEvent {
  return {
    httpMethod: o.method ?? 'GET',
    path: o.path,
    resource: o.resource ?? '/{proxy+}',
    // A body is sent as JSON unless the test says otherwise (as the API requires: see envelope.ts).
    headers: o.body === undefined || Object.keys(o.headers ?? {}).some((h) => h.toLowerCase() === 'content-type')
      ? (o.headers ?? {})
      : { 'Content-Type': 'application/json', ...o.headers },
    multiValueHeaders: {},
    queryStringParameters: o.query ?? null,
    multiValueQueryStringParameters: null,
    pathParameters: o.pathParameters ?? null,
    stageVariables: null,
    isBase64Encoded: false,
    body: o.body === undefined ? null : typeof o.body === 'string' ? o.body : JSON.stringify(o.body),
    requestContext: {
      requestId: 'req-1234',
      identity: { userArn: o.userArn === undefined ? CALLER_ARN : o.userArn, caller: 'AIDAEXAMPLE' },
    } as APIGatewayProxyEvent['requestContext'],
  };
}

function fakeLogger() {
  return { info: vi.fn(), warn: vi.fn(), error: vi.fn() };
}

interface FakeActions extends RestoreActions {
  dryRun: Mock<RestoreActions['dryRun']>;
  cancel: Mock<RestoreActions['cancel']>;
  createSentAt: Mock<RestoreActions['createSentAt']>;
}

function fakeActions(): FakeActions {
  return {
    dryRun: vi.fn<RestoreActions['dryRun']>(async () => ({
      planName: 'nightly-staging',
      summary: 'would restore',
      request: {
        kind: 'cloud',
        deliveryType: 'automated',
        source: { groupId: PROD_GROUP, clusterName: 'prod' },
        snapshotId: SNAPSHOT_ID,
        target: { groupId: STAGING_GROUP, clusterName: 'staging' },
      },
      checks: ['staging is not a protected target'],
      deadlineMinutes: 720,
    })),
    cancel: vi.fn<RestoreActions['cancel']>(async () => undefined),
    createSentAt: vi.fn<RestoreActions['createSentAt']>(async () => undefined),
  };
}

export type TestDeps = ApiDeps & { actions: FakeActions; logger: ReturnType<typeof fakeLogger> };

export function makeDeps(overrides: Partial<Omit<ApiDeps, 'actions' | 'logger'>> = {}): TestDeps {
  const holds = new MemoryTargetHolds(() => NOW);
  const history = new MemoryRestoreHistory();
  return {
    sfn: new SFNClient({ region: 'eu-west-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }),
    stateMachineArn: STATE_MACHINE_ARN,
    plans,
    actions: fakeActions(),
    logger: fakeLogger(),
    holds: async () => holds,
    history: async () => history,
    now: () => NOW,
    newRestoreId: () => 'generated-id',
    ...overrides,
  };
}

export const executionArnOf = (id: string) => `arn:aws:states:eu-west-1:123456789012:execution:AtlasRestore:${id}`;

export function workflowState(o: { kind?: 'cloud' | 'flex' | 'tenant' | 'legacy'; state?: RestoreState; polls?: number } = {}): WorkflowState {
  const kind = o.kind ?? 'cloud';
  return {
    restore: {
      restoreId: 'r-1',
      planName: 'nightly-staging',
      trigger: { type: 'http', time: NOW.toISOString(), requestedBy: CALLER_ARN },
      request: {
        kind: 'cloud',
        source: { groupId: PROD_GROUP, clusterName: 'prod' },
        deliveryType: 'automated',
        snapshotId: SNAPSHOT_ID,
        target: { groupId: STAGING_GROUP, clusterName: 'staging' },
      },
      summary: `Restore snapshot ${SNAPSHOT_ID} of prod onto staging`,
      job: { kind, groupId: PROD_GROUP, clusterName: 'prod', jobId: JOB_ID },
      adopted: false,
      cancellable: kind === 'cloud',
      startedAt: '2026-03-01T10:00:05.000Z',
      deadlineAt: '2026-03-01T22:00:05.000Z',
      poll: { floorSeconds: 15, capSeconds: 300 },
      notify: { sns: true, eventBridge: true, webhook: { format: 'slack', secretName: 'restore/slack-webhook' } },
    },
    status: { kind, state: o.state ?? 'RUNNING', jobIds: [JOB_ID], snapshotId: SNAPSHOT_ID, atlasStatus: 'in progress' },
    poll: { count: o.polls ?? 0, waitSeconds: 15, deadlinePassed: false },
  };
}

/** One step of a workflow, as the history records a Task state running a Lambda. */
export type Step =
  | { state: string; output: unknown }
  | { state: string; running: true }
  | { state: string; failed: { error: string; cause: string } }
  | { wait: number };

/**
 * Builds a realistic execution history (oldest first, ids from 1) for the optimised LambdaInvoke
 * integration: TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded (output wraps the
 * function's return in `Payload`), TaskStateExited; Wait states in between.
 */
export function history(input: unknown, steps: Step[]): HistoryEvent[] {
  const events: HistoryEvent[] = [];
  let t = NOW.getTime();
  const push = (e: Omit<HistoryEvent, 'id' | 'timestamp' | 'previousEventId'>) => {
    const id = events.length + 1;
    events.push({ id, previousEventId: id - 1, timestamp: new Date((t += 1000)), ...e } as HistoryEvent);
  };
  push({ type: 'ExecutionStarted', executionStartedEventDetails: { input: JSON.stringify(input), roleArn: 'arn:aws:iam::123456789012:role/sfn' } });
  for (const step of steps) {
    if ('wait' in step) {
      push({ type: 'WaitStateEntered', stateEnteredEventDetails: { name: 'WaitBeforePoll', input: '{}' } });
      push({ type: 'WaitStateExited', stateExitedEventDetails: { name: 'WaitBeforePoll', output: '{}' } });
      continue;
    }
    const lambda = { resourceType: 'lambda', resource: 'invoke' };
    push({ type: 'TaskStateEntered', stateEnteredEventDetails: { name: step.state, input: '{}' } });
    push({
      type: 'TaskScheduled',
      taskScheduledEventDetails: { ...lambda, region: 'eu-west-1', parameters: JSON.stringify({ FunctionName: `arn:aws:lambda:eu-west-1:123456789012:function:${step.state}`, Payload: {} }) },
    });
    push({ type: 'TaskStarted', taskStartedEventDetails: lambda });
    if ('running' in step) continue;
    if ('failed' in step) {
      push({ type: 'TaskFailed', taskFailedEventDetails: { ...lambda, ...step.failed } });
      continue;
    }
    const output = JSON.stringify({
      ExecutedVersion: '$LATEST',
      Payload: step.output,
      SdkHttpMetadata: { HttpStatusCode: 200 },
      SdkResponseMetadata: { RequestId: 'abc' },
      StatusCode: 200,
    });
    push({ type: 'TaskSucceeded', taskSucceededEventDetails: { ...lambda, output, outputDetails: { truncated: false } } });
    push({ type: 'TaskStateExited', stateExitedEventDetails: { name: step.state, output: JSON.stringify(step.output) } });
  }
  return events;
}

export function notifyResult(outcome: NotifyResult['outcome']): NotifyResult {
  return { outcome, delivered: ['sns', 'eventBridge'], failed: [], message: `Restore ${outcome.toLowerCase()}` };
}
