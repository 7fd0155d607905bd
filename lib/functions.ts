import { fileURLToPath } from 'node:url';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { LogLevel, NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ATLAS_CALL_CEILING_MS } from '../functions/core/atlas/limits.js';
import { ENV, METRICS_NAMESPACE } from '../functions/core/domain/observability.js';
import { MAX_CREATE_SETTLE_SECONDS, type PlansConfig } from '../functions/core/plans/schema.js';
import type { RestoreLogging } from './logging.js';
import { grantSecretKeyDecrypt, grantSecretValue } from './secret-key.js';

/** The project root: entries, the lock file and tsconfig are found from here whatever the cwd. */
export const PROJECT_ROOT = fileURLToPath(new URL('../', import.meta.url));

export const HANDLER_NAMES = ['submitRestore', 'createRestore', 'pollRestore', 'cancelRestore', 'notifyRestore'] as const;
export type HandlerName = (typeof HANDLER_NAMES)[number];

/** Push completion's two functions, deployed only when the plans file has `alerts` (lib/push.ts). */
const PUSH_HANDLER_NAMES = ['awaitAlert', 'receiveAlert'] as const;
export type PushHandlerName = (typeof PUSH_HANDLER_NAMES)[number];
export type FunctionName = HandlerName | PushHandlerName;

/** The Powertools service name every function logs and emits metrics under. */
export const SERVICE_NAME = 'atlas-restore';

interface FunctionSpec {
  description: string;
  memorySize: number;
  timeout: Duration;
  /** Reads the Atlas secret (calls the Atlas Admin API). */
  callsAtlas: boolean;
  /** Needs the plans, inlined into its bundle at build time. */
  readsPlans: boolean;
}

/**
 * Atlas calls each step may make one after another at worst (an OAuth token, then its reads and
 * writes): the Lambda timeout must outlast them all, each at the client's worst case, or a slow
 * Atlas turns into a Lambda timeout that nobody can read (issue: a poll timed out on two slow answers).
 */
export const ATLAS_CALLS_PER_STEP = {
  submitRestore: 0,
  createRestore: 4,
  pollRestore: 3, // a token, the read, and the look at the target before it is freed (orchestrate/quiet.ts)
  cancelRestore: 3,
  notifyRestore: 0,
  awaitAlert: 0,
  receiveAlert: 0,
} as const;

/** The longest a create step waits for a job whose POST answer was lost (plans' createSettleSeconds max). */
const MAX_CREATE_SETTLE = Duration.seconds(MAX_CREATE_SETTLE_SECONDS);

const outlast = (calls: number, extra = Duration.seconds(0)): Duration =>
  Duration.seconds(Math.ceil((calls * ATLAS_CALL_CEILING_MS) / 1000) + 30 + extra.toSeconds());

/**
 * Sizes are explicit, not defaults: memory buys CPU (and a faster cold start on arm64); the
 * timeouts of the steps that call Atlas outlast the client's own retries (see ATLAS_CALLS_PER_STEP).
 * Lambda bills the time used, not the timeout, so a generous timeout costs nothing when Atlas is quick.
 */
const SPECS: Record<FunctionName, FunctionSpec> = {
  submitRestore: {
    description: 'HTTP API: validates a restore request and starts, reads or cancels a restore',
    memorySize: 512,
    // API Gateway gives up after 29 s; answer before it does.
    timeout: Duration.seconds(25),
    callsAtlas: true,
    readsPlans: true,
  },
  createRestore: {
    description: 'Resolves a plan or request, applies the guards, creates or adopts one Atlas restore job',
    memorySize: 512,
    timeout: outlast(ATLAS_CALLS_PER_STEP.createRestore, MAX_CREATE_SETTLE),
    callsAtlas: true,
    readsPlans: true,
  },
  pollRestore: {
    description: 'Reads the Atlas restore job and maps it onto the restore status model',
    memorySize: 256,
    timeout: outlast(ATLAS_CALLS_PER_STEP.pollRestore),
    callsAtlas: true,
    readsPlans: false,
  },
  cancelRestore: {
    description: 'Cancels an Atlas restore job that passed its deadline, where Atlas allows it',
    memorySize: 256,
    timeout: outlast(ATLAS_CALLS_PER_STEP.cancelRestore),
    callsAtlas: true,
    readsPlans: false,
  },
  notifyRestore: {
    description: 'Reports the outcome of a restore (SNS, EventBridge, webhook)',
    memorySize: 256,
    timeout: Duration.minutes(1),
    callsAtlas: false,
    // A restore refused before it had a context still names its plan: notify routes by it.
    readsPlans: true,
  },
  awaitAlert: {
    description: 'Registers a restore waiting for an Atlas restore alert (push completion); the backstop ends the wait otherwise',
    memorySize: 256,
    timeout: Duration.seconds(30),
    callsAtlas: false,
    readsPlans: false,
  },
  receiveAlert: {
    description: 'Receives Atlas restore alerts (signed webhook) and wakes the restores waiting on that project',
    memorySize: 256,
    // API Gateway gives up after 29 s; answer before it does.
    timeout: Duration.seconds(25),
    callsAtlas: false,
    readsPlans: false,
  },
};

