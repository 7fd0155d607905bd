import { MemoryTargetHolds } from '../../../functions/core/orchestrate/holds.js';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryDeliveryLedger, type DeliveryLedger } from '../../../functions/core/notify/ledger.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { notifyRestoreStep, type NotifyChannels, type NotifyDeps } from '../../../functions/core/finish/finishRestore.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { context, ENDED, ended, status } from './fixtures.js';
import { HANG, startHookServer, type HookServer } from './hookServer.js';
import { channelBudgetMs, MAX_CHANNEL_MS, MIN_CHANNEL_MS, RECORD_RESERVE_MS } from '../../../functions/core/notify/send.js';

/**
 * Notify with a delivery ledger: a re-run sends only to the channels that did not take the report.
 * The channels are hand-written recorders; the webhook is a real local server.
 */

const REPORT_ID = 'nightly-staging-20260301T030000Z/SUCCEEDED';
const withHook = () =>
  ended({ restore: context({ notify: { sns: true, eventBridge: true, webhook: { format: 'json', secretName: 'restore/hook' } } }) });

interface World {
  deps: NotifyDeps;
  sns: RestoreReport[];
  events: RestoreReport[];
  warnings: string[];
  metrics: [string, number][];
}

function world(hookBase: string, ledger: DeliveryLedger = new MemoryDeliveryLedger(() => ENDED), channels: Partial<NotifyChannels> = {}): World {
  const sns: RestoreReport[] = [];
  const events: RestoreReport[] = [];
  const warnings: string[] = [];
  const metrics: [string, number][] = [];
  const deps: NotifyDeps = {
    channels: {
      sns: async (report) => void sns.push(report),
      eventBridge: async (report) => void events.push(report),
      webhookUrl: async () => `${hookBase}/hook`,
      ...channels,
    },
    plans: { protectedTargets: [], plans: [] },
    locks: new MemoryTargetLocks(() => ENDED),
    ledger,
    holds: new MemoryTargetHolds(() => ENDED),
    now: () => ENDED,
    logger: { info: () => undefined, warn: (message: string) => void warnings.push(message) },
    metrics: { add: (name, value) => void metrics.push([name, value]) },
    webhook: { sleep: async () => undefined, timeoutMs: 2_000 },
  };
  return { deps, sns, events, warnings, metrics };
}

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('notify with a delivery ledger', () => {
  it('a re-run after a partial success sends only to the channel that did not take the report', async () => {
    // The webhook refuses both attempts of the first run (postWebhook retries a 5xx once), then takes it.
    server = await startHookServer([500, 500, 200]);
    const w = world(server.base);
    // The first run fails the step (NotificationIncomplete) after SNS and EventBridge took the report.
    const first = await notifyRestoreStep(withHook(), w.deps).catch((e: unknown) => e);
    expect((first as Error).name).toBe('NotificationIncomplete');

    const again = await notifyRestoreStep(withHook(), w.deps);
    expect(again).toMatchObject({
      delivered: ['sns', 'eventBridge', 'webhook:json'],
      deliveredNow: ['webhook:json'],
      deliveredEarlier: ['sns', 'eventBridge'],
      failed: [],
    });
    expect(w.sns).toHaveLength(1);
    expect(w.events).toHaveLength(1);
    expect(server.received.map((p) => p.headers['x-atlas-restore-report-id'])).toEqual([REPORT_ID, REPORT_ID, REPORT_ID]);
    // Counted as sent once each: 2 in the first run, 1 in the second.
    expect(w.metrics.filter(([name]) => name === 'NotificationsSent').map(([, n]) => n)).toEqual([2, 1]);
  });

  it('keeps the records: they hold for the next run, each with when the channel took the report', async () => {
    server = await startHookServer([500]);
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    await expect(notifyRestoreStep(withHook(), world(server.base, ledger).deps)).rejects.toMatchObject({ name: 'NotificationIncomplete' });
    expect(await ledger.taken(REPORT_ID, ['sns', 'eventBridge', 'webhook:json'])).toEqual([
      { channel: 'sns', at: ENDED.toISOString() },
      { channel: 'eventBridge', at: ENDED.toISOString() },
    ]);
    // A later notify (another container, same records) does not send SNS or EventBridge again.
    const later = world(server.base, ledger);
    await notifyRestoreStep(withHook(), later.deps).catch(() => undefined);
    expect(later.sns).toEqual([]);
    expect(later.events).toEqual([]);
  });

  it('reports a channel recorded by an earlier run as delivered earlier, and does not send to it', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    await ledger.record(REPORT_ID, 'eventBridge', new Date(ENDED.getTime() - 60_000));
    const w = world('http://127.0.0.1:9', ledger);
    const result = await notifyRestoreStep(ended(), w.deps);
    expect(result).toMatchObject({ delivered: ['sns', 'eventBridge'], deliveredNow: ['sns'], deliveredEarlier: ['eventBridge'], failed: [] });
    expect(w.events).toEqual([]);
    expect(w.sns).toHaveLength(1);
  });

  it('a run whose every channel took the report earlier sends nothing, and is not an undeliverable report', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    for (const channel of ['sns', 'eventBridge']) await ledger.record(REPORT_ID, channel, ENDED);
    const w = world('http://127.0.0.1:9', ledger);
    const result = await notifyRestoreStep(ended(), w.deps);
    expect(result).toMatchObject({ delivered: ['sns', 'eventBridge'], deliveredNow: [], deliveredEarlier: ['sns', 'eventBridge'], failed: [] });
    expect([...w.sns, ...w.events]).toEqual([]);
    expect(w.warnings).toEqual([]);
    expect(w.metrics.map(([name]) => name)).not.toContain('NotificationsSent');
  });

  it('another report of the same restore (its own report id) is sent even where the first one went', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    for (const channel of ['sns', 'eventBridge']) await ledger.record(REPORT_ID, channel, ENDED);
    const w = world('http://127.0.0.1:9', ledger);
    const result = await notifyRestoreStep(ended({ status: status({ state: 'FAILED', atlasStatus: 'failed' }) }), w.deps);
    expect(result).toMatchObject({ outcome: 'FAILED', deliveredNow: ['sns', 'eventBridge'], deliveredEarlier: [] });
    expect(w.sns.map((r) => r.reportId)).toEqual(['nightly-staging-20260301T030000Z/FAILED']);
  });

  it('records each channel as soon as it took the report, while another channel still hangs', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    let releaseHook!: (url: string) => void;
    let recorded!: () => void;
    const bothRecorded = new Promise<void>((resolve) => (recorded = resolve));
    const counting: DeliveryLedger = {
      taken: (id, channels) => ledger.taken(id, channels),
      record: async (id, channel, at) => {
        const first = await ledger.record(id, channel, at);
        if ((await ledger.taken(id, ['sns', 'eventBridge'])).length === 2) recorded();
        return first;
      },
    };
    server = await startHookServer([200]);
    const w = world(server.base, counting, { webhookUrl: () => new Promise((resolve) => (releaseHook = resolve)) });
    const run = notifyRestoreStep(withHook(), w.deps);
    // The webhook has not even got its URL: had the function been killed now, SNS and EventBridge are on record.
    await bothRecorded;
    expect(await ledger.taken(REPORT_ID, ['webhook:json'])).toEqual([]);
    releaseHook(`${server.base}/hook`);
    expect((await run).deliveredNow).toEqual(['sns', 'eventBridge', 'webhook:json']);
  });

  it('a ledger that cannot be read costs no report: every channel is sent to, and the log says so', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    await ledger.record(REPORT_ID, 'sns', ENDED);
    const broken: DeliveryLedger = {
      taken: async () => Promise.reject(Object.assign(new Error('timeout'), { name: 'TimeoutError' })),
      record: (id, channel, at) => ledger.record(id, channel, at),
    };
    const w = world('http://127.0.0.1:9', broken);
    const result = await notifyRestoreStep(ended(), w.deps);
    expect(result).toMatchObject({ deliveredNow: ['sns', 'eventBridge'], deliveredEarlier: [] });
    expect(w.sns).toHaveLength(1);
    expect(w.warnings.join('\n')).toMatch(/Could not read which channels already took this report/);
  });

  it('a record that cannot be written leaves the channel delivered, and the log says a retry would repeat it', async () => {
    const broken: DeliveryLedger = {
      taken: async () => [],
      record: async () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
    };
    const w = world('http://127.0.0.1:9', broken);
    const result = await notifyRestoreStep(ended(), w.deps);
    expect(result).toMatchObject({ delivered: ['sns', 'eventBridge'], failed: [] });
    expect(w.warnings.filter((m) => /a retry would send it again/.test(m))).toHaveLength(2);
  });

  it('says so when another notify recorded the same channel first (the channel took the report twice)', async () => {
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    const racing: DeliveryLedger = {
      // The other notify's records land between our read and our write.
      taken: async (id, channels) => {
        const found = await ledger.taken(id, channels);
        for (const channel of channels) await ledger.record(id, channel, ENDED);
        return found;
      },
      record: (id, channel, at) => ledger.record(id, channel, at),
    };
    const w = world('http://127.0.0.1:9', racing);
    await notifyRestoreStep(ended(), w.deps);
    expect(w.warnings.filter((m) => /at the same time/.test(m))).toHaveLength(2);
  });
});

