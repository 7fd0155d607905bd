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

/** Levenshtein distance, case-insensitive: `natgateways` is one letter from `natGateways` in people's eyes. */
function distance(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[y.length]!;
}

export function closestContextKey(key: string): string | undefined {
  let best: { key: string; d: number } | undefined;
  for (const known of CONTEXT_KEYS) {
    const d = distance(key, known);
    if (!best || d < best.d) best = { key: known, d };
  }
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.key : undefined;
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
