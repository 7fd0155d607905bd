import { createHash } from 'node:crypto';
import { PublishCommand, type PublishCommandInput, type SNSClient } from '@aws-sdk/client-sns';
import { AD_HOC_PLAN } from '../../domain/observability.js';
import type { RestoreReport } from '../message.js';

/**
 * The report on the encrypted SNS topic: people by email, chat bridges, queues. Attributes let a
 * subscription filter by outcome or plan (e.g. only failures to the on-call address).
 *
 * SNS standard topics (what the stack creates: email needs one) have no de-duplication; notify's
 * delivery records (../ledger.ts) keep a retried notify from publishing again, except when the try
 * died between the publish and its record. A FIFO topic (ARN ending in ".fifo") gets a
 * de-duplication id from the report id and drops even that repeat.
 */

/** SNS: subjects are ASCII, one line, under 100 characters. */
const MAX_SUBJECT = 99;

export function snsSubject(report: RestoreReport): string {
  const subject = `${report.title}${report.planName ? `: ${report.planName}` : ''}`
    .replace(/\s+/g, ' ')
    .replace(/[^\x20-\x7e]/g, '?')
    .trim();
  return subject.length > MAX_SUBJECT ? `${subject.slice(0, MAX_SUBJECT - 3)}...` : subject;
}

function snsPublishInput(topicArn: string, report: RestoreReport, text: string): PublishCommandInput {
  const attribute = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    TopicArn: topicArn,
    Subject: snsSubject(report),
    Message: text,
    MessageAttributes: {
      outcome: attribute(report.outcome),
      plan: attribute(report.planName ?? AD_HOC_PLAN),
      reportId: attribute(report.reportId),
      ...(report.restoreId ? { restoreId: attribute(report.restoreId) } : {}),
    },
    ...(topicArn.endsWith('.fifo')
      ? {
          MessageGroupId: report.restoreId ?? report.planName ?? AD_HOC_PLAN,
          MessageDeduplicationId: createHash('sha256').update(report.reportId).digest('hex'),
        }
      : {}),
  };
}

export async function publishReport(client: Pick<SNSClient, 'send'>, topicArn: string, report: RestoreReport, text: string, abortSignal?: AbortSignal): Promise<void> {
  await client.send(new PublishCommand(snsPublishInput(topicArn, report, text)), abortSignal ? { abortSignal } : {});
}