describe('bounded channels: each call ends within the time the invocation has left, so the records are written', () => {
  it('the budget is what is left less the reserve, capped both ways', () => {
    expect(channelBudgetMs(undefined)).toBe(MAX_CHANNEL_MS);
    expect(channelBudgetMs(60_000)).toBe(MAX_CHANNEL_MS);
    expect(channelBudgetMs(RECORD_RESERVE_MS + 3_000)).toBe(3_000);
    expect(channelBudgetMs(1_000)).toBe(MIN_CHANNEL_MS);
  });

  it('a webhook that takes the report and never answers: SNS and EventBridge are on record, the retry repeats the webhook with the same Idempotency-Key', async () => {
    server = await startHookServer([HANG, 200]);
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    // The invocation has the reserve and 600 ms: the webhook's call is cut off at 600 ms.
    const first = world(server.base, ledger);
    first.deps.remainingMs = () => RECORD_RESERVE_MS + 600;
    first.deps.webhook = { sleep: async () => undefined, timeoutMs: 60_000 };
    await expect(notifyRestoreStep(withHook(), first.deps)).rejects.toMatchObject({ name: 'NotificationIncomplete' });
    expect((await ledger.taken(REPORT_ID, ['sns', 'eventBridge', 'webhook:json'])).map((r) => r.channel)).toEqual(['sns', 'eventBridge']);
    expect(server.received).toHaveLength(1);

    const retry = world(server.base, ledger);
    expect(await notifyRestoreStep(withHook(), retry.deps)).toMatchObject({ deliveredNow: ['webhook:json'], deliveredEarlier: ['sns', 'eventBridge'] });
    expect([...retry.sns, ...retry.events]).toEqual([]);
    // The documented exception: the receiver got it twice, both times under the report's own key.
    expect(server.received.map((p) => p.headers['idempotency-key'])).toEqual([REPORT_ID, REPORT_ID]);
  });

  it('an SNS call that hangs is cut off (its signal aborted) and is a failed channel, not a lost invocation', async () => {
    let aborted: unknown;
    const ledger = new MemoryDeliveryLedger(() => ENDED);
    const w = world('http://127.0.0.1:9', ledger, {
      sns: (_r, _t, signal) =>
        new Promise<void>((_, reject) => signal?.addEventListener('abort', () => reject((aborted = signal.reason)))),
    });
    w.deps.remainingMs = () => RECORD_RESERVE_MS + 300;
    const err = await notifyRestoreStep(ended(), w.deps).catch((e: unknown) => e);
    expect((err as Error).name).toBe('NotificationIncomplete');
    expect((aborted as Error).name).toBe('ChannelTimedOut');
    expect(w.warnings.join('\n')).toContain('Notification channel failed');
    expect((await ledger.taken(REPORT_ID, ['sns', 'eventBridge'])).map((r) => r.channel)).toEqual(['eventBridge']);
  });
});
