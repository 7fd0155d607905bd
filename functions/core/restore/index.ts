/** The restore core: requests, the status model, snapshots, the kinds, snapshot choice, adopt, polling. */
export * from './fields.js';
export * from './request.js';
export * from './status.js';
export * from './snapshots.js';
export type { RestoreKind } from './kind.js';
export { restoreKinds, kindFor, cloudKind, flexKind, tenantKind, legacyKind } from './kinds/index.js';
export { listLegacyCheckpoints, type LegacyCheckpoint } from './kinds/legacy.js';
export { chooseSnapshot } from './choose.js';
export { findTargetBusy, reconcileCreate } from './adopt.js';
export {
  nextPollDelaySeconds,
  simulatePolling,
  POLL_AGE_FRACTION,
  DETECTION_GOAL,
  detectionGoalSeconds,
  HISTORY_EVENTS,
  EVENTS_PER_POLL,
  type PollDelayInput,
  type PollingSimulation,
  type PollingCost,
} from './pollPolicy.js';
