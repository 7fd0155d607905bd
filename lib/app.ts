import { Annotations, App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { existsSync } from 'node:fs';
import { SECRET_NAME, SECRET_NAME_RULE } from '../functions/core/plans/secretName.js';
import { ConfigError } from './config-error.js';
import { checkAlarmEmail, unknownContextKeys } from './context-keys.js';
import { egressOptionsFromContext } from './egress-options.js';
import { closedTriggerWarnings, DEFAULT_PLANS_FILE, readPlansFile, validatePlansConfig } from './plans.js';
import { DEFAULT_ATLAS_SECRET_NAME, RestoreStack } from './restore-stack.js';

const STACK_NAME = 'AtlasRestore';

/** Context key that makes CDK skip esbuild for every stack (tests; the definition for local runs). */
export const SKIP_BUNDLING_CONTEXT = { 'aws:cdk:bundling-stacks': [] as string[] };

export interface RestoreAppOptions {
  /** Extra CDK context (e.g. SKIP_BUNDLING_CONTEXT); merged over `cdk.json`'s when run by the CLI. */
  context?: Record<string, unknown>;
  outdir?: string;
  /** Use this config instead of reading `plansFile` (tests). Validated the same way. */
  plansConfig?: unknown;
  /** Run the cdk-nag AwsSolutions and Serverless packs at synth (default true). */
  nag?: boolean;
}

/**
 * Builds the app exactly as `cdk synth` does (bin/app.ts is a thin caller), so the tests exercise
 * the real context handling, plan validation and nag packs. Context keys: see docs/deploy.md.
 */
export function buildRestoreApp(options: RestoreAppOptions = {}): { app: App; stack: RestoreStack } {
  const app = new App({ context: options.context, outdir: options.outdir });
  // Before anything is read: a misspelt key would otherwise deploy the stack without its setting.
  const unknown = unknownContextKeys(Object.keys(app.node.getAllContext()));
  if (unknown.length) throw new ConfigError(unknown.map((u) => u.problem).join('; '));
  const plansFile = givenPlansFile(app) ?? DEFAULT_PLANS_FILE;
  const raw = options.plansConfig === undefined ? readPlansFile(plansFile) : options.plansConfig;
  const plans = validatePlansConfig(raw, options.plansConfig === undefined ? plansFile : '(inline config)');
  const stack = new RestoreStack(app, STACK_NAME, {
    description: 'Atlas Restore Orchestrator: scheduled, HTTP and alarm-driven MongoDB Atlas backup restores',
    plans,
    atlasSecretName: atlasSecretName(app) ?? DEFAULT_ATLAS_SECRET_NAME,
    alarmEmail: checkAlarmEmail(optionalString(app, 'alarmEmail')),
    egress: egressOptionsFromContext((key) => app.node.tryGetContext(key)),
    opsTopicArn: opsTopicArn(app),
    webhookSecretKmsKeyArn: kmsKeyArn(app, 'webhookSecretKmsKeyArn'),
    atlasSecretKmsKeyArn: kmsKeyArn(app, 'atlasSecretKmsKeyArn'),
  });
  for (const { plan, trigger, warning } of closedTriggerWarnings(raw))
    Annotations.of(stack).addWarningV2(`atlas-restore:closedTrigger:${trigger}:${plan}`, warning);
  if (options.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack };
}

/** A context value that is a non-empty string, or undefined; anything else is a mistake worth stopping for. */
function optionalString(app: App, key: string): string | undefined {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new ConfigError(`Context value "${key}" must be a string (cdk synth -c ${key}=...)`);
  return value;
}

/** The Atlas API key's secret; a wrong name would only show when a restore first calls Atlas. */
function atlasSecretName(app: App): string | undefined {
  const name = optionalString(app, 'atlasSecretName');
  if (name !== undefined && !SECRET_NAME.test(name))
    throw new ConfigError(`Context value "atlasSecretName" ${SECRET_NAME_RULE}, such as atlas-restore/api-key; got "${clip(name)}"`);
  return name;
}

/** A plans file given by name must be there: said with the key, as the person typed it. */
function givenPlansFile(app: App): string | undefined {
  const file = optionalString(app, 'plansFile');
  if (file !== undefined && !existsSync(file))
    throw new ConfigError(`Context value "plansFile" must name a plans file; "${clip(file)}" does not exist (paths are relative to the project root)`);
  return file;
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 80)}…` : text);

const TOPIC_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** The ops topic for the orchestrator's own alarms; checked here because CloudFormation would only fail at deploy. */
function opsTopicArn(app: App): string | undefined {
  const arn = optionalString(app, 'opsTopicArn');
  if (arn !== undefined && !TOPIC_ARN.test(arn)) {
    throw new ConfigError(`Context value "opsTopicArn" must be an SNS topic ARN such as arn:aws:sns:eu-west-1:123456789012:ops-alarms; got "${arn}"`);
  }
  return arn;
}

/** A key ARN, not an alias: IAM matches kms:Decrypt against the key, so an alias ARN would grant nothing. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})$/;

/** The customer managed key of a secret; checked here because a wrong one only shows when the secret is first read. */
function kmsKeyArn(app: App, key: 'webhookSecretKmsKeyArn' | 'atlasSecretKmsKeyArn'): string | undefined {
  const arn = optionalString(app, key);
  if (arn !== undefined && !KEY_ARN.test(arn)) {
    throw new ConfigError(
      `Context value "${key}" must be a KMS key ARN (not an alias) such as arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab; got "${arn}"`,
    );
  }
  return arn;
}
