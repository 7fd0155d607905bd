import type { RestoreKindName } from '../../../functions/core/restore/request.js';
import type { RestoreState } from '../../../functions/core/restore/status.js';
import type { WorkflowState } from '../../../functions/core/workflow/contract.js';

/** One restore onto staging-cluster, started 03:00, deadline 05:00, watched until 09:00. */
export const GROUP = '65f1c0ffee00000000000a01';
export const TARGET_GROUP = '65f1c0ffee00000000000b02';
export const JOB = '67b1c2d3e4f5a6b7c8d9e0f1';
export const STARTED = Date.parse('2026-03-01T03:00:00.000Z');
export const DEADLINE = Date.parse('2026-03-01T05:00:00.000Z');
export const WATCH_UNTIL = Date.parse('2026-03-01T09:00:00.000Z');

/** The workflow state the steps pass on, for a job of `kind` that Atlas last showed in `state`. */
export function restoreState(options: {
  kind?: RestoreKindName;
  state?: RestoreState;
  pollSettings?: { floorSeconds: number; capSeconds: number };
  poll: WorkflowState['poll'];
}): WorkflowState {
  const kind = options.kind ?? 'cloud';
  const state = options.state ?? 'RUNNING';
  return {
    restore: {
      restoreId: 'adhoc-20260301T030000Z',
      trigger: { type: 'http' },
      request: {
        kind: 'cloud',
        source: { groupId: GROUP, clusterName: 'prod-cluster' },
        deliveryType: 'automated',
        snapshotId: '66a0b1c2d3e4f5a6b7c8d903',
        target: { groupId: TARGET_GROUP, clusterName: 'staging-cluster' },
      },
      summary: 'cloud restore of prod-cluster onto staging-cluster',
      job: { kind, groupId: GROUP, clusterName: 'prod-cluster', jobId: JOB },
      adopted: false,
      cancellable: kind === 'cloud',
      startedAt: new Date(STARTED).toISOString(),
      deadlineAt: new Date(DEADLINE).toISOString(),
      watchUntil: new Date(WATCH_UNTIL).toISOString(),
      poll: options.pollSettings ?? { floorSeconds: 15, capSeconds: 300 },
      notify: { sns: true, eventBridge: true },
    },
    status: { kind, state, jobIds: [JOB], atlasStatus: state === 'RUNNING' ? 'in progress' : state.toLowerCase() },
    poll: options.poll,
  };
}
