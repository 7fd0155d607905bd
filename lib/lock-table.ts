import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../functions/core/observability.js';

/** Item attribute names the handlers' lock store uses (functions/core reads and writes them). */
export const LOCK_PARTITION_KEY = 'target';
export const LOCK_TTL_ATTRIBUTE = 'expiresAt';

/** What taking, renewing, reading and releasing a lock needs. */
export const LOCK_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/**
 * One item per restore target while a restore runs on it: the "one restore per target at a time"
 * guard. TTL clears a lock left behind by an execution that died without releasing it.
 */
export class RestoreLockTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: LOCK_PARTITION_KEY, type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: LOCK_TTL_ATTRIBUTE,
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      encryption: dynamodb.TableEncryption.AWS_MANAGED,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // Locks are transient; nothing of value is lost with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
  }

  /** Lets a function take and release locks, and tells it the table's name. */
  grantLocking(...functions: lambda.Function[]): void {
    for (const fn of functions) {
      // Item-level calls only: no Scan, no batch, no streams.
      this.table.grant(fn, ...LOCK_ACTIONS);
      fn.addEnvironment(ENV.lockTable, this.table.tableName);
    }
  }
}
