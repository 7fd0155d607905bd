import { MemoryDeliveryLedger } from '../../../functions/core/notify/ledger.js';
import type { NotifyChannels, NotifyDeps } from '../../../functions/core/finish/finishRestore.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import type { PlansConfig } from '../../../functions/core/plans/schema.js';
import type { CloudRestoreRequest } from '../../../functions/core/restore/request.js';
import type { RestoreStatus } from '../../../functions/core/restore/status.js';
import type { NotifyInput, RestoreContext } from '../../../functions/core/workflow/contract.js';

/** A restore as the workflow carries it to notify: written for these tests, realistic ids. */

export const PROD_GROUP = '65f1c0ffee00000000000a01';
export const STAGING_GROUP = '65f1c0ffee00000000000b02';
export const SNAPSHOT = '66a0b1c2d3e4f5a6b7c8d903';
export const JOB = '67b1c2d3e4f5a6b7c8d9e0f1';
export const PROD = { groupId: PROD_GROUP, clusterName: 'prod-cluster' };
export const STAGING = { groupId: STAGING_GROUP, clusterName: 'staging-cluster' };

const STARTED = '2026-03-01T03:00:00.000Z';
/** 1 h 2 min 5 s after STARTED. */
export const ENDED = new Date('2026-03-01T04:02:05.000Z');

const automated: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'automated', snapshotId: SNAPSHOT, target: STAGING };
export const download: CloudRestoreRequest = { kind: 'cloud', source: PROD, deliveryType: 'download', snapshotId: SNAPSHOT };

export function context(fields: Partial<RestoreContext> = {}): RestoreContext {
  return {
    restoreId: 'nightly-staging-20260301T030000Z',
    planName: 'nightly-staging',
    trigger: { type: 'schedule', time: '2026-03-01T03:00:00Z' },
    request: automated,
    summary: `cloud restore of prod-cluster (project ${PROD_GROUP}), snapshot ${SNAPSHOT} taken 2026-03-01T02:00:00Z, onto staging-cluster (project ${STAGING_GROUP})`,
    job: { kind: 'cloud', groupId: PROD_GROUP, clusterName: 'prod-cluster', jobId: JOB },
    adopted: false,
    cancellable: true,
    startedAt: STARTED,
    deadlineAt: '2026-03-01T15:00:00.000Z',
    poll: { floorSeconds: 15, capSeconds: 300 },
    notify: { sns: true, eventBridge: true },
    ...fields,
  };
}

export function status(fields: Partial<RestoreStatus> = {}): RestoreStatus {
  return { kind: 'cloud', state: 'SUCCEEDED', jobIds: [JOB], snapshotId: SNAPSHOT, atlasStatus: 'finished', finishedAt: '2026-03-01T04:02:00Z', ...fields };
}

/** A run that reached its end: what the last poll hands to notify. */
export function ended(fields: Partial<NotifyInput> = {}): NotifyInput {
  return { restore: context(), status: status(), poll: { count: 40, waitSeconds: 300, deadlinePassed: false }, ...fields };
}

/** The notify step's deps at ENDED: in-memory locks, ledger and holds, with recorded metrics and warnings. */
export function notifyDeps(channels: NotifyChannels, plans: PlansConfig, extra: Partial<NotifyDeps> = {}) {
  const metrics: ([string, number, string] | [string, number, string, Record<string, string>])[] = [];
  const warnings: unknown[][] = [];
  const d: NotifyDeps = {
    channels,
    plans,
    locks: new MemoryTargetLocks(() => ENDED),
    ledger: new MemoryDeliveryLedger(() => ENDED),
    holds: new MemoryTargetHolds(() => ENDED),
    now: () => ENDED,
    logger: { info: () => undefined, warn: (...args: unknown[]) => void warnings.push(args) },
    metrics: { add: (name, value, plan, dimensions) => void metrics.push(dimensions ? [name, value, plan, dimensions] : [name, value, plan]) },
    ...extra,
  };
  return { d, metrics, warnings };
}
