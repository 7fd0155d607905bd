import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { NotificationUndeliverableError } from '../../../functions/core/domain/errors.js';
import type { NotifyChannels } from '../../../functions/core/finish/finishRestore.js';
import type { RestoreReport } from '../../../functions/core/notify/message.js';
import { MemoryTargetLocks } from '../../../functions/core/orchestrate/locks.js';
import { PlansConfig } from '../../../functions/core/plans/schema.js';
import { NotifyResult } from '../../../functions/core/workflow/contract.js';
import { context, ENDED, ended, PROD, STAGING } from './fixtures.js';
import { startHookServer, type HookServer } from './hookServer.js';

/** The notifyRestore Lambda handler end to end: AWS clients mocked, the webhook a real local server. */

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:atlas-restore-outcomes';
const SECRET_PATH = '/services/T0001/B0002/XyZsecretToken123';
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const secrets = mockClient(SecretsManagerClient);

const plans = PlansConfig.parse({
  plans: [
    {
      name: 'nightly-staging',
      source: { kind: 'cloud', ...PROD },
      restore: { type: 'snapshot', target: STAGING },
      notify: { sns: true, eventBridge: true, webhook: { format: 'slack', secretName: 'restore/slack-hook' } },
    },
  ],
});
const withWebhook = () => ended({ restore: context({ notify: plans.plans[0]!.notify }) });

/** A fresh module graph each time: the handler builds its clients once per container. */
async function load() {
  vi.resetModules();
  const [{ handler }, { useLocalEnvironment }] = await Promise.all([
    import('../../../functions/notifyRestore/index.js'),
    import('../../../functions/runtime/environment.js'),
  ]);
  return { handler, useLocalEnvironment };
}

let server: HookServer;
beforeAll(async () => {
  server = await startHookServer([200]);
});
afterAll(() => server.close());
beforeEach(() => {
  sns.reset();
  events.reset();
  secrets.reset();
  server.received.length = 0;
  vi.stubEnv('AWS_REGION', 'eu-west-1');
  vi.stubEnv('NOTIFY_TOPIC_ARN', TOPIC);
  vi.stubEnv('NOTIFY_EVENT_BUS', 'default');
  vi.stubEnv('RESTORE_PLANS_JSON', JSON.stringify(plans));
  secrets.on(GetSecretValueCommand, { SecretId: 'restore/slack-hook' }).resolves({ SecretString: JSON.stringify({ url: `${server.base}${SECRET_PATH}` }) });
});
afterEach(() => vi.unstubAllEnvs());

describe('notifyRestore handler (AWS wiring)', () => {
  it('publishes to the topic, puts the event on the bus and posts to the webhook from Secrets Manager', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const { handler } = await load();
    const result = NotifyResult.parse(await handler(withWebhook()));
    expect(result).toMatchObject({ outcome: 'SUCCEEDED', delivered: ['sns', 'eventBridge', 'webhook:slack'], failed: [] });
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input).toMatchObject({ TopicArn: TOPIC, Subject: 'Atlas Restore Succeeded: nightly-staging', Message: result.message });
    expect(events.commandCalls(PutEventsCommand)[0]!.args[0].input.Entries?.[0]).toMatchObject({ EventBusName: 'default', DetailType: 'Atlas Restore Succeeded' });
    expect(secrets.commandCalls(GetSecretValueCommand)[0]!.args[0].input.SecretId).toBe('restore/slack-hook');
    expect(server.received).toHaveLength(1);
    expect(server.received[0]!.url).toBe(SECRET_PATH);
    expect(JSON.parse(server.received[0]!.body)).toMatchObject({ text: expect.stringContaining('Atlas Restore Succeeded') });
    expect(JSON.stringify(result)).not.toContain('XyZsecretToken123');
  });

  it('a refused create (bare execution input) is routed by its plan and reported as REFUSED', async () => {
    sns.on(PublishCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const { handler } = await load();
    const cause = JSON.stringify({ errorType: 'RestoreRefused', errorMessage: 'staging-cluster is busy', trace: ['    at createRestoreStep (/var/task/index.mjs:1:1)'] });
    const result = await handler({ planName: 'nightly-staging', trigger: { type: 'schedule', time: '2026-03-01T03:00:00Z' }, error: { Error: 'RestoreRefused', Cause: cause } });
    expect(result).toMatchObject({ outcome: 'REFUSED', delivered: ['sns', 'eventBridge', 'webhook:slack'] });
    expect(result.message).toContain('Why: RestoreRefused: staging-cluster is busy');
    expect(result.message).not.toContain('/var/task');
  });

  it('an input it cannot read is still reported, as FAILED, on the default channels', async () => {
    sns.on(PublishCommand).resolves({});
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const { handler } = await load();
    const result = await handler({ restore: { restoreId: 'r-7' }, status: 42 });
    expect(result).toMatchObject({ outcome: 'FAILED', delivered: ['sns', 'eventBridge'], failed: [] });
    expect(result.message).toContain('notify got an input it could not read for restore r-7');
  });

  it('a topic ARN missing from the environment fails SNS only; the others still deliver', async () => {
    vi.stubEnv('NOTIFY_TOPIC_ARN', '');
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0 });
    const { handler } = await load();
    await expect(handler(withWebhook())).rejects.toMatchObject({ name: 'NotificationIncomplete', message: expect.stringContaining('not taken by sns (taken by eventBridge, webhook:slack)') });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('every channel failing throws NotificationUndeliverable (Step Functions sees the run was not reported)', async () => {
    sns.on(PublishCommand).rejects(new Error('KMS key disabled'));
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'AccessDenied' }] });
    secrets.on(GetSecretValueCommand).rejects(Object.assign(new Error('denied'), { name: 'AccessDeniedException' }));
    const { handler } = await load();
    const err = await handler(withWebhook()).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).name).toBe(new NotificationUndeliverableError('').name);
    expect((err as Error).message).toBe('The SUCCEEDED report reached none of its channels (sns, eventBridge, webhook:slack); see the notify logs');
  });
});

describe('notifyRestore handler (local environment)', () => {
  it('uses the channels, plans, clock and locks of a local environment instead of AWS', async () => {
    const { handler, useLocalEnvironment } = await load();
    const sent: RestoreReport[] = [];
    const channels: NotifyChannels = {
      sns: async (report) => void sent.push(report),
      eventBridge: async (report) => void sent.push(report),
      webhookUrl: async () => `${server.base}/local-hook`,
    };
    const locks = new MemoryTargetLocks(() => ENDED);
    await locks.acquire(STAGING, context().restoreId, new Date(ENDED.getTime() + 3_600_000));
    useLocalEnvironment({ plans, now: () => ENDED, locks, notifyChannels: channels });
    try {
      const result = await handler(withWebhook());
      expect(result.delivered).toEqual(['sns', 'eventBridge', 'webhook:slack']);
      expect(sent.map((r) => r.outcome)).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(server.received.map((p) => p.url)).toEqual(['/local-hook']);
      expect(await locks.holder(STAGING)).toBeUndefined();
      expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    } finally {
      useLocalEnvironment(undefined);
    }
  });
});
