import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../functions/core/observability.js';

/** Item attribute names the handlers' lock store uses (functions/core reads and writes them). */
export const LOCK_PARTITION_KEY = 'target';
export const LOCK_TTL_ATTRIBUTE = 'expiresAt';

/**
 * Exactly what each function does with the table (functions/core/orchestrate/dynamoLocks.ts):
 * create takes a lock (conditional PutItem), reads who holds it (GetItem) and frees it when its
 * create fails (DeleteItem); notify frees it at the end (DeleteItem); submit's dry run reads it
 * (GetItem). No UpdateItem: nothing updates an item in place. A branch that adds items of its own
 * (holds, delivery records) widens its row here and in test/infra/least-privilege.test.ts.
 */
export const LOCK_TABLE_ACCESS = {
  createRestore: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  notifyRestore: ['dynamodb:DeleteItem'],
  submitRestore: ['dynamodb:GetItem'],
} as const;
export type LockTableUser = keyof typeof LOCK_TABLE_ACCESS;

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

  /** Gives a function its row of LOCK_TABLE_ACCESS (item-level calls only), and tells it the table's name. */
  grantLocking(functions: Record<LockTableUser, lambda.Function>): void {
    for (const [name, fn] of Object.entries(functions) as [LockTableUser, lambda.Function][]) {
      this.table.grant(fn, ...LOCK_TABLE_ACCESS[name]);
      fn.addEnvironment(ENV.lockTable, this.table.tableName);
    }
  }
}
