import { buildRestoreApp } from '../lib/app.js';
import { ConfigError } from '../lib/config-error.js';
import { quietBundling } from '../lib/quiet-bundling.js';

/**
 * The CDK app (cdk.json runs `npx tsx bin/app.ts`). Context values, each optional (`-c key=value`
 * or cdk.json "context"); docs/deploy.md explains them:
 *   plansFile        the plans file, relative to the project root (default config/plans.json)
 *   atlasSecretName  Secrets Manager name of the Atlas profile secret (default cfn/atlas/profile/default)
 *   alarmEmail       an address subscribed to restore outcomes and the stack's alarms (default none)
 *   opsTopicArn      an SNS topic for the orchestrator's own alarms (default: the notifications topic)
 *   atlasSecretKmsKeyArn, webhookSecretKmsKeyArn
 *                    the customer managed KMS key of the Atlas secret / the webhook URL secrets
 *                    (default: aws/secretsmanager only)
 *   egress, natGateways, vpcId, subnetIds, availabilityZones, egressIps
 *                    fixed egress IPs for Atlas API access lists (default off); docs/operations.md
 * The stack is environment-agnostic: synth needs no AWS credentials and no Docker (esbuild bundles).
 */
quietBundling();
try {
  const { app } = buildRestoreApp();
  app.synth();
} catch (error) {
  // One line people can act on, never a stack: exit 2 for a mistake in the context or the plans file
  // (fix it and run again), 1 for synth itself failing.
  const config = error instanceof ConfigError;
  const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\n\s*/g, ' ');
  process.stderr.write(`error: ${config ? '' : 'synth failed: '}${message}\n`);
  process.exit(config ? 2 : 1);
}
