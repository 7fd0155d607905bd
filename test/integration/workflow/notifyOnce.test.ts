import { describe, expect, it } from 'vitest';
import { handler as notifyRestore } from '../../../functions/notifyRestore/index.js';
import { TASK_STATES } from '../../../lib/workflow.js';
import { localEnvironment } from '../../../functions/runtime/local.js';
import { STAGING, scheduled, useWorkflowHarness } from './helpers.js';

/**
 * Exactly one report per channel through the synthesised state machine: a notify retried after a
 * partial success sends only to the channel that missed the report (the real handler, the local
 * world's delivery records).
 */

const h = useWorkflowHarness();

const count = (channel: string) => h.world.sent.filter((s) => s.channel === channel).length;
const retriesOf = (result: Awaited<ReturnType<typeof h.run>>, name: string) =>
  result.events.filter((e) => e.type === 'StateRetried' && (e as { state: { name: string } }).state.name === name).length;

/** What a Lambda runtime reports for a try that ran past the function's timeout. */
const timedOut = () => Object.assign(new Error('Task timed out after 60.00 seconds'), { name: 'Sandbox.Timedout' });

describe('a notify retried after a partial success', () => {
  it('sends the webhook on the retry, and SNS and EventBridge only once', async () => {
    let tries = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'notify-partial-1', {
      notify: async (payload) => {
        if (++tries > 1) return notifyRestore(payload);
        // The first try: SNS and EventBridge take the report, the webhook refuses it (both of its
        // attempts), and the function dies before answering, as when a channel hangs past the timeout.
        h.world.failWebhook([500, 500]);
        await notifyRestore(payload);
        throw timedOut();
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(retriesOf(result, TASK_STATES.notify)).toBe(1);
    expect(count('sns')).toBe(1);
    expect(count('eventBridge')).toBe(1);
    expect(count('webhook')).toBe(1);
    expect((result.output as { notification: { delivered: string[]; failed: string[] } }).notification).toMatchObject({
      delivered: ['sns', 'eventBridge', 'webhook:slack'],
      failed: [],
    });
  });

  it('a retry after every channel took the report sends nothing more', async () => {
    let tries = 0;
    const result = await h.run(scheduled('cloud-refresh'), 'notify-partial-2', {
      notify: async (payload) => {
        const answer = await notifyRestore(payload);
        // The answer of the first try is lost on the way back (a Lambda service error).
        if (++tries === 1) throw Object.assign(new Error('Service error'), { name: 'Lambda.ServiceException' });
        return answer;
      },
    });
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(retriesOf(result, TASK_STATES.notify)).toBe(1);
    expect([count('sns'), count('eventBridge'), count('webhook')]).toEqual([1, 1, 1]);
  });
});

describe('a channel that did not take the report', () => {
  const entered = (result: Awaited<ReturnType<typeof h.run>>, name: string) =>
    result.events.filter((e) => e.type === 'StateEntered' && (e as { state: { name: string } }).state.name === name).length;

  it('fails the step while it misses the report, so the retry sends it there, and only there', async () => {
    // The whole first try of the webhook (both of its attempts) answers 500; SNS and EventBridge take it.
    h.world.failWebhook([500, 500]);
    const result = await h.run(scheduled('cloud-refresh'), 'notify-missing-1');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(retriesOf(result, TASK_STATES.notify)).toBe(1);
    expect([count('sns'), count('eventBridge'), count('webhook')]).toEqual([1, 1, 1]);
    expect(entered(result, TASK_STATES.notifyDeadLetter)).toBe(0);
    expect(await h.world.undelivered.list()).toEqual([]);
  });

  it('after the retries, keeps the report for replay and ends with the restore outcome; the replay sends it once', async () => {
    // Every try of the webhook fails: five tries, two attempts each.
    h.world.failWebhook(Array.from({ length: 10 }, () => 500));
    const result = await h.run(scheduled('cloud-refresh'), 'notify-missing-2');
    expect(result.status, result.cause).toBe('SUCCEEDED');
    expect(retriesOf(result, TASK_STATES.notify)).toBe(4);
    expect(entered(result, TASK_STATES.notifyDeadLetter)).toBe(1);
    expect([count('sns'), count('eventBridge'), count('webhook')]).toEqual([1, 1, 0]);
    const notification = (result.output as { notification: { outcome: string; delivered: string[]; failed: string[]; reportId: string } }).notification;
    expect(notification).toMatchObject({ outcome: 'SUCCEEDED', delivered: ['sns', 'eventBridge'], failed: ['webhook:slack'] });
    const kept = await h.world.undelivered.list();
    expect(kept.map((k) => [k.reportId, k.channels])).toEqual([[notification.reportId, ['webhook:slack']]]);
    // The target was freed as on any success: the report's fate does not change the restore's.
    expect(await localEnvironment()!.locks!.holder({ groupId: STAGING, clusterName: 'staging-cluster' })).toBeUndefined();

    // The operator's replay: the webhook takes it now; SNS and EventBridge are not sent it again.
    const replay = await notifyRestore({ replayReport: notification.reportId });
    expect(replay).toMatchObject({ deliveredNow: ['webhook:slack'], failed: [] });
    expect([count('sns'), count('eventBridge'), count('webhook')]).toEqual([1, 1, 1]);
    expect(await h.world.undelivered.list()).toEqual([]);
    // A second replay finds nothing kept.
    expect(await notifyRestore({ replayReport: notification.reportId })).toMatchObject({ found: false });
    expect(count('webhook')).toBe(1);
  });
});
