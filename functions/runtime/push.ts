import { ENV } from '../core/domain/observability.js';
import { webhookSecretFromText } from '../core/push/secretText.js';
import type { WakeTask } from '../core/workflow/wake.js';
import { localEnvironment } from './local.js';

/**
 * The push-completion handlers' other ports: the local world's when there is one, else Step
 * Functions and the webhook secret that lib/push.ts grants. The waiters are ./alertWaiters.ts.
 */
export { alertWaiters } from './alertWaiters.js';

let wake: Promise<WakeTask> | undefined;

export async function wakeTask(): Promise<WakeTask> {
  const local = localEnvironment()?.alerts;
  if (local) return local.wake;
  return (wake ??= Promise.all([import('@aws-sdk/client-sfn'), import('../core/push/sfnWake.js')]).then(([{ SFNClient }, { sfnWake }]) =>
    sfnWake(new SFNClient({})),
  ));
}

type SecretReader = { get(name: string, options?: { maxAge?: number }): Promise<unknown> };
let secrets: Promise<SecretReader> | undefined;

/**
 * The shared secret Atlas signs alerts with: a plain string secret in Secrets Manager, cached for
 * five minutes (a rotated secret is picked up without a call per alert). Never logged.
 */
export async function alertWebhookSecret(): Promise<string> {
  const local = localEnvironment()?.alerts;
  if (local) return local.webhookSecret;
  const name = process.env[ENV.alertWebhookSecretName];
  if (!name) throw new Error(`${ENV.alertWebhookSecretName} is not set`);
  secrets ??= import('@aws-lambda-powertools/parameters/secrets').then(({ SecretsProvider }) => new SecretsProvider());
  const value = await (await secrets).get(name, { maxAge: 300 });
  const text = typeof value === 'string' ? value : value instanceof Uint8Array ? new TextDecoder().decode(value) : '';
  if (!text) throw new Error(`Secret ${name} holds no webhook secret`);
  return webhookSecretFromText(text, name);
}
