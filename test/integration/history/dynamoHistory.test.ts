import { describe, expect, it } from 'vitest';
import { useHistoryTable } from './historyTable.js';
import { DynamoRestoreHistory } from '../../../functions/core/history/dynamoHistory.js';
import type { RestoreRecord } from '../../../functions/core/history/record.js';

/** The history table as lib/history-table.ts makes it (key, byPlan index), served by dynalite, with the real SDK client. */

const table = useHistoryTable();

const record = (restoreId: string, plan: string, startedAt: string, outcome = 'SUCCEEDED'): RestoreRecord => ({
  restoreId,
  plan,
  drill: false,
  outcome,
  trigger: { type: 'schedule', at: startedAt },
  jobIds: ['job-1'],
  startedAt,
  restoreEndedAt: startedAt,
  steps: [],
  rto: { restoreSeconds: 600 },
  rpo: { seconds: 3600 },
  expiresAt: 2_000_000_000,
});

describe('DynamoRestoreHistory', () => {
  it('writes a restore once: a second write of the same restore id keeps the first record', async () => {
    const history = new DynamoRestoreHistory(table.client(), 'history');
    expect(await history.record(record('r-1', 'nightly', '2026-11-01T03:00:00.000Z'))).toBe(true);
    expect(await history.record(record('r-1', 'nightly', '2026-11-01T03:00:00.000Z', 'FAILED'))).toBe(false);
    const listed = await history.list({ plan: 'nightly' });
    expect(listed.filter((r) => r.restoreId === 'r-1')).toEqual([record('r-1', 'nightly', '2026-11-01T03:00:00.000Z')]);
  });

  it("lists one plan's records that started since a date, oldest first", async () => {
    const history = new DynamoRestoreHistory(table.client(), 'history');
    await history.record(record('r-2', 'weekly', '2026-08-01T03:00:00.000Z'));
    await history.record(record('r-4', 'weekly', '2026-11-20T03:00:00.000Z'));
    await history.record(record('r-3', 'weekly', '2026-11-10T03:00:00.000Z'));
    await history.record(record('r-5', 'other', '2026-11-15T03:00:00.000Z'));
    const listed = await history.list({ plan: 'weekly', since: new Date('2026-09-01T00:00:00Z') });
    expect(listed.map((r) => r.restoreId)).toEqual(['r-3', 'r-4']);
  });
});
