import { RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';

/**
 * One customer-managed key for every log group of the stack. Logs hold restore summaries, cluster
 * names and Atlas job ids: not secrets, but an operator's business, so they are encrypted and kept
 * for a bounded time.
 */
export class RestoreLogging extends Construct {
  readonly key: kms.Key;
  readonly retention: logs.RetentionDays;

  constructor(scope: Construct, id: string, props: { retention?: logs.RetentionDays } = {}) {
    super(scope, id);
    this.retention = props.retention ?? logs.RetentionDays.THREE_MONTHS;
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the log groups of the Atlas restore orchestrator',
      enableKeyRotation: true,
      // A key deleted with the stack would make the retained log groups unreadable.
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const stack = Stack.of(this);
    // CloudWatch Logs encrypts with the key itself; scope it to this account's and region's log groups.
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal(`logs.${stack.region}.amazonaws.com`)],
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${stack.partition}:logs:${stack.region}:${stack.account}:log-group:*`,
          },
        },
      }),
    );
  }

  /** An encrypted log group with the stack's retention. */
  logGroup(scope: Construct, id: string, logGroupName?: string): logs.LogGroup {
    return new logs.LogGroup(scope, id, {
      logGroupName,
      encryptionKey: this.key,
      retention: this.retention,
    });
  }
}
