import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { restoreTable } from './table.js';
import { HISTORY_BY_PLAN_INDEX, HISTORY_KEY, HISTORY_PLAN, HISTORY_STARTED, HISTORY_TABLE_ENV, HISTORY_TTL } from '../functions/core/history/names.js';

/**
 * The restore history (functions/core/history/): one item per restore, kept for the retention
 * (TTL), listed per plan by start time. Evidence for auditors, so unlike the lock table it is kept
 * when the stack is deleted, with point-in-time recovery. Notify writes (a conditional PutItem,
 * nothing else); the API reads through the index (Query, nothing else).
 */
export class RestoreHistoryTable extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.table = restoreTable(this, 'Table', { partitionKey: HISTORY_KEY, ttl: HISTORY_TTL, keepOnDelete: true });
    this.table.addGlobalSecondaryIndex({
      indexName: HISTORY_BY_PLAN_INDEX,
      partitionKey: { name: HISTORY_PLAN, type: dynamodb.AttributeType.STRING },
      sortKey: { name: HISTORY_STARTED, type: dynamodb.AttributeType.STRING },
    });
  }

  /** PutItem on the table itself (Table.grant would add its indexes too). */
  grantRecording(fn: lambda.Function): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [this.table.tableArn] }));
    fn.addEnvironment(HISTORY_TABLE_ENV, this.table.tableName);
  }

  /** Query on the byPlan index only. */
  grantListing(fn: lambda.Function): void {
    fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: [`${this.table.tableArn}/index/${HISTORY_BY_PLAN_INDEX}`] }));
    fn.addEnvironment(HISTORY_TABLE_ENV, this.table.tableName);
  }
}
