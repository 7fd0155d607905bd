import {
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  StartExecutionCommand,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import type { AwsStub } from 'aws-sdk-client-mock';
import { EXAMPLE_IDS } from '../../../functions/core/api/openapi.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { historyRecord } from '../../support/historyRecords.js';
import { CALLER_ARN, NOW, executionArnOf, history, makeDeps, type TestDeps } from './fixtures.js';

/**
 * A deployment in which the documented examples (docs/openapi.json, docs/api.md) are meant to
 * succeed: their plan, their ids, a running restore to follow and cancel, a hold to release.
 */

const docPlans = PlansConfig.parse({
  plans: [
    {
      name: 'nightly-staging',
      source: { kind: 'cloud', groupId: '5e4d3c2b1a0f9e8d7c6b5a49', clusterName: 'prod' },
      restore: { type: 'snapshot', target: { groupId: '6a5b4c3d2e1f0a9b8c7d6e5f', clusterName: 'staging' } },
      triggers: { http: true },
      allowOverrides: ['snapshotId', 'target'],
    },
  ],
  adHoc: { restores: [{ kinds: ['cloud'], sources: [{ groupId: '5e4d3c2b1a0f9e8d7c6b5a49', clusters: ['prod'] }], targets: [{ groupId: '6a5b4c3d2e1f0a9b8c7d6e5f', clusters: ['*'] }] }] },
});

const RUNNING_INPUT = { planName: 'nightly-staging', trigger: { type: 'http', time: NOW.toISOString() } };

/** Step Functions with nothing else running, starts that succeed, and one restore still running (no job yet). */
export function runningRestore(sfn: AwsStub<any, any, any>): void {
  sfn.reset();
  sfn.on(ListExecutionsCommand).resolves({ executions: [] });
  sfn.on(StartExecutionCommand).resolves({ executionArn: executionArnOf(EXAMPLE_IDS.restore), startDate: NOW });
  sfn.on(DescribeExecutionCommand).resolves({
    executionArn: executionArnOf(EXAMPLE_IDS.restore),
    status: 'RUNNING',
    startDate: NOW,
    input: JSON.stringify(RUNNING_INPUT),
  });
  sfn.on(GetExecutionHistoryCommand).resolves({ events: history(RUNNING_INPUT, []).reverse() });
  sfn.on(StopExecutionCommand).resolves({ stopDate: NOW });
}

/**
 * Deps on docPlans, with one restore of the example plan in the history; with `held`, a hold is in
 * force on the example target (a start onto it would be refused).
 */
export async function docDeps(held: boolean): Promise<TestDeps> {
  const deps = makeDeps({ plans: docPlans });
  await (await deps.history()).record(historyRecord('nightly-2026-02-28', 'nightly-staging', '2026-02-28T03:00:00.000Z', 600));
  if (held)
    await (await deps.holds()).place({
      target: { groupId: EXAMPLE_IDS.target, clusterName: 'staging' },
      heldBy: CALLER_ARN, // the caller of the examples: its own hold, which it may replace and release
      reason: 'test',
      since: NOW.toISOString(),
      until: '2026-03-01T12:00:00.000Z',
    });
  return deps;
}

