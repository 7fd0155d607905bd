import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import dynalite from 'dynalite';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { DynamoRestoreHistory } from '../../../functions/core/history/dynamoHistory.js';
import { TASK_STATES } from '../../../lib/workflow.js';
import { scheduled, useWorkflowHarness } from './helpers.js';

/**
 * The history table out of reach (DynamoDB on a stopped dynalite), through the synthesised state
 * machine and the real notify: the reports go out once, the write is retried with notify, and if it
 * never succeeds the execution still ends with the restore's own outcome, the miss counted
 * (HistoryRecordMissing) and the record logged once for a backfill.
 */

const h = useWorkflowHarness();

// The history table's DynamoDB, made unreachable: dynalite started, then stopped (nothing listens on its port).
let unreachable: DynamoDBClient;
beforeAll(async () => {
  const server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  unreachable = new DynamoDBClient({ endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 });
});
afterAll(() => unreachable?.destroy());

const count = (channel: string) => h.world.sent.filter((s) => s.channel === channel).length;
const entered = (result: Awaited<ReturnType<typeof h.run>>, name: string) =>
  result.events.filter((e) => e.type === 'StateEntered' && (e as { state: { name: string } }).state.name === name).length;

/**
 * The world's history writes go to the unreachable table for `failures` tries (every one when
 * undefined), then to the world's own store again: a table that comes back.
 */
function historyDown(failures?: number): { tries: () => number } {
  const real = h.world.history.record.bind(h.world.history);
  const table = new DynamoRestoreHistory(unreachable, 'history');
  let tries = 0;
  vi.spyOn(h.world.history, 'record').mockImplementation(async (r) => {
    tries += 1;
    return failures === undefined || tries <= failures ? table.record(r) : real(r);
  });
  return { tries: () => tries };
}

/**
 * What the real notify handler logged and counted: Powertools is silent in tests, so its Logger and
 * Metrics methods are watched instead of stdout.
 */
function watchPowertools() {
  const warn = vi.spyOn(Logger.prototype, 'warn');
  const addMetric = vi.spyOn(Metrics.prototype, 'addMetric');
  return {
    metric: (name: string) => addMetric.mock.calls.filter(([n]) => n === name).map(([, , value]) => value),
    warned: (prefix: string) => warn.mock.calls.filter(([message]) => typeof message === 'string' && message.startsWith(prefix)).map(([, extra]) => extra as Record<string, unknown>),
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the history table out of reach', () => {
  it('never fails a reported restore: it ends SUCCEEDED, each report sent once, the miss counted and the record logged once', async () => {
    const down = historyDown();
    const watched = watchPowertools();
    const result = await h.run(scheduled('cloud-refresh'), 'history-down-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect([count('sns'), count('eventBridge'), count('webhook')]).toEqual([1, 1, 1]);
    // The write was retried with notify (first try and four retries), then once more on the last try.
    expect(down.tries()).toBe(6);
    expect(entered(result, TASK_STATES.notifyLastTry)).toBe(1);
    expect(await h.world.history.list({ plan: 'cloud-refresh' })).toEqual([]);

    expect(watched.metric('HistoryRecordMissing')).toEqual([1]);
    const logged = watched.warned('HistoryRecordMissing');
    expect(logged).toHaveLength(1);
    expect(logged[0]!.error).toMatch(/ECONNREFUSED/);
    expect(logged[0]!.record).toMatchObject({ restoreId: 'history-down-1', outcome: 'SUCCEEDED', plan: 'cloud-refresh', jobIds: [expect.any(String)] });
    // The backfill needs no secret, and the log holds none: the webhook's URL is not in it.
    expect(JSON.stringify(logged)).not.toContain(h.world.webhookUrl);
  });

  it('keeps a failed restore failed: the outcome is the restore\'s, not the history\'s', async () => {
    historyDown();
    h.sim.scriptOutcome({ cluster: 'prod-cluster', kind: 'cloud', outcome: 'fail', times: 1 });
    const result = await h.run(scheduled('cloud-refresh'), 'history-down-2');
    expect(result.status).toBe('FAILED');
    expect(result.error).toBe('RestoreFailed');
    expect(count('sns')).toBe(1);
  });

  it('writes the record on a retry when the table comes back, and the last try is not needed', async () => {
    const down = historyDown(2);
    const result = await h.run(scheduled('cloud-refresh'), 'history-down-3');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(down.tries()).toBe(3);
    expect(entered(result, TASK_STATES.notifyLastTry)).toBe(0);
    expect((await h.world.history.list({ plan: 'cloud-refresh' })).map((r) => r.restoreId)).toEqual(['history-down-3']);
    expect(count('sns')).toBe(1);
  });
});
