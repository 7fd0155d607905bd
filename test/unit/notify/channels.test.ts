import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { EventBridgeEntryError, putReportEvent } from '../../../functions/core/notify/channels/eventbridge.js';
import { publishReport, snsSubject } from '../../../functions/core/notify/channels/sns.js';
import { buildReport, renderText, type RestoreReport } from '../../../functions/core/notify/message.js';
import { decideOutcome } from '../../../functions/core/notify/outcome.js';
import type { NotifyInput } from '../../../functions/core/workflow/contract.js';
import { context, ENDED, ended, status } from './fixtures.js';

/** The SNS and EventBridge calls, field by field, through aws-sdk-client-mock. */

const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:atlas-restore-outcomes';
const report = (input: NotifyInput): RestoreReport => buildReport(input, decideOutcome(input), ENDED);

const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
beforeEach(() => {
  sns.reset();
  events.reset();
});

describe('SNS', () => {
  it('publishes the text with a subject and outcome/plan/report attributes', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const r = report(ended());
    await publishReport(new SNSClient({ region: 'eu-west-1' }), TOPIC, r, renderText(r));
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.args[0].input).toEqual({
      TopicArn: TOPIC,
      Subject: 'Atlas Restore Succeeded: nightly-staging',
      Message: renderText(r),
      MessageAttributes: {
        outcome: { DataType: 'String', StringValue: 'SUCCEEDED' },
        plan: { DataType: 'String', StringValue: 'nightly-staging' },
        reportId: { DataType: 'String', StringValue: 'nightly-staging-20260301T030000Z/SUCCEEDED' },
        restoreId: { DataType: 'String', StringValue: 'nightly-staging-20260301T030000Z' },
      },
    });
  });

  it("an ad-hoc restore's plan attribute is 'ad-hoc' (subscription filters can match it)", async () => {
    sns.on(PublishCommand).resolves({});
    const { planName: _drop, ...adHoc } = context();
    const r = report(ended({ restore: adHoc }));
    await publishReport(new SNSClient({ region: 'eu-west-1' }), TOPIC, r, renderText(r));
    expect(sns.commandCalls(PublishCommand)[0]!.args[0].input.MessageAttributes?.plan).toEqual({ DataType: 'String', StringValue: 'ad-hoc' });
  });

  it('subjects stay under 100 ASCII characters on one line', () => {
    const long = report(ended({ restore: context({ planName: `nightly-${'x'.repeat(150)}` }) }));
    expect(snsSubject(long).length).toBeLessThan(100);
    expect(snsSubject(long).endsWith('...')).toBe(true);
    const odd = report(ended({ restore: context({ planName: 'nächtlich\nstaging' }) }));
    expect(snsSubject(odd)).toBe('Atlas Restore Succeeded: n?chtlich staging');
  });

  it('a FIFO topic gets a group and a de-duplication id derived from the report id (a retry is dropped)', async () => {
    sns.on(PublishCommand).resolves({});
    const r = report(ended());
    const client = new SNSClient({ region: 'eu-west-1' });
    await publishReport(client, `${TOPIC}.fifo`, r, renderText(r));
    await publishReport(client, `${TOPIC}.fifo`, r, renderText(r));
    const [first, second] = sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
    expect(first?.MessageGroupId).toBe('nightly-staging-20260301T030000Z');
    expect(first?.MessageDeduplicationId).toMatch(/^[0-9a-f]{64}$/);
    expect(second?.MessageDeduplicationId).toBe(first?.MessageDeduplicationId);
  });

  it('an SNS error propagates (the channel fails; send.ts keeps the others going)', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const r = report(ended());
    await expect(publishReport(new SNSClient({ region: 'eu-west-1' }), TOPIC, r, 'x')).rejects.toThrow('Rate exceeded');
  });
});

describe('EventBridge', () => {
  it('puts one event: our source, detail-type from the outcome, the report as detail, the end time', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 0, Entries: [{ EventId: 'e-1' }] });
    const r = report(ended({ status: status({ state: 'RUNNING' }), poll: { count: 9, waitSeconds: 1, deadlinePassed: true } }));
    await putReportEvent(new EventBridgeClient({ region: 'eu-west-1' }), 'default', r);
    const calls = events.commandCalls(PutEventsCommand);
    expect(calls).toHaveLength(1);
    const entries = calls[0]!.args[0].input.Entries!;
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual({
      Source: 'atlas-restore-orchestrator',
      DetailType: 'Atlas Restore Timed Out',
      Detail: JSON.stringify(r),
      EventBusName: 'default',
      Time: new Date(r.endedAt),
    });
    expect(JSON.parse(entries[0]!.Detail!)).toMatchObject({ outcome: 'TIMED_OUT', reportId: 'nightly-staging-20260301T030000Z/TIMED_OUT' });
  });

  it('a 200 answer with FailedEntryCount is a failure, with the error code', async () => {
    events.on(PutEventsCommand).resolves({ FailedEntryCount: 1, Entries: [{ ErrorCode: 'InternalFailure', ErrorMessage: 'try again' }] });
    const err = await putReportEvent(new EventBridgeClient({ region: 'eu-west-1' }), 'default', report(ended())).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EventBridgeEntryError);
    expect((err as Error).message).toBe('EventBridge refused the event: InternalFailure (try again)');
  });
});
