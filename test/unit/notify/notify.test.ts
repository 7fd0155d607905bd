import { afterEach, describe, expect, it } from 'vitest';
import { NotificationIncompleteError, NotificationUndeliverableError } from '../../../functions/core/domain/errors.js';
import { notifyRestoreStep, type NotifyChannels, type NotifyDeps } from '../../../functions/core/finish/finishRestore.js';
import { MemoryRestoreHistory } from '../../../functions/core/history/store.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { MemoryUndeliveredReports } from '../../../functions/core/notify/undelivered.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { context, download, ENDED, ended, notifyDeps, PROD, STAGING } from './fixtures.js';
import { startHookServer, type HookServer } from './hookServer.js';

/** The notify step with hand-written channels, in-memory locks and recorded metrics. */

interface Recorder {
  channels: NotifyChannels;
  sns: { report: RestoreReport; text: string }[];
  events: RestoreReport[];
  secretsAsked: string[];
}

function recorder(fail: { sns?: boolean; eventBridge?: boolean; webhookUrl?: string } = {}): Recorder {
  const r: Recorder = {
    sns: [],
    events: [],
    secretsAsked: [],
    channels: {
      sns: async (report, text) => {
        if (fail.sns) throw Object.assign(new Error('SNS throttled'), { name: 'ThrottlingException' });
        r.sns.push({ report, text });
      },
      eventBridge: async (report) => {
        if (fail.eventBridge) throw new Error('EventBridge down');
        r.events.push(report);
      },
      webhookUrl: async (secretName) => {
        r.secretsAsked.push(secretName);
        return fail.webhookUrl ?? 'http://127.0.0.1:9/unused';
      },
    },
  };
  return r;
}

const plans = PlansConfig.parse({
  plans: [
    {
      name: 'nightly-staging',
      source: { kind: 'cloud', ...PROD },
      restore: { type: 'snapshot', target: STAGING },
      notify: { sns: false, eventBridge: true },
    },
  ],
});

const deps = (channels: NotifyChannels, extra: Partial<NotifyDeps> = {}) =>
  notifyDeps(channels, plans, { webhook: { sleep: async () => undefined, timeoutMs: 2_000 }, ...extra });

