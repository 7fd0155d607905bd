import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { PlansConfig } from '../functions/core/plans/schema.js';
import { RestoreAlarms } from './alarms.js';
import { RestoreApi } from './api.js';
import { RestoreDashboard } from './dashboard.js';
import type { EgressOptions } from './egress-options.js';
import { AtlasEgress } from './egress.js';
import { RestoreFunctions } from './functions.js';
import { RestoreLockTable } from './lock-table.js';
import { RestoreHistoryTable } from './history-table.js';
import { RestoreLogging } from './logging.js';
import { RestoreNotifications } from './notifications.js';
import { RestorePush } from './push.js';
import { RestoreTriggers } from './triggers.js';
import { RestoreWorkflow } from './workflow.js';

export const DEFAULT_ATLAS_SECRET_NAME = 'cfn/atlas/profile/default';

export interface RestoreStackProps extends StackProps {
  /** Already validated (lib/plans.ts): the stack trusts it. */
  plans: PlansConfig;
  atlasSecretName?: string;
  alarmEmail?: string;
  /** Fixed egress IPs for Atlas API access lists (lib/egress.ts); default: no VPC. */
  egress?: EgressOptions;
  /** Send the orchestrator's own alarms here instead of the notifications topic. */
  opsTopicArn?: string;
  /** The customer managed KMS key of the webhook URL secrets, if not aws/secretsmanager. */
  webhookSecretKmsKeyArn?: string;
  /** The customer managed KMS key of the Atlas secret, if not aws/secretsmanager. */
  atlasSecretKmsKeyArn?: string;
}

/**
 * Everything the orchestrator deploys. Environment-agnostic (no account or region lookups), so it
 * synthesises on a fresh clone with no AWS credentials.
 */
export class RestoreStack extends Stack {
  readonly logging: RestoreLogging;
  readonly functions: RestoreFunctions;
  readonly locks: RestoreLockTable;
  readonly history: RestoreHistoryTable;
  readonly notifications: RestoreNotifications;
  readonly workflow: RestoreWorkflow;
  readonly api: RestoreApi;
  readonly triggers: RestoreTriggers;
  readonly alarms: RestoreAlarms;
  readonly dashboard: RestoreDashboard;
  /** Only when the plans file has `alerts` (push completion). */
  readonly push?: RestorePush;
  /** Only when egress is not "off" (lib/egress-options.ts). */
  readonly egress?: AtlasEgress;

  constructor(scope: Construct, id: string, props: RestoreStackProps) {
    super(scope, id, props);
    this.logging = new RestoreLogging(this, 'Logging');
    if (props.egress && props.egress.mode !== 'off') {
      this.egress = new AtlasEgress(this, 'AtlasEgress', { options: props.egress, logging: this.logging });
    }
    this.functions = new RestoreFunctions(this, 'Functions', {
      plans: props.plans,
      atlasSecretName: props.atlasSecretName ?? DEFAULT_ATLAS_SECRET_NAME,
      atlasSecretKmsKeyArn: props.atlasSecretKmsKeyArn,
      logging: this.logging,
      atlasNetwork: this.egress && { vpc: this.egress.vpc, subnets: this.egress.subnets, securityGroup: this.egress.securityGroup },
    });
    const fns = this.functions;

    this.locks = new RestoreLockTable(this, 'Locks');
    // create takes the lock and keeps its create and run records; notify releases it at the end,
    // places a plan's hold and keeps its delivery records; submit reads (a dry run, the holds list)
    // and writes hold# items only (lib/lock-table.ts).
    this.locks.grantLocking({ createRestore: fns.createRestore, notifyRestore: fns.notifyRestore });
    this.locks.grantHolding(fns.submitRestore);
    this.history = new RestoreHistoryTable(this, 'History');
    this.history.grantRecording(fns.notifyRestore);
    // GET /restores lists a plan's records (Query on the byPlan index, nothing else).
    this.history.grantListing(fns.submitRestore);

    this.notifications = new RestoreNotifications(this, 'Notifications', {
      plans: props.plans,
      alarmEmail: props.alarmEmail,
      webhookSecretKmsKeyArn: props.webhookSecretKmsKeyArn,
    });
    this.notifications.grantNotify(fns.notifyRestore);

    this.workflow = new RestoreWorkflow(this, 'Workflow', { functions: fns, logging: this.logging, plans: props.plans.plans });
    this.workflow.grantSubmit(fns.submitRestore);

    this.api = new RestoreApi(this, 'Api', { handler: fns.submitRestore, logging: this.logging, alertReceiver: fns.push?.receiveAlert });
    const alerts = props.plans.alerts;
    if (alerts && fns.push) {
      this.push = new RestorePush(this, 'Push', {
        settings: alerts,
        functions: fns.push,
        create: fns.createRestore,
        notify: fns.notifyRestore,
        secretKmsKeyArn: props.webhookSecretKmsKeyArn,
        stateMachine: this.workflow.stateMachine,
      });
      new CfnOutput(this, 'AlertReceiverUrl', {
        value: this.api.alertsUrl,
        description: 'Where Atlas delivers restore alerts (webhook, signed with the secret named in the plans file)',
      });
      new CfnOutput(this, 'AlertSetupCommand', {
        value: `npm run restore -- alerts setup --project <GROUP_ID> --url ${this.api.alertsUrl} --secret-name ${alerts.webhookSecretName}`,
        description: 'Run once per Atlas project whose restores this stack runs (source and target projects)',
      });
    }
    this.triggers = new RestoreTriggers(this, 'Triggers', { plans: props.plans, stateMachine: this.workflow.stateMachine });
    this.alarms = new RestoreAlarms(this, 'Alarms', {
      topic: props.opsTopicArn ? sns.Topic.fromTopicArn(this, 'OpsTopic', props.opsTopicArn) : this.notifications.topic,
      plans: props.plans,
      triggerDeadLetterQueue: this.triggers.deadLetterQueue,
      stateMachine: this.workflow.stateMachine,
      notifyFunction: fns.notifyRestore,
    });
    this.dashboard = new RestoreDashboard(this, 'Dashboard', { plans: props.plans, stateMachine: this.workflow.stateMachine, alarms: this.alarms });

    new CfnOutput(this, 'ApiUrl', { value: this.api.url, description: 'Restore API (IAM SigV4 auth), stage v1' });
    new CfnOutput(this, 'StateMachineArn', { value: this.workflow.stateMachine.stateMachineArn });
    new CfnOutput(this, 'TopicArn', { value: this.notifications.topic.topicArn, description: 'Restore outcomes and alarms' });
  }
}
