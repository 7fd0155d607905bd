import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * A dead-letter queue: where a trigger or a notification lands when AWS could not deliver it, so a
 * missed nightly refresh or a missed alarm leaves a trace (and an alarm) instead of nothing.
 */
export function deadLetterQueue(scope: Construct, id: string, holds: string): sqs.Queue {
  const queue = new sqs.Queue(scope, id, {
    // SQS-managed keys: the AWS services that write here (Scheduler, EventBridge, SNS) need no key grant.
    encryption: sqs.QueueEncryption.SQS_MANAGED,
    enforceSSL: true,
    // The longest SQS allows: someone has two weeks to look.
    retentionPeriod: Duration.days(14),
  });
  const reason = `This queue is itself the dead-letter queue for ${holds}; a dead-letter queue of a dead-letter queue would only move the same messages.`;
  Validations.of(queue).acknowledge({ id: 'AwsSolutions-SQS3', reason });
  Validations.of(queue).acknowledge({ id: 'Serverless-SQSRedrivePolicy', reason });
  return queue;
}
