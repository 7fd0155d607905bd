import type { RestoreRecord } from './record.js';

/**
 * Where restore records are kept: DynamoDB in AWS (./dynamoHistory.ts), memory or a file locally.
 * `record` writes a restore's record only if there is none yet (the restore id is the key), so a
 * notify retried after the record was written cannot add a second one.
 */
export interface RestoreHistory {
  /** True when this call wrote it, false when the restore already had a record. */
  record(r: RestoreRecord): Promise<boolean>;
  /** A plan's records (every plan's without one) that started at or after `since`, oldest first. */
  list(filter: { plan?: string; since?: Date }): Promise<RestoreRecord[]>;
}

export class MemoryRestoreHistory implements RestoreHistory {
  readonly records = new Map<string, RestoreRecord>();

  async record(r: RestoreRecord): Promise<boolean> {
    if (this.records.has(r.restoreId)) return false;
    this.records.set(r.restoreId, structuredClone(r));
    return true;
  }

  async list(filter: { plan?: string; since?: Date }): Promise<RestoreRecord[]> {
    return filterRecords([...this.records.values()], filter);
  }
}

export function filterRecords<R extends RestoreRecord>(records: R[], filter: { plan?: string; since?: Date }): R[] {
  const since = filter.since?.getTime() ?? -Infinity;
  return records
    .filter((r) => (filter.plan === undefined || r.plan === filter.plan) && Date.parse(r.startedAt) >= since)
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
