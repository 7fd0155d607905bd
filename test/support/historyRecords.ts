import type { RestoreRecord } from '../../functions/core/history/record.js';

/** A passed drill's history record, started at `startedAt`, with this RTO (and twice it as RPO); `extra` overrides. */
export const historyRecord = (restoreId: string, plan: string, startedAt: string, rto: number, extra: Partial<RestoreRecord> = {}): RestoreRecord => ({
  restoreId,
  plan,
  drill: true,
  outcome: 'SUCCEEDED',
  trigger: { type: 'schedule', at: startedAt },
  jobIds: ['j'],
  startedAt,
  restoreEndedAt: startedAt,
  steps: [],
  rto: { restoreSeconds: rto },
  rpo: { seconds: rto * 2 },
  expiresAt: 2_000_000_000,
  ...extra,
});
