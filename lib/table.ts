import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type { Construct } from 'constructs';

export interface RestoreTableProps {
  partitionKey: string;
  sortKey?: string;
  /** The epoch-seconds attribute DynamoDB deletes expired items by. */
  ttl: string;
  /** Kept when the stack is deleted (evidence), or deleted with it (transient state). */
  keepOnDelete: boolean;
}

/**
 * Every table of the stack alike: string keys, on-demand, encrypted, point-in-time recovery, a TTL.
 * Only what the data is worth after the stack is gone differs.
 */
export function restoreTable(scope: Construct, id: string, props: RestoreTableProps): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    partitionKey: { name: props.partitionKey, type: dynamodb.AttributeType.STRING },
    ...(props.sortKey ? { sortKey: { name: props.sortKey, type: dynamodb.AttributeType.STRING } } : {}),
    timeToLiveAttribute: props.ttl,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    encryption: dynamodb.TableEncryption.AWS_MANAGED,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    removalPolicy: props.keepOnDelete ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
  });
}
