import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { restoreTable } from './table.js';
import { ENV } from '../functions/core/domain/observability.js';
import { HOLD_KEY_PREFIX } from '../functions/core/orchestrate/holds.js';
import { LOCK_TABLE_KEYS } from '../functions/core/orchestrate/lockTableKeys.js';

/** Item attribute names the handlers' lock store uses (functions/core reads and writes them). */
export const LOCK_PARTITION_KEY = LOCK_TABLE_KEYS.partition;
export const LOCK_TTL_ATTRIBUTE = LOCK_TABLE_KEYS.ttl;

/**
 * Exactly what each function does with the table: create takes a lock, records a sent create, a
 * trigger event and a plan's start (conditional PutItem), reads who holds a lock or hold (GetItem)
 * and frees its lock when its create fails (DeleteItem); notify records deliveries and places a
 * plan's hold (PutItem, GetItem) and frees the lock at the end (DeleteItem); submit reads (GetItem,
 * and Scan to list holds) and writes only hold# items (grantHolding). No UpdateItem: nothing
 * updates an item in place. Mirrored in test/infra/least-privilege.test.ts.
 */
const LOCK_TABLE_ACCESS = {
  createRestore: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  notifyRestore: ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
  submitRestore: ['dynamodb:GetItem', 'dynamodb:Scan'],
} as const;
export type LockTableUser = keyof typeof LOCK_TABLE_ACCESS;

/** What the HTTP API may write: holds only (grantHolding). */
const HOLD_WRITE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:DeleteItem'] as const;

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
    // Locks are transient; nothing of value is lost with the stack.
    this.table = restoreTable(this, 'Table', { partitionKey: LOCK_PARTITION_KEY, ttl: LOCK_TTL_ATTRIBUTE, keepOnDelete: false });
  }

  /** Gives each function its row of LOCK_TABLE_ACCESS (item-level calls only), and tells it the table's name. */
  grantLocking(functions: Record<Exclude<LockTableUser, 'submitRestore'>, lambda.Function>): void {
    for (const [name, fn] of Object.entries(functions) as [LockTableUser, lambda.Function][]) {
      this.table.grant(fn, ...LOCK_TABLE_ACCESS[name]);
      fn.addEnvironment(ENV.lockTable, this.table.tableName);
    }
  }

  /**
   * The HTTP API places and releases holds and reads everything (a dry run reads locks and plan
   * records), but may write nothing else: its writes are limited to items whose key starts with
   * `hold#`, so a caller of the API can never take or free a lock or forge a trigger record.
   */
  grantHolding(fn: lambda.Function): void {
    this.table.grant(fn, ...LOCK_TABLE_ACCESS.submitRestore);
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
