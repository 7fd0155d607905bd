import { describe, expect, it } from 'vitest';
import { ERROR_NAMES } from '../../../functions/core/domain/errors.js';
import { DynamoRestoreHistory } from '../../../functions/core/history/dynamoHistory.js';
import { HISTORY_KEY } from '../../../functions/core/history/names.js';
import { MemoryDeliveryLedger } from '../../../functions/core/notify/ledger.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { notifyRestoreStep, type NotifyDeps } from '../../../functions/core/finish/finishRestore.js';
import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { ENDED, ended } from '../../unit/notify/fixtures.js';
import { useDynaliteTable } from '../dynamo/dynalite.js';

/**
 * Notify with the history table on dynalite, then with dynalite stopped (nothing listens on its
 * port): the report goes out once, the failed write is a HistoryUnavailable the state machine
 * retries, and notify's last try ends with the outcome, the miss counted and the record logged.
 */

// No SDK retries: the state machine's Retry is what tries again.
const table = useDynaliteTable(
  {
    TableName: 'history',
    KeySchema: [{ AttributeName: HISTORY_KEY, KeyType: 'HASH' }],
    AttributeDefinitions: [{ AttributeName: HISTORY_KEY, AttributeType: 'S' }],
  },
  { maxAttempts: 1 },
);

function notifyDeps(history: DynamoRestoreHistory) {
  const sent: RestoreReport[] = [];
  const metrics: [string, number, string][] = [];
  const warnings: [string, Record<string, unknown>][] = [];
  const deps: NotifyDeps = {
    channels: {
      sns: async (report) => void sent.push(report),
      eventBridge: async (report) => void sent.push(report),
      webhookUrl: async () => 'http://127.0.0.1:9/unused',
    },
    plans: PlansConfig.parse({ plans: [] }),
    locks: new MemoryTargetLocks(() => ENDED),
    ledger: new MemoryDeliveryLedger(() => ENDED),
    holds: new MemoryTargetHolds(() => ENDED),
    now: () => ENDED,
    logger: { info: () => undefined, warn: (message: string, extra?: unknown) => void warnings.push([message, extra as Record<string, unknown>]) },
    metrics: { add: (name, value, plan) => void metrics.push([name, value, plan]) },
    history,
  };
  return { deps, sent, metrics, warnings };
}

describe('notify with the history table unreachable', () => {
  it('reports once, throws HistoryUnavailable while the write fails, and on its last try ends with the outcome, counting and logging the miss', async () => {
    const history = new DynamoRestoreHistory(table.client(), 'history');
    const { deps, sent, metrics, warnings } = notifyDeps(history);
    const input = ended();
    await table.stop();

    const failed = await notifyRestoreStep(input, deps).catch((e: unknown) => e as Error);
    expect((failed as Error).name).toBe(ERROR_NAMES.historyUnavailable);
    expect((failed as Error).message).toMatch(/history could not be written/);
    expect(sent).toHaveLength(2); // SNS and EventBridge took the report

    const retried = await notifyRestoreStep(input, deps).catch((e: unknown) => e as Error);
    expect((retried as Error).name).toBe(ERROR_NAMES.historyUnavailable);
    expect(sent).toHaveLength(2); // not sent again

    const last = await notifyRestoreStep({ ...input, historyError: { Error: ERROR_NAMES.historyUnavailable, Cause: '...' } }, deps);
    expect(last.outcome).toBe('SUCCEEDED');
    expect(last.deliveredEarlier).toEqual(['sns', 'eventBridge']);
    expect(sent).toHaveLength(2);
    expect(metrics.filter(([name]) => name === 'HistoryRecordMissing').map(([, value]) => value)).toEqual([1]);
    const logged = warnings.filter(([message]) => message.startsWith('HistoryRecordMissing'));
    expect(logged).toHaveLength(1);
    expect(logged[0]![1].record).toMatchObject({ restoreId: input.restore!.restoreId, outcome: 'SUCCEEDED', jobIds: input.status!.jobIds });
  });
});