let server: HookServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('notifyRestoreStep', () => {
  it('sends the report on SNS and EventBridge, and answers the outcome and text', async () => {
    const rec = recorder();
    const { d } = deps(rec.channels);
    const result = await notifyRestoreStep(ended(), d);
    expect(result.outcome).toBe('SUCCEEDED');
    expect(result.delivered.sort()).toEqual(['eventBridge', 'sns']);
    expect(result.failed).toEqual([]);
    expect(rec.sns[0]?.text).toBe(result.message);
    expect(rec.sns[0]?.text).toContain('Atlas Restore Succeeded');
    expect(rec.events[0]?.outcome).toBe('SUCCEEDED');
  });

  it('one failing channel does not stop the others, and fails the step (NotificationIncomplete) so a retry sends it there', async () => {
    const rec = recorder({ sns: true });
    const { d, warnings, metrics } = deps(rec.channels);
    const err = await notifyRestoreStep(ended(), d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotificationIncompleteError);
    expect((err as Error).message).toContain('not taken by sns (taken by eventBridge)');
    expect(rec.events).toHaveLength(1);
    expect(JSON.stringify(warnings)).toContain('ThrottlingException');
    // The outcome is counted by the try that does not throw, once.
    expect(metrics.map(([name]) => name)).not.toContain('RestoreSucceeded');
    expect(metrics).toContainEqual(['NotificationsFailed', 1, 'nightly-staging']);
  });

  it("the dead-letter try sends nothing, keeps the report for the channels that missed it, counts ReportUndelivered per channel and the outcome", async () => {
    const rec = recorder({ sns: true });
    const undelivered = new MemoryUndeliveredReports();
    const { d, metrics } = deps(rec.channels, { undelivered });
    await notifyRestoreStep(ended(), d).catch(() => undefined);
    const result = await notifyRestoreStep(ended({ undelivered: { Error: 'NotificationIncomplete', Cause: 'sns' } }), d);
    expect(result).toMatchObject({ outcome: 'SUCCEEDED', delivered: ['eventBridge'], deliveredNow: [], failed: ['sns'] });
    expect(rec.events).toHaveLength(1);
    const kept = await undelivered.list();
    expect(kept.map((k) => [k.reportId, k.channels, k.report.outcome])).toEqual([[result.reportId, ['sns'], 'SUCCEEDED']]);
    expect(metrics).toContainEqual(['ReportUndelivered', 1, 'nightly-staging', { Channel: 'sns' }]);
    expect(metrics).toContainEqual(['RestoreSucceeded', 1, 'nightly-staging']);
  });

  it('all channels failing is NotificationUndeliverableError, after the lock is released and metrics counted', async () => {
    const rec = recorder({ sns: true, eventBridge: true });
    const { d, metrics } = deps(rec.channels);
    await d.locks.acquire(STAGING, context().restoreId, new Date(ENDED.getTime() + 3_600_000));
    const err = await notifyRestoreStep(ended(), d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotificationUndeliverableError);
    expect((err as Error).message).toContain('SUCCEEDED');
    expect((err as Error).message).toContain('sns');
    expect((err as Error).message).toContain('eventBridge');
    expect(await d.locks.holder(STAGING)).toBeUndefined();
    expect(metrics).toContainEqual(['NotificationsFailed', 2, 'nightly-staging']);
  });

  it('an unreadable input is still reported, as FAILED', async () => {
    const rec = recorder();
    const { d, metrics } = deps(rec.channels);
    const result = await notifyRestoreStep({ status: 'not a status', poll: 7 }, d);
    expect(result.outcome).toBe('FAILED');
    expect(rec.sns).toHaveLength(1);
    expect(rec.sns[0]?.report.reason).toContain('NotifyInputUnreadable');
    expect(metrics).toContainEqual(['RestoreFailed', 1, 'ad-hoc']);
    expect(await notifyRestoreStep(undefined, d)).toMatchObject({ outcome: 'FAILED' });
  });

  it("releases the lock on the restore's target, and only its own", async () => {
    const rec = recorder();
    const { d } = deps(rec.channels);
    const until = new Date(ENDED.getTime() + 3_600_000);
    await d.locks.acquire(STAGING, context().restoreId, until);
    await notifyRestoreStep(ended(), d);
    expect(await d.locks.holder(STAGING)).toBeUndefined();

    // Another restore holds the target now: a late notify of ours leaves it alone.
    await d.locks.acquire(STAGING, 'someone-else', until);
    await notifyRestoreStep(ended(), d);
    expect((await d.locks.holder(STAGING))?.restoreId).toBe('someone-else');
  });

  it('a lock that cannot be released does not lose the report', async () => {
    const rec = recorder();
    const locks = new MemoryTargetLocks(() => ENDED);
    locks.release = async () => {
      throw new Error('DynamoDB unavailable');
    };
    const { d, warnings } = deps(rec.channels, { locks });
    const result = await notifyRestoreStep(ended(), d);
    expect(result.delivered.length).toBe(2);
    expect(JSON.stringify(warnings)).toContain('Could not release the target lock');
  });

  it('counts the outcome, duration, polls and deliveries under the plan name', async () => {
    const rec = recorder();
    const { d, metrics } = deps(rec.channels);
    await notifyRestoreStep(ended({ status: undefined, poll: { count: 12, waitSeconds: 60, deadlinePassed: false }, error: { Error: 'AtlasUnavailable' } }), d);
    expect(metrics).toEqual([
      ['RestoreFailed', 1, 'nightly-staging'],
      ['RestoreDurationSeconds', 3725, 'nightly-staging'],
      ['PollsPerRestore', 12, 'nightly-staging'],
      ['NotificationsSent', 2, 'nightly-staging'],
    ]);
  });

  it("an ad-hoc run counts under 'ad-hoc'; TIMED_OUT is RestoreTimedOut", async () => {
    const rec = recorder();
    const { planName: _drop, ...adHoc } = context({ request: download });
    const { d, metrics } = deps(rec.channels);
    const result = await notifyRestoreStep(
      ended({ restore: adHoc, status: { kind: 'cloud', state: 'RUNNING', jobIds: ['67b1c2d3e4f5a6b7c8d9e0f1'], atlasStatus: 'in progress' }, poll: { count: 90, waitSeconds: 1, deadlinePassed: true } }),
      d,
    );
    expect(result.outcome).toBe('TIMED_OUT');
    expect(metrics[0]).toEqual(['RestoreTimedOut', 1, 'ad-hoc']);
    expect(metrics.every(([, , plan]) => plan === 'ad-hoc')).toBe(true);
  });

  it("a refused create's bare input uses the plan's notify settings (here: EventBridge only)", async () => {
    const rec = recorder();
    const { d, metrics } = deps(rec.channels);
    const result = await notifyRestoreStep(
      { planName: 'nightly-staging', trigger: { type: 'http' }, error: { Error: 'RestoreRefused', Cause: 'the target is protected' } },
      d,
    );
    expect(result).toMatchObject({ outcome: 'REFUSED', delivered: ['eventBridge'], failed: [] });
    expect(rec.sns).toEqual([]);
    expect(metrics[0]).toEqual(['RestoreRefused', 1, 'nightly-staging']);
  });

  it('a dry run that create refused is reported, but writes no history and counts no outcome (it is no restore)', async () => {
    const bare = { planName: 'nightly-staging', trigger: { type: 'http' }, error: { Error: 'RestoreRefused', Cause: 'the target is held' } };
    for (const dryRun of [true, false]) {
      const rec = recorder();
      const history = new MemoryRestoreHistory();
      const { d, metrics } = deps(rec.channels, { history });
      const result = await notifyRestoreStep({ ...bare, ...(dryRun ? { dryRun } : {}), run: { restoreId: `r-${dryRun}` } }, d);
      expect(result).toMatchObject({ outcome: 'REFUSED', delivered: ['eventBridge'] });
      const counted = metrics.filter(([name]) => name !== 'NotificationsSent').map(([name]) => name);
      const records = (await history.list({})).map((r) => r.outcome);
      // The real run beside it shows what the dry run must not do.
      expect({ dryRun, counted, records }).toEqual(dryRun ? { dryRun, counted: [], records: [] } : { dryRun, counted: ['RestoreRefused'], records: ['REFUSED'] });
      // Whoever reads the report can tell a dry run's refusal from a real one.
      expect(rec.events[0]?.dryRun).toBe(dryRun ? true : undefined);
      expect(result.message.includes('Dry run: yes: only the checks ran')).toBe(dryRun);
    }
  });

  it('a retry after every channel failed sends the very same report, and the outcome is counted once', async () => {
    let down = true;
    const rec = recorder();
    const channels: NotifyChannels = {
      ...rec.channels,
      sns: async (report, text) => (down ? Promise.reject(new Error('SNS down')) : rec.channels.sns(report, text)),
      eventBridge: async (report) => (down ? Promise.reject(new Error('EventBridge down')) : rec.channels.eventBridge(report)),
    };
    const { d, metrics } = deps(channels, { now: () => ENDED });
    await expect(notifyRestoreStep(ended(), d)).rejects.toBeInstanceOf(NotificationUndeliverableError);
    expect(metrics.map(([name]) => name)).toEqual(['NotificationsFailed']);
    down = false;
    // Step Functions retries a little later: the report does not change with the clock.
    const later = await notifyRestoreStep(ended(), { ...d, now: () => new Date(ENDED.getTime() + 60_000) });
    expect(later.delivered).toEqual(['sns', 'eventBridge']);
    expect(rec.sns[0]?.report).toEqual(rec.events[0]);
    expect(rec.sns[0]?.report.reportId).toBe('nightly-staging-20260301T030000Z/SUCCEEDED');
    expect(metrics.filter(([name]) => name === 'RestoreSucceeded')).toHaveLength(1);
  });

  it('the webhook URL never appears in the result or the logs, whether the post works or not', async () => {
    for (const statuses of [[200], [500]]) {
      server = await startHookServer(statuses);
      const rec = recorder({ webhookUrl: `${server.base}/services/T1/B2/tokSECRET?sig=SIGSECRET` });
      const { d, warnings } = deps(rec.channels);
      const infos: unknown[][] = [];
      d.logger = { info: (...a: unknown[]) => void infos.push(a), warn: d.logger.warn };
      // A webhook that failed fails the step: its message must not carry the URL either.
      const result = await notifyRestoreStep(
        ended({ restore: context({ notify: { sns: true, eventBridge: false, webhook: { format: 'json', secretName: 'restore/hook' } } }) }),
        d,
      ).catch((e: unknown) => ({ name: (e as Error).name, message: (e as Error).message }));
      for (const text of [JSON.stringify(result), JSON.stringify(warnings), JSON.stringify(infos), JSON.stringify(rec.sns)]) {
        expect(text).not.toContain('SECRET');
        expect(text).not.toContain('/services');
      }
      await server.close();
      server = undefined;
    }
  });

  it('posts the Slack rendering to the webhook kept in the named secret (real local server)', async () => {
    server = await startHookServer([200]);
    const rec = recorder({ webhookUrl: `${server.base}/services/T1/B2/tok` });
    const { d } = deps(rec.channels);
    const result = await notifyRestoreStep(
      ended({ restore: context({ notify: { sns: false, eventBridge: false, webhook: { format: 'slack', secretName: 'restore/slack-hook' } } }) }),
      d,
    );
    expect(result.delivered).toEqual(['webhook:slack']);
    expect(rec.secretsAsked).toEqual(['restore/slack-hook']);
    const posted = JSON.parse(server.received[0]?.body ?? '{}') as { text?: string; blocks?: unknown[] };
    expect(posted.text).toContain('Atlas Restore Succeeded');
    expect(posted.blocks?.length).toBeGreaterThan(0);
  });

  it('a webhook answering 400 is one failed channel; the others still deliver', async () => {
    server = await startHookServer([400]);
    const rec = recorder({ webhookUrl: `${server.base}/hook` });
    const { d } = deps(rec.channels);
    const err = await notifyRestoreStep(
      ended({ restore: context({ notify: { sns: true, eventBridge: false, webhook: { format: 'teams', secretName: 'restore/teams-hook' } } }) }),
      d,
    ).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotificationIncompleteError);
    expect((err as Error).message).toContain('not taken by webhook:teams (taken by sns)');
    expect(rec.sns).toHaveLength(1);
    expect(server.received).toHaveLength(1);
  });
});