export interface RestoreFunctionsProps {
  /** The validated plans: inlined into the bundles that need them. */
  plans: PlansConfig;
  /** Secrets Manager name of the Atlas profile secret (`cfn/atlas/profile/default`). */
  atlasSecretName: string;
  /** The customer managed KMS key the Atlas secret is encrypted with, if not aws/secretsmanager. */
  atlasSecretKmsKeyArn?: string;
  logging: RestoreLogging;
  /** Powertools log level. */
  logLevel?: string;
  /** Runs the functions that call Atlas in this network (fixed egress IPs for Atlas access lists). */
  atlasNetwork?: AtlasNetwork;
}

/** Where the Atlas-calling functions run when the organisation has an API access list (lib/egress.ts). */
interface AtlasNetwork {
  vpc: ec2.IVpc;
  subnets: ec2.SubnetSelection;
  securityGroup: ec2.ISecurityGroup;
}

/**
 * The five Lambda handlers. Each has its own role (so a grant to one is never a grant to all) and
 * its own encrypted log group. Wiring to the table, topic and state machine is done by the stack.
 */
export class RestoreFunctions extends Construct {
  readonly submitRestore: NodejsFunction;
  readonly createRestore: NodejsFunction;
  readonly pollRestore: NodejsFunction;
  readonly cancelRestore: NodejsFunction;
  readonly notifyRestore: NodejsFunction;
  /** Push completion's functions: only when the plans file has `alerts`. */
  readonly push?: Record<PushHandlerName, NodejsFunction>;
  readonly logGroups: Record<HandlerName, logs.LogGroup> & Partial<Record<PushHandlerName, logs.LogGroup>>;
  /** The Atlas profile secret, readable only by the functions that call Atlas. */
  readonly atlasSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: RestoreFunctionsProps) {
    super(scope, id);
    this.atlasSecret = secretsmanager.Secret.fromSecretNameV2(this, 'AtlasSecret', props.atlasSecretName);
    // JSON inside a JS string literal: esbuild replaces `process.env.RESTORE_PLANS_JSON` with it.
    const plansLiteral = JSON.stringify(JSON.stringify(props.plans));
    const logGroups: Partial<Record<FunctionName, logs.LogGroup>> = {};
    const make = (name: FunctionName): NodejsFunction => {
      const spec = SPECS[name];
      const logGroup = props.logging.logGroup(this, `${name}Logs`);
      logGroups[name] = logGroup;
      // Our own role: no AWSLambdaBasicExecutionRole (which may write to every log group).
      const role = new iam.Role(this, `${name}Role`, {
        assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
        description: `Runs the ${name} Lambda`,
      });
      logGroup.grantWrite(role);
      const network = spec.callsAtlas ? props.atlasNetwork : undefined;
      if (network) {
        // What AWSLambdaVPCAccessExecutionRole grants, inline (the managed policy is broader and moves).
        role.addToPolicy(
          new iam.PolicyStatement({
            actions: [
              'ec2:CreateNetworkInterface',
              'ec2:DescribeNetworkInterfaces',
              'ec2:DescribeSubnets',
              'ec2:DeleteNetworkInterface',
              'ec2:AssignPrivateIpAddresses',
              'ec2:UnassignPrivateIpAddresses',
            ],
            resources: ['*'],
          }),
        );
      }
      const fn = new NodejsFunction(this, name, {
        entry: `${PROJECT_ROOT}functions/${name}/index.ts`,
        handler: 'handler',
        projectRoot: PROJECT_ROOT,
        depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
        description: spec.description,
        runtime: lambda.Runtime.NODEJS_24_X,
        architecture: lambda.Architecture.ARM_64,
        memorySize: spec.memorySize,
        timeout: spec.timeout,
        tracing: lambda.Tracing.ACTIVE,
        role,
        logGroup,
        ...(network ? { vpc: network.vpc, vpcSubnets: network.subnets, securityGroups: [network.securityGroup] } : {}),
        environment: {
          POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
          POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
          LOG_LEVEL: props.logLevel ?? 'INFO',
          // Stack traces in the logs point at our TypeScript lines, not the minified bundle.
          NODE_OPTIONS: '--enable-source-maps',
          ...(spec.callsAtlas ? { [ENV.atlasSecretName]: props.atlasSecretName } : {}),
        },
        bundling: {
          format: OutputFormat.ESM,
          target: 'node24',
          // esbuild's size table is noise on every synth (`cdk synth -q` included); errors still print.
          logLevel: LogLevel.ERROR,
          minify: true,
          sourceMap: true,
          // The maps only need line mappings; the sources would double the zip for nothing.
          sourcesContent: false,
          // The runtime ships SDK v3; bundling it would add ~0.5 MB per function.
          externalModules: ['@aws-sdk/*'],
          mainFields: ['module', 'main'],
          // CommonJS dependencies (undici) call require() on node built-ins; ESM has no require.
          banner: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
          define: spec.readsPlans ? { [`process.env.${ENV.plansJson}`]: plansLiteral } : {},
        },
      });
      this.acknowledgeFindings(fn, role, network !== undefined);
      if (spec.callsAtlas) {
        grantSecretValue(fn, this, [props.atlasSecretName]);
        if (props.atlasSecretKmsKeyArn) grantSecretKeyDecrypt(fn, props.atlasSecretKmsKeyArn, [props.atlasSecretName]);
      }
      return fn;
    };
    this.submitRestore = make('submitRestore');
    this.createRestore = make('createRestore');
    this.pollRestore = make('pollRestore');
    this.cancelRestore = make('cancelRestore');
    this.notifyRestore = make('notifyRestore');
    if (props.plans.alerts) this.push = { awaitAlert: make('awaitAlert'), receiveAlert: make('receiveAlert') };
    this.logGroups = logGroups as RestoreFunctions['logGroups'];
  }

  /** Every function, in a fixed order. */
  get all(): NodejsFunction[] {
    return [this.submitRestore, this.createRestore, this.pollRestore, this.cancelRestore, this.notifyRestore, ...Object.values(this.push ?? {})];
  }

  byName(name: HandlerName): NodejsFunction {
    return this[name];
  }

  /**
   * Scoped to this function and its role, each reason true for this function in this deployment:
   * the ENI actions are only on `*` for a function that runs in the Atlas egress VPC.
   */
  private acknowledgeFindings(fn: NodejsFunction, role: iam.Role, inVpc: boolean): void {
    const wildcards = inVpc
      ? 'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, and running in the egress VPC needs ec2:CreateNetworkInterface, ec2:Describe*, ec2:DeleteNetworkInterface and ec2:Assign/UnassignPrivateIpAddresses for its ENIs; none of these take resource-level permissions.'
      : 'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which take no resource-level permissions; that is the only wildcard resource in this role.';
    Validations.of(role).acknowledge({ id: 'AwsSolutions-IAM5[Resource::*]', reason: wildcards });
    Validations.of(role).acknowledge({ id: 'Serverless-LambdaStarPermissions', reason: wildcards });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaDLQ',
      reason: 'Invoked synchronously only (Step Functions tasks and API Gateway proxy): errors go back to the caller, which retries, catches and notifies; a DLQ only applies to asynchronous invocations.',
    });
    Validations.of(fn).acknowledge({
      id: 'Serverless-LambdaAsyncFailureDestination',
      reason: 'Never invoked asynchronously (Step Functions tasks and API Gateway proxy call it synchronously), so an async failure destination would never receive anything.',
    });
  }
}

