import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { restoreTable } from './table.js';
import { ENV } from '../functions/core/domain/observability.js';
import { WAITERS_KEYS } from '../functions/core/push/dynamoWaiters.js';
import type { AlertsSettings } from '../functions/core/plans/alertsSettings.js';
import type { PushHandlerName } from './functions.js';
import { grantSecretKeyDecrypt, grantSecretValue } from './secret-key.js';

/**
 * Exactly what each push function does with the waiters table: a wait registers its token, reads
 * the project's last alert and forgets its token when it wakes itself; the receiver notes the
 * alert (conditional put), lists the project's waits (Query) and forgets each one it woke.
 * Mirrored in test/infra/push.test.ts.
 */
export const WAITERS_TABLE_ACCESS: Record<PushHandlerName, readonly string[]> = {
  awaitAlert: ['dynamodb:PutItem', 'dynamodb:GetItem', 'dynamodb:DeleteItem'],
  receiveAlert: ['dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
};

/** Create reads a project's last alert, to know whether alerts arrive from it (functions/core/push/heard.ts). */
export const WAITERS_TABLE_READ_BY_CREATE = ['dynamodb:GetItem'] as const;

/**
 * Notify reads a project's last alert and notes a missed one (functions/core/push/missed.ts): an
 * alert owed for a restore's end that never came.
 */
export const WAITERS_TABLE_ACCESS_BY_NOTIFY = ['dynamodb:GetItem', 'dynamodb:PutItem'] as const;

export interface RestorePushProps {
  settings: AlertsSettings;
  functions: Record<PushHandlerName, lambda.Function>;
  /** The create function: it reads the table only. */
  create: lambda.Function;
  /** The notify function: it reads a project's last alert and notes a missed one. */
  notify: lambda.Function;
  /** The customer managed KMS key webhook secrets are under (context webhookSecretKmsKeyArn), if any. */
  secretKmsKeyArn?: string;
  stateMachine: sfn.StateMachine;
}

/**
 * Push completion's storage and grants (functions/core/push/): the table of restores waiting for an
 * Atlas alert, one item per wait with a TTL, and the right of both functions to end a wait
 * (states:SendTaskSuccess on this state machine only). The receiver alone reads the webhook secret;
 * create only reads a project's last alert (whether alerts arrive from it at all); notify reads it
 * and notes a missed alert.
 */
export class RestorePush extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: RestorePushProps) {
    super(scope, id);
    // Waits last minutes to hours; nothing of value is lost with the stack.
    this.table = restoreTable(this, 'Waiters', { partitionKey: WAITERS_KEYS.partition, sortKey: WAITERS_KEYS.sort, ttl: WAITERS_KEYS.ttl, keepOnDelete: false });
    for (const [name, fn] of Object.entries(props.functions) as [PushHandlerName, lambda.Function][]) {
      this.table.grant(fn, ...WAITERS_TABLE_ACCESS[name]);
      fn.addEnvironment(ENV.alertWaitersTable, this.table.tableName);
      // A policy of its own, not the role's default one: the state machine already depends on the
      // awaitAlert function (and so on its default policy), which must not depend on the machine back.
      new iam.Policy(this, `${name}EndsWaits`, {
        roles: [fn.role!],
        statements: [new iam.PolicyStatement({ actions: ['states:SendTaskSuccess'], resources: [props.stateMachine.stateMachineArn] })],
      });
    }
    this.table.grant(props.create, ...WAITERS_TABLE_READ_BY_CREATE);
    props.create.addEnvironment(ENV.alertWaitersTable, this.table.tableName);
    this.table.grant(props.notify, ...WAITERS_TABLE_ACCESS_BY_NOTIFY);
    props.notify.addEnvironment(ENV.alertWaitersTable, this.table.tableName);
    const receiver = props.functions.receiveAlert;
    grantSecretValue(receiver, this, [props.settings.webhookSecretName]);
    if (props.secretKmsKeyArn) grantSecretKeyDecrypt(receiver, props.secretKmsKeyArn, [props.settings.webhookSecretName]);
    receiver.addEnvironment(ENV.alertWebhookSecretName, props.settings.webhookSecretName);
  }
}
