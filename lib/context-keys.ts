import { closestName } from '../functions/core/domain/didYouMean.js';
import { ConfigError } from './config-error.js';
import { EGRESS_CONTEXT_KEYS } from './egress-options.js';

/**
 * The context keys this app reads (`-c key=value`; bin/app.ts and docs/deploy.md describe them).
 * CDK ignores a key nobody reads, so `-c natGateway=2` would deploy without the second NAT gateway
 * and say nothing (a warning scrolls past, and synth still exits 0): every other key stops synth,
 * naming the closest known one.
 */
export const CONTEXT_KEYS = [
  'plansFile',
  'atlasSecretName',
  'alarmEmail',
  'opsTopicArn',
  'atlasSecretKmsKeyArn',
  'webhookSecretKmsKeyArn',
  ...EGRESS_CONTEXT_KEYS,
] as const;

/** CDK's own keys (feature flags `@aws-cdk/...`, `aws:cdk:...`, lookups `availability-zones:...`) are not ours to judge. */
const isCdkKey = (key: string) => key.startsWith('@') || key.includes(':');

/** The known key `key` was probably meant to be; case is ignored, as people read `natgateways` as `natGateways`. */
export function closestContextKey(key: string): string | undefined {
  return closestName(key, CONTEXT_KEYS, { ignoreCase: true });
}

/** One problem per context key this app does not read, with the key probably meant. */
export function unknownContextKeys(keys: readonly string[]): { key: string; problem: string }[] {
  const known = new Set<string>(CONTEXT_KEYS);
  return keys
    .filter((key) => !known.has(key) && !isCdkKey(key))
    .map((key) => {
      const guess = closestContextKey(key);
      const problem = `Context key "${key}" is not one this app reads${guess ? `: did you mean "${guess}"?` : ''} (known keys: ${CONTEXT_KEYS.join(', ')})`;
      return { key, problem };
    });
}

// The shape SNS accepts for an email subscription; anything else only fails at deploy, or never confirms.
const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[A-Za-z]{2,}$/;

export function checkAlarmEmail(value: string | undefined): string | undefined {
  if (value !== undefined && !EMAIL.test(value))
    throw new ConfigError(`Context value "alarmEmail" must be one email address such as dba@example.com; got "${value}" (cdk synth -c alarmEmail=...)`);
  return value;
}
