import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { ENV } from '../functions/core/observability.js';
import { HOLD_KEY_PREFIX } from '../functions/core/orchestrate/holds.js';

/** Item attribute names the handlers' lock store uses (functions/core reads and writes them). */
export const LOCK_PARTITION_KEY = 'target';
export const LOCK_TTL_ATTRIBUTE = 'expiresAt';

/** What taking, renewing, reading and releasing a lock needs. */
export const LOCK_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'] as const;

/** What the HTTP API needs: read locks, holds and plan records; list holds. Writes: holds only (below). */
export const HOLD_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Scan'] as const;
export const HOLD_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:DeleteItem'] as const;

/**
 * What notify does on the table: read and write its delivery records (one item per report and
 * channel, functions/core/notify/ledger.ts) and release its target's lock. Nothing else.
 */
export const NOTIFY_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'] as const;

/**
 * One item per restore target while a restore runs on it: the "one restore per target at a time"
 * guard. TTL clears a lock left behind by an execution that died without releasing it. Beside
 * them, under their own key prefixes and with their end as the TTL: notify's delivery records
 * (`delivery#<report id>#<channel>`), holds (`hold#…`), trigger events taken (`trigger#…`) and
 * plans' last starts (`plan#…`): one table, one set of grants and backups.
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
    for (const fn of functions) this.grantItems(fn, LOCK_ACTIONS);
  }

  /** Lets the notify function keep its delivery records and release a lock, and tells it the table's name. */
  grantReporting(fn: lambda.Function): void {
    this.grantItems(fn, NOTIFY_ACTIONS);
  }

  private grantItems(fn: lambda.Function, actions: readonly string[]): void {
    // Item-level calls only: no Scan, no batch, no streams.
    this.table.grant(fn, ...actions);
    fn.addEnvironment(ENV.lockTable, this.table.tableName);
  }

  /**
   * The HTTP API places and releases holds and reads everything (a dry run reads locks and plan
   * records), but may write nothing else: its writes are limited to items whose key starts with
   * `hold#`, so a caller of the API can never take or free a lock or forge a trigger record.
   */
  grantHolding(fn: lambda.Function): void {
    this.table.grant(fn, ...HOLD_READ_ACTIONS);
    fn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [...HOLD_WRITE_ACTIONS],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${HOLD_KEY_PREFIX}*`] } },
      }),
    );
    fn.addEnvironment(ENV.lockTable, this.table.tableName);
  }
}
