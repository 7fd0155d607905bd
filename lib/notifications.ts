import { Annotations, Arn, Stack, Validations } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { ENV } from '../functions/core/domain/observability.js';
import type { PlansConfig } from '../functions/core/plans/schema.js';
import { deadLetterQueue } from './dead-letter.js';
import { webhookSecretNames } from './plans.js';
import { grantSecretKeyDecrypt, grantSecretValue } from './secret-key.js';

export interface RestoreNotificationsProps {
  plans: PlansConfig;
  /** Subscribes this address to the topic (restore outcomes and the stack's alarms). */
  alarmEmail?: string;
  /**
   * The customer managed KMS key the webhook URL secrets are encrypted with (context
   * webhookSecretKmsKeyArn). Without it notify can only read secrets under aws/secretsmanager.
   */
  webhookSecretKmsKeyArn?: string;
}

/**
 * Where outcomes go: an encrypted SNS topic (people, chat bridges), EventBridge's default bus (other
 * automation) and the webhooks the plans name. The topic also carries the stack's own alarms.
 */
export class RestoreNotifications extends Construct {
  readonly key: kms.Key;
  readonly topic: sns.Topic;
  readonly eventBus: events.IEventBus;
  /** The webhook URL secrets the plans name; notify may read these and no other secret. */
  readonly webhookSecrets: secretsmanager.ISecret[];
  /** Undelivered email notifications (only with an alarm email). */
  readonly emailDeadLetterQueue?: sqs.Queue;
  private readonly webhookSecretNames: string[];
  private readonly webhookSecretKmsKeyArn?: string;

  constructor(scope: Construct, id: string, props: RestoreNotificationsProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the Atlas restore notifications topic',
      enableKeyRotation: true,
    });
    // CloudWatch alarms publish to the topic themselves, so they must be able to use its key.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', {
      displayName: 'Atlas restore outcomes',
      masterKey: this.key,
      enforceSSL: true,
    });
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': stack.account } },
      }),
    );
    if (props.alarmEmail) {
      this.emailDeadLetterQueue = deadLetterQueue(this, 'EmailDeadLetterQueue', 'email notifications SNS could not deliver');
      this.topic.addSubscription(
        new subscriptions.EmailSubscription(props.alarmEmail, { deadLetterQueue: this.emailDeadLetterQueue }),
      );
    }
    this.eventBus = events.EventBus.fromEventBusName(this, 'DefaultBus', 'default');
    this.webhookSecretNames = webhookSecretNames(props.plans);
    this.webhookSecrets = this.webhookSecretNames.map((name, i) => secretsmanager.Secret.fromSecretNameV2(this, `WebhookSecret${i}`, name));
    this.webhookSecretKmsKeyArn = props.webhookSecretKmsKeyArn;
    // The alert receiver's secret (plans file `alerts`) is granted on the same key, in lib/push.ts.
    if (props.webhookSecretKmsKeyArn && !this.webhookSecretNames.length && !props.plans.alerts) {
      Annotations.of(this).addWarningV2(
        'atlas-restore:webhookSecretKmsKeyArn',
        'Context value "webhookSecretKmsKeyArn" is set but no plan names a webhook (notify.webhook.secretName) and there is no `alerts` secret: nothing is granted on that key.',
      );
    }
  }

  /** Everything notify needs, and nothing else: publish, put events on the default bus, read webhook URLs. */
  grantNotify(fn: lambda.Function): void {
    this.topic.grantPublish(fn);
    fn.addEnvironment(ENV.topicArn, this.topic.topicArn);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['events:PutEvents'],
        resources: [
          Arn.format({ service: 'events', resource: 'event-bus', resourceName: this.eventBus.eventBusName }, Stack.of(this)),
        ],
      }),
    );
    fn.addEnvironment(ENV.eventBusName, this.eventBus.eventBusName);
    grantSecretValue(fn, this, this.webhookSecretNames);
    this.grantWebhookSecretKey(fn);
    Validations.of(fn.role ?? fn).acknowledge({
      id: 'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      reason: 'Publishing to the KMS-encrypted topic needs kms:GenerateDataKey* (data key variants); the grant is on the topic key only.',
    });
  }

  /** Only with webhookSecretKmsKeyArn: see grantSecretKeyDecrypt. */
  private grantWebhookSecretKey(fn: lambda.Function): void {
    if (this.webhookSecretKmsKeyArn) grantSecretKeyDecrypt(fn, this.webhookSecretKmsKeyArn, this.webhookSecretNames);
  }

}
